"""Gestures: taps versus drags, double taps, two-finger pan, pinch and wheel zoom."""
import numpy as np
import pygame
import pytest

from neuronlab.input.gestures import (
    DoubleTap, GestureRecognizer, Orbit, Pan, Press, Release, Tap, Zoom,
)
from neuronlab.input.pointer import PointerEvent, PointerInput, WheelEvent

F1, F2, F3 = ("f", 1, 1), ("f", 1, 2), ("f", 1, 3)


def ev(kind, pid, x, y, t, pan=False):
    return PointerEvent(kind, pid, float(x), float(y), float(t), pid[0] == "f", pan)


def run(gr, events):
    out = []
    for e in events:
        out += gr.feed(e)
    return out


def of(out, cls):
    return [g for g in out if isinstance(g, cls)]


def test_press_comes_on_finger_down_and_tap_on_a_quick_still_up():
    gr = GestureRecognizer()
    assert gr.feed(ev("down", F1, 100, 200, 0.0)) == [Press(100.0, 200.0)]
    out = run(gr, [ev("move", F1, 104, 203, 0.05), ev("up", F1, 104, 203, 0.2)])
    assert of(out, Tap) == [Tap(104.0, 203.0)]
    assert of(out, Orbit) == []
    assert of(out, Release) == [Release(104.0, 203.0, False)]


def test_too_slow_or_too_far_is_not_a_tap():
    gr = GestureRecognizer(tap_ms=300, tap_px=10)
    slow = run(gr, [ev("down", F1, 0, 0, 0.0), ev("up", F1, 0, 0, 0.31)])
    assert of(slow, Tap) == []
    gr = GestureRecognizer(tap_ms=300, tap_px=10)
    # 9 px of wobble: still a tap; 11 px: a drag
    assert of(run(gr, [ev("down", F1, 0, 0, 5.0), ev("move", F1, 9, 0, 5.05),
                       ev("up", F1, 9, 0, 5.1)]), Tap) == [Tap(9.0, 0.0)]
    far = run(gr, [ev("down", F1, 0, 0, 9.0), ev("move", F1, 11, 0, 9.05),
                   ev("up", F1, 0, 0, 9.1)])
    assert of(far, Tap) == []


def test_one_finger_drag_orbits_by_the_distance_travelled():
    gr = GestureRecognizer(tap_px=10)
    out = run(gr, [ev("down", F1, 100, 100, 0.0),
                   ev("move", F1, 105, 100, 0.02),   # inside the slop: nothing yet
                   ev("move", F1, 115, 98, 0.04),    # crosses it: catches up from the down point
                   ev("move", F1, 140, 90, 0.06),
                   ev("up", F1, 140, 90, 0.5)])
    orbits = of(out, Orbit)
    assert orbits == [Orbit(15.0, -2.0), Orbit(25.0, -8.0)]
    assert sum(o.dx for o in orbits) == 40.0 and sum(o.dy for o in orbits) == -10.0


def test_right_mouse_drag_pans_and_never_taps():
    gr = GestureRecognizer()
    m = ("m", 3)
    out = run(gr, [ev("down", m, 10, 10, 0, pan=True), ev("move", m, 40, 30, 0.1, pan=True),
                   ev("up", m, 40, 30, 0.2, pan=True)])
    assert of(out, Pan) == [Pan(30.0, 20.0)] and of(out, Orbit) == []
    out = run(gr, [ev("down", m, 10, 10, 1, pan=True), ev("up", m, 10, 10, 1.1, pan=True)])
    assert of(out, Tap) == []


