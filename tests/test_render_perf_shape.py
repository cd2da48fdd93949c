"""The cheaper drawing paths keep the picture: faint wires drawn as 1-px lines give off
the light of the smoothed quads they replace, the split follows brightness, and HUD
panels drawn 1:1 are texel-exact. (Speed itself is measured by bench/, never asserted.)"""
import moderngl
import numpy as np
import pyrr
import pytest

from neuronlab.nn.mlp import MLP
from neuronlab.render import graph_pass as gp_mod
from neuronlab.render.context import create_offscreen_framebuffer, read_rgb, release_framebuffer
from neuronlab.render.graph_pass import GraphPass
from neuronlab.view.graph import GraphView
from neuronlab.view.layout import layout
from neuronlab.view.palette import Palette

SIZE = (480, 300)


@pytest.fixture(scope="module")
def lay():
    return layout()


def _camera():
    view = pyrr.matrix44.create_look_at(np.array([-9.0, 3.0, 13.0]), np.array([-1.0, 0.0, 0.0]),
                                        np.array([0.0, 1.0, 0.0]), dtype=np.float32)
    proj = pyrr.matrix44.create_perspective_projection(40.0, SIZE[0] / SIZE[1], 0.1, 100.0,
                                                       dtype=np.float32)
    return view, proj


def _dark_arrays(lay, pal):
    """Arrays with every wire off and every ball tiny and black (nothing but wires shows)."""
    m = MLP(seed=3)
    a = GraphView(lay, pal).update(1 / 60, m.forward(np.zeros(256, np.float32)), m.params)
    a.wire_rgba[:] = 0.0
    a.ball_rgb[:] = 0.0
    a.ball_glow[:] = 0.0
    a.ball_radius[:] = 1e-3
    a.highlight = a.selected = -1
    a.label_rgb = np.zeros((10, 3), np.float32)
    return a


def _wire_light(ctx, lay, pal, wires, alpha, line_max_alpha, monkeypatch):
    """Light the display gives off (sum of red value**2.2) with ``wires`` lit at ``alpha``."""
    monkeypatch.setattr(gp_mod, "LINE_MAX_ALPHA", line_max_alpha)
    arrays = _dark_arrays(lay, pal)
    arrays.wire_rgba[wires] = (1.0, 0.0, 0.0, alpha)
    gp = GraphPass(ctx, lay, Palette(background=(0.0, 0.0, 0.0)))
    fbo = create_offscreen_framebuffer(ctx, SIZE)
    try:
        gp.update(arrays)
        fbo.use()
        view, proj = _camera()
        gp.draw(view, proj, (0, 0, *SIZE))
        red = read_rgb(fbo)[..., 0] / 255.0
        return (red ** 2.2).sum(), gp.n_wires_drawn, gp.n_wire_lines
    finally:
        release_framebuffer(fbo)
        gp.release()


@pytest.mark.parametrize("layer, alpha", [(1, 0.1), (1, 0.25), (2, 0.2)])
def test_faint_wires_as_lines_give_off_the_quads_light(gl_ctx, lay, monkeypatch, layer, alpha):
    # GIVEN a fan of wires (many slants, little overlap) at a faint brightness
    srcs = range(0, 256, 37) if layer == 1 else range(16)
    wires = np.array([lay.wire_index(layer, i, j) for i in srcs for j in (1, 7)])
    pal = Palette()
    as_quads, n_q, lines_q = _wire_light(gl_ctx, lay, pal, wires, alpha, 0.0, monkeypatch)
    as_lines, n_l, lines_l = _wire_light(gl_ctx, lay, pal, wires, alpha, 0.35, monkeypatch)
    # THEN the split follows brightness, and both paths give off the same light (+-15 %)
    assert (n_q, lines_q) == (len(wires), 0)
    assert (n_l, lines_l) == (len(wires), len(wires))
    assert as_quads > 1.0
    assert abs(as_lines / as_quads - 1.0) < 0.15, (as_lines, as_quads)


