"""Watching it learn: the story pace after Start over, the time machine and knock-out,
on the real session and the real exhibit (headless)."""
import os

os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")

import numpy as np
import pytest

from neuronlab import checkpoint, strings
from neuronlab import commands as cmd
from neuronlab.common_panels import stats_rows
from neuronlab.history import LossHistory
from neuronlab.nn.mlp import PARAM_NAMES
from neuronlab.scenes import graph as graph_scene
from neuronlab.scenes.base import Stage
from neuronlab.session import Neuron, Session

import helpers
from helpers import app_fixtures, command, frames
from test_app import projected

SIZE = (960, 540)       # logic tests: a small window draws fast
FPS = 60

shared_app, app = app_fixtures(SIZE, seed=5, iters_per_frame=4, run_gradcheck=False)


def finger(kind, x, y, fid=1):
    return helpers.finger(kind, x, y, fid, size=SIZE)


def _flat(model):
    return np.concatenate([model.params[k].ravel() for k in PARAM_NAMES])


# ------------------------------------------------------------------ the story pace
def test_after_start_over_90_percent_is_first_shown_between_20_and_60_seconds():
    """The session's own per-frame hook, at 60 frames a second of exhibit time and the
    default speed: the accuracy the stats panel shows, read every frame."""
    ses = Session(seed=0)
    ses.reset_network(seed=0)
    shown_at, first_10s = None, 0
    for f in range(1, 75 * FPS):
        before = ses.trainer.stats.samples_seen
        ses.update(f / FPS)
        if f <= 10 * FPS:
            first_10s += ses.trainer.stats.samples_seen - before
        acc = ses.trainer.stats.test_accuracy
        if acc is not None and acc >= 0.9:
            shown_at = f / FPS
            # what the stats panel prints is that very measurement
            rows = dict(stats_rows(lambda k, **kw: k, ses))
            assert rows["stat.accuracy"] == strings.format_percent("en", acc, 1)
            assert ses.trainer.stats.test_measured_at == ses.trainer.stats.samples_seen
            break
    assert shown_at is not None and 20.0 <= shown_at <= 60.0, shown_at
    assert first_10s < 10 * FPS * 4 * 32 / 10      # the first guesses come slowly


def test_the_exhibit_learns_at_the_story_pace_after_start_over_then_at_the_chosen_speed(app):
    command(app, cmd.Reset())
    ses = app.session
    assert ses.pace.active and app.exhibit.history.samples == [0]
    seen0 = ses.trainer.stats.samples_seen
    frames(app, 60)
    per_frame = (ses.trainer.stats.samples_seen - seen0) / 60
    assert 0 < per_frame < 4 * 32 / 4           # well under the chosen x4 at the start
    ses.trainer.stats.samples_seen = 200_000     # far along the story: the pace lets go
    frames(app, 2)
    assert not ses.pace.active
    seen = ses.trainer.stats.samples_seen
    frames(app, 5)
    assert ses.trainer.stats.samples_seen - seen == 5 * 4 * 32


def test_the_summary_line_says_the_trainers_own_figures():
    line = graph_scene.story_text(lambda k, **f: strings.t(k, "en", **f), "en", 1200, 0.43)
    assert line == "It has seen 1,200 examples; it gets 4 in 10 right"
    de = graph_scene.story_text(lambda k, **f: strings.t(k, "de", **f), "de", 1200, 0.999)
    assert de == "Es hat 1.200 Beispiele gesehen; es liest 9 von 10 richtig"


# ------------------------------------------------------------------ the time machine
def _learn_a_little(app, frames_n=40):
    command(app, cmd.Reset(), cmd.SetSpeed(16))
    app.session.pace.stop()
    frames(app, frames_n)
    assert len(app.session.timeline.snapshots) >= 3


