"""In the running exhibit a stroke on the pad reaches the input sheet's cached wire layer
within a few frames, with the numbers of its moment, never drawn straight onto the frame;
and a still exhibit draws nothing (render/wire_cache)."""
import numpy as np

from neuronlab import commands as cmd
from neuronlab.graph_renderer import SAMPLE_FRAMES
from neuronlab.render.graph_pass import GraphPass
from neuronlab.render.wire_cache import same_rows
from tests.helpers import app_fixtures, command, finger, frames

shared_app, app = app_fixtures((640, 400))


def test_a_stroke_reaches_the_layer_in_a_few_frames_and_a_still_exhibit_draws_nothing(app):
    gp = app.renderer.graph_pass
    cache = gp.cache
    app.apply(cmd.SwitchScene("draw"))
    frames(app, 90)                                    # the view's scales settle
    # GIVEN the Draw scene with nothing happening: the layer is reused
    r, s, st = cache.redraws, cache.slices, cache.straight
    frames(app, 20)
    assert (cache.redraws, cache.slices, cache.straight) == (r, s, st)
    # WHEN a finger paints a stroke, a move every frame
    pad = app.scenes["draw"].pad_rect(app.stage)
    x, y = pad.x + pad.w * 0.3, pad.y + pad.h * 0.5
    size = app.size
    app.frame(1 / 60, events=[finger("down", x, y, size=size)])
    for k in range(1, 9):
        app.frame(1 / 60, events=[finger("move", x + pad.w * 0.05 * k, y, size=size)])
    # THEN no frame drew the sheet straight: the layer was redrawn in slices beside them
    assert cache.straight == st and cache.slices >= s + 6 and app.session.pad_image.any()
    # AND the layer on display holds the rows of the last stroke's frame, or of a later
    # one, within the slices of one redraw and its swap
    stroke_rows = gp._sheet_rows.copy()
    handed = [stroke_rows]
    for _ in range(2 * SAMPLE_FRAMES + 1):
        frames(app, 1)
        handed.append(gp._sheet_rows.copy())
        if any(same_rows(cache.rows, h) for h in handed):
            break
    assert any(same_rows(cache.rows, h) for h in handed), "the stroke never reached the layer"
    fresh = GraphPass(app.ctx, app.layout, app.palette)
    try:
        # AND once the view's scales settle, the screen shows what drawing the numbers of
        # the moment straight gives (up to the 8-bit layer, and where a sheet wire crosses
        # a deeper one: "over" laid in another order). Training paused: its drift reaches
        # the layer some frames later by design (the test below bounds how many), and so
        # does the settling of the view's scales, which takes a second or two
        command(app, cmd.SetSpeed(0))
        for _ in range(20):
            frames(app, 30)
            if cache.build is None and same_rows(cache.rows, gp._sheet_rows):
                break
        assert cache.build is None and same_rows(cache.rows, gp._sheet_rows), "the view never settled"
        shown = app.read_pixels()
        view, proj = app.matrices()
        fresh.update(app.renderer._drawn[0])
        app.ctx.screen.use()                     # drawn where the exhibit drew it, HUD aside
        fresh.draw(view, proj, app.ctx.screen.viewport, app.clock)
        picture = app.read_pixels()
        free = np.ones(shown.shape[:2], bool)    # where no HUD panel lies over the graph
        for px, py, w, h in (app.hud.panels[n].rect for n in app.hud.order):
            free[max(0, py):py + h, max(0, px):px + w] = False
        assert free.mean() > 0.3
        lit = picture[free].max(axis=1) > 40
        assert lit.sum() > 2000                  # wires and balls are in the picture
        off = np.abs(shown[free].astype(int) - picture[free]).max(axis=1) > 2
        assert off.sum() <= 0.002 * lit.sum()
        assert cache.front_pixels()[..., 3].max() > 100
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


def test_while_training_the_layer_follows_the_weights_within_two_drift_redraws(app):
    from neuronlab.graph_renderer import DRIFT_FRAMES

    cache = app.renderer.graph_pass.cache
    gp = app.renderer.graph_pass
    frames(app, 30)                                    # training at the home view
    assert app.session.training_active
    handed, swaps, straight, stalest = [], cache.swaps, cache.straight, 0
    for i in range(6 * DRIFT_FRAMES):
        frames(app, 1)
        handed.append(gp._sheet_rows.copy())
        if i < 2 * DRIFT_FRAMES + 2:
            continue                                   # the layer may predate the first frame here
        # THEN the layer on display holds the rows some recent frame handed over
        age = next((k for k, rows in enumerate(reversed(handed)) if same_rows(cache.rows, rows)), None)
        assert age is not None and age <= 2 * DRIFT_FRAMES + 1, age
        stalest = max(stalest, age)
    # AND it does move on: redrawn in slices and swapped in, never drawn straight
    assert cache.swaps >= swaps + 3 and cache.straight == straight and stalest >= 1
