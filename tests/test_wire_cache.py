"""The input sheet's wires come from a cached layer (render/wire_cache): drawn again when
what they show changed -- at once, or spread over a few frames for drift -- reused when
nothing did, and then the very picture a fresh draw of the same numbers gives."""
from dataclasses import replace

import numpy as np
import pyrr
import pytest

from neuronlab.nn.mlp import MLP
from neuronlab.render.context import create_offscreen_framebuffer, read_rgb, release_framebuffer
from neuronlab.render.graph_pass import GraphPass
from neuronlab.view.graph import GraphView
from neuronlab.view.layout import layout
from neuronlab.view.palette import Palette

SIZE = (320, 200)


@pytest.fixture(scope="module")
def lay():
    return layout()


def _camera(eye=(-9.0, 3.0, 13.0)):
    view = pyrr.matrix44.create_look_at(np.array(eye), np.array([-1.0, 0.0, 0.0]),
                                        np.array([0.0, 1.0, 0.0]), dtype=np.float32)
    proj = pyrr.matrix44.create_perspective_projection(40.0, SIZE[0] / SIZE[1], 0.1, 100.0,
                                                       dtype=np.float32)
    return view, proj


def _arrays(lay, w1_gain=1.0):
    """A digit's arrays; ``w1_gain`` scales the first layer's weights (the weights drifted)."""
    m = MLP(seed=9)
    m.params["W1"] = m.params["W1"] * np.float32(w1_gain)
    img = np.zeros((16, 16), np.float32)
    img[3:13, 6:10] = 1.0
    img[3:5, 3:13] = 1.0
    return GraphView(lay, Palette()).update(1 / 60, m.forward(img.ravel()), m.params)


def _sheet_only(lay):
    """The digit's arrays with only the input sheet's wires lit, balls and labels dark:
    what is on screen is the cached layer alone (the others are drawn after it)."""
    arrays = _arrays(lay)
    arrays.wire_rgba[lay.wire_layer != 1, 3] = 0.0
    arrays.ball_rgb[:] = 0.0
    arrays.ball_glow[:] = 0.0
    arrays.label_rgb = np.zeros((10, 3), np.float32)
    return arrays


@pytest.fixture
def target(gl_ctx):
    fbo = create_offscreen_framebuffer(gl_ctx, SIZE)
    yield fbo
    release_framebuffer(fbo)


def _draw(gp, fbo, arrays, cam, spread=0):
    gp.update(arrays)
    fbo.use()
    gp.draw(*cam, (0, 0, *SIZE), spread=spread)
    return read_rgb(fbo).astype(int)


def test_drifted_wires_show_after_the_spread_exactly_as_a_fresh_draw(gl_ctx, lay, target):
    cam = _camera()
    warm, fresh = GraphPass(gl_ctx, lay), GraphPass(gl_ctx, lay)
    try:
        # GIVEN a layer drawn for one set of weights
        before = _draw(warm, target, _arrays(lay), cam)
        _draw(warm, target, _arrays(lay), cam, spread=4)        # and kept
        assert (warm.cache.straight, warm.cache.redraws) == (1, 1)
        # WHEN the first layer's weights drift and the change may take 4 frames
        drifted = _arrays(lay, 1.6)
        pics = [_draw(warm, target, drifted, cam, spread=4) for _ in range(5)]
        # a fresh pass: its first frame draws straight, its second lays its layer over
        straight = _draw(fresh, target, drifted, cam)
        truth = _draw(fresh, target, drifted, cam, spread=4)
        assert fresh.cache.redraws == 1
        # THEN it was drawn a quarter a frame into the back layer, the old one on display
        assert warm.cache.slices == 4 and warm.cache.swaps == 1 and warm.cache.redraws == 1
        assert np.abs(truth - before).max() > 40                  # the drift shows on screen
        np.testing.assert_array_equal(pics[0], pics[3])           # still the old wires
        assert np.abs(pics[0] - truth).max() > 20
        # ...and once due, the very pixels a fresh draw of those numbers gives
        np.testing.assert_array_equal(pics[4], truth)
        np.testing.assert_array_equal(warm.cache.front_pixels(), fresh.cache.front_pixels())
        assert np.abs(straight - truth).max() <= 2                # and what drawing straight gives
    finally:
        warm.release()
        fresh.release()


def test_the_layer_is_reused_when_nothing_changed_and_redrawn_when_the_camera_moves(gl_ctx, lay, target):
    gp = GraphPass(gl_ctx, lay)
    arrays = _arrays(lay)
    try:
        _draw(gp, target, arrays, _camera())                     # straight, then kept
        first = _draw(gp, target, arrays, _camera(), spread=8)
        again = [_draw(gp, target, _arrays(lay), _camera(), spread=8) for _ in range(3)]
        assert (gp.cache.redraws, gp.cache.slices) == (1, 0)      # nothing drawn again
        for pic in again:
            np.testing.assert_array_equal(pic, first)
        # a camera move shows in its own frame, whatever the spread allows: drawn straight
        # while it moves, laid in the cache again once it stands still
        moved = _draw(gp, target, arrays, _camera((-8.0, 4.0, 13.0)), spread=8)
        assert (gp.cache.straight, gp.cache.redraws) == (2, 1)
        assert np.abs(moved - first).max() > 40
        still = _draw(gp, target, arrays, _camera((-8.0, 4.0, 13.0)), spread=8)
        assert gp.cache.redraws == 2 and np.abs(still - moved).max() <= 2
    finally:
        gp.release()


@pytest.fixture
def cached_sheet(gl_ctx, lay, target):
    """A pass with the sheet-only arrays drawn straight, then laid in its cache: (pass,
    arrays, camera, the cached frame's picture)."""
    cam = _camera()
    gp = GraphPass(gl_ctx, lay)
    arrays = _sheet_only(lay)
    _draw(gp, target, arrays, cam)
    picture = _draw(gp, target, arrays, cam, spread=8)
    assert gp.cache.redraws == 1
    yield gp, arrays, cam, picture
    gp.release()


def test_the_composite_is_the_wires_drawn_straight_onto_the_frame(lay, target, cached_sheet):
    gp, arrays, cam, cached = cached_sheet
    # every wire "over everything": none goes through the cache
    straight = _draw(gp, target, replace(arrays, overlay_wires=np.arange(lay.n_wires)), cam)
    assert len(gp._sheet_rows) == 0
    d = np.abs(cached - straight)
    lit = straight.max(axis=2) > 30
    assert lit.sum() > 1000                       # plenty of wires on screen
    # the same picture up to the 8-bit rounding of the layer in between
    assert d.max() <= 2, d.max()
    assert d.mean() < 0.05


def test_the_forward_sweep_dims_the_cached_layer_without_drawing_it_again(target, cached_sheet):
    gp, arrays, cam, cached = cached_sheet       # the light measured is the layer's
    bg = np.asarray(Palette().background) * 255
    full = cached - bg
    dimmed = _draw(gp, target, replace(arrays, sheet_sweep=(0.3, 0.0)), cam, spread=8) - bg
    assert gp.cache.redraws == 1 and gp.cache.slices == 0
    lit = full.max(axis=2) > 40
    ratio = dimmed[lit].sum() / full[lit].sum()
    assert 0.25 < ratio < 0.36, ratio
    # at the front it is brighter than the layer alone
    front = _draw(gp, target, replace(arrays, sheet_sweep=(0.8, 1.0)), cam, spread=8) - bg
    assert front[lit].sum() > full[lit].sum()
    assert gp.cache.redraws == 1
