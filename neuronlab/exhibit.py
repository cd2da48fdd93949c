"""The exhibit's state and the one place it changes: ``apply(command)`` queues, ``flush()``
carries the queue out, and ``snapshot()`` says what the exhibit is showing.

Owns the session, the scenes and which one is active, the language, the camera, the loss
history, the learned network put aside during the tour's demonstration, and the lesson in
view when a visitor teaches it their drawing (``Teaching``: its steps are spread over
``[teach] seconds`` of exhibit time by ``update``, never the wall clock). The session
holds the story pace, the time machine and the knocked-out neurons; the commands here
(``TimeTravel``, ``BackToNow``, ``KnockOut``, ``RestoreUnits``) are how they change. Knows no
window, GL context or finger: the kiosk, the attract tour, the control bar and the tests
drive it only through commands (``neuronlab/commands.py``). ``App.frame`` calls ``flush``
once a frame, before the fixed-step update, so every change lands at that one point.
"""
from __future__ import annotations

import logging
import math
from collections import deque
from dataclasses import dataclass
from typing import Callable

import numpy as np

from neuronlab import commands as cmd
from neuronlab import strings
from neuronlab.config import TeachConfig
from neuronlab.history import LossHistory
from neuronlab.math3d.camera import OrbitCamera
from neuronlab.nn.teach import Lesson, Teacher, TeachingGallery, TeachResult
from neuronlab.scenes.base import Regions, Scene, Stage
from neuronlab.session import Neuron, Session
from neuronlab.ui import text
from neuronlab.ui.screen import screen_layout
from neuronlab.view.layout import Layout
from neuronlab.view.layout import layout as make_layout
from neuronlab.view.palette import Palette

log = logging.getLogger("neuronlab")

MAX_QUEUE = 4096   # a touch storm can never grow the queue without bound


@dataclass
class Teaching:
    """A lesson in view: the visitor's drawing and label, the weights before it (for the
    correction wires), what the wires showed before, and the lesson's own exhibit clock.
    ``learning`` while the clock is inside the lesson's time; then ``result`` is shown."""

    lesson: Lesson
    label: int
    pad_image: np.ndarray          # (16, 16) what the visitor drew
    before: dict                   # the parameters when the lesson began
    wire_mode: str                 # the wires' mode to return to
    seconds: float
    p_before: np.ndarray           # (10,) the drawing's probabilities before the lesson
    clock: float = 0.0
    result: TeachResult | None = None

    @property
    def learning(self) -> bool:
        return self.result is None or self.clock < self.seconds


@dataclass(frozen=True)
class Snapshot:
    """What the exhibit shows at one instant (plain values, safe to keep)."""

    scene: str
    lang: str
    source: str                  # "training" | "probe" | "draw"
    status: str                  # "training" | "paused" | "probing" | "idle"
    paused: bool
    iters_per_frame: int
    wire_mode: str
    selected: Neuron | None
    highlight: tuple[int, int, int] | None
    input_version: int
    train_version: int
    samples_seen: int
    demo: bool                   # the learned network is put aside (the tour is learning)
    curious: bool = False        # the "for the curious" layer is open
    picker_open: bool = False    # the language picker is open
    past: int | None = None      # samples seen by the network of the past on display, if any
    units_off: tuple = ()        # (layer, index) of every neuron switched off