def test_a_past_step_shows_that_snapshots_forward_pass_and_now_comes_back_bit_for_bit(app, monkeypatch):
    _learn_a_little(app)
    ses = app.session
    shown = []
    real = graph_scene.panels.output_bars
    monkeypatch.setattr(graph_scene.panels, "output_bars",
                        lambda tr, s, p, *a, **k: shown.append(np.array(p)) or real(tr, s, p, *a, **k))
    live = _flat(ses.model).copy()
    n = Neuron(2, 3)
    command(app, cmd.Select(n), cmd.TimeTravel(1))
    snap = ses.timeline.snapshots[1]
    want = snap.model().forward(ses.x)
    np.testing.assert_array_equal(ses.fw.p, want.p)
    contrib, bias, z = ses.contributions(n)              # what the Inspector sums
    assert z == float(want.z2[n.index])
    np.testing.assert_array_equal(contrib, want.a1 * snap.params["W2"][:, n.index])
    assert bias == float(snap.params["b2"][n.index])
    frames(app, 3)
    np.testing.assert_array_equal(shown[-1], want.p)     # the answer bars drawn
    # training waits in the past
    seen = ses.trainer.stats.samples_seen
    frames(app, 10)
    assert ses.trainer.stats.samples_seen == seen and app.exhibit.snapshot().past == snap.samples_seen
    app.apply(cmd.BackToNow())
    app.exhibit.flush()                                  # the frame's point of change
    np.testing.assert_array_equal(_flat(ses.model), live)
    frames(app, 3)
    assert ses.trainer.stats.samples_seen > seen         # and resumes from now


def test_the_visitors_drawing_refires_with_the_weights_of_the_past(app):
    _learn_a_little(app)
    ses = app.session
    img = np.zeros((16, 16), np.float32)
    img[3:13, 7:9] = 1.0
    command(app, cmd.SwitchScene("draw"), cmd.SetPad(img), cmd.TimeTravel(0))
    snap = ses.timeline.snapshots[0]
    assert snap.samples_seen == 0
    np.testing.assert_array_equal(ses.fw.p, snap.model().forward(ses.x).p)
    assert ses.source == "draw"


def test_dragging_the_slider_travels_and_back_to_now_returns(app):
    _learn_a_little(app)
    ses = app.session
    sl = app.scene.slider
    live = _flat(ses.model).copy()
    y = sl.track.centery
    frames(app, 1, [finger("down", sl.track.x + 1, y, fid=7)])
    frames(app, 1, [finger("move", sl.x_of(1), y, fid=7)])
    frames(app, 1, [finger("up", sl.x_of(1), y, fid=7)])
    assert ses.in_past and ses.timeline.showing == 1
    np.testing.assert_array_equal(_flat(ses.model), ses.timeline.snapshots[1].flat)
    command(app, cmd.SetSpeed(0))              # so no step trains right after the return
    b = app.scene.back.rect
    assert app.scene.back.enabled and b.h / app.stage.regions.px_per_mm >= 9.0   # touch-sized
    frames(app, 1, [finger("down", *b.center, fid=8)])
    frames(app, 2, [finger("up", *b.center, fid=8)])
    assert not ses.in_past
    np.testing.assert_array_equal(_flat(ses.model), live)


def test_the_idle_reset_brings_now_back(app):
    _learn_a_little(app)
    live = _flat(app.session.model).copy()
    command(app, cmd.TimeTravel(0))
    app.apply(cmd.ResetVisitor(speed=4))
    app.exhibit.flush()
    assert not app.session.in_past
    np.testing.assert_array_equal(_flat(app.session.model), live)


# ------------------------------------------------------------------ knock-out
def _forward_with_unit_zeroed(model, X, layer, index):
    P = model.params
    a1 = np.maximum(X @ P["W1"] + P["b1"], 0)
    if layer == 1:
        a1[:, index] = 0
    a2 = np.maximum(a1 @ P["W2"] + P["b2"], 0)
    if layer == 2:
        a2[:, index] = 0
    return np.argmax(a2 @ P["W3"] + P["b3"], axis=1)


