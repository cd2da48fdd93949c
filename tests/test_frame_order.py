"""The one-way frame on the real exhibit (headless, a small window): commands land at one
point of the frame, the tour switches scenes by command, overlays are painted last, the
loss history follows training steps, and the stats show a dash until speed is measured."""
import ast
import os
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")

import numpy as np
import pytest

from neuronlab import commands as cmd
from neuronlab.scenes.attract import AttractTour
from neuronlab.session import Neuron
from neuronlab.view import anim as anim_mod

from helpers import app_fixtures, command, frames

SIZE = (640, 360)


shared_app, app = app_fixtures(SIZE, seed=4, iters_per_frame=4, run_gradcheck=False)


@pytest.fixture
def clean(app):
    """A reset exhibit, paused in the graph."""
    command(app, cmd.SetSpeed(0))
    return app


def test_commands_wait_for_the_frame_and_are_applied_once_at_one_point(clean, monkeypatch):
    app = clean
    # GIVEN commands queued between frames
    app.apply(cmd.SwitchScene("probe"))
    app.apply(cmd.SetWiresMode("gradient"))
    # THEN nothing has changed yet
    assert app.scene_name == "graph" and app.session.wire_mode == "signal"
    flushes = []
    real = app.exhibit.flush
    monkeypatch.setattr(app.exhibit, "flush", lambda: flushes.append(real()) or flushes[-1])
    frames(app, 3)
    # WHEN three frames ran: one flush each, the two commands carried out by the first
    assert flushes == [2, 0, 0]
    assert app.scene_name == "probe" and app.session.wire_mode == "gradient"
    assert app.exhibit.pending == ()


def test_the_tour_switches_scene_by_command_never_mid_update(clean):
    app = clean
    ex = app.exhibit
    tour = AttractTour(ex, seed=5, default_speed=4)
    tour.start()
    before = app.scene_name
    for _ in range(400):                       # until the tour asks for another scene
        tour.update(0.05)
        asked = [c.name for c in ex.pending if isinstance(c, cmd.SwitchScene)]
        if asked and asked[-1] != before:
            break
        ex.flush()
    # The tour asked by command; the scene is still the old one until the frame applies it.
    assert asked and asked[-1] in ("draw", "graph") and app.scene_name == before
    target = asked[-1]
    frames(app, 1)
    assert app.scene_name == target
    tour.stop()
    frames(app, 1)
    # No part of the tour calls into the exhibit's scene switching directly.
    import neuronlab.scenes.attract as attract_mod

    tree = ast.parse(Path(attract_mod.__file__).read_text())
    names = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    assert "switch_scene" not in names and "_switch" not in names


def test_a_touched_wire_is_lit_at_full_alpha_while_the_forward_sweep_runs(clean):
    app = clean
    # GIVEN a neuron open in the Inspector, one of its wires touched
    command(app, cmd.Select(Neuron(2, 4)), cmd.SwitchScene("inspector"))
    frames(app, 3, dt=0.25)                    # past the last sweep's minimum interval
    wire = (2, 3, 4)
    k = app.layout.wire_index(*wire)
    # WHEN the displayed input changes (a sweep starts) with the wire lit
    command(app, cmd.Highlight(wire), cmd.SetPad(np.eye(16, dtype=np.float32)), cmd.ShowDrawing())
    anim = app.renderer.anim
    assert anim.t - anim.sweep_start < anim_mod.SWEEP_S   # the sweep is running in this frame
    arrays = app.last_arrays
    # THEN the touched wire is painted over the sweep: white at alpha 1.0
    np.testing.assert_array_equal(arrays.wire_rgba[k], (1.0, 1.0, 1.0, 1.0))
    # ...while its layer's other wires are dimmed by the sweep
    others = np.flatnonzero(app.layout.wire_layer == 2)
    assert float(np.median(arrays.wire_rgba[others, 3])) < 0.9
    assert arrays.ball_glow[app.layout.neuron(1, 3)] == 1.0


