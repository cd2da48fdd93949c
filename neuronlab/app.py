"""The exhibit's wiring and its frame; the only module that knows every scene.

One frame, one way: SDL events -> pointer events -> the kiosk, then the router (a button,
the scene, or the 3D graph; taps and gestures become commands) -> the queued commands are
applied at one point (``Exhibit.flush``) -> fixed-step update -> k training iterations ->
the controls' and the scene's layout -> HUD panels -> view arrays, animation, overlays
last -> GL and HUD submitted -> the renderer's threads rasterise -> present. A frame shows
the network as this frame's training left it. ``App.frame(dt)`` advances exactly one
frame, so tests drive the real exhibit headless, one frame at a time, posting events in
between.

The parts: ``bootstrap`` (build_app), ``runloop`` (crash guard, watchdog), ``controls``
(layout and commands), ``router`` (finger ownership), ``graph_renderer``, ``common_panels``
and ``exhibit`` (state and commands).
"""
from __future__ import annotations

import gc
import logging
import time

import moderngl
import numpy as np
import pygame
from threadpoolctl import threadpool_limits

from neuronlab import commands as cmd
from neuronlab import strings
from neuronlab.bootstrap import build_app, palette_from_config
from neuronlab.common_panels import CommonPanels, show_graph_labels
from neuronlab.controls import commands_for, layout_controls, layout_key
from neuronlab.exhibit import Exhibit
from neuronlab.graph_renderer import GraphRenderer
from neuronlab.input.gestures import GestureRecognizer
from neuronlab.input.pointer import PointerInput
from neuronlab.memory import Trimmer
from neuronlab.nn import feeder as feeders
from neuronlab.nn.gradcheck import gradcheck_steps
from neuronlab.nn.step_kernels import StepKernelLoader
from neuronlab.nn.train import TrainSettings
from neuronlab.render import context, programs
from neuronlab.render.hud_pass import HudPass
from neuronlab.router import PointerRouter
from neuronlab.scenes.base import Scene
from neuronlab.scenes.draw import DrawScene
from neuronlab.scenes.graph import GraphScene
from neuronlab.scenes.inspector import InspectorScene
from neuronlab.scenes.probe import ProbeScene
from neuronlab.session import Session
from neuronlab.ui import layout_report
from neuronlab.ui.screen import density_in_window
from neuronlab.view.palette import Palette

__all__ = ["App", "build_app", "main", "make_scenes", "palette_from_config"]

log = logging.getLogger("neuronlab")

STEP = 1.0 / 120.0  # fixed logic step (s)
GRADCHECK_SLICE_S = 0.0005  # the gradient check's share of a frame until it is done
_NO_SCENE = Scene()  # takes no finger: what touch reaches where a scene's panel is hidden


def make_scenes(seed: int = 0) -> dict:
    return {"graph": GraphScene(), "inspector": InspectorScene(), "draw": DrawScene(),
            "probe": ProbeScene(seed)}


