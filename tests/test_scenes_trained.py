"""Scenes over a network that has learned: probe answers, the inspector's lit wire, languages."""
import os

os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")

import numpy as np

from neuronlab import strings
from neuronlab.nn import digits, pad
from neuronlab.session import Neuron

from helpers import app_fixtures, finger, switch

SIZE = (1280, 720)


shared_app, app = app_fixtures(SIZE, trained=True, seed=5, run_gradcheck=False)


def tap(app, x, y, fid=3):
    app.frame(1 / 60, events=[finger("down", x, y, fid)])
    app.frame(1 / 60, events=[finger("up", x, y, fid)])


def test_each_clean_digit_sent_from_probe_is_answered_correctly(app):
    switch(app, "probe")
    probe = app.scenes["probe"]
    answers = {}
    for d in range(10):
        b = next(b for b in probe.bar.buttons if b.action == f"digit:{d}")
        tap(app, *b.rect.center)
        assert app.session.label == d
        np.testing.assert_allclose(app.session.x, pad.to_network(digits.clean_digit(d)), atol=1e-6)
        answers[d] = int(np.argmax(app.session.fw.p))
    assert answers == {d: d for d in range(10)}
    assert app.session.status == "probing"


def test_touching_an_inspector_bar_lights_that_wire_and_its_source(app):
    # paused: a frame renders the state it started from, and training within it may move
    # the sample on display, so the bars and the session agree only when nothing trains
    app.session.set_speed(0)
    switch(app, "graph")
    app.session.select(Neuron(2, 4))
    switch(app, "inspector")
    app.frame(1 / 60, events=[])
    insp = app.scenes["inspector"]
    assert insp.bar_rects, "the inspector lists bars"
    rect, src = insp.bar_rects[0]
    contrib, _, _ = app.session.contributions(Neuron(2, 4))
    assert src == int(np.argmax(np.abs(contrib)))  # the first bar is the largest contribution
    x, y = rect.center
    app.frame(1 / 60, events=[finger("down", x, y, 8)])
    app.frame(1 / 60, events=[])
    assert app.session.highlight == (2, src, 4)
    k = app.layout.wire_index(2, src, 4)
    arrays = app.last_arrays
    assert tuple(arrays.wire_rgba[k]) == (1.0, 1.0, 1.0, 1.0)
    assert arrays.ball_glow[app.layout.neuron(1, src)] > 0.5
    app.frame(1 / 60, events=[finger("up", x, y, 8)])
    assert app.session.highlight is None


def test_the_language_button_switches_every_panel_to_german_and_back(app):
    switch(app, "graph")
    app.frame(1 / 60, events=[])
    lang_button = next(b for b in app.controls.bar.buttons if b.action == ("lang",))
    tap(app, *lang_button.rect.center)
    assert app.lang == "de"
    graph_button = next(b for b in app.controls.bar.buttons if b.action == ("scene", "graph"))
    assert graph_button.label == strings.t("scene.graph", "de")
    assert strings.t("super.title", "de") != strings.t("super.title", "en")
    lang_button = next(b for b in app.controls.bar.buttons if b.action == ("lang",))
    tap(app, *lang_button.rect.center)
    assert app.lang == "en"
