"""The graph pass draws the network where it is and in its colours, cleanly, and frees
everything it made."""
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


def _camera():
    view = pyrr.matrix44.create_look_at(np.array([-9.0, 3.0, 13.0]), np.array([-1.0, 0.0, 0.0]),
                                        np.array([0.0, 1.0, 0.0]), dtype=np.float32)
    proj = pyrr.matrix44.create_perspective_projection(40.0, SIZE[0] / SIZE[1], 0.1, 100.0,
                                                       dtype=np.float32)
    return view, proj


def _pixel(p, view, proj):
    clip = np.append(p, 1.0) @ view @ proj  # row vectors, as the shaders' u_proj * u_view * p
    ndc = clip[:2] / clip[3]
    return int((ndc[0] + 1) / 2 * SIZE[0]), int((1 - ndc[1]) / 2 * SIZE[1])  # top-down row


def _arrays(lay, pal):
    m = MLP(seed=9)
    img = np.zeros((16, 16), np.float32)
    img[3:13, 6:10] = 1.0
    return GraphView(lay, pal).update(1 / 60, m.forward(img.ravel()), m.params)


@pytest.fixture(scope="module")
def lay():
    return layout()


def test_rendered_graph_shows_neurons_in_their_colours(gl_ctx, lay):
    pal = Palette()
    gp = GraphPass(gl_ctx, lay, pal)
    fbo = create_offscreen_framebuffer(gl_ctx, SIZE)
    try:
        arrays = _arrays(lay, pal)
        # GIVEN one output neuron painted pure red and one hidden neuron pure green
        out_i, hid_i = lay.neuron(3, 4), lay.neuron(1, 0)
        arrays.ball_rgb[out_i] = (1.0, 0.0, 0.0)
        arrays.ball_rgb[hid_i] = (0.0, 1.0, 0.0)
        gp.update(arrays)
        view, proj = _camera()
        fbo.use()
        gp.draw(view, proj, (0, 0, *SIZE))
        img = read_rgb(fbo).astype(int)
        bg = np.round(np.asarray(pal.background) * 255)
        # THEN the picture is not blank, and each neuron's projected pixel has its colour
        assert (np.abs(img - bg).sum(axis=2) > 30).mean() > 0.03
        x, y = _pixel(lay.positions[out_i], view, proj)
        r, g, b = img[y, x]
        # (a sphere's centre: lit at 0.72 of its colour, dimmed by fog with depth)
        assert r > 80 and r > 2 * g and r > 2 * b
        x, y = _pixel(lay.positions[hid_i], view, proj)
        r, g, b = img[y, x]
        assert g > 80 and g > 2 * r and g > 2 * b
        # an empty corner stays the stage colour
        assert np.abs(img[2, 2] - bg).max() <= 2
        assert 0 < gp.n_wires_drawn < lay.n_wires  # blank pixels send no signal
    finally:
        release_framebuffer(fbo)
        gp.release()


def test_warm_wire_is_warm_on_screen(gl_ctx, lay):
    pal = Palette()
    gp = GraphPass(gl_ctx, lay, pal)
    fbo = create_offscreen_framebuffer(gl_ctx, SIZE)
    try:
        arrays = _arrays(lay, pal)
        arrays.wire_rgba[:, 3] = 0.0  # only one wire lit: W3[0, 4], fully warm
        k = lay.wire_index(3, 0, 4)
        arrays.wire_rgba[k] = (*pal.excite, 1.0)
        gp.update(arrays)
        assert gp.n_wires_drawn == 1
        view, proj = _camera()
        fbo.use()
        gp.draw(view, proj, (0, 0, *SIZE))
        img = read_rgb(fbo).astype(int)
        mid = (lay.positions[lay.wire_src[k]] + lay.positions[lay.wire_dst[k]]) / 2
        x, y = _pixel(mid, view, proj)
        patch = img[y - 1:y + 2, x - 1:x + 2].reshape(-1, 3)
        r, g, b = patch[patch.sum(axis=1).argmax()]
        assert r > 120 and r > b + 80  # warm: red-heavy, as palette.excite
    finally:
        release_framebuffer(fbo)
        gp.release()


@pytest.mark.parametrize("layer, i", [(0, 0), (2, 5)])
def test_selected_neuron_gets_its_ring_even_when_silent(gl_ctx, lay, layer, i):
    # GIVEN a neuron that does not fire at all (no glow), on the input sheet or hidden
    pal = Palette()
    gp = GraphPass(gl_ctx, lay, pal)
    fbo = create_offscreen_framebuffer(gl_ctx, SIZE)
    k = lay.neuron(layer, i)
    view, proj = _camera()
    try:
        pics = []
        for selected in (-1, k):
            arrays = _arrays(lay, pal)
            arrays.wire_rgba[:, 3] = 0.0
            arrays.ball_glow[k] = 0.0
            arrays.selected = selected
            gp.update(arrays)
            fbo.use()
            gp.draw(view, proj, (0, 0, *SIZE))
            pics.append(read_rgb(fbo).astype(int))
        # THEN selecting it draws a bright ring around it, and nothing far from it changes
        diff = np.abs(pics[1] - pics[0]).sum(axis=2)
        x, y = _pixel(lay.positions[k], view, proj)
        yy, xx = np.nonzero(diff > 30)
        assert diff.max() > 150, diff.max()
        assert len(xx) >= 6 and np.hypot(xx - x, yy - y).max() < 25
    finally:
        release_framebuffer(fbo)
        gp.release()