class Exhibit:
    def __init__(self, session: Session, scenes: dict[str, Scene], *, size=(1280, 720),
                 palette: Palette | None = None, lang: str = "en", show: Callable | None = None,
                 layout: Layout | None = None, px_per_mm: float | None = None, ui_scale: float = 1.0,
                 languages: tuple[str, ...] = strings.DEFAULT_OFFER):
        self.session = session
        self.scenes = dict(scenes)
        self.scene_name = "graph" if "graph" in self.scenes else next(iter(self.scenes), "graph")
        self.lang = lang
        # what the language button offers; with more than two it opens a picker
        self.languages = tuple(languages) or (lang,)
        self.picker_open = False
        self.palette = palette or Palette()
        self.layout = layout or make_layout()
        self.camera = OrbitCamera(home_distance=21.0)
        self.camera.snap()
        self.history = LossHistory()
        self.saved: dict | None = None     # the learned network while the demo runs
        # Called by ResetVisitor before anything else: the app lets go of every finger.
        self.release_fingers: Callable[[], None] = lambda: None
        self.applied = 0                   # commands carried out so far
        self._queue: deque = deque()
        self.teacher: Teacher | None = None
        self.teaching: Teaching | None = None
        self.configure_teaching(TeachConfig())
        self.dropped = 0                   # commands refused because the queue was full
        # The screen: its density (None or 0: auto), the UI scale, and whether the curious
        # layer is open; the regions follow from these and the window's size.
        self.px_per_mm = px_per_mm or None
        self.ui_scale = float(ui_scale)
        self.curious = False
        self.size = tuple(size)
        self.stage = Stage(session, self.tr, self._regions(), self.palette,
                           show or (lambda *a, **k: None), self.apply)
        self.stage.lang = lang
        self.stage.teaching = None
        if self.scene is not None:
            self.scene.enter(self.stage)

    def configure_teaching(self, config: TeachConfig) -> None:
        """The ``[teach]`` settings: lesson steps, replay mix, pacing and the gallery."""
        self.teach_config = config
        self.teacher = None
        self.gallery = TeachingGallery(config.gallery_path, config.gallery, config.gallery_cap)

    # ------------------------------------------------------------------ reading
    @property
    def scene(self) -> Scene | None:
        return self.scenes.get(self.scene_name)

    def tr(self, key: str, **fmt) -> str:
        return strings.t(key, self.lang, **fmt)

    def snapshot(self) -> Snapshot:
        ses = self.session
        tl = ses.timeline
        past = tl.snapshots[tl.showing].samples_seen if tl.in_past else None
        return Snapshot(self.scene_name, self.lang, ses.source, ses.status, ses.paused,
                        ses.iters_per_frame, ses.wire_mode, ses.selected, ses.highlight,
                        ses.input_version, ses.train_version,
                        int(ses.trainer.stats.samples_seen), self.saved is not None, self.curious,
                        self.picker_open, past, tuple(ses.knockout.off_units))

    @property
    def pending(self) -> tuple:
        return tuple(self._queue)

    # ------------------------------------------------------------------ changing
    def apply(self, command) -> None:
        """Queue ``command``; it takes effect at the frame's next ``flush``. A full queue
        (a touch storm) refuses the newest, so what was asked first still happens in order."""
        if len(self._queue) >= MAX_QUEUE:
            if self.dropped == 0:
                log.warning("command queue full (%d): further commands dropped this frame", MAX_QUEUE)
            self.dropped += 1
            return
        self._queue.append(command)

    def flush(self) -> int:
        """Carry out the queued commands in order; returns how many. Called once a frame."""
        # the smallest text size is the text module's: this screen's, for whatever this
        # frame lays out and draws (another exhibit in the process may have set its own)
        text.set_legible_floor(self.stage.regions.px_per_mm)
        n, self.dropped = 0, 0
        while self._queue:
            self._do(self._queue.popleft())
            n += 1
        self.applied += n
        return n

    def _regions(self) -> Regions:
        regions = screen_layout(self.size, self.px_per_mm, self.ui_scale, self.curious)
        text.set_legible_floor(regions.px_per_mm)
        return regions

    def set_size(self, size) -> None:
        """The window changed size (or turned): new screen regions, panels re-rendered;
        what the visitor did (pad, selection, scene) is kept."""
        self.size = tuple(size)
        self._relayout()

    def _relayout(self) -> None:
        self.stage.regions = self._regions()
        self.stage.cache.clear()
        if self.scene is not None:
            self.scene.layout(self.stage)

    def update(self, dt: float) -> None:
        """One fixed logic step: camera easing and the active scene's clocks."""
        self.camera.update(dt)
        self._advance_lesson(dt)
        if self.scene is not None:
            self.scene.update(self.stage, dt)

    def trained(self, steps: int) -> None:
        """The trainer just ran ``steps`` iterations: the history takes its point."""
        if steps:
            self.history.record(self.session.trainer.stats)

    # ------------------------------------------------------------------ the commands
    def _do(self, c) -> None:
        ses = self.session
        if isinstance(c, cmd.SwitchScene):
            self._switch(c.name)
        elif isinstance(c, cmd.SetSpeed):
            if c.iters > 0:
                ses.back_to_now()        # "play" always plays the present
            ses.set_speed(c.iters)
        elif isinstance(c, cmd.Step):
            ses.step_one()
            self.trained(1)
        elif isinstance(c, cmd.Reset):
            self._end_teaching()
            ses.clear_knockout()
            ses.reset_network()          # learned again from nothing, at the story pace
            self.history.clear()
            self.history.record(ses.trainer.stats)   # the plot starts at 0 samples
            ses.set_speed(ses.iters_per_frame)
        elif isinstance(c, cmd.SetLanguage):
            if c.lang is not None:
                self.picker_open = False
                self._set_language(c.lang)
            elif len(self.languages) > 2:
                self.picker_open = not self.picker_open
            else:
                self._set_language(strings.next_language(self.lang, self.languages))
        elif isinstance(c, cmd.SetWiresMode):
            ses.wire_mode = c.mode
        elif isinstance(c, cmd.ResetCamera):
            self.camera.reset()
        elif isinstance(c, cmd.FocusNeuron):
            self.camera.focus(self.layout.positions[self.layout.neuron(c.neuron.layer, c.neuron.index)])
        elif isinstance(c, cmd.OrbitCamera):
            self.camera.orbit(c.dx, c.dy)
        elif isinstance(c, cmd.PanCamera):
            self.camera.pan(c.dx, c.dy, c.viewport_h)
        elif isinstance(c, cmd.ZoomCamera):
            self.camera.zoom(c.factor, about=c.about)
        elif isinstance(c, cmd.Pick):
            if self.scene is not None:
                self.scene.on_pick(self.stage, c.neuron)
        elif isinstance(c, cmd.Select):
            ses.select(c.neuron)
        elif isinstance(c, cmd.Highlight):
            ses.highlight = c.wire
        elif isinstance(c, cmd.ShowTraining):
            ses.show_training()
        elif isinstance(c, cmd.ShowDrawing):
            draw = self.scenes.get("draw")
            if draw is not None and draw.pad.image.any():
                ses.draw(draw.pad.image.copy())
        elif isinstance(c, cmd.Pen):
            draw = self.scenes.get("draw")
            if draw is not None:
                if c.kind == "down":
                    self._end_teaching()        # a new drawing: the lesson's view ends
                draw.pen(self.stage, c)
        elif isinstance(c, cmd.ClearPad):
            draw = self.scenes.get("draw")
            self._end_teaching()
            if draw is not None:
                draw.pad.clear()
                draw.pad.eraser = False
                draw.feed(self.stage)
        elif isinstance(c, cmd.SetPad):
            draw = self.scenes.get("draw")
            self._end_teaching()
            if draw is not None:
                draw.pad.set_image(c.image)
                draw.feed(self.stage)
        elif isinstance(c, cmd.SceneButton):
            scene = self.scenes.get(c.scene)
            if scene is not None and c.scene == self.scene_name:
                scene.on_button(self.stage, _Tapped(c.action))
                scene.layout(self.stage)
        elif isinstance(c, cmd.Teach):
            self._teach(c.label)
        elif isinstance(c, cmd.StartDemo):
            self._start_demo()
        elif isinstance(c, cmd.EndDemo):
            self._end_demo()
        elif isinstance(c, cmd.ResetVisitor):
            self._reset_visitor(c)
        elif isinstance(c, cmd.SetCurious):
            self._set_curious(not self.curious if c.open is None else bool(c.open))
        elif isinstance(c, cmd.TimeTravel):
            ses.show_past(c.index)
        elif isinstance(c, cmd.BackToNow):
            ses.back_to_now()
        elif isinstance(c, cmd.KnockOut):
            ses.toggle_unit(c.neuron)
        elif isinstance(c, cmd.RestoreUnits):
            ses.clear_knockout()
        else:
            log.warning("unknown command ignored: %r", c)

    def _switch(self, name: str) -> None:
        if name not in self.scenes or name == self.scene_name:
            return
        self._end_teaching()
        self.scene.exit(self.stage)
        self.scene_name = name
        ses = self.session
        ses.clear_knockout()             # leaving switches every neuron back on
        if name in ("graph", "inspector") and ses.source != "training":
            ses.show_training()
        self.scene.enter(self.stage)

    def _set_language(self, lang: str) -> None:
        self.lang = lang
        self.stage.lang = lang
        self.stage.cache.clear()
        if self.scene is not None:
            self.scene.layout(self.stage)

    def _set_curious(self, open_: bool) -> None:
        if open_ != self.curious:
            self.curious = open_
            self._relayout()

    def _start_demo(self) -> None:
        self._end_teaching()
        ses = self.session
        ses.clear_knockout()
        if self.saved is None:
            self.saved = ses.snapshot()
            self.saved["history"] = self.history.save()
        ses.reset_network()
        self.history.clear()
        self.history.record(ses.trainer.stats)

    def _end_demo(self) -> None:
        if self.saved is not None:
            self.session.restore(self.saved)
            self.history.load(self.saved["history"])
            self.saved = None

    def _reset_visitor(self, c) -> None:
        self.release_fingers()
        self._end_teaching()          # what it learned stays; only the lesson's view goes
        draw = self.scenes.get("draw")
        if draw is not None:
            draw.reset()
        self._switch("graph")
        ses = self.session
        ses.select(None)
        ses.highlight = None
        ses.back_to_now()
        ses.clear_knockout()
        ses.pace.stop()                  # the next visitor gets the chosen speed
        if ses.source != "training":
            ses.show_training()
        ses.set_speed(c.speed if c.speed else ses.iters_per_frame)
        self.camera.reset()
        self._set_curious(False)
        self.picker_open = False
        if c.language and self.lang != c.language:
            self._set_language(c.language)

    # ------------------------------------------------------------------ teaching
    def _teach(self, label: int) -> None:
        """Begin a lesson on the drawing on the pad with the visitor's ``label``."""
        draw = self.scenes.get("draw")
        if draw is None or not draw.pad.image.any() or not 0 <= int(label) <= 9:
            return
        ses = self.session
        before_mode = self.teaching.wire_mode if self.teaching is not None else ses.wire_mode
        self._end_teaching()
        if ses.source != "draw":
            ses.draw(draw.pad.image.copy())
        if self.teacher is None:
            self.teacher = Teacher(ses.trainer, self.teach_config.settings(), replay=ses.generator,
                                   test_set=(ses.test_X, ses.test_y))
        lesson = self.teacher.begin(ses.x, int(label))
        self.teaching = Teaching(lesson, int(label), draw.pad.image.copy(),
                                 {k: v.copy() for k, v in ses.model.params.items()},
                                 before_mode, self.teach_config.seconds,
                                 ses.model.forward(ses.x).p.copy())
        self.stage.teaching = self.teaching
        ses.wire_mode = "correction"
        self._lesson_moved()
        self._relayout_draw()

    def _relayout_draw(self) -> None:
        """The Draw scene's answer buttons show the label being taught."""
        draw = self.scenes.get("draw")
        if draw is not None and self.scene is draw:
            draw.layout(self.stage)

    def _advance_lesson(self, dt: float) -> None:
        """The lesson's steps, paced by exhibit time: by a fraction f of ``seconds``, a
        fraction f of its steps are taken."""
        t = self.teaching
        if t is None or not t.learning:
            return
        t.clock += dt
        if t.result is not None:
            return
        steps = self.teacher.settings.steps
        due = math.ceil(steps * min(1.0, t.clock / t.seconds)) - t.lesson.steps_done
        if due > 0 and t.lesson.advance(due):
            self._lesson_moved()
        if t.lesson.done:
            self._finish_lesson()

    def _lesson_moved(self) -> None:
        """Weights changed by the lesson: the correction wires, the stats, the history."""
        ses, t = self.session, self.teaching
        ses.correction = {k: ses.model.params[k] - t.before[k] for k in t.before}
        ses.train_version += 1
        ses.refresh()
        self.history.record(ses.trainer.stats)

    def _finish_lesson(self) -> None:
        t = self.teaching
        if t is None or t.result is not None:
            return
        t.result = t.lesson.finish()
        self._lesson_moved()
        try:
            self.gallery.keep(t.pad_image, t.label)
        except OSError as err:   # a full or read-only disk costs the gallery, not the exhibit
            log.warning("taught drawing not kept: %s", err)

    def _end_teaching(self) -> None:
        """The lesson's view ends (a new drawing, another scene, the idle reset); what it
        learned stays in the network."""
        t = self.teaching
        if t is None:
            return
        self._finish_lesson()
        ses = self.session
        if ses.wire_mode == "correction":
            ses.wire_mode = t.wire_mode
        ses.correction = None
        self.teaching = None
        self.stage.teaching = None
        self._relayout_draw()


@dataclass(frozen=True)
class _Tapped:
    """What a scene's ``on_button`` reads of a tapped button: its action."""

    action: object
