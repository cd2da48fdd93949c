"""The catalogues: every language says the same things with the same slots."""
from __future__ import annotations

import pytest

from neuronlab import strings
from neuronlab.strings import (DEFAULT_OFFER, all_characters, catalogue, english, keys,
                               language_name, languages, next_language, number, percent,
                               placeholders, switch_label, t)

SHIPPED = ("en", "de", "es", "fr", "nl")
# Texts that are rightly the same as the English in a language (names, symbols, loanwords).
SAME_OK = {
    "de": {"stat.status", "speed.level", "wires.signal", "speed.pause", "inspector.bias",
           "stat.lr", "data.arch"},
    "es": {"speed.level", "inspector.total", "inspector.error"},
    "fr": {"speed.level", "inspector.total", "wires.signal", "wires.gradient", "speed.pause"},
    "nl": {"speed.level", "stat.parameters", "stat.status", "inspector.neuron", "inspector.bias"},
}


def test_the_five_languages_ship():
    assert set(SHIPPED) <= set(languages())
    assert languages()[0] == "en"


@pytest.mark.parametrize("lang", SHIPPED[1:])
def test_every_language_translates_every_key(lang):
    table = catalogue(lang)     # read once: each call parses the .po file afresh
    missing = [k for k in keys() if not table.get(k, "").strip()]
    assert missing == [], (lang, missing)


@pytest.mark.parametrize("lang", SHIPPED[1:])
def test_placeholders_match_english(lang):
    table = catalogue(lang)
    wrong = [k for k in keys() if placeholders(table[k]) != placeholders(english(k))]
    assert wrong == [], (lang, wrong)


@pytest.mark.parametrize("lang", SHIPPED[1:])
def test_no_text_is_left_in_english_by_accident(lang):
    table = catalogue(lang)
    same = {k for k in keys() if table[k] == english(k)}
    assert same <= SAME_OK[lang], same - SAME_OK[lang]


def test_the_texts_the_exhibit_needs_are_there():
    needed = ["title", "intro", "stat.epoch", "stat.samples", "stat.loss", "stat.accuracy",
              "stat.parameters", "stat.status", "stat.speed", "stat.lr", "stat.batch",
              "status.idle", "status.training", "status.paused", "status.probing",
              "status.drawing", "gradcheck.pending", "gradcheck.passed", "gradcheck.failed",
              "legend.forward", "legend.excite", "legend.inhibit", "legend.backward",
              "legend.pulse", "legend.lines", "legend.balls", "wires.title", "wires.signal",
              "wires.weight", "wires.gradient", "camera.hint", "known.explain",
              "inspector.rest", "bright.body", "super.withheld", "output.sum", "probe.clean",
              "probe.random", "draw.eraser", "draw.clear", "draw.receives", "data.body",
              "speed.pause", "speed.step", "scene.graph", "scene.inspect", "scene.draw",
              "scene.probe", "reset.button", "language.name", "attract.invite",
              "attract.tour_draw", "attract.tour_fire", "attract.tour_neuron",
              "attract.tour_learn", "hint.draw", "hint.tap", "notice.diverged",
              "reset.learning"]
    assert [k for k in needed if k not in keys()] == []


def test_t_formats_and_falls_back_to_english():
    assert t("inspector.rest", "en", n=240) == "The other 240, added up"
    assert t("inspector.rest", "de", n=240) == "Die übrigen 240, zusammengezählt"
    assert t("inspector.rest", "fr", n=240) == "Les 240 autres, additionnées"
    assert t("hint.tap", "xx") == english("hint.tap") == "Tap a ball to look inside"


def test_t_never_raises():
    assert t("no.such.key", "de") == "no.such.key"
    assert t("inspector.rest", "en") == "The other {n}, added up"  # value not given
    assert t("title", "en", unused=1) == "Neuron Lab"


def test_each_language_has_its_own_name():
    names = {code: language_name(code) for code in SHIPPED}
    assert names == {"en": "English", "de": "Deutsch", "es": "Español", "fr": "Français",
                     "nl": "Nederlands"}


def test_language_button_names_the_language_it_switches_to():
    assert DEFAULT_OFFER == ("en", "de")
    assert t("language.switch", "en") == "Deutsch" and t("language.switch", "de") == "English"
    assert next_language("de", ("en", "de")) == "en"
    assert next_language("fr", ("en", "de")) == "en"
    assert next_language("en", ()) == "en"
    assert switch_label("fr", ("fr", "nl")) == "Nederlands"
    # with more than two on offer the button names the current language (it opens a picker)
    assert switch_label("es", SHIPPED) == "Español"


@pytest.mark.parametrize("x, lang, dec, want", [
    (12345.67, "en", 1, "12,345.7"),
    (12345.67, "de", 1, "12.345,7"),
    (4446, "de", 0, "4.446"),
    (0.0123, "de", 4, "0,0123"),
])
def test_number_uses_each_languages_marks(x, lang, dec, want):
    assert number(x, lang, dec) == want


def test_percent():
    assert percent(0.9734, "en") == "97.3%"
    assert percent(0.9734, "de") == "97,3\u00a0%"


def test_all_characters_lists_what_the_font_must_draw():
    chars = all_characters()
    assert {"η", "∇", "ü", "ß", "→", "−", "…", "é", "ñ", "¿", "\u202f"} <= chars
    assert "\t" not in chars


def test_the_bundled_font_draws_every_character():
    pygame = pytest.importorskip("pygame")
    from neuronlab.ui import text

    pygame.font.init()
    for bold in (False, True):
        f = text.font(20, bold)
        chars = sorted(all_characters())
        missing = [c for c, m in zip(chars, f.metrics("".join(chars))) if m is None]
        assert missing == [], (bold, missing)


def test_french_punctuation_keeps_its_space_on_the_line():
    # French sets a space before : ; ? ! that must not wrap onto a line of its own
    loose = [k for k, v in catalogue("fr").items() for mark in ":;?!" if f" {mark}" in v]
    assert loose == []
    assert any("\u00a0:" in v for v in catalogue("fr").values())