def test_a_long_press_switches_a_neuron_off_and_the_digits_shown_are_a_forward_pass_without_it(
        app, trained_model, monkeypatch):
    ses = app.session
    ses.model.set_params(trained_model.params)
    command(app, cmd.SetSpeed(0))
    x, y = projected(app, 1, 4)
    frames(app, 1, [finger("down", x, y, fid=3)])
    frames(app, 42)                                        # 0.7 s held still
    frames(app, 2, [finger("up", x, y, fid=3)])
    assert ses.knockout.off_units == [(1, 4)]
    off, full = ses.knockout_accuracy()
    pred = _forward_with_unit_zeroed(ses.model, ses.test_X, 1, 4)
    right = pred == ses.test_y
    np.testing.assert_array_equal(off.correct, np.bincount(ses.test_y[right], minlength=10))
    np.testing.assert_array_equal(off.per_digit, off.correct / np.bincount(ses.test_y, minlength=10))
    assert full.overall == pytest.approx(float(np.mean(ses.model.predict(ses.test_X) == ses.test_y)))
    placed = {}
    real_panel = Stage.panel
    monkeypatch.setattr(Stage, "panel", lambda self, name, key, render, pos:
                        placed.setdefault(name, real_panel(self, name, key, render, pos)))
    side = app.stage.regions.side
    for lang in ("en", "de", "fr", "es", "nl"):       # on screen, inside the scene's column
        placed.clear()
        command(app, cmd.SetLanguage(lang))
        assert side.contains(placed["knockout"]), (lang, placed["knockout"], side)
    command(app, cmd.SetLanguage("en"))
    # the ball greyed and unlit, its wires dark
    arrays = app.last_arrays
    k = app.layout.neuron(1, 4)
    assert arrays.ball_glow[k] == 0.0
    wires = (app.layout.wire_src == k) | (app.layout.wire_dst == k)
    assert float(arrays.wire_rgba[wires, 3].max()) <= 0.12
    assert ses.fw.a1[4] == 0.0
    # a second long press switches it back on; a short tap does not count
    frames(app, 1, [finger("down", x, y, fid=3)])
    frames(app, 42)
    frames(app, 2, [finger("up", x, y, fid=3)])
    assert ses.knockout.off_units == [] and ses.knockout_accuracy() is None


def test_nothing_of_the_knockout_survives_leaving_or_the_idle_reset(app):
    ses = app.session
    command(app, cmd.KnockOut(Neuron(2, 1)), cmd.KnockOut(Neuron(1, 0)), cmd.KnockOut(Neuron(3, 0)))
    assert ses.knockout.off_units == [(1, 0), (2, 1)]          # output neurons stay on
    assert ses.fw.a2[1] == 0.0 and ses.fw.a1[0] == 0.0
    command(app, cmd.ResetVisitor(speed=4))
    assert ses.knockout.off_units == [] and app.exhibit.snapshot().units_off == ()
    np.testing.assert_array_equal(ses.fw.p, ses.model.forward(ses.x).p)
    command(app, cmd.KnockOut(Neuron(1, 2)), cmd.SwitchScene("draw"))
    assert ses.knockout.off_units == []


# ------------------------------------------------------------------ the plot across a resume
def test_the_plot_is_kept_in_the_checkpoint_and_comes_back(tmp_path, app):
    _learn_a_little(app)
    hist = app.exhibit.history
    assert len(hist) >= 5 and hist.samples[0] == 0
    path = tmp_path / "ck.npz"
    ck = checkpoint.Checkpointer(path, 1.0, extra=lambda: {"history": hist.save()})
    assert ck.save(app.session.trainer)
    _, meta = checkpoint.load_checkpoint(path)
    back = LossHistory()
    assert back.load(meta["history"])
    assert back.samples == hist.samples and back.every == hist.every
    np.testing.assert_array_equal(np.array(back.loss), np.array(hist.loss))
    assert meta["samples_seen"] == app.session.trainer.stats.samples_seen