def test_ringless_variant_draws_what_the_full_ball_program_draws(gl_ctx, lay):
    # GIVEN a lit graph with a selected neuron (its ring drawn last by the full program)
    pal = Palette()
    gp = GraphPass(gl_ctx, lay, pal)
    fbo = create_offscreen_framebuffer(gl_ctx, SIZE)
    view, proj = _camera()
    try:
        arrays = _arrays(lay, pal)
        arrays.selected = lay.neuron(1, 3)
        pics = []
        for full_for_all in (False, True):
            if full_for_all:   # every ball through the full program, as before the split
                gp.vao_ball_plain, plain = gp.vao_neuron, gp.vao_ball_plain
            gp.update(arrays)
            fbo.use()
            gp.draw(view, proj, (0, 0, *SIZE), time=0.25)
            pics.append(read_rgb(fbo).astype(int))
        gp.vao_ball_plain = plain
        # THEN two ringed balls (the answer and the selected) end the order, and the pictures
        # agree to the level
        assert gp.n_ringed == 2
        bg = np.round(np.asarray(pal.background) * 255)
        assert (np.abs(pics[0] - bg).sum(axis=2) > 30).mean() > 0.03   # not a blank frame
        assert np.abs(pics[0] - pics[1]).max() <= 1
    finally:
        release_framebuffer(fbo)
        gp.release()


def test_ball_order_is_back_to_front_with_the_ringed_last():
    from neuronlab.render.graph_pass import ball_order
    rng = np.random.default_rng(3)
    rows = np.zeros((40, 9), np.float32)
    rows[:, :3] = rng.uniform(-5, 5, (40, 3))
    rows[[4, 17], 8] = (1.0, 2.0)
    view, _ = _camera()
    order, n_ringed = ball_order(rows, view)
    assert n_ringed == 2 and set(order[-2:]) == {4, 17} and sorted(order) == list(range(40))
    eye_z = np.c_[rows[:, :3], np.ones(40)] @ view.astype(np.float64)
    z = eye_z[order[:-2], 2]
    assert (np.diff(z) >= -1e-5).all()    # farthest (most negative) first


def _live_counts(ctx, top=2048):
    """How many buffers, textures, vertex arrays and programs the driver holds now
    (asked through glIs* on the current context, not through moderngl's bookkeeping)."""
    import ctypes
    gl = ctypes.CDLL("libOpenGL.so.0")
    fns = [getattr(gl, n) for n in ("glIsBuffer", "glIsTexture", "glIsVertexArray", "glIsProgram")]
    for f in fns:
        f.restype, f.argtypes = ctypes.c_ubyte, [ctypes.c_uint]
    return tuple(sum(1 for name in range(1, top) if f(name)) for f in fns)


def test_gl_objects_stay_flat_over_create_draw_release_cycles(gl_ctx, lay):
    pal = Palette()
    arrays = _arrays(lay, pal)
    view, proj = _camera()
    fbo = create_offscreen_framebuffer(gl_ctx, SIZE)
    names = []
    try:
        for _ in range(4):
            gp = GraphPass(gl_ctx, lay, pal)
            for f in range(3):
                gp.update(arrays)
                fbo.use()
                gp.draw(view, proj, (0, 0, *SIZE), time=f / 60)
            gp.release()
            names.append(_live_counts(gl_ctx))
    finally:
        release_framebuffer(fbo)
    assert len(set(names)) == 1, names
    # and while alive it holds a fixed set: drawing more frames makes nothing new
    # (the wire cache's two textures are made at the first frame, for its viewport's size)
    gp = GraphPass(gl_ctx, lay, pal)
    fbo = create_offscreen_framebuffer(gl_ctx, SIZE)
    gp.update(arrays)
    fbo.use()
    gp.draw(view, proj, (0, 0, *SIZE))
    held = _live_counts(gl_ctx)
    for f in range(20):
        gp.update(arrays)
        fbo.use()
        gp.draw(view, proj, (0, 0, *SIZE), time=f / 60)
    release_framebuffer(fbo)
    now = _live_counts(gl_ctx)
    # buffers, textures, vertex arrays exactly; a deleted program lives on while it is the
    # current one (GL spec), so the program count may differ by that one
    assert now[:3] == held[:3] and abs(now[3] - held[3]) <= 1 and held[0] > names[0][0]
    gp.release()


def test_the_first_draws_warm_up_changes_no_pixel(gl_ctx, lay):
    # GIVEN two passes on the same untrained picture (no pulses, no sweep), one of them
    # without the first draw's warm-up of the programs training will need
    pal = Palette()
    arrays = _arrays(lay, pal)
    assert len(arrays.pulse_pos) == 0 or not np.any(arrays.pulse_size)
    view, proj = _camera()
    pictures, warmed = [], []
    for warm in (True, False):
        gp = GraphPass(gl_ctx, lay, pal)
        if not warm:
            gp._warm = dict.fromkeys(gp._warm, False)
        fbo = create_offscreen_framebuffer(gl_ctx, SIZE)
        try:
            frames = []
            for f in range(4):          # the cached layer is laid over from the second frame
                gp.update(arrays)
                fbo.use()
                gp.draw(view, proj, (0, 0, *SIZE), spread=3)
                frames.append(read_rgb(fbo))
            pictures.append(frames)
            warmed.append(np.frombuffer(gp.pulse_buf.read(size=32), np.float32).copy())
            # the warm-up is the first draws' only: none is owed after them
            assert not any(gp._warm.values()) and gp.n_pulses == 0
        finally:
            release_framebuffer(fbo)
            gp.release()
    # THEN the warm-up drew its pulse of nothing, and every frame is the same, bit for bit
    assert not warmed[0].any()
    for warm_frame, plain_frame in zip(*pictures):
        assert warm_frame.std() > 5
        np.testing.assert_array_equal(warm_frame, plain_frame)
