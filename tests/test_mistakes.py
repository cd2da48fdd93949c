"""The Test scene leads with its mistakes, each labelled with the guess and the truth."""
import os

os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")

import numpy as np

from neuronlab import strings

from helpers import app_fixtures, finger, switch

SIZE = (1920, 1080)

shared_app, app = app_fixtures(SIZE, trained=True, seed=5, run_gradcheck=False)


def test_each_shown_mistake_names_the_guess_and_the_true_digit(app):
    app.session.set_speed(0)
    switch(app, "probe")
    app.frame(1 / 60, events=[])
    strip = app.scenes["probe"].mistakes
    stage = app.stage
    _, items, _ = strip.layout(stage)
    assert len(items) >= 3, "a trained network still misreads a few test digits"
    ses = app.session
    guesses = np.argmax(ses.model.forward(ses.test_X).z3, axis=1)
    labels = strip.labels(stage)
    for k in range(len(items)):
        idx = int(strip.indices[k])
        truth, guess = int(ses.test_y[idx]), int(guesses[idx])
        assert guess != truth
        assert labels[k] == f"it said {guess} · it was {truth}"
    assert strip.wrong_total == int(np.sum(guesses != ses.test_y))


def test_labels_speak_the_visitors_language():
    assert strings.t("mistakes.label", "de", guess=2, truth=7) == "es sagte 2 · es war 7"
    assert strings.t("mistakes.label", "nl", guess=2, truth=7) == "het zei 2 · het was 7"


def test_the_scene_opens_on_its_first_mistake_and_a_tap_opens_another(app):
    app.session.set_speed(0)
    switch(app, "graph")
    switch(app, "probe")
    app.frame(1 / 60, events=[])
    ses, strip = app.session, app.scenes["probe"].mistakes
    first = int(strip.indices[0])
    np.testing.assert_array_equal(ses.x, ses.test_X[first])
    assert ses.label == int(ses.test_y[first])
    assert int(np.argmax(ses.fw.p)) != ses.label           # it shows a wrong answer
    _, items, _ = strip.layout(app.stage)
    second = int(strip.indices[1])
    x, y = items[1].center
    app.frame(1 / 60, events=[finger("down", x, y, 4, SIZE)])
    app.frame(1 / 60, events=[finger("up", x, y, 4, SIZE)])
    np.testing.assert_array_equal(ses.x, ses.test_X[second])
    assert ses.label == int(ses.test_y[second])


def test_every_shown_label_fits_inside_its_item(app):
    switch(app, "probe")
    app.frame(1 / 60, events=[])
    strip, stage = app.scenes["probe"].mistakes, app.stage
    rect, items, _ = strip.layout(stage)
    from neuronlab.ui import text
    px = max(10, int(15 * stage.s))
    for lab, r in zip(strip.labels(stage), items):
        assert text.font(px).size(lab)[0] <= r.w
        assert rect.contains(r)
