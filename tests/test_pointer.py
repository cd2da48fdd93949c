"""The pointer stream: fingers and mouse become one stream of window-pixel events."""
import ast
import pathlib

import numpy as np
import pygame

from neuronlab.input.pointer import PointerEvent, PointerInput, WheelEvent


def finger(kind, fid, x, y, touch_id=1):
    et = {"down": pygame.FINGERDOWN, "move": pygame.FINGERMOTION, "up": pygame.FINGERUP}[kind]
    return pygame.event.Event(et, touch_id=touch_id, finger_id=fid, x=x, y=y, dx=0.0, dy=0.0)


def mouse(kind, pos, button=1, touch=False):
    et = {"down": pygame.MOUSEBUTTONDOWN, "up": pygame.MOUSEBUTTONUP,
          "move": pygame.MOUSEMOTION}[kind]
    if kind == "move":
        return pygame.event.Event(et, pos=pos, rel=(0, 0), buttons=(0, 0, 0), touch=touch)
    return pygame.event.Event(et, pos=pos, button=button, touch=touch)


def test_finger_coordinates_become_window_pixels_once():
    pi = PointerInput((1920, 1080))
    out = pi.feed(pygame.event.Event(pygame.FINGERDOWN, touch_id=1, finger_id=7,
                                     x=.5, y=.25, dx=0., dy=0.), now=2.0)
    assert out == [PointerEvent("down", ("f", 1, 7), 960.0, 270.0, 2.0, True)]
    out = pi.feed(finger("move", 7, 0.25, 0.5), now=2.1)
    assert (out[0].kind, out[0].x, out[0].y) == ("move", 480.0, 540.0)
    pi.set_window_size((1000, 500))
    out = pi.feed(finger("up", 7, 0.1, 0.2), now=2.2)
    assert (out[0].kind, out[0].x, out[0].y, out[0].touch) == ("up", 100.0, 100.0, True)
    assert pi.live_count == 0


def test_events_posted_through_the_sdl_queue_arrive_and_convert(monkeypatch):
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")  # the event queue needs video, not a screen
    started_here = not pygame.display.get_init()
    if started_here:
        pygame.display.init()
    try:
        pygame.event.clear()
        pygame.event.post(pygame.event.Event(pygame.FINGERDOWN, touch_id=1, finger_id=7,
                                             x=.5, y=.25, dx=0., dy=0.))
        pygame.event.post(pygame.event.Event(pygame.FINGERUP, touch_id=1, finger_id=7,
                                             x=.5, y=.25, dx=0., dy=0.))
        pi = PointerInput((800, 600))
        out = []
        for e in pygame.event.get((pygame.FINGERDOWN, pygame.FINGERUP)):
            out += pi.feed(e, now=0.0)
        assert [(o.kind, o.pid, o.x, o.y) for o in out] == [
            ("down", ("f", 1, 7), 400.0, 150.0), ("up", ("f", 1, 7), 400.0, 150.0)]
    finally:
        if started_here:
            pygame.display.quit()


def test_mouse_copies_of_a_finger_are_dropped_and_real_mouse_works():
    pi = PointerInput((800, 600))
    assert pi.feed(finger("down", 1, 0.5, 0.5), 0.0)[0].kind == "down"
    # SDL's copies of the same finger
    assert pi.feed(mouse("down", (400, 300), touch=True), 0.0) == []
    assert pi.feed(mouse("move", (410, 300), touch=True), 0.01) == []
    assert pi.feed(mouse("up", (410, 300), touch=True), 0.02) == []
    assert pi.feed(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=1, touch=True), 0.02) == []
    assert pi.live_count == 1
    pi.feed(finger("up", 1, 0.5, 0.5), 0.03)
    # a real mouse: hover, press, drag, release; left is a plain pointer
    assert pi.feed(mouse("move", (10, 20)), 1.0)[0].kind == "hover"
    d = pi.feed(mouse("down", (10, 20)), 1.1)[0]
    assert (d.kind, d.pid, d.touch, d.pan) == ("down", ("m", 1), False, False)
    m = pi.feed(mouse("move", (30, 25)), 1.2)[0]
    assert (m.kind, m.x, m.y) == ("move", 30.0, 25.0)
    assert pi.feed(mouse("up", (30, 25)), 1.3)[0].kind == "up"
    # right button is a pan pointer
    r = pi.feed(mouse("down", (50, 50), button=3), 2.0)[0]
    assert r.pan and r.pid == ("m", 3)
    assert pi.feed(mouse("move", (60, 50)), 2.1)[0].pan
    # legacy wheel buttons are not pointers
    assert pi.feed(mouse("down", (50, 50), button=4), 2.2) == []