def test_bright_wires_stay_smoothed_quads(gl_ctx, lay, monkeypatch):
    wires = np.array([lay.wire_index(2, i, 3) for i in range(16)])
    _, n, lines = _wire_light(gl_ctx, lay, Palette(), wires, 0.9, 0.35, monkeypatch)
    assert (n, lines) == (16, 0)


def test_hud_panel_drawn_one_to_one_is_texel_exact(gl_ctx):
    import pygame

    from neuronlab.render.hud_pass import HudPass
    from neuronlab.render.programs import load_program

    # GIVEN an opaque panel of 1-px stripes and checks (any resampling would smear them)
    rng = np.random.default_rng(1)
    pix = rng.integers(0, 256, (37, 53, 3), dtype=np.uint8)          # (H, W, 3)
    surf = pygame.Surface((53, 37), pygame.SRCALPHA)
    pygame.surfarray.pixels3d(surf)[:] = pix.transpose(1, 0, 2)       # surfarray is (W, H, 3)
    pygame.surfarray.pixels_alpha(surf)[:] = 255
    hud = HudPass(gl_ctx, load_program(gl_ctx, "hud"))
    fbo = create_offscreen_framebuffer(gl_ctx, (160, 90))
    try:
        fbo.use()
        fbo.clear(0.0, 0.0, 0.0, 1.0)
        hud.show("p", surf, (31, 17), version=1)
        hud.draw((160, 90))
        img = read_rgb(fbo)
        # THEN every texel lands on its own pixel, unchanged, and nothing spills around it
        assert np.array_equal(img[17:17 + 37, 31:31 + 53], pix)
        assert img[:17].max() == 0 and img[17 + 37:].max() == 0
        assert hud.panels["p"].texture.filter == (moderngl.NEAREST, moderngl.NEAREST)  # the cheap path
    finally:
        release_framebuffer(fbo)
        hud.release()


def test_ball_shader_light_is_the_unit_vector_it_names():
    # The ball shader spells its light direction out as a constant (normalize() per pixel is
    # dear on llvmpipe): it must stay the unit vector of the direction its comment names.
    import re

    from neuronlab.render.programs import shader_source

    src = shader_source("graph_neuron")
    m = re.search(r"const vec3 l = vec3\(([^)]*)\);\s*// normalize\(([^)]*)\)", src)
    assert m, "light constant not found"
    got = np.array([float(v) for v in m.group(1).split(",")])
    named = np.array([float(v) for v in m.group(2).split(",")])
    np.testing.assert_allclose(got, named / np.linalg.norm(named), atol=2e-6)


def _one_ball(ctx, prog, diameter: float, glow: float, ring: float, side: int = 96) -> np.ndarray:
    """(side, side, 4) uint8: one white ball of ``diameter`` px at the viewport's centre."""
    eye = np.eye(4, dtype=np.float32).tobytes()       # view and projection: w = 1, P11 = 1
    prog["u_view"].write(eye)
    prog["u_proj"].write(eye)
    prog["u_vp_h"].value = float(side)
    prog["u_fog"].value = (1.0, 2.0)                  # no fog at eye depth 0
    prog["u_spread"].value = gp_mod.HALO_SPREAD
    for name, value in (("u_rim", (0.2, 0.3, 0.9)), ("u_accent", (1.0, 0.8, 0.3)), ("u_select", (1.0, 1.0, 1.0))):
        prog[name].value = value
    # position, radius (diameter / viewport height: px once projected), colour, glow, ring
    ball = np.array([0, 0, 0, diameter / side, 1, 1, 1, glow, ring], np.float32)
    buf = ctx.buffer(ball.tobytes())
    vao = ctx.vertex_array(prog, [(buf, "3f 1f 3f 1f 1f", "in_pos", "in_radius", "in_color",
                                   "in_glow", "in_ring")])
    fbo = create_offscreen_framebuffer(ctx, (side, side))
    try:
        fbo.use()
        fbo.clear(0.0, 0.0, 0.0, 0.0)
        ctx.enable_only(moderngl.BLEND | moderngl.PROGRAM_POINT_SIZE)
        ctx.blend_func = moderngl.ONE, moderngl.ONE_MINUS_SRC_ALPHA
        vao.render(moderngl.POINTS, vertices=1)
        return np.frombuffer(fbo.read(components=4), np.uint8).reshape(side, side, 4).copy()
    finally:
        release_framebuffer(fbo)
        vao.release()
        buf.release()


