"""The language button through the real exhibit: two languages toggle; more open a picker
with each language in its own name, and a tap there speaks it."""
from __future__ import annotations

import pytest

from neuronlab.app import App

from helpers import finger, frames, reset


def _tap(app, rect):
    x, y = rect.center
    frames(app, 1, [finger("down", x, y, 21)])
    frames(app, 1, [finger("up", x, y, 21)])


def _lang_button(app):
    return next(b for b in app.controls.bar.buttons if b.action == ("lang",))


@pytest.fixture
def five():
    a = App((1280, 720), present=False, run_gradcheck=False, languages=("en", "de", "fr", "es", "nl"))
    yield a
    a.close()


def test_with_five_languages_the_button_opens_a_picker_in_their_own_names(five):
    reset(five)
    assert _lang_button(five).label == "English"          # the current one, a tap opens the rest
    _tap(five, _lang_button(five).rect)
    names = {b.action[1]: b.label for b in five.controls.picker.buttons}
    assert names == {"en": "English", "de": "Deutsch", "fr": "Français", "es": "Español",
                     "nl": "Nederlands"}
    assert "languages" in five.stage.shown
    fr = next(b for b in five.controls.picker.buttons if b.action == ("lang", "fr"))
    _tap(five, fr.rect)
    assert five.lang == "fr" and not five.controls.picker.buttons
    assert _lang_button(five).label == "Français"
    _tap(five, _lang_button(five).rect)                   # open, and a second tap closes it
    _tap(five, _lang_button(five).rect)
    assert not five.controls.picker.buttons and five.lang == "fr"


def test_the_idle_reset_closes_the_picker(five):
    reset(five)
    _tap(five, _lang_button(five).rect)
    assert five.controls.picker.buttons
    reset(five)
    assert not five.controls.picker.buttons and five.lang == "en"


def test_with_two_languages_a_tap_switches():
    a = App((1280, 720), present=False, run_gradcheck=False, languages=("en", "nl"))
    try:
        assert _lang_button(a).label == "Nederlands"
        _tap(a, _lang_button(a).rect)
        assert a.lang == "nl" and not a.controls.picker.buttons
        _tap(a, _lang_button(a).rect)
        assert a.lang == "en"
    finally:
        a.close()
