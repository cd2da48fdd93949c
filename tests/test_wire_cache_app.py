"""In the running exhibit the input sheet's cached wire layer is drawn again in the very
frame a stroke re-fires the graph, with that frame's numbers, and not at all while
nothing changes (render/wire_cache)."""
import numpy as np

from neuronlab import commands as cmd
from neuronlab.render.context import create_offscreen_framebuffer, read_rgb, release_framebuffer
from neuronlab.render.graph_pass import GraphPass
from tests.helpers import app_fixtures, finger, frames

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
        fbo = create_offscreen_framebuffer(app.ctx, app.size)
        fbo.use()
        fresh.draw(view, proj, (0, 0, *app.size), app.clock)
        picture = read_rgb(fbo)
        release_framebuffer(fbo)
        free = np.ones(shown.shape[:2], bool)    # where no HUD panel lies over the graph
        for x, y, w, h in app.stage.placed.values():
            free[max(0, y):y + h, max(0, x):x + w] = False
        assert free.mean() > 0.3
        # the same picture; the window's and a renderbuffer's blending round a few
        # pixels a level apart
        d = np.abs(shown[free].astype(int) - picture[free])
        assert d.max() <= 1 and (d > 0).mean() < 1e-3
        # and the next frame lays the same numbers in the cache
        frames(app, 1)
        assert cache.redraws == r + 1 and cache.front_pixels()[..., 3].max() > 100
    finally:
        fresh.release()
        app.frame(1 / 60, events=[finger("up", x + pad.w * 0.4, y, size=size)])