@pytest.mark.parametrize("diameter", [10.2, 18.2, 24.4])   # a pixel centre just past each radius
def test_a_ball_sprite_is_just_large_enough_for_its_smoothed_edge(gl_ctx, diameter):
    # The sprite square around a ball without halo is kept as small as its smoothed edge
    # allows (llvmpipe shades every pixel of it): every pixel the edge reaches is lit, and
    # nothing lies beyond the edge.
    from neuronlab.render.programs import load_program

    prog = load_program(gl_ctx, "graph_neuron")
    try:
        alpha = _one_ball(gl_ctx, prog, diameter, glow=0.0, ring=-1.0)[..., 3]
    finally:
        prog.release()
    side = alpha.shape[0]
    c = np.arange(side) + 0.5 - side / 2                 # pixel centres from the ball's centre
    d = np.hypot(c[None, :], c[:, None])
    edge = diameter / 2 + 0.5                            # where the smoothed edge's light ends
    assert (alpha[d <= edge - 0.05] > 0).all()           # the edge reaches 5 % coverage there
    assert (alpha[d >= edge + 0.05] == 0).all()
    assert (alpha[d <= diameter / 2 - 1.0] == 255).all() # inside, the ball is opaque


@pytest.mark.parametrize("glow, ring", [(1.0, 0.0), (1.0, 1.0), (0.4, 2.0), (0.0, 1.0)])
def test_a_halo_sprite_ends_where_its_light_is_under_half_a_level(gl_ctx, glow, ring):
    # The halo's sprite stops short of the halo's full spread, where its light no longer
    # reaches half of one 8-bit level: the picture is the full-spread sprite's to 1 level.
    from neuronlab.render.programs import shader_source, stage_sources

    src = shader_source("graph_neuron")
    assert "v_size * reach" in src
    full = src.replace("v_size * reach", "v_size * u_spread")
    progs = [gl_ctx.program(**stage_sources(text, ())) for text in (src, full)]
    try:
        short, whole = (_one_ball(gl_ctx, p, 30.0, glow, ring).astype(int) for p in progs)
    finally:
        for p in progs:
            p.release()
    lit = whole[..., :3].max(axis=2) > 0
    assert lit.sum() > 1.5 * np.pi * 15 ** 2             # the halo reaches well past the ball
    assert np.abs(short - whole).max() <= 1


@pytest.mark.parametrize("fade, raw_gl", [(1.0, True), (0.5, True), (1.0, False), (0.5, False)])
def test_translucent_hud_panel_blends_like_straight_alpha_over_the_stage(gl_ctx, fade, raw_gl):
    import pygame

    from neuronlab.render.hud_pass import HudPass

    # GIVEN a stage of one colour and a panel of (200, 100, 40) at alpha 96, shown at `fade`
    bg = np.array([20, 60, 120])
    src, a = np.array([200, 100, 40]), 96
    surf = pygame.Surface((40, 30), pygame.SRCALPHA)
    surf.fill((*src, a))
    hud = HudPass(gl_ctx)
    hud.bgra = hud.bgra and raw_gl   # False: moderngl's own upload, where libGL is not at hand
    fbo = create_offscreen_framebuffer(gl_ctx, (64, 48))
    try:
        fbo.use()
        fbo.clear(*(bg / 255.0), 1.0)
        hud.show("p", surf, (10, 9), version=1, alpha=fade)
        hud.draw((64, 48))
        img = read_rgb(fbo).astype(int)
        # THEN the panel shows src * a' + stage * (1 - a'), a' = a/255 * fade (to a unit of
        # rounding: premultiplying stores 8-bit values), and the stage around it is untouched
        k = a / 255 * fade
        want = src * k + bg * (1 - k)
        assert np.abs(img[9:39, 10:50] - want).max() <= 2, (img[20, 20], want)
        assert np.array_equal(img[3, 3], bg)
        # and the panel's caller keeps its own, straight-alpha surface
        assert tuple(surf.get_at((0, 0))) == (*src, a)
    finally:
        release_framebuffer(fbo)
        hud.release()


