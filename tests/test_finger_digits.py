"""Real digits drawn with a finger: the tracing that turns them into strokes, the real
exhibit's touch path (FINGERDOWN / FINGERMOTION / FINGERUP -> pointer -> Draw scene ->
brush -> pad-to-network -> network), and how well a trained network reads them."""
import os
import sys
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")

import numpy as np
import pygame
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))   # bench/ holds the real sets

from bench import real_sets  # noqa: E402
from neuronlab import commands as cmd  # noqa: E402
from neuronlab.nn import pad  # noqa: E402

from helpers import command, switch  # noqa: E402

SIZE = (1280, 720)


def _ring(n=28, r=8.0, w=2.5):
    yy, xx = np.mgrid[0:n, 0:n] + 0.5
    d = np.hypot(xx - n / 2, yy - n / 2)
    return (np.abs(d - r) < w / 2).astype(np.float32)


def test_thinning_leaves_a_one_pixel_centre_line():
    ring = _ring()
    sk = real_sets.thin(ring > 0.5)
    assert sk.sum() > 30 and np.all(ring[sk] > 0)
    # every centre-line pixel lies near the ring's middle radius, and no 2x2 block is full
    yy, xx = np.nonzero(sk)
    assert np.all(np.abs(np.hypot(xx + 0.5 - 14, yy + 0.5 - 14) - 8.0) < 1.5)
    assert not np.any(sk[1:, 1:] & sk[:-1, 1:] & sk[1:, :-1] & sk[:-1, :-1])


def test_a_ring_is_traced_as_one_closed_stroke_and_an_l_from_its_end():
    strokes = real_sets.digit_strokes(_ring())
    assert len(strokes) == 1
    s = strokes[0]
    assert np.hypot(*(s[0] - s[-1])) < 1.5          # it closes on itself
    ell = np.zeros((20, 20), np.float32)
    ell[2:17, 4:7] = 1.0
    ell[14:17, 4:16] = 1.0
    (s,) = real_sets.digit_strokes(ell)
    assert s[0][1] < 5                               # starts at the top end of the upright
    assert s[-1][0] > 12                             # and runs out to the foot's end


def test_a_traced_real_digit_redrawn_with_the_brush_covers_the_same_ink():
    X, y = real_sets.mnist_split("dev")
    for i in np.flatnonzero(np.isin(y, [0, 4, 8]))[::97][:6]:
        placed = real_sets.placed_pads(X[i:i + 1], "centred")[0] > 0.3
        drawn = real_sets.finger_pads(X[i:i + 1], "centred")[0] > 0.3
        # each one's ink lies within a cell of the other's: same shape, same place
        for a, b in ((placed, drawn), (drawn, placed)):
            near = _grow(b)
            assert (a & near).sum() / a.sum() > 0.9, int(y[i])


def _grow(m):
    """A boolean image grown by one cell in the 8 directions."""
    p = np.pad(m, 1)
    return np.any([p[1 + dr:17 + dr, 1 + dc:17 + dc] for dr in (-1, 0, 1) for dc in (-1, 0, 1)], axis=0)


@pytest.fixture(scope="module")
def app():
    from neuronlab.app import App
    a = App(SIZE, present=False, seed=3, iters_per_frame=0, run_gradcheck=False)
    yield a
    a.close()


def _finger(kind, x, y, fid):
    et = {"down": pygame.FINGERDOWN, "move": pygame.FINGERMOTION, "up": pygame.FINGERUP}[kind]
    return pygame.event.Event(et, touch_id=1, finger_id=fid, x=x / SIZE[0], y=y / SIZE[1], dx=0.0, dy=0.0)


def test_real_digits_drawn_through_touch_events_reach_the_network_as_the_brush_paints_them(app):
    """The bench's finger-drawn sets go through ``PaintPad`` directly; this checks that
    the exhibit's touch path paints exactly that, digit after digit, Clear between."""
    X, y = real_sets.mnist_split("dev")
    idx = np.flatnonzero(np.isin(y, [2, 5, 8]))[::61][:6]
    switch(app, "draw")
    draw = app.scenes["draw"]
    command(app, cmd.ClearPad())
    r = draw.pad_rect(app.stage)
    clear = next(b for b in draw.bar.buttons if b.action == "clear")
    expected = real_sets.finger_pads(X[idx], "large", seed=4)
    for n, paths in enumerate(real_sets.finger_paths(X[idx], "large", seed=4)):
        cx, cy = clear.rect.center
        app.frame(1 / 60, events=[_finger("down", cx, cy, 20)])
        app.frame(1 / 60, events=[_finger("up", cx, cy, 20)])
        assert draw.pad.image.max() == 0.0                    # Clear emptied the pad
        for k, xy in enumerate(paths):
            sx = r.x + xy[:, 0] / 16 * r.w
            sy = r.y + xy[:, 1] / 16 * r.h
            ev = ([_finger("down", sx[0], sy[0], 5 + k)]
                  + [_finger("move", a, b, 5 + k) for a, b in zip(sx[1:], sy[1:])]
                  + [_finger("up", sx[-1], sy[-1], 5 + k)])
            for j in range(0, len(ev), 8):                    # a few touch samples a frame
                app.frame(1 / 60, events=ev[j:j + 8])
        np.testing.assert_allclose(draw.pad.image, expected[n], atol=2e-3)
        np.testing.assert_allclose(app.session.x, pad.to_network(draw.pad.image), atol=1e-6)
