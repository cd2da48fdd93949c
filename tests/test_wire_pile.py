"""A graph you can read: an open neuron's own wires stand out, and where wires pile up
warm and cool keep their hue instead of clipping to white."""
import numpy as np
import pyrr
import pytest

from neuronlab.nn.mlp import MLP
from neuronlab.render.context import create_offscreen_framebuffer, read_rgb, release_framebuffer
from neuronlab.render.graph_pass import GraphPass
from neuronlab.view import graph as view_graph
from neuronlab.view.graph import GraphView
from neuronlab.view.layout import layout
from neuronlab.view.palette import Palette

SIZE = (320, 200)


@pytest.fixture(scope="module")
def lay():
    return layout()


def _arrays(lay, selected=-1):
    m = MLP(seed=4)
    img = np.zeros((16, 16), np.float32)
    img[2:14, 5:11] = 1.0
    return GraphView(lay, Palette()).update(1 / 60, m.forward(img.ravel()), m.params, selected=selected)


def test_opening_a_neuron_dims_all_but_its_own_wires_and_neurons(lay):
    plain = _arrays(lay)
    sel = lay.neuron(2, 5)
    focused = _arrays(lay, selected=sel)
    own = (lay.wire_dst == sel) | (lay.wire_src == sel)
    assert own.sum() == 16 + 10                           # from Hidden 1, to the answers
    np.testing.assert_array_equal(focused.wire_rgba[own], plain.wire_rgba[own])
    np.testing.assert_allclose(focused.wire_rgba[~own, 3], plain.wire_rgba[~own, 3] * view_graph.FOCUS_WIRE_DIM)
    np.testing.assert_array_equal(focused.wire_rgba[~own, :3], plain.wire_rgba[~own, :3])
    lit = plain.wire_rgba[:, 3] > 0.05
    assert focused.wire_rgba[~own & lit, 3].max() < focused.wire_rgba[own & lit, 3].max()
    ends = np.zeros(lay.n_neurons, bool)
    ends[np.r_[lay.layer_slices[1], lay.layer_slices[3]]] = True
    ends[sel] = True
    np.testing.assert_array_equal(focused.ball_rgb[ends], plain.ball_rgb[ends])
    np.testing.assert_allclose(focused.ball_rgb[~ends], plain.ball_rgb[~ends] * view_graph.FOCUS_BALL_DIM, rtol=1e-6)
    assert np.all(focused.ball_glow[~ends] <= plain.ball_glow[~ends])
    assert view_graph.focus(plain, lay) is plain                # nothing open: nothing dims


def _pile(gl_ctx, lay, warm_share):
    """Every wire into Hidden 1 neuron 7, bright, ``warm_share`` of them warm, the rest
    cool, interleaved; the balls shrunk out of the way. Returns the frame (H, W, 3)."""
    pal = Palette()
    arrays = _arrays(lay)
    arrays.wire_rgba[:] = 0.0
    into = np.flatnonzero(lay.wire_dst == lay.neuron(1, 7))
    warm = (np.arange(len(into)) % 100) < warm_share * 100
    arrays.wire_rgba[into, :3] = np.where(warm[:, None], pal.excite, pal.inhibit)
    arrays.wire_rgba[into, 3] = 0.7
    arrays.ball_radius[:] = 1e-4
    arrays.ball_glow[:] = 0.0
    arrays.highlight = -1
    gp = GraphPass(gl_ctx, lay, pal)
    fbo = create_offscreen_framebuffer(gl_ctx, SIZE)
    try:
        gp.update(arrays)
        view = pyrr.matrix44.create_look_at(np.array([-9.0, 3.0, 13.0]), np.array([-1.0, 0.0, 0.0]),
                                            np.array([0.0, 1.0, 0.0]), dtype=np.float32)
        proj = pyrr.matrix44.create_perspective_projection(40.0, SIZE[0] / SIZE[1], 0.1, 100.0, dtype=np.float32)
        fbo.use()
        gp.draw(view, proj, (0, 0, *SIZE))
        return read_rgb(fbo).astype(np.int64)
    finally:
        release_framebuffer(fbo)
        gp.release()


def test_a_pile_of_wires_keeps_its_hue_instead_of_turning_white(gl_ctx, lay):
    warm, cool = _pile(gl_ctx, lay, 0.75), _pile(gl_ctx, lay, 0.25)
    assert not (warm == cool).all()
    for img, hot, cold in ((warm, 0, 2), (cool, 2, 0)):
        peak = img.max(axis=2)
        pile = peak >= np.percentile(peak, 99.5)           # where the 256 wires crowd
        assert pile.sum() >= 50 and peak[pile].min() >= 200  # saturated: many wires overlap there
        px = img[pile]
        assert np.all(px.min(axis=1) < 0.8 * px.max(axis=1)), "a pile is not white"
        assert np.mean(px[:, hot]) > np.mean(px[:, cold]) + 60   # the dominant side's hue
