"""Builds everything and owns the frame loop; the only module that knows every scene.

One frame, as data: SDL events -> pointer events -> the HUD's buttons, the active
scene, or the 3D graph's gestures -> session; the forward pass of the displayed input;
the view arrays; the GL passes and the HUD are submitted; then, while the renderer's
threads rasterise them, k training iterations run on this thread; then the frame is
presented. A frame therefore shows the state it began with (a visitor's stroke is in it),
and the steps trained beside it appear in the next. Nothing flows backwards. ``App.frame(dt)`` advances exactly one frame, so tests drive the real
exhibit headless, one frame at a time, posting events in between.
"""
from __future__ import annotations

import logging
import sys
import time

import moderngl
import numpy as np
import pygame
from threadpoolctl import threadpool_limits

from neuronlab import strings
from neuronlab.input.gestures import DoubleTap, GestureRecognizer, Orbit, Pan, Tap, Zoom
from neuronlab.input.pointer import PointerInput, WheelEvent
from neuronlab.math3d import picking
from neuronlab.math3d.camera import OrbitCamera, projection_matrix, target_plane_point, view_matrix
from neuronlab.memory import Trimmer
from neuronlab.nn.gradcheck import gradcheck
from neuronlab.nn.mlp import N_PARAMS
from neuronlab.render import context, glraw, programs
from neuronlab.render.graph_pass import GraphPass
from neuronlab.render.hud_pass import HudPass
from neuronlab.scenes.base import Regions, Stage
from neuronlab.scenes.draw import DrawScene
from neuronlab.scenes.graph import GraphScene
from neuronlab.scenes.inspector import InspectorScene
from neuronlab.scenes.probe import ProbeScene
from neuronlab.session import Neuron, Session
from neuronlab.ui import panels, text
from neuronlab.ui.widgets import Button, ButtonBar, panel_surface
from neuronlab.view import anim as anim_mod
from neuronlab.view.graph import GraphView
from neuronlab.view.layout import layout as make_layout
from neuronlab.view.palette import Palette

log = logging.getLogger("neuronlab")

SCENES = ("graph", "inspector", "draw", "probe")
SCENE_LABEL = {"graph": "scene.graph", "inspector": "scene.inspect", "draw": "scene.draw",
               "probe": "scene.probe"}
STEP = 1.0 / 120.0  # fixed logic step (s)