def test_double_tap_near_and_soon_and_not_otherwise():
    gr = GestureRecognizer(double_tap_ms=300, double_tap_px=40)
    first = run(gr, [ev("down", F1, 200, 200, 0.0), ev("up", F1, 200, 200, 0.1)])
    second = run(gr, [ev("down", F2, 215, 210, 0.3), ev("up", F2, 215, 210, 0.4)])
    assert of(first, Tap) == [Tap(200.0, 200.0)]
    assert of(second, DoubleTap) == [DoubleTap(215.0, 210.0)] and of(second, Tap) == []
    # a third tap right after starts a new sequence
    third = run(gr, [ev("down", F1, 215, 210, 0.5), ev("up", F1, 215, 210, 0.55)])
    assert of(third, Tap) == [Tap(215.0, 210.0)]
    # too late (gap 0.35 s > 0.3 s)
    gr = GestureRecognizer(double_tap_ms=300, double_tap_px=40)
    run(gr, [ev("down", F1, 0, 0, 0.0), ev("up", F1, 0, 0, 0.1)])
    late = run(gr, [ev("down", F1, 0, 0, 0.45), ev("up", F1, 0, 0, 0.5)])
    assert of(late, DoubleTap) == [] and len(of(late, Tap)) == 1
    # too far apart (50 px)
    gr = GestureRecognizer(double_tap_ms=300, double_tap_px=40)
    run(gr, [ev("down", F1, 0, 0, 0.0), ev("up", F1, 0, 0, 0.1)])
    far = run(gr, [ev("down", F1, 50, 0, 0.2), ev("up", F1, 50, 0, 0.3)])
    assert of(far, DoubleTap) == []


def test_pinch_spreading_to_twice_the_distance_gives_factor_two():
    gr = GestureRecognizer()
    out = run(gr, [ev("down", F1, 400, 300, 0.0), ev("down", F2, 500, 300, 0.01),
                   ev("move", F1, 350, 300, 0.05), ev("move", F2, 550, 300, 0.06)])
    zooms = of(out, Zoom)
    assert len(zooms) == 2
    assert np.prod([z.factor for z in zooms]) == pytest.approx(2.0)
    assert (zooms[-1].cx, zooms[-1].cy) == (450.0, 300.0)
    assert sum(p.dx for p in of(out, Pan)) == pytest.approx(0.0)
    assert of(out, Orbit) == []
    # pinching back in to the first distance multiplies to 1/2
    out = run(gr, [ev("move", F1, 400, 300, 0.1), ev("move", F2, 500, 300, 0.11)])
    assert np.prod([z.factor for z in of(out, Zoom)]) == pytest.approx(0.5)
    # ending a pinch is never a tap
    out = run(gr, [ev("up", F1, 400, 300, 0.12), ev("up", F2, 500, 300, 0.13)])
    assert of(out, Tap) == [] and of(out, DoubleTap) == []


def test_two_finger_drag_pans_by_the_centroid_motion():
    gr = GestureRecognizer()
    out = run(gr, [ev("down", F1, 100, 100, 0.0), ev("down", F2, 200, 100, 0.0),
                   ev("move", F1, 130, 140, 0.05), ev("move", F2, 230, 140, 0.05)])
    pans = of(out, Pan)
    assert sum(p.dx for p in pans) == pytest.approx(30.0)
    assert sum(p.dy for p in pans) == pytest.approx(40.0)
    assert np.prod([z.factor for z in of(out, Zoom)]) == pytest.approx(1.0)
    assert of(out, Orbit) == []


def test_lifting_one_finger_of_a_pinch_does_not_orbit_until_all_lift():
    gr = GestureRecognizer()
    run(gr, [ev("down", F1, 100, 100, 0.0), ev("down", F2, 200, 100, 0.0),
             ev("up", F2, 200, 100, 0.2)])
    out = run(gr, [ev("move", F1, 300, 100, 0.3), ev("up", F1, 300, 100, 0.4)])
    assert of(out, Orbit) == [] and of(out, Tap) == []
    # afterwards a fresh single finger orbits again
    out = run(gr, [ev("down", F1, 0, 0, 1.0), ev("move", F1, 50, 0, 1.1)])
    assert of(out, Orbit) == [Orbit(50.0, 0.0)]


