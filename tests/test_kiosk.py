"""Kiosk controller on the real exhibit (headless): idle -> attract -> touch, event storm,
technician exit, QUIT in kiosk mode, hints, divergence notice, frame recovery."""
import os

os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")

import numpy as np
import pygame
import pytest

from neuronlab.commands import SetLanguage
from neuronlab.config import TECHNICIAN_EXIT_STATUS, KioskConfig
from neuronlab.kiosk import CornerExit, FrameGuard, KioskController, recover
from neuronlab.session import Neuron

import helpers
from helpers import app_fixtures, command, frames, switch

SIZE = (960, 540)       # logic tests: a small window draws fast


def finger(kind, x, y, fid=1):
    return helpers.finger(kind, x, y, fid, size=SIZE)


shared_app, app = app_fixtures(SIZE, seed=5, iters_per_frame=4, run_gradcheck=False)


@pytest.fixture
def kiosk(app):
    k = KioskController(app, KioskConfig(enabled=True, idle_timeout_s=10.0, hint_after_s=3.0),
                        seed=1, language="en", default_speed=4)
    app.kiosk = k
    app.running = True
    k.recover()
    app.frame(1 / 60, events=[])   # the clean state lands before the test's first touch
    yield k
    k.recover()
    app.kiosk = None
    app.running = True


def assert_finite_state(app):
    ses = app.session
    for a in (ses.fw.x, ses.fw.z1, ses.fw.a1, ses.fw.z2, ses.fw.a2, ses.fw.z3, ses.fw.p):
        assert np.isfinite(a).all()
    assert abs(float(ses.fw.p.sum()) - 1.0) < 1e-4
    for k, v in ses.model.params.items():
        assert np.isfinite(v).all(), k


def test_idle_starts_attract_and_a_touch_ends_it_swallowed(app, kiosk):
    switch(app, "draw")
    pad = app.scenes["draw"].pad
    pad.down("x", 8, 8); pad.up("x")
    app.camera.orbit(300, 0)
    command(app, SetLanguage("de"))
    frames(app, 45, dt=0.25)               # 11.25 s without a touch
    assert kiosk.attract and app.lang == "en"  # visitor state reset on the way in
    # Play on until the tour has a neuron open in the inspector, then touch it.
    for _ in range(2000):
        app.frame(0.1, events=[])
        if app.scene_name == "inspector" and app.session.selected is not None:
            break
    assert app.scene_name == "inspector" and app.session.selected is not None
    sel = app.session.selected
    # Touch exactly where the selected neuron is drawn: without swallowing, it would be a tap.
    from neuronlab.math3d.camera import project
    view, proj = app.matrices()
    k = app.layout.neuron(sel.layer, sel.index)
    xy, _ = project(app.layout.positions[k:k + 1], view, proj, (0, 0, *app.size))
    x, y = map(float, xy[0])
    app.frame(1 / 60, events=[finger("down", x, y)])
    app.frame(0.05, events=[finger("up", x, y)])
    frames(app, 30)                        # past any double-tap window
    assert not kiosk.attract
    assert app.scene_name == "graph"
    assert app.session.selected is None and app.session.highlight is None
    assert app.session.source == "training" and app.session.training_active
    assert app.session.iters_per_frame == 4
    assert not app.scenes["draw"].pad.image.any()
    assert app.router.grabbed == {}


def test_activity_keeps_attract_away_and_hints_follow_the_scene(app, kiosk):
    y = app.stage.regions.headline.centery     # touches on the headline: no ball, no button
    for i in range(30):                        # 30 s, a touch every second
        x = 300 + i
        frames(app, 4, dt=0.25, events=[finger("down", x, y, fid=2), finger("up", x, y, fid=2)])
    assert not kiosk.attract and kiosk.attract_count == 0
    assert kiosk.hint_key() is None
    frames(app, 14, dt=0.25)               # 3.5 s idle in the graph
    assert kiosk.hint_key() == "hint.tap"
    assert "hint" in app.hud.order            # on screen this frame
    switch(app, "draw")
    assert kiosk.hint_key() == "hint.draw"     # empty pad
    app.scenes["draw"].pad.down("y", 5, 5)
    assert kiosk.hint_key() is None            # something drawn: no hint
    app.scenes["draw"].pad.up("y")