def test_the_loss_history_gets_its_points_as_training_steps_not_as_the_sample_changes(clean):
    app = clean
    hist = app.exhibit.history
    command(app, cmd.Reset(), cmd.SetSpeed(16))
    assert hist.samples == [0]                   # the plot starts where the run does
    app.session.pace.stop()                      # the chosen speed, not the story's
    shown0 = app.session.input_version
    frames(app, 30)
    # a point each time `every` more samples were trained, whatever the sample on display did
    gaps = np.diff(hist.samples)
    assert len(hist) >= 10 and gaps.min() >= hist.every and gaps.max() < hist.every + 16 * 32
    assert app.session.input_version - shown0 <= 3      # the sample on display changed far less
    assert hist.loss[-1] == pytest.approx(app.session.trainer.stats.train_loss, rel=0.2)
    # the sample on display changes without training: no new point
    command(app, cmd.SetSpeed(0))
    n = len(hist)
    for d in (1, 2, 3):
        command(app, cmd.SetPad(np.roll(np.eye(16, dtype=np.float32), d, 0)), cmd.ShowDrawing())
        command(app, cmd.ShowTraining())
    assert len(hist) == n


def test_the_stats_show_a_dash_for_speed_until_it_is_measured():
    from neuronlab import strings
    from neuronlab.common_panels import DASH, speed_text, stats_rows
    from neuronlab.session import Session

    # GIVEN a fresh session, training: no rate window has passed yet
    ses = Session(seed=1)
    tr = lambda key, **fmt: strings.t(key, "en", **fmt)   # noqa: E731
    assert ses.training_active and ses.trainer.stats.samples_per_sec == 0.0
    assert speed_text(tr, ses) == DASH
    assert (tr("stat.speed"), DASH) in stats_rows(tr, ses)
    # WHEN it has trained long enough to measure, THEN the measured rate is shown
    for _ in range(100_000):
        ses.update()
        if ses.trainer.stats.samples_per_sec > 0:
            break
    rate = ses.trainer.stats.samples_per_sec
    assert rate > 0
    assert speed_text(tr, ses) == strings.t("stat.speed_value", "en", rate=f"{rate:,.0f}")
    ses.set_speed(0)                               # paused: nothing is trained
    assert speed_text(tr, ses) == strings.t("stat.speed_value", "en", rate="0")


def test_the_inspector_draws_the_bars_its_layout_step_placed(clean):
    app = clean
    command(app, cmd.Select(Neuron(3, 2)), cmd.SwitchScene("inspector"))
    frames(app, 1)
    insp = app.scenes["inspector"]
    sums = insp.sums
    assert sums is not None and len(insp.bar_rects) == len(sums.rows.sources)
    contrib, _, _ = app.session.contributions(Neuron(3, 2))
    assert insp.bar_rects[0][1] == int(np.argmax(np.abs(contrib)))
    insp.render(app.stage, app.stage.regions.side.w)      # drawing reads the layout...
    assert insp.sums is sums                             # ...and never refills it
    side = app.stage.regions.side
    assert all(side.contains(r) for r, _ in insp.bar_rects)


def test_a_stroke_cut_by_leaving_the_scene_leaves_no_stray_ink(clean):
    from helpers import finger

    app = clean
    command(app, cmd.SwitchScene("draw"), cmd.ClearPad())
    draw = app.scenes["draw"]
    r = draw.pad_rect(app.stage)
    x, y = r.x + 4.5 * r.w / 16, r.y + 4.5 * r.h / 16
    b = next(b for b in app.controls.bar.buttons if b.action == ("scene", "graph"))
    bx, by = b.rect.center
    # GIVEN a finger painting, WHEN another finger taps Graph and the first moves on in
    # the same frame, THEN the scene is left and the move after it paints nothing
    frames(app, 1, [finger("down", x, y, 1, SIZE), finger("down", bx, by, 2, SIZE)])
    ink = draw.pad.image.copy()
    frames(app, 1, [finger("up", bx, by, 2, SIZE), finger("move", x + r.w / 2, y, 1, SIZE)])
    assert app.scene_name == "graph"
    np.testing.assert_array_equal(draw.pad.image, ink)
    assert ink.sum() > 0 and draw.pad.active_strokes == 0
    frames(app, 1, [finger("up", x + r.w / 2, y, 1, SIZE)])