def test_third_finger_and_pair_handover_do_not_jump():
    gr = GestureRecognizer()
    run(gr, [ev("down", F1, 100, 100, 0), ev("down", F2, 200, 100, 0),
             ev("down", F3, 900, 900, 0)])
    assert of(gr.feed(ev("move", F3, 950, 950, 0.1)), Pan) == []  # not in the pair
    # F1 lifts: the pair becomes (F2, F3); the first move after must be small
    gr.feed(ev("up", F1, 100, 100, 0.2))
    out = gr.feed(ev("move", F3, 951, 950, 0.3))
    assert sum(abs(p.dx) + abs(p.dy) for p in of(out, Pan)) < 1.0
    assert all(abs(z.factor - 1.0) < 0.01 for z in of(out, Zoom))


def test_wheel_zooms_about_the_mouse():
    gr = GestureRecognizer(wheel_step=1.15)
    assert gr.feed(WheelEvent(1.0, 320, 240)) == [Zoom(1.15, 320, 240)]
    (z,) = gr.feed(WheelEvent(-2.0, 10, 20))
    assert z.factor == pytest.approx(1 / 1.15 ** 2)
    assert gr.feed(WheelEvent(0.0, 1, 1)) == []
    assert gr.feed(WheelEvent(float("nan"), 1, 1)) == []


def test_cancel_is_a_release_not_a_tap():
    gr = GestureRecognizer()
    gr.feed(ev("down", F1, 10, 10, 0.0))
    out = gr.feed(ev("cancel", F1, 10, 10, 0.05))
    assert out == [Release(10.0, 10.0, True)]
    assert gr.active_count == 0


def test_storm_through_the_real_chain_never_raises_and_recovers():
    # GIVEN raw SDL events -> PointerInput -> GestureRecognizer, as in the app
    rng = np.random.default_rng(7)
    pi = PointerInput((1280, 720), max_pointers=10)
    gr = GestureRecognizer(max_pointers=10)
    seen = set()
    for i in range(10_000):
        t = i * 0.01
        r = rng.random()
        if r < 0.8:
            et = [pygame.FINGERDOWN, pygame.FINGERMOTION, pygame.FINGERUP][rng.integers(3)]
            x, y = rng.uniform(0, 1, 2)
            e = pygame.event.Event(et, touch_id=1, finger_id=int(rng.integers(12)),
                                   x=x, y=y, dx=0.0, dy=0.0)
        elif r < 0.97:
            et = [pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP][rng.integers(2)]
            e = pygame.event.Event(et, pos=tuple(rng.uniform(0, 700, 2)),
                                   button=int(rng.choice([1, 3])), touch=False)
        else:
            e = pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=int(rng.integers(-3, 4)))
        # WHEN every event and every expiry goes through both stages
        for pe in pi.feed(e, t) + pi.expire(t, 1.0):
            for g in gr.feed(pe):
                seen.add(type(g).__name__)
                if isinstance(g, Zoom):
                    assert np.isfinite(g.factor) and g.factor > 0
        assert gr.active_count <= 10
    assert {"Press", "Release", "Pan", "Zoom"} <= seen
    # THEN once every pointer is gone it is a clean recogniser again
    for pe in pi.cancel_all(100.0):
        gr.feed(pe)
    assert gr.active_count == 0 and pi.live_count == 0
    tap = run(gr, [ev("down", F1, 5, 5, 200.0), ev("up", F1, 5, 5, 200.1)])
    assert of(tap, Tap) == [Tap(5.0, 5.0)]
    drag = run(gr, [ev("down", F1, 5, 5, 201.0), ev("move", F1, 55, 5, 201.1)])
    assert of(drag, Orbit) == [Orbit(50.0, 0.0)]


def test_recognizer_caps_its_own_pointers_and_ignores_strangers():
    gr = GestureRecognizer(max_pointers=10)
    for i in range(30):
        gr.feed(ev("down", ("f", 1, i), i, i, 0.0))
    assert gr.active_count == 10
    assert gr.feed(ev("move", ("f", 9, 9), 1, 1, 0.1)) == []   # never went down
    assert gr.feed(ev("up", ("f", 9, 9), 1, 1, 0.1)) == []
    assert gr.feed(ev("hover", ("m", 0), 1, 1, 0.1)) == []
    gr.reset()
    assert gr.active_count == 0