class App:
    def __init__(self, size=(1280, 720), fullscreen=False, *, present=True, seed=0,
                 iters_per_frame=4, speeds=(0, 1, 4, 16, 64), lang="en", palette=None,
                 train_settings=None, model=None, px_per_mm=None, ui_scale=1.0, min_touch_mm=9.0,
                 vsync=True, run_gradcheck=True, touch=None, languages=None, feeder=False,
                 fullscreen_size=None, pool_cache=None):
        self.present = present
        # One BLAS thread for the whole process: the network's matrices are small and an
        # idle OpenBLAS worker spins on a core the software renderer's threads need.
        threadpool_limits(limits=1, user_api="blas")
        # Started first: the process loads (0.5-1 s) on the other core while this one opens
        # the window, so its first batches come about with the first frames. Its ring holds
        # two frames of the fastest speed's rows.
        rows_per_frame = max(speeds, default=0) * (train_settings or TrainSettings()).batch
        feeder_proc = (feeders.start(seed, slots=feeders.slots_for(rows_per_frame), cache=pool_cache)
                       if feeder else None)
        try:        # a window or GL failure must not leave the process behind
            self.window, self.ctx = context.create_window_context(size, fullscreen=fullscreen, vsync=vsync,
                                                                     mode=fullscreen_size)
            self.size = self.window.get_size()
            mode = context.display_mode(fullscreen_size) if fullscreen else None
            scaled = density_in_window(px_per_mm, mode, self.size)
            if scaled != px_per_mm:
                log.warning("display mode %dx%d asked, %dx%d given: px_per_mm %.3g taken as %.3g",
                            *mode, *self.size, px_per_mm, scaled)
                px_per_mm = scaled
            advice = context.software_renderer_advice(self.ctx.info.get("GL_RENDERER", ""),
                                                      self.drawable_size)
            if advice:
                log.warning(advice)
            palette = palette or Palette()
            self.hud = HudPass(self.ctx, programs.load_program(self.ctx, "hud"), background=palette.background)
            session = Session(train_settings, seed=seed, model=model, speeds=speeds,
                              iters_per_frame=iters_per_frame, source=feeder_proc)
            self.exhibit = Exhibit(session, make_scenes(seed), size=self.size, palette=palette, lang=lang,
                                   show=self.hud.show, px_per_mm=px_per_mm, ui_scale=ui_scale,
                                   languages=tuple(languages) if languages else strings.DEFAULT_OFFER)
        except BaseException:
            if feeder_proc is not None:
                feeder_proc.close()
            raise
        self.exhibit.release_fingers = self._release_fingers
        self.renderer = GraphRenderer(self.ctx, self.exhibit.layout, palette, min_touch_mm)
        self.pointer = PointerInput(self.size)
        # touch: tap_ms, tap_px, double_tap_ms from the kiosk config (KIOSK.md defaults)
        self.router = PointerRouter(GestureRecognizer(**(touch or {})), buttons=self._bars,
                                    scene=self._touchable_scene, press=self._press,
                                    pick=self.pick, zoom_about=self._zoom_about,
                                    apply=self.exhibit.apply, viewport_h=lambda: self.size[1])
        self.panels = CommonPanels()
        self.finger_expire_s = 10.0
        self.clock = 0.0          # exhibit time (s), advanced only by frame(dt)
        # Wall-clock seconds spent per part of the frame, summed (read by the benchmark), and
        # the training's own thread CPU ("train cpu": below "train" when other threads have
        # its core; "after": the gradient check's and the compiled step's load's slices)
        self.timings = {"train": 0.0, "train cpu": 0.0, "view": 0.0, "gl": 0.0, "hud": 0.0,
                        "finish": 0.0, "after": 0.0}
        self.trimmer = Trimmer()  # freed heap back to the OS once a minute (weeks of running)
        self.frames = 0
        self.lag = 0.0
        self.running = True
        # checked a slice a frame once the first is on screen: at start-up it would hold the
        # first frame back, and on a thread it held the interpreter from the frames (one of
        # 50 ms); the badge says "pending" till then, about 2 s
        self.gradcheck = None
        self._gradcheck_steps = gradcheck_steps() if run_gradcheck else None
        # the compiled training step, loaded beside the frames once the feeder (which
        # compiles it into numba's cache) has served its first batch
        self.step_loader = StepKernelLoader() if feeder_proc is not None else None
        self._anchors = None       # (layout key, the layer names' anchors at the home view)
        self._controls_key = None
        self.controls = None
        self._layout()
        # Optional controller for unattended running (idle -> attract mode, technician
        # exit, checkpoints). It sees every event and pointer first and may swallow them.
        self.kiosk = None
        # What start-up built lives as long as the exhibit: out of the collector's sight, a
        # full collection no longer walks it (one took ~25 ms in the first seconds)
        gc.freeze()

    # ------------------------------------------------------------------ read-only views
    session = property(lambda self: self.exhibit.session)
    scenes = property(lambda self: self.exhibit.scenes)
    scene = property(lambda self: self.exhibit.scene)
    scene_name = property(lambda self: self.exhibit.scene_name)
    lang = property(lambda self: self.exhibit.lang)
    camera = property(lambda self: self.exhibit.camera)
    layout = property(lambda self: self.exhibit.layout)
    stage = property(lambda self: self.exhibit.stage)
    palette = property(lambda self: self.exhibit.palette)
    last_arrays = property(lambda self: self.renderer.last_arrays)

    def apply(self, command) -> None:
        """Queue a command for the next frame (``Exhibit.apply``)."""
        self.exhibit.apply(command)

    # ------------------------------------------------------------------ layout
    def _layout(self) -> None:
        """The common controls for the state as it is (rebuilt only when it changed)."""
        ex = self.exhibit
        key = layout_key(ex.stage.regions, ex.snapshot(), ex.session.speeds, ex.languages)
        if key != self._controls_key:
            self._controls_key = key
            self.controls = layout_controls(ex.stage.regions, ex.snapshot(), ex.tr, ex.session.speeds,
                                            ex.languages)
        ex.scene.arrange(ex.stage)

    def _bars(self):
        if self.stage.regions.side_hidden:      # the curious column stands in the scene's place
            return self.controls.bars
        return (*self.controls.bars, self.scene.bar)

    def _press(self, button) -> None:
        if isinstance(button.action, tuple):
            for c in commands_for(button.action, self.scene_name):
                self.exhibit.apply(c)
        else:
            self.exhibit.apply(cmd.SceneButton(self.scene_name, button.action))

    @property
    def refresh_hz(self) -> int:
        """The display's refresh rate, 0 where it is unknown (nothing presented, or SDL
        cannot say)."""
        if not self.present:
            return 0
        try:
            return int(pygame.display.get_current_refresh_rate())
        except (pygame.error, AttributeError):
            return 0

    @property
    def drawable_size(self) -> tuple[int, int]:
        """GL's pixels: the window's drawable (they differ from window pixels on HiDPI), or
        the window's size where nothing is presented."""
        return tuple(self.ctx.screen.viewport[2:]) if self.present else self.size

    def matrices(self):
        vp = self.drawable_size
        return self.renderer.fit.matrices(self.camera, self.stage.regions, self.size, vp)


    def _layer_anchors(self) -> list[tuple[float, float]]:
        """Per layer, the window point just below its lowest ball at the home view: the
        same for as long as the window and its layout are (computed once for them)."""
        reg = self.stage.regions
        key = (self.size, tuple(reg.graph), reg.s)
        if self._anchors is None or self._anchors[0] != key:
            self._anchors = (key, self._project_anchors())
        return self._anchors[1]

    def _project_anchors(self) -> list[tuple[float, float]]:
        from neuronlab.math3d.camera import project

        view, proj = self.matrices()
        lay = self.layout
        xy, depth = project(lay.positions, view, proj, (0, 0, *self.size))
        focal = float(proj[1, 1]) * self.size[1] / 2
        rad = lay.base_radius * 1.4 * focal / np.maximum(depth, 1e-9)
        reach = xy[:, 1] + rad
        gap, half = self.stage.regions.mm(2.0), 110 * self.stage.s   # a label's half width
        out = []
        for sl in lay.layer_slices:
            x = float(xy[sl, 0].mean())
            # below every ball the label would otherwise cover, of any layer
            under = np.abs(xy[:, 0] - x) < half + rad
            out.append((x, float(reach[under].max()) + gap))
        return out

    def layout_report(self) -> dict:
        """Every rectangle the last frame put on screen (``ui/layout_report``)."""
        from neuronlab.math3d.camera import project

        st, reg = self.stage, self.stage.regions
        view, proj = self.matrices()
        lay = self.layout
        radii = self.last_arrays.ball_radius if self.last_arrays is not None else lay.base_radius
        xy, depth = project(lay.positions, view, proj, (0, 0, *self.size))
        focal = float(proj[1, 1]) * self.size[1] / 2
        neurons = [(int(lay.layer_of[k]), int(lay.index_in_layer[k]), float(xy[k, 0]), float(xy[k, 1]),
                    float(radii[k]) * focal / max(float(depth[k]), 1e-9), float(depth[k]))
                   for k in range(lay.n_neurons)]
        panels = {name: tuple(r) for name, r in st.placed.items()}
        buttons = [(tuple(b.rect), b.action, b.label) for bar in self._bars() for b in bar.buttons]
        pad = None
        if self.scene_name == "draw" and not reg.side_hidden:
            pad = tuple(self.scenes["draw"].pad_rect(st))
        return layout_report.build(self.size, reg.px_per_mm, reg.s, tuple(reg.graph), panels, buttons,
                                   pad, neurons, st.smallest_text_px(), scene=self.scene_name,
                                   layer_name="curious" if reg.curious else "visitor",
                                   regions={n: tuple(r) for n, r in reg.panels().items()},
                                   answer_px=self.scene.answer_px(st) if self.scene_name == "draw" else None)

    def pick(self, x: float, y: float):
        view, proj = self.matrices()
        return self.renderer.pick(x, y, view, proj, self.size, self.stage.regions.px_per_mm)

    def _zoom_about(self, x: float, y: float):
        view, proj = self.matrices()
        return self.renderer.zoom_about(self.camera, x, y, view, proj, self.size)

    def _touchable_scene(self):
        """The scene fingers reach: none while the curious column stands in its place."""
        if self.stage.regions.side_hidden:
            return _NO_SCENE, self.stage
        return self.scene, self.stage

    def _release_fingers(self) -> None:
        for pe in self.pointer.cancel_all(self.clock):
            self.router.feed(pe)          # the scene and the gestures let go of their fingers
        self.router.grabbed.clear()

    def resize(self, size) -> None:
        self.size = tuple(size)
        if self.present:
            # GL draws in drawable pixels (they differ from window pixels on HiDPI);
            # touch stays in window pixels.
            self.ctx.viewport = (0, 0, *pygame.display.get_surface().get_size())
        self.pointer.set_window_size(self.size)
        self.exhibit.set_size(self.size)
        self._layout()

    # ------------------------------------------------------------------ input
    def handle_event(self, ev) -> None:
        # The kiosk controller sees every event first: in kiosk mode it swallows QUIT and Escape.
        if self.kiosk is not None and self.kiosk.on_event(ev):
            return
        if ev.type == pygame.QUIT or (ev.type == pygame.KEYDOWN and ev.key == pygame.K_ESCAPE):
            self.running = False
            return
        if ev.type in (pygame.VIDEORESIZE, getattr(pygame, "WINDOWSIZECHANGED", -1)):
            self.resize(self.window.get_size())
            return
        for pe in self.pointer.feed(ev, self.clock):
            self.on_pointer(pe)

    def on_pointer(self, pe) -> None:
        if self.kiosk is not None and self.kiosk.on_pointer(pe):
            return
        self.router.feed(pe)

    # ------------------------------------------------------------------ frame
    def frame(self, dt: float, events=None) -> None:
        """Advance the exhibit by one frame of ``dt`` seconds and draw it."""
        dt = float(min(max(dt, 0.0), 0.25))
        for ev in (pygame.event.get() if events is None else events):
            self.handle_event(ev)
        self.clock += dt
        for pe in self.pointer.expire(self.clock, self.finger_expire_s):
            self.router.feed(pe)
        self.router.update_holds(self.clock)
        ex = self.exhibit
        ex.flush()                      # the one point where commands change the exhibit
        self.lag += dt
        while self.lag >= STEP:         # fixed-step logic for everything time-based
            self.lag -= STEP
            ex.update(STEP)
        if self.kiosk is not None:
            self.kiosk.update(dt)       # the tour's commands land at the next frame's flush
        self.trimmer.update(self.clock)
        ses = self.session
        # Train before drawing, not beside the renderer's threads: on two cores they took
        # the training's core, and it ran at half speed for no smoother frame (docs/performance.md).
        t0, c0 = time.perf_counter(), time.thread_time()
        done = ses.train_frame(self.clock)
        ex.trained(done)
        self.timings["train"] += time.perf_counter() - t0
        self.timings["train cpu"] += time.thread_time() - c0
        t1 = time.perf_counter()
        ses.show_trained(done, self.clock)   # the display's forward pass: the view's time
        self.timings["view"] += time.perf_counter() - t1
        if ses.source != "training" and ses.train_version:
            ses.refresh()
        self.stage.tick = int(self.clock * 8)
        self.stage.clock = self.clock
        self._layout()
        self.render(dt)
        t3 = time.perf_counter()
        # At most one frame in flight: where presenting does not wait (an offscreen window,
        # some drivers without vsync) frames would queue inside the renderer, each holding
        # its own binned scene, and a visitor's touch would show frames late.
        self.ctx.finish()
        if self.present:
            pygame.display.flip()
        self.timings["finish"] += time.perf_counter() - t3
        self.frames += 1
        t4 = time.perf_counter()
        self.check_gradients(GRADCHECK_SLICE_S)
        self._hand_over_step()
        self.timings["after"] += time.perf_counter() - t4

    def _hand_over_step(self) -> None:
        loader, trainer = self.step_loader, self.session.trainer
        if loader is None or trainer.step_kernels is not None:
            return
        if not loader.started:
            if getattr(self.session.generator, "served", 0) > 0:
                loader.start()
        elif not loader.done.is_set():
            loader.run_slice()
        elif loader.module is not None:
            trainer.step_kernels = loader.module
            log.info("training with the compiled step from frame %d", self.frames)

    def check_gradients(self, budget_s: float | None = None) -> None:
        """Go on with the gradient check for about ``budget_s`` (None: to its end)."""
        steps = self._gradcheck_steps
        if steps is None:
            return
        end = None if budget_s is None else time.perf_counter() + budget_s
        try:
            while end is None or time.perf_counter() < end:
                next(steps)
        except StopIteration as done:
            self.gradcheck, self._gradcheck_steps = done.value, None
        except Exception:
            self._gradcheck_steps = None
            log.exception("the gradient check failed to run")

    def render(self, dt: float) -> None:
        tm, t0 = self.timings, time.perf_counter()
        # Panels first: a texture a finished frame drew from counts as in use on llvmpipe
        # until its scene is recycled; written before this frame's GL work, nothing waits.
        self.hud.hide_all()
        self.stage.shown.clear()            # what this frame shows, for the layout report
        self.stage.placed.clear()
        self.panels.show(self.stage, self.session, self.exhibit.history, self.controls, self.gradcheck,
                         self.scene_name)
        if self.camera.at_home:
            show_graph_labels(self.stage, self._layer_anchors())
        if not self.stage.regions.side_hidden:
            self.scene.panels(self.stage)
        if self.kiosk is not None:
            self.kiosk.panels(self.stage)
        t1 = time.perf_counter()
        tm["hud"] += t1 - t0
        arrays = self.renderer.arrays(dt, self.session)
        t2 = time.perf_counter()
        tm["view"] += t2 - t1
        self.ctx.screen.use()
        view, proj = self.matrices()
        self.renderer.draw(arrays, view, proj, self.ctx.screen.viewport, self.clock)
        self.hud.draw(self.size, graph=self.renderer.screen_extent(view, proj, self.size))
        tm["gl"] += time.perf_counter() - t2

    @staticmethod
    def gl_object_count() -> int:
        """Live moderngl objects in the process (textures, buffers, VAOs, programs, FBOs):
        flat over time when nothing per frame is created without being freed."""
        import gc

        kinds = (moderngl.Texture, moderngl.Buffer, moderngl.VertexArray, moderngl.Program,
                 moderngl.Framebuffer, moderngl.Renderbuffer)
        gc.collect()   # unreachable objects still in a cycle are not live: count what is
        return sum(1 for o in gc.get_objects() if isinstance(o, kinds))

    # ------------------------------------------------------------------ output
    def read_pixels(self) -> np.ndarray:
        """The current frame as an (H, W, 3) uint8 array, row 0 at the top."""
        return context.read_rgb(self.ctx.screen)

    def save_png(self, path: str) -> None:
        context.save_png(self.ctx.screen, path)

    def run(self, max_failures: int = 5, failure_window_s: float = 30.0) -> int:
        """The crash-proof loop (``runloop.run``); returns the process exit status."""
        from neuronlab import runloop

        return runloop.run(self, max_failures, failure_window_s)

    def close(self) -> None:
        if self.kiosk is not None:
            try:
                self.kiosk.close()       # a last checkpoint
            except Exception:
                log.exception("closing the kiosk controller failed")
        if self.step_loader is not None:
            self.step_loader.release()   # a load still going finishes on its own
        self.session.close()
        self.renderer.release()
        self.hud.release()
        self.ctx.release()
        pygame.display.quit()
