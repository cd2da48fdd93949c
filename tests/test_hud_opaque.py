"""HUD panels with only the background behind them are drawn without blending, from a copy
composited over it: the picture stays the same, wherever the camera puts the graph."""
import os

os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")

import numpy as np  # noqa: E402

from neuronlab import commands as cmd  # noqa: E402
from neuronlab.math3d.camera import project  # noqa: E402

from helpers import app_fixtures, command  # noqa: E402

SIZE = (1280, 720)
shared_app, app = app_fixtures(SIZE, run_gradcheck=False)


def _opaque_and_blended(app):
    """(pixels with opaque panels, pixels with every panel blended, panels drawn opaque)
    of the same still frame."""
    hud = app.hud
    n = hud.opaque_draws
    app.frame(0.0, events=[])
    with_opaque, drawn = app.read_pixels().astype(int), hud.opaque_draws - n
    background, hud.background = hud.background, None
    try:
        app.frame(0.0, events=[])
        blended = app.read_pixels().astype(int)
    finally:
        hud.background = background
    return with_opaque, blended, drawn


def _still(app, n=40):
    command(app, cmd.SetSpeed(0))
    for _ in range(n):
        app.frame(1 / 60, events=[])


def test_panels_clear_of_the_graph_are_drawn_opaque_and_look_the_same(app):
    _still(app)
    a, b, drawn = _opaque_and_blended(app)
    assert drawn >= 5, "the side column and the control bar lie clear of the graph"
    assert np.abs(a - b).max() <= 2          # 8-bit rounding of the two ways of compositing


def test_with_the_graph_under_the_panels_they_are_blended_and_look_the_same(app):
    _still(app)
    _, _, at_home = _opaque_and_blended(app)
    command(app, cmd.ZoomCamera(2.0), cmd.OrbitCamera(0.3, 0.1))      # the graph under the panels
    _still(app, 60)
    a, b, drawn = _opaque_and_blended(app)
    assert drawn < at_home
    assert np.abs(a - b).max() <= 2


def test_the_graphs_screen_extent_holds_every_ball_and_its_labels(app):
    _still(app)
    view, proj = app.matrices()
    x, y, w, h = app.renderer.screen_extent(view, proj, app.size)
    xy, _ = project(app.layout.positions, view, proj, (0, 0, *app.size))
    assert (xy[:, 0] > x).all() and (xy[:, 0] < x + w).all()
    assert (xy[:, 1] > y).all() and (xy[:, 1] < y + h).all()
    # nothing the graph drew lies outside it: the frame there is the background
    app.frame(0.0, events=[])
    hud_draw, app.hud.draw = app.hud.draw, lambda *a, **k: None   # the graph alone
    try:
        app.frame(0.0, events=[])
        px = app.read_pixels().astype(int)
    finally:
        app.hud.draw = hud_draw
    bg = np.round(np.array(app.palette.background) * 255).astype(int)
    outside = np.ones(px.shape[:2], bool)
    outside[max(0, y):y + h, max(0, x):x + w] = False
    assert np.abs(px[outside] - bg).max() <= 1
    assert np.abs(px[~outside] - bg).max() > 50          # and inside it, the graph


def test_with_the_eye_among_the_balls_the_graph_may_be_anywhere(app):
    view, proj = app.matrices()
    behind = view.copy()
    behind[3, 2] = 5.0            # the world pushed behind the camera
    assert app.renderer.screen_extent(behind, proj, app.size) is None