def test_a_panel_uploaded_again_shows_only_its_new_picture(gl_ctx):
    import pygame

    from neuronlab.render.hud_pass import HudPass

    # GIVEN a panel shown opaque red, then at a new version the same size: clear but for
    # a translucent green square (the premultiplied copy's memory is kept between uploads)
    bg = np.array([20, 60, 120])
    red = pygame.Surface((40, 30), pygame.SRCALPHA)
    red.fill((255, 0, 0, 255))
    green = pygame.Surface((40, 30), pygame.SRCALPHA)
    green.fill((0, 0, 0, 0))
    green.fill((0, 200, 0, 128), pygame.Rect(10, 10, 10, 10))
    hud = HudPass(gl_ctx)
    fbo = create_offscreen_framebuffer(gl_ctx, (64, 48))
    try:
        fbo.use()
        hud.show("p", red, (10, 9), version=1)
        kept = hud._scratch
        hud.show("p", green, (10, 9), version=2)
        fbo.clear(*(bg / 255.0), 1.0)
        hud.draw((64, 48))
        img = read_rgb(fbo).astype(int)
        # THEN nothing of the red is left: the clear part shows the stage, the square the
        # green over it; one kept memory served both uploads, and the callers' are straight
        assert hud._scratch is kept and hud.uploads == 2
        assert np.array_equal(img[9 + 2, 10 + 2], bg)
        k = 128 / 255
        want = np.array([0, 200, 0]) * k + bg * (1 - k)
        assert np.abs(img[9 + 15, 10 + 15] - want).max() <= 2
        assert tuple(red.get_at((0, 0))) == (255, 0, 0, 255)
        assert tuple(green.get_at((15, 15))) == (0, 200, 0, 128)
    finally:
        release_framebuffer(fbo)
        hud.release()


def test_only_opaque_panels_clear_of_the_graph_and_of_earlier_panels_skip_blending(gl_ctx):
    import pygame

    from neuronlab.render.hud_pass import HudPass

    # GIVEN a stage cleared to the background, a graph drawn in its top-left corner, and
    # four translucent panels: one clear of everything, one fading, one over the graph and
    # one over the first panel
    bg = np.array([10, 14, 40])
    surf = pygame.Surface((16, 12), pygame.SRCALPHA)
    surf.fill((200, 120, 60, 200))
    surf.fill((250, 250, 250, 255), pygame.Rect(4, 4, 6, 3))
    graph = (0, 0, 20, 16)
    panels = {"clear": ((40, 30), 1.0), "fading": ((40, 4), 0.6), "over_graph": ((12, 10), 1.0),
              "over_panel": ((48, 36), 1.0)}

    def frame(background, size=(80, 60)):
        hud = HudPass(gl_ctx, background=background)
        fbo = create_offscreen_framebuffer(gl_ctx, (80, 60))
        try:
            fbo.use()
            fbo.clear(*(bg / 255.0), 1.0)
            fbo.clear(0.9, 0.2, 0.2, 1.0, viewport=(0, 60 - 16, 20, 16))   # the "graph"
            for name, (pos, alpha) in panels.items():
                hud.show(name, surf, pos, version=1, alpha=alpha)
            hud.draw(size, graph=graph)
            return read_rgb(fbo).astype(int), hud.opaque_draws
        finally:
            release_framebuffer(fbo)
            hud.release()

    opaque, n = frame(tuple(bg / 255.0))
    blended, n_none = frame(None)
    # THEN only the clear, unfaded one is drawn unblended, and the picture is the same
    assert (n, n_none) == (1, 0)
    assert np.abs(opaque - blended).max() <= 2
    # AND where the window's size is not the drawable's (HiDPI), every panel is blended
    assert frame(tuple(bg / 255.0), size=(40, 30))[1] == 0