def test_wheel_uses_last_mouse_position_and_flipped_sign():
    pi = PointerInput((800, 600))
    pi.feed(mouse("move", (123, 45)), 0.0)
    w = pi.feed(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=2), 0.1)
    assert w == [WheelEvent(2.0, 123.0, 45.0, 0.1)]
    w = pi.feed(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=1, precise_y=0.5, flipped=True), 0.2)
    assert w[0].dy == -0.5


def test_lost_finger_up_expires_but_a_moving_finger_does_not():
    pi = PointerInput((800, 600))
    pi.feed(finger("down", 1, 0.1, 0.1), 0.0)
    pi.feed(finger("down", 2, 0.9, 0.9), 0.0)
    for i in range(1, 40):  # finger 2 keeps moving, finger 1's up was lost
        pi.feed(finger("move", 2, 0.9 - i * 0.01, 0.9), i * 0.5)
    assert pi.expire(5.0, max_still_s=8.0) == []
    out = pi.expire(19.5, max_still_s=8.0)
    assert [(o.kind, o.pid, o.x, o.y) for o in out] == [("cancel", ("f", 1, 1), 80.0, 60.0)]
    assert pi.live_count == 1
    # its late up, should it ever come, is ignored
    assert pi.feed(finger("up", 1, 0.1, 0.1), 20.0) == []


def test_reused_finger_id_cancels_the_stale_one_first():
    pi = PointerInput((100, 100))
    pi.feed(finger("down", 3, 0.1, 0.1), 0.0)
    out = pi.feed(finger("down", 3, 0.5, 0.5), 1.0)
    assert [o.kind for o in out] == ["cancel", "down"]
    assert pi.live_count == 1


def test_focus_loss_cancels_held_pointers():
    pi = PointerInput((100, 100))
    pi.feed(mouse("down", (5, 5)), 0.0)
    pi.feed(finger("down", 1, 0.5, 0.5), 0.0)
    out = pi.feed(pygame.event.Event(pygame.WINDOWFOCUSLOST), 1.0)
    assert sorted(o.kind for o in out) == ["cancel", "cancel"]
    assert pi.live_count == 0


def test_storm_of_10000_random_events_stays_bounded_and_never_raises():
    rng = np.random.default_rng(42)
    pi = PointerInput((1280, 720), max_pointers=10)
    kinds = ["down", "move", "up"]
    peak = 0
    n_down = 0
    for i in range(10_000):
        t = i * 0.004
        r = rng.random()
        if r < 0.7:
            k = kinds[rng.integers(3)]
            x, y = rng.uniform(-0.2, 1.2, 2)
            if rng.random() < 0.01:
                x = float("nan")
            e = finger(k, int(rng.integers(0, 40)), x, y, touch_id=int(rng.integers(0, 3)))
        elif r < 0.95:
            k = ["down", "up", "move"][rng.integers(3)]
            e = mouse(k, (float(rng.uniform(0, 1280)), float(rng.uniform(0, 720))),
                      button=int(rng.integers(1, 6)), touch=bool(rng.random() < 0.3))
        else:
            e = pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=int(rng.integers(-3, 4)))
        out = pi.feed(e, t)
        n_down += sum(getattr(o, "kind", "") == "down" for o in out)
        for o in out:
            assert isinstance(o, (PointerEvent, WheelEvent))
        out = pi.expire(t, 2.0)
        peak = max(peak, pi.live_count)
    assert peak == 10   # the storm did reach the cap ...
    assert pi.live_count <= 10   # ... and never went past it
    assert n_down > 300  # pointers came and went throughout


def test_input_never_imports_scenes_or_app():
    root = pathlib.Path(__file__).resolve().parents[1] / "neuronlab" / "input"
    for name in ("pointer.py", "gestures.py"):
        tree = ast.parse((root / name).read_text())
        mods = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                mods |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                mods.add(node.module)
        allowed = {"__future__", "math", "dataclasses", "pygame", "numpy",
                   "neuronlab.input.pointer"}
        assert mods <= allowed, (name, mods - allowed)
