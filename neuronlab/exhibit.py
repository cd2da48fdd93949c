"""The exhibit's state and the one place it changes: ``apply(command)`` queues, ``flush()``
carries the queue out, and ``snapshot()`` says what the exhibit is showing.

Owns the session, the scenes and which one is active, the language, the camera, the loss
history and the learned network put aside during the tour's demonstration. The session
holds the story pace, the time machine and the knocked-out neurons; the commands here
(``TimeTravel``, ``BackToNow``, ``KnockOut``, ``RestoreUnits``) are how they change. Knows no
window, GL context or finger: the kiosk, the attract tour, the control bar and the tests
drive it only through commands (``neuronlab/commands.py``). ``App.frame`` calls ``flush``
once a frame, before the fixed-step update, so every change lands at that one point.
"""
from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass
from typing import Callable

from neuronlab import commands as cmd
from neuronlab import strings
from neuronlab.history import LossHistory
from neuronlab.math3d.camera import OrbitCamera
from neuronlab.scenes.base import Regions, Scene, Stage
from neuronlab.session import Neuron, Session
from neuronlab.view.layout import Layout
from neuronlab.view.layout import layout as make_layout
from neuronlab.view.palette import Palette

log = logging.getLogger("neuronlab")

MAX_QUEUE = 4096   # a touch storm can never grow the queue without bound


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
    past: int | None = None      # samples seen by the network of the past on display, if any
    units_off: tuple = ()        # (layer, index) of every neuron switched off


class Exhibit:
    def __init__(self, session: Session, scenes: dict[str, Scene], *, size=(1280, 720),
                 palette: Palette | None = None, lang: str = "en", show: Callable | None = None,
                 layout: Layout | None = None):
        self.session = session
        self.scenes = dict(scenes)
        self.scene_name = "graph" if "graph" in self.scenes else next(iter(self.scenes), "graph")
        self.lang = lang
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
        self.dropped = 0                   # commands refused because the queue was full
        self.stage = Stage(session, self.tr, Regions.for_size(tuple(size)), self.palette,
                           show or (lambda *a, **k: None), self.apply)
        self.stage.lang = lang
        self.stage.tick = 0
        if self.scene is not None:
            self.scene.enter(self.stage)

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
                        int(ses.trainer.stats.samples_seen), self.saved is not None,
                        past, tuple(ses.knockout.off_units))

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
        n, self.dropped = 0, 0
        while self._queue:
            self._do(self._queue.popleft())
            n += 1
        self.applied += n
        return n

    def set_size(self, size) -> None:
        """The window changed size: new screen regions, panels re-rendered."""
        self.stage.regions = Regions.for_size(tuple(size))
        self.stage.cache.clear()
        if self.scene is not None:
            self.scene.layout(self.stage)

    def update(self, dt: float) -> None:
        """One fixed logic step: camera easing and the active scene's clocks."""
        self.camera.update(dt)
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
            ses.clear_knockout()
            ses.reset_network()          # learned again from nothing, at the story pace
            self.history.clear()
            self.history.record(ses.trainer.stats)   # the plot starts at 0 samples
            ses.set_speed(ses.iters_per_frame)
        elif isinstance(c, cmd.SetLanguage):
            self._set_language(c.lang or strings.next_language(self.lang))
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
                draw.pen(self.stage, c)
        elif isinstance(c, cmd.ClearPad):
            draw = self.scenes.get("draw")
            if draw is not None:
                draw.pad.clear()
                draw.pad.eraser = False
                draw.feed(self.stage)
        elif isinstance(c, cmd.SetPad):
            draw = self.scenes.get("draw")
            if draw is not None:
                draw.pad.set_image(c.image)
                draw.feed(self.stage)
        elif isinstance(c, cmd.SceneButton):
            scene = self.scenes.get(c.scene)
            if scene is not None and c.scene == self.scene_name:
                scene.on_button(self.stage, _Tapped(c.action))
                scene.layout(self.stage)
        elif isinstance(c, cmd.StartDemo):
            self._start_demo()
        elif isinstance(c, cmd.EndDemo):
            self._end_demo()
        elif isinstance(c, cmd.ResetVisitor):
            self._reset_visitor(c)
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

    def _start_demo(self) -> None:
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
        if c.language and self.lang != c.language:
            self._set_language(c.language)


@dataclass(frozen=True)
class _Tapped:
    """What a scene's ``on_button`` reads of a tapped button: its action."""

    action: object