def test_event_storm_leaves_a_valid_state(app, kiosk):
    rng = np.random.default_rng(0)
    sent = 0
    scenes = ("graph", "inspector", "draw", "probe")
    live: dict[int, tuple[float, float]] = {}
    for frame in range(260):
        if frame % 40 == 0:
            switch(app, scenes[(frame // 40) % 4])
        events = []
        for _ in range(40):
            fid = int(rng.integers(5))
            x, y = float(rng.uniform(0, SIZE[0])), float(rng.uniform(0, SIZE[1]))
            if fid not in live:
                kind = "down"
                live[fid] = (x, y)
            elif rng.random() < 0.2:
                kind = "up"
                del live[fid]
            else:
                kind = "move"
            events.append(finger(kind, x, y, fid))
            if rng.random() < 0.02:
                events.append(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=1, flipped=False, precise_x=0.0,
                                                 precise_y=float(rng.choice((-1.0, 1.0))), touch=False))
            if rng.random() < 0.05:
                events.append(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(x, y), button=int(rng.integers(1, 4)), touch=False))
                events.append(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(x, y), button=int(rng.integers(1, 4)), touch=False))
        sent += len(events)
        app.frame(1 / 60 if frame % 50 else 0.25, events=events)
    app.frame(1 / 60, events=[finger("up", 10, 10, f) for f in list(live)])
    assert sent >= 10_000
    assert_finite_state(app)
    assert app.scene_name in scenes
    assert app.pointer.live_count <= 10
    assert np.isfinite(app.camera.distance) and app.camera.distance > 0


def test_technician_chord_exits_with_status_3(app, kiosk):
    plain_q = pygame.event.Event(pygame.KEYDOWN, key=pygame.K_q, mod=pygame.KMOD_LCTRL, unicode="q")
    app.frame(1 / 60, events=[plain_q])
    assert app.running and kiosk.exit_status is None       # Ctrl+Q alone is not the chord
    chord = pygame.event.Event(pygame.KEYDOWN, key=pygame.K_q,
                               mod=pygame.KMOD_LCTRL | pygame.KMOD_LSHIFT, unicode="Q")
    pygame.event.clear()
    pygame.event.post(chord)
    assert app.run() == TECHNICIAN_EXIT_STATUS == 3
    assert not app.running


def test_kiosk_mode_swallows_quit_and_escape(app, kiosk):
    esc = pygame.event.Event(pygame.KEYDOWN, key=pygame.K_ESCAPE, mod=0, unicode="\x1b")
    app.frame(1 / 60, events=[pygame.event.Event(pygame.QUIT), esc])
    assert app.running
    kiosk.enabled = False                       # outside kiosk mode close still quits
    app.frame(1 / 60, events=[pygame.event.Event(pygame.QUIT)])
    assert not app.running


def test_corner_gesture_exits(app, kiosk):
    c = 25 * kiosk.cfg.px_per_mm / 2
    w = SIZE[0]
    app.frame(1 / 60, events=[finger("down", c, c, fid=8)])
    frames(app, 22, dt=0.25)                # 5.5 s held
    app.frame(1 / 60, events=[finger("up", c, c, fid=8)])
    assert kiosk.exit_status is None
    frames(app, 4, dt=0.25)                 # 1 s later, within the 3 s step
    app.frame(1 / 60, events=[finger("down", w - c, c, fid=9)])
    frames(app, 16, dt=0.25)                # 4 s: not yet
    assert kiosk.exit_status is None and app.running
    frames(app, 6, dt=0.25)
    assert kiosk.exit_status == TECHNICIAN_EXIT_STATUS and not app.running
    app.frame(1 / 60, events=[finger("up", w - c, c, fid=9)])


def test_corner_gesture_rules():
    class P:
        def __init__(self, kind, x, y, pid=1):
            self.kind, self.x, self.y, self.pid = kind, x, y, pid
    ce = CornerExit(("top-left", "top-right"), hold_s=5, step_s=3, corner_px=60, size=(1000, 600))
    ce.feed(P("down", 10, 10), 0.0)
    ce.feed(P("up", 10, 10), 4.0)               # released too early
    ce.feed(P("down", 990, 10), 4.5)
    assert not ce.update(20.0) and ce.stage == 0
    ce.feed(P("up", 990, 10), 20.0)
    ce.feed(P("down", 10, 10), 21.0)
    ce.feed(P("up", 10, 10), 26.5)
    ce.feed(P("down", 990, 10), 30.0)           # 3.5 s after the lift: too late
    assert not ce.update(40.0)


def test_divergence_notice_shows_the_new_rate(app, kiosk):
    ses = app.session
    old = ses.trainer.lr
    ses.trainer._rollback(float("nan"))
    app.frame(1 / 60, events=[])
    assert kiosk.notice_lr == pytest.approx(old * 0.5)
    assert "notice_diverged" in app.hud.order
    frames(app, 30, dt=0.25)               # 7.5 s later it has gone
    assert "notice_diverged" not in app.hud.order
    ses.trainer.lr = old


def test_frame_guard_and_recovery(app, kiosk):
    g = FrameGuard(max_failures=3, window_s=10)
    assert not g.failed(0.0) and not g.failed(1.0) and g.failed(2.0)
    g2 = FrameGuard(max_failures=3, window_s=10)
    assert not any(g2.failed(t) for t in (0.0, 20.0, 40.0, 60.0))
    switch(app, "inspector")
    app.session.select(Neuron(2, 3))
    recover(app)
    app.frame(1 / 60, events=[])               # the reset lands at the frame's commands
    assert app.scene_name == "graph" and app.session.selected is None