class App:
    def __init__(self, size=(1280, 720), fullscreen=False, *, present=True, seed=0,
                 iters_per_frame=4, speeds=(0, 1, 4, 16, 64), lang="en", palette=None,
                 train_settings=None, model=None, px_per_mm=2.71, vsync=True, run_gradcheck=True,
                 touch=None):
        self.present = present
        # One BLAS thread for the whole process. The network's matrices are small (32 x 256 at
        # most per step, 2000 x 256 for the test set) and gain nothing from more, while an idle
        # OpenBLAS worker spins on a core the software renderer's threads need: measured at
        # 1920x1080, about 3 CPU-ms a frame and 3-4 fps (bench/exhibit.py).
        threadpool_limits(limits=1, user_api="blas")
        self.window, self.ctx = context.create_window_context(size, fullscreen=fullscreen, vsync=vsync)
        self.size = self.window.get_size()
        self.palette = palette or Palette()
        self.lang = lang
        self.px_per_mm = float(px_per_mm)
        self.layout = make_layout()
        self.view = GraphView(self.layout, self.palette)
        self.anim = anim_mod.GraphAnim(self.layout)
        self._seen_input = -1
        self._seen_train = 0
        self.graph_pass = GraphPass(self.ctx, self.layout, self.palette)
        self.hud = HudPass(self.ctx, programs.load_program(self.ctx, "hud"))
        self.camera = OrbitCamera(home_distance=21.0)
        self.camera.snap()
        self.pointer = PointerInput(self.size)
        # touch: tap_ms, tap_px, double_tap_ms from the kiosk config (KIOSK.md defaults)
        self.gestures = GestureRecognizer(**(touch or {}))
        self.finger_expire_s = 10.0
        self.session = Session(train_settings, seed=seed, model=model, speeds=speeds,
                               iters_per_frame=iters_per_frame)
        self.scenes = {"graph": GraphScene(), "inspector": InspectorScene(), "draw": DrawScene(),
                       "probe": ProbeScene(seed)}
        self.scene_name = "graph"
        self.clock = 0.0          # exhibit time (s), advanced only by frame(dt)
        # Wall-clock seconds spent per part of the frame, summed (read by the benchmark).
        self.timings = {"train": 0.0, "view": 0.0, "gl": 0.0, "hud": 0.0, "finish": 0.0}
        self.trimmer = Trimmer()  # freed heap back to the OS once a minute (weeks of running)
        self.frames = 0
        self.lag = 0.0
        self.pending_scene: str | None = None
        self.grabbed: dict = {}   # pointer id -> "button" | "scene" | "graph" (who got its DOWN)
        self.last_arrays = None
        self.history_loss: list[float] = []
        self.history_acc: list[float] = []
        self._stats_rows = None   # ((tick, lang), rows) the stats panel shows: sampled 8 times a second
        self.running = True
        self.gradcheck = gradcheck() if run_gradcheck else None
        self.stage = self._make_stage()
        # Optional controller for unattended running (idle -> attract mode, technician
        # exit, checkpoints). It sees every event and pointer first and may swallow them.
        self.kiosk = None
        self._layout_controls()
        self.scene.enter(self.stage)

    # ------------------------------------------------------------------ plumbing
    @property
    def scene(self):
        return self.scenes[self.scene_name]

    def tr(self, key: str, **fmt) -> str:
        return strings.t(key, self.lang, **fmt)

    def _make_stage(self) -> Stage:
        stage = Stage(self.session, self.tr, Regions.for_size(self.size), self.palette, self.hud.show)
        stage.request_scene = self.request_scene
        stage.lang = self.lang
        stage.tick = 0
        return stage

    def request_scene(self, name: str) -> None:
        self.pending_scene = name

    def switch_scene(self, name: str) -> None:
        if name not in self.scenes or name == self.scene_name:
            return
        self.scene.exit(self.stage)
        self.scene_name = name
        if name in ("graph", "inspector") and self.session.source != "training":
            self.session.show_training()
        self.scene.enter(self.stage)
        self._layout_controls()

    def resize(self, size) -> None:
        self.size = tuple(size)
        if self.present:
            # GL draws in drawable pixels (they differ from window pixels on HiDPI);
            # touch stays in window pixels.
            self.ctx.viewport = (0, 0, *pygame.display.get_surface().get_size())
        self.pointer.set_window_size(self.size)
        self.stage.regions = Regions.for_size(self.size)
        self.stage.cache.clear()
        self.scene.layout(self.stage)
        self._layout_controls()

    def set_language(self, lang: str) -> None:
        self.lang = lang
        self.stage.lang = lang
        self.stage.cache.clear()
        self.scene.layout(self.stage)
        self._layout_controls()

    # ------------------------------------------------------------------ controls
    def _layout_controls(self) -> None:
        r, s = self.stage.regions, self.stage.s
        bh, gap = r.bottom.h, int(12 * s)
        x, y = r.bottom.x, r.bottom.y
        bar = []
        for name in SCENES:
            bar.append(Button(pygame.Rect(x, y, int(170 * s), bh), self.tr(SCENE_LABEL[name]), ("scene", name),
                              active=name == self.scene_name, font_px=int(26 * s)))
            x += int(170 * s) + gap
        x += gap * 2
        ses = self.session
        speed_buttons = [("speed.pause", 0), ("speed.step", "step")] + [(None, k) for k in ses.speeds if k > 0]
        for key, value in speed_buttons:
            label = self.tr(key) if key else self.tr("speed.level", n=value)
            w = int(150 * s) if key else int(92 * s)
            active = (value == 0 and ses.paused) or (value == ses.iters_per_frame and not ses.paused
                                                     and isinstance(value, int) and value > 0)
            bar.append(Button(pygame.Rect(x, y, w, bh), label, ("speed", value), active=active,
                              font_px=int(24 * s)))
            x += w + gap
        right = r.bottom.right
        for key, action, w in (("language.switch", ("lang",), 170), ("reset.button", ("reset",), 200)):
            right -= int(w * s)
            bar.append(Button(pygame.Rect(right, y, int(w * s), bh), self.tr(key), action, font_px=int(24 * s)))
            right -= gap
        self.controls = ButtonBar(bar)
        # Wire mode and view reset live under the legend in the left column.
        wy = r.bottom.top - int(72 * s) - gap
        wx = r.left.x
        modes = []
        for mode, key in (("signal", "wires.signal"), ("weight", "wires.weight"), ("gradient", "wires.gradient")):
            modes.append(Button(pygame.Rect(wx, wy, int(134 * s), int(64 * s)), self.tr(key), ("wires", mode),
                                active=ses.wire_mode == mode, font_px=int(21 * s)))
            wx += int(134 * s) + int(9 * s)
        self.wire_bar = ButtonBar(modes)
        self.view_bar = ButtonBar([Button(pygame.Rect(r.left.x, wy - int(56 * s) - gap, int(420 * s), int(56 * s)),
                                          self.tr("camera.reset"), ("camera",), font_px=int(21 * s))])

    def _bars(self):
        return (self.controls, self.wire_bar, self.view_bar, self.scene.bar)

    def _press_button(self, button: Button) -> None:
        action = button.action
        if not isinstance(action, tuple):
            self.scene.on_button(self.stage, button)
            self.scene.layout(self.stage)
            return
        kind = action[0]
        ses = self.session
        if kind == "scene":
            self.switch_scene(action[1])
        elif kind == "speed":
            if action[1] == "step":
                if self.scene_name in ("draw", "probe"):
                    self.switch_scene("graph")
                ses.step_one()
            else:
                if action[1] and self.scene_name in ("draw", "probe"):
                    self.switch_scene("graph")
                ses.set_speed(action[1])
        elif kind == "lang":
            self.set_language(strings.next_language(self.lang) if hasattr(strings, "next_language")
                              else ("de" if self.lang == "en" else "en"))
        elif kind == "reset":
            ses.reset_network()
            self.history_loss.clear()
            self.history_acc.clear()
            if self.scene_name in ("draw", "probe"):
                self.switch_scene("graph")
            ses.set_speed(ses.iters_per_frame)
        elif kind == "wires":
            ses.wire_mode = action[1]
        elif kind == "camera":
            self.camera.reset()
        self._layout_controls()

    # ------------------------------------------------------------------ input
    def handle_event(self, ev) -> None:
        # The kiosk controller sees every event first: in kiosk mode it swallows QUIT and Escape.
        if self.kiosk is not None and self.kiosk.on_event(ev):
            return
        if ev.type == pygame.QUIT:
            self.running = False
            return
        if ev.type in (pygame.VIDEORESIZE, getattr(pygame, "WINDOWSIZECHANGED", -1)):
            self.resize(self.window.get_size())
            return
        if ev.type == pygame.KEYDOWN and ev.key == pygame.K_ESCAPE:
            self.running = False
            return
        for pe in self.pointer.feed(ev, self.clock):
            if self.kiosk is not None and self.kiosk.on_pointer(pe):
                continue
            self.on_pointer(pe)

    def _hit_button(self, x, y):
        for bar in self._bars():
            b = bar.hit(x, y)
            if b is not None:
                return b
        return None

    def on_pointer(self, pe) -> None:
        if isinstance(pe, WheelEvent):
            self._gesture(self.gestures.feed(pe))
            return
        owner = self.grabbed.get(pe.pid)
        if pe.kind == "down":
            b = self._hit_button(pe.x, pe.y)
            if b is not None:
                self.grabbed[pe.pid] = ("button", b)
                b.pressed = True  # feedback on the very next frame
                return
            if self.scene.on_pointer(self.stage, pe):
                self.grabbed[pe.pid] = ("scene", None)
                return
            self.grabbed[pe.pid] = ("graph", None)
            self._gesture(self.gestures.feed(pe))
            return
        if pe.kind == "hover":
            if not self.scene.on_pointer(self.stage, pe):
                self.gestures.feed(pe)
            return
        if owner is None:
            return
        what, b = owner
        if what == "button":
            if pe.kind in ("up", "cancel"):
                b.pressed = False
                del self.grabbed[pe.pid]
                if pe.kind == "up" and b.rect.collidepoint(pe.x, pe.y):
                    self._press_button(b)
        elif what == "scene":
            self.scene.on_pointer(self.stage, pe)
            if pe.kind in ("up", "cancel"):
                del self.grabbed[pe.pid]
        else:
            self._gesture(self.gestures.feed(pe))
            if pe.kind in ("up", "cancel"):
                del self.grabbed[pe.pid]

    def _matrices(self):
        w, h = self.ctx.screen.viewport[2:] if self.present else self.size
        aspect = w / max(1, h)
        view = view_matrix(self.camera)
        proj = projection_matrix(self.camera, aspect).copy()
        # Lens shift: centre the graph in the space left of the scene panel.
        side = self.stage.regions.side
        centre_px = (self.stage.regions.left.right + side.left) / 2
        shift = (centre_px / self.size[0]) * 2 - 1
        proj[:, 0] += shift * proj[:, 3]
        return view, proj

    def _gesture(self, gestures) -> None:
        for g in gestures or ():
            if isinstance(g, Tap):
                self.scene.on_pick(self.stage, self.pick(g.x, g.y))
            elif isinstance(g, DoubleTap):
                n = self.pick(g.x, g.y)
                if n is None:
                    self.camera.reset()
                else:
                    self.camera.focus(self.layout.positions[self.layout.neuron(n.layer, n.index)])
            elif isinstance(g, Orbit):
                self.camera.orbit(g.dx, g.dy)
            elif isinstance(g, Pan):
                self.camera.pan(g.dx, g.dy, self.size[1])
            elif isinstance(g, Zoom):
                view, proj = self._matrices()
                about = target_plane_point(self.camera, g.cx, g.cy, (0, 0, *self.size), view, proj)
                self.camera.zoom(g.factor, about=about)

    def pick(self, x: float, y: float) -> Neuron | None:
        view, proj = self._matrices()
        radii = self.last_arrays.ball_radius if self.last_arrays is not None else self.layout.base_radius
        k = picking.pick(x, y, self.layout.positions, radii, view, proj, (0, 0, *self.size),
                         min_hit_px=4.5 * self.px_per_mm)
        if k is None:
            return None
        return Neuron(int(self.layout.layer_of[k]), int(self.layout.index_in_layer[k]))

    # ------------------------------------------------------------------ frame
    def frame(self, dt: float, events=None) -> None:
        """Advance the exhibit by one frame of ``dt`` seconds and draw it."""
        dt = float(min(max(dt, 0.0), 0.25))
        for ev in (pygame.event.get() if events is None else events):
            self.handle_event(ev)
        self.clock += dt
        for pe in self.pointer.expire(self.clock, self.finger_expire_s):
            self.on_pointer(pe)
        if self.pending_scene:
            name, self.pending_scene = self.pending_scene, None
            self.switch_scene(name)
        # Fixed-step logic for everything time-based.
        self.lag += dt
        while self.lag >= STEP:
            self.lag -= STEP
            self.camera.update(STEP)
            self.scene.update(self.stage, STEP)
        if self.kiosk is not None:
            self.kiosk.update(dt)
        self.trimmer.update(self.clock)
        ses = self.session
        if ses.source != "training" and ses.train_version:
            ses.refresh()
        self.stage.tick = int(self.clock * 8)
        # Draw what is true now, let the renderer's threads rasterise it while this thread
        # trains, then present: on a software renderer the two overlap on separate cores.
        self.render(dt)
        glraw.flush()
        before = ses.input_version
        t0 = time.perf_counter()
        ses.update(self.clock)
        self.timings["train"] += time.perf_counter() - t0
        if ses.source == "training" and ses.train_version and ses.input_version != before:
            st = ses.trainer.stats
            self.history_loss.append(float(st.train_loss) if st.train_loss is not None else float("nan"))
            self.history_acc.append(float(st.test_accuracy) if st.test_accuracy is not None else float("nan"))
            del self.history_loss[:-300], self.history_acc[:-300]
        t3 = time.perf_counter()
        # Wait for the frame to be drawn before presenting it: at most one frame is ever in
        # flight. Where presenting does not wait (an offscreen window, some drivers without
        # vsync) frames would otherwise queue up inside the renderer, each holding its own
        # binned scene -- on llvmpipe malloc's in-use memory then swung between about 35 and
        # 120 MB with the queue's depth -- and a visitor's touch would show frames late.
        self.ctx.finish()
        if self.present:
            pygame.display.flip()
        self.timings["finish"] += time.perf_counter() - t3
        self.frames += 1

    def render(self, dt: float) -> None:
        ses = self.session
        tm, t0 = self.timings, time.perf_counter()
        # Panels first: a texture a finished frame drew from still counts as in use on
        # llvmpipe until its scene is recycled, and writing it while this frame's graph is
        # being rasterised would wait for the whole graph. Written before any GL work of
        # this frame is queued, nothing waits.
        self.hud.hide_all()
        self._common_panels()
        self.scene.panels(self.stage)
        if self.kiosk is not None:
            self.kiosk.panels(self.stage)
        t_hud = time.perf_counter()
        tm["hud"] += t_hud - t0
        t0 = t_hud
        sel = -1
        if ses.selected is not None:
            sel = self.layout.neuron(ses.selected.layer, ses.selected.index)
        arrays = self.view.update(dt, ses.fw, ses.model.params, ses.grads, ses.wire_mode, selected=sel)
        if ses.input_version != self._seen_input:
            self._seen_input = ses.input_version
            self.anim.on_input_changed()
        if ses.train_version != self._seen_train:
            self._seen_train = ses.train_version
            if ses.grads is not None and ses.source == "training":
                self.anim.on_train_steps(ses.grads)
        arrays = anim_mod.apply(arrays, self.anim.update(dt), self.palette)
        if ses.highlight is not None:
            layer, i, j = ses.highlight
            k = self.layout.wire_index(layer, i, j)
            arrays.wire_rgba[k] = (1.0, 1.0, 1.0, 1.0)
            src = self.layout.neuron(layer - 1, i)      # light the wire's source neuron too
            arrays.ball_glow[src] = 1.0
            arrays.ball_rgb[src] = self.palette.ball_hot
        self.last_arrays = arrays
        t1 = time.perf_counter()
        tm["view"] += t1 - t0
        ctx = self.ctx
        ctx.screen.use()
        view, proj = self._matrices()  # graph_pass.draw makes the frame's one clear
        self.graph_pass.update(arrays)
        self.graph_pass.draw(view, proj, ctx.screen.viewport, self.clock)
        self.hud.draw(self.size)
        tm["gl"] += time.perf_counter() - t1

    def _common_panels(self) -> None:
        st, s, r = self.stage, self.stage.s, self.stage.regions
        ses = self.session
        gc = self.gradcheck
        if gc is None:
            badge = (self.tr("gradcheck.pending"), panels.GOLD)
        elif gc.worst_rel_error < 1e-6:
            badge = (self.tr("gradcheck.passed", error=f"{gc.worst_rel_error:.1e}"), panels.GOOD)
        else:
            badge = (self.tr("gradcheck.failed", error=f"{gc.worst_rel_error:.1e}"), panels.BAD)
        # live numbers are sampled once per tick (8 a second), so the panel is re-rendered
        # and re-uploaded at most that often while training changes them every frame
        sample = (st.tick, self.lang)
        if self._stats_rows is None or self._stats_rows[0] != sample or not ses.training_active:
            self._stats_rows = (sample, tuple(self._stats_rows_now()))
        rows = self._stats_rows[1]
        box = st.panel("stats", ("stats", rows, badge, self.lang),
                       lambda: panels.stats_panel(self.tr, s, rows, badge), r.left.topleft)
        plot_w = r.left.w
        st.panel("plot", ("plot", len(self.history_loss), st.tick // 4, self.lang),
                 lambda: self._plot(plot_w), (r.left.x, box.bottom + int(12 * s)))
        st.buttons("controls", self.controls)
        st.buttons("wires", self.wire_bar)
        st.buttons("viewbar", self.view_bar)
        legend_bottom = self.view_bar.bounds().top - int(12 * s)
        st.panel("legend", ("legend", self.lang),
                 lambda: panels.legend_panel(self.tr, s, self.palette),
                 lambda size: (r.left.x, legend_bottom - size[1]))

    def _stats_rows_now(self) -> list[tuple[str, str]]:
        """The stats panel's (label, value) rows for the session as it is now."""
        ses = self.session
        stats = ses.trainer.stats
        rate = stats.samples_per_sec if ses.training_active else 0.0
        acc = stats.test_accuracy
        return [
            (self.tr("stat.epoch"), f"{stats.epoch}"),
            (self.tr("stat.samples"), f"{stats.samples_seen:,}"),
            (self.tr("stat.loss"), panels.fmt_num(stats.train_loss, 3)),
            (self.tr("stat.accuracy"), f"{acc * 100:.1f} %" if acc is not None else "—"),
            (self.tr("stat.parameters"), f"{N_PARAMS:,}"),
            (self.tr("stat.status"), self.tr(f"status.{ses.status}")),
            (self.tr("stat.speed"), self.tr("stat.speed_value", rate=f"{rate:,.0f}")),
            (self.tr("stat.lr"), f"{ses.trainer.current_lr:.4g}"),
            (self.tr("stat.batch"), f"{ses.settings.batch}"),
        ]

    def _plot(self, width: int) -> pygame.Surface:
        s = self.stage.s
        h = int(120 * s)
        surf = panel_surface((width, h))
        pad = int(14 * s)
        surf.blit(text.render(self.tr("stat.loss"), int(18 * s), panels.WARM, bold=True), (pad, pad))
        lbl = text.render(self.tr("stat.accuracy"), int(18 * s), panels.GOOD, bold=True)
        surf.blit(lbl, (width - pad - lbl.get_width(), pad))
        area = (width - 2 * pad, h - 3 * pad - int(18 * s))
        top = pad * 2 + int(18 * s)
        surf.blit(panels.line_plot(self.history_loss, area, panels.WARM, lo=0.0), (pad, top))
        surf.blit(panels.line_plot(self.history_acc, area, panels.GOOD, lo=0.0, hi=1.0), (pad, top))
        return surf

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
        w, h = self.ctx.screen.viewport[2:]
        before = self.ctx.error
        data = self.ctx.screen.read(components=3, alignment=1)
        # moderngl selects GL_COLOR_ATTACHMENT0 as the read buffer even for the default
        # framebuffer, which GL flags as INVALID_OPERATION while the read itself still
        # comes from the back buffer. Swallow only that flag, keep any earlier error.
        _ = self.ctx.error
        if before != "GL_NO_ERROR":
            log.warning("GL error before reading pixels: %s", before)
        return np.frombuffer(data, np.uint8).reshape(h, w, 3)[::-1].copy()

    def save_png(self, path: str) -> None:
        img = self.read_pixels()
        surf = pygame.image.frombuffer(img.tobytes(), (img.shape[1], img.shape[0]), "RGB")
        pygame.image.save(surf, path)

    def run(self, max_failures: int = 5, failure_window_s: float = 30.0) -> int:
        """The loop; returns the process exit status. No exception escapes a frame: it is
        logged (rate-limited) and the visitor's state reset; ``max_failures`` failing frames
        within ``failure_window_s`` end the loop with a non-zero status for a clean restart."""
        from neuronlab.kiosk import FRAME_FAILURE_STATUS, FrameGuard, recover
        from neuronlab.logs import log_limited, once_per

        import gc

        from neuronlab.watchdog import Notifier

        guard, limiter = FrameGuard(max_failures, failure_window_s), once_per(10.0)
        notifier = Notifier()
        # Everything built so far lives for the whole run: keep it out of the collector's
        # generations so collection pauses stay off the frame.
        gc.collect()
        gc.freeze()
        last = time.perf_counter()
        while self.running:
            now = time.perf_counter()
            dt, last = now - last, now
            notifier.beat(now)  # from the render loop: a hung loop stops the heartbeat
            try:
                self.frame(dt)
                if self.frames == 1:
                    notifier.ready()   # the first picture is on screen
            except Exception:
                log_limited(log, limiter, now, logging.ERROR, "frame failed; visitor state reset",
                            key="frame", exc_info=True)
                if guard.failed(now):
                    log.critical("%d failing frames within %.0f s: exiting for a clean restart",
                                 max_failures, failure_window_s)
                    return FRAME_FAILURE_STATUS
                recover(self)
        notifier.close()
        status = getattr(self.kiosk, "exit_status", None)
        return 0 if status is None else int(status)

    def close(self) -> None:
        if self.kiosk is not None:
            try:
                self.kiosk.close()       # a last checkpoint
            except Exception:
                log.exception("closing the kiosk controller failed")
        self.graph_pass.release()
        self.hud.release()
        self.ctx.release()
        pygame.display.quit()


def main() -> None:
    from neuronlab.cli import main as cli_main

    sys.exit(cli_main())


def palette_from_config(cfg) -> Palette:
    return cfg.colours.palette()


def build_app(args, present: bool = True, run_gradcheck: bool = True, tweak=None, attract_seed=None,
              checkpoints: bool = True):
    """Config file + command-line flags -> a ready App. Problems are printed, one line each.

    Logging goes where ``[log]`` says; the checkpoint is resumed when ``[state] resume`` asks
    for it and it is valid (else a clean start, logged); the kiosk controller is attached.
    ``tweak(cfg) -> cfg`` adjusts the loaded config (the soak uses it); ``checkpoints=False``
    leaves the gallery's checkpoint alone (for pictures)."""
    from dataclasses import replace as dc_replace

    from neuronlab import checkpoint
    from neuronlab.config import apply_overrides, load_config
    from neuronlab.kiosk import KioskController
    from neuronlab.logs import setup_logging
    from neuronlab.nn.store import WeightsError
    from neuronlab.nn.train import TrainSettings

    cfg, problems = load_config(getattr(args, "config", None))
    cfg, more = apply_overrides(cfg, args)
    if tweak is not None:
        cfg = tweak(cfg)
    setup_logging(cfg.log.file_path, cfg.log.max_bytes, cfg.log.backups, cfg.log.level)
    for line in problems + more:
        print(line, file=sys.stderr)
        log.warning(line)
    tc = cfg.training
    settings = dc_replace(TrainSettings(), batch=tc.batch, lr=tc.lr, momentum=tc.momentum, seed=tc.seed,
                          epoch_size=tc.epoch_size)
    model = resumed = None
    source = cfg.state.checkpoint_path
    if cfg.state.resume == "resume":
        try:
            model, resumed = checkpoint.load_checkpoint(cfg.state.checkpoint_path)
        except WeightsError as err:
            log.warning("%s; clean start", err)
    if model is None and cfg.state.weights:
        from neuronlab.nn.store import WeightsError, load_weights

        try:
            model, resumed = load_weights(cfg.state.weights_path)  # its stats come along
            source = cfg.state.weights_path
        except WeightsError as err:
            print(f"{err}; starting from fresh weights", file=sys.stderr)
            log.warning("%s; starting from fresh weights", err)
    size = tuple(getattr(args, "size", None) or cfg.window.size)
    app = App(size, fullscreen=cfg.window.fullscreen and present, present=present, seed=tc.seed,
              iters_per_frame=tc.iters_per_frame, speeds=tc.speeds, lang=cfg.ui.language,
              palette=palette_from_config(cfg), train_settings=settings, model=model,
              px_per_mm=cfg.kiosk.px_per_mm, vsync=cfg.window.vsync, run_gradcheck=run_gradcheck,
              touch=dict(tap_ms=cfg.kiosk.tap_ms, tap_px=cfg.kiosk.tap_px,
                         double_tap_ms=cfg.kiosk.double_tap_ms))
    app.finger_expire_s = cfg.kiosk.finger_expire_s
    if resumed is not None:
        checkpoint.apply_meta(app.session.trainer, resumed)
        app.session.refresh()
        log.info("resumed from %s: %d samples seen", source, app.session.trainer.stats.samples_seen)
    else:
        log.info("clean start (resume = %s)", cfg.state.resume)
    app.kiosk = KioskController(
        app, cfg.kiosk, seed=attract_seed, language=cfg.ui.language, default_speed=tc.iters_per_frame,
        checkpointer=checkpoint.Checkpointer(cfg.state.checkpoint_path, cfg.state.checkpoint_every_s)
        if checkpoints else None)
    return app
