"""In the running exhibit the input sheet's cached wire layer is drawn again in the very
frame a stroke re-fires the graph, with that frame's numbers, and not at all while
nothing changes (render/wire_cache)."""
import numpy as np

from neuronlab import commands as cmd
from neuronlab.render.graph_pass import GraphPass
from tests.helpers import app_fixtures, command, finger, frames

shared_app, app = app_fixtures((640, 400))


def test_a_stroke_redraws_the_layer_in_its_frame_and_a_still_exhibit_draws_nothing(app):
    gp = app.renderer.graph_pass
    cache = gp.cache
    app.apply(cmd.SwitchScene("draw"))
    frames(app, 90)                                    # the view's scales settle
    # GIVEN the Draw scene with nothing happening: the layer is reused
    r, s, st = cache.redraws, cache.slices, cache.straight
    frames(app, 20)
    assert (cache.redraws, cache.slices, cache.straight) == (r, s, st)
    # WHEN a finger paints a stroke
    pad = app.scenes["draw"].pad_rect(app.stage)
    x, y = pad.x + pad.w * 0.3, pad.y + pad.h * 0.5
    size = app.size
    app.frame(1 / 60, events=[finger("down", x, y, size=size)])
    app.frame(1 / 60, events=[finger("move", x + pad.w * 0.4, y, size=size)])
    # THEN that very frame drew its wires straight onto the frame, with its numbers
    assert cache.straight >= st + 2 and app.session.pad_image.any()
    shown = app.read_pixels()
    fresh = GraphPass(app.ctx, app.layout, app.palette)
    try:
        view, proj = app.matrices()
        drawn = app.renderer._drawn[0]
        fresh.update(drawn)
        app.ctx.screen.use()                     # drawn where the exhibit drew it, HUD aside
        fresh.draw(view, proj, app.ctx.screen.viewport, app.clock)
        picture = app.read_pixels()
        free = np.ones(shown.shape[:2], bool)    # where no HUD panel lies over the graph
        for x, y, w, h in (app.hud.panels[n].rect for n in app.hud.order):
            free[max(0, y):y + h, max(0, x):x + w] = False
        assert free.mean() > 0.3
        np.testing.assert_array_equal(shown[free], picture[free])
        # and the next frame lays the same numbers in the cache
        frames(app, 1)
        assert cache.redraws == r + 1 and cache.front_pixels()[..., 3].max() > 100
    finally:
        fresh.release()
        app.frame(1 / 60, events=[finger("up", x + pad.w * 0.4, y, size=size)])


def test_the_forward_sweep_reaches_the_pass_as_a_gain_on_the_whole_sheet(app):
    from neuronlab.view import anim as anim_mod

    command(app, cmd.SetSpeed(0))
    frames(app, 3, dt=0.25)                    # past the last sweep's minimum interval
    # WHEN a new input is shown (a sweep starts)
    command(app, cmd.SetPad(np.eye(16, dtype=np.float32)), cmd.ShowDrawing())
    anim = app.renderer.anim
    assert anim.t - anim.sweep_start < anim_mod.SWEEP_S
    drawn, shown = app.renderer._drawn[0], app.last_arrays
    sheet = app.layout.wire_layer == 1
    lit = sheet & (drawn.wire_rgba[:, 3] > 0.05)
    # THEN the pass gets the sheet's wires without the sweep, and the sweep's (gain,
    # front) for the whole layer: the frame's arrays are exactly those with it applied
    assert lit.sum() > 20
    gain, front = drawn.sheet_sweep
    assert anim_mod.SWEEP_FLOOR <= gain < 1.0 and front > 0.0
    a = drawn.wire_rgba[sheet, 3]
    np.testing.assert_allclose(shown.wire_rgba[sheet, 3],
                               np.clip(a * gain + 0.25 * front * (a > 0), 0, 1), rtol=1e-5, atol=1e-6)
    assert (shown.wire_rgba[lit, 3] < drawn.wire_rgba[lit, 3]).mean() > 0.5   # most dimmed
    np.testing.assert_array_equal(drawn.wire_rgba[~sheet], shown.wire_rgba[~sheet])
    # and while the sweep runs the layer is not drawn again whole
    r, st = app.renderer.graph_pass.cache.redraws, app.renderer.graph_pass.cache.straight
    frames(app, 20)
    cache = app.renderer.graph_pass.cache
    assert cache.straight == st and cache.redraws <= r + 1
    assert app.renderer._drawn[0].sheet_sweep == (1.0, 0.0)   # over: nothing laid on
