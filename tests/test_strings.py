"""The strings table: every language says the same things with the same slots."""
from __future__ import annotations

import pytest

from neuronlab.strings import (LANGUAGE_NAMES, LANGUAGES, STRINGS, all_characters,
                               next_language, number, percent, placeholders, t)


def test_every_language_has_exactly_the_english_keys():
    assert set(STRINGS) == set(LANGUAGES)
    en = set(STRINGS["en"])
    for lang in LANGUAGES:
        assert set(STRINGS[lang]) == en, (lang, en ^ set(STRINGS[lang]))


def test_placeholders_match_across_languages():
    for key, text in STRINGS["en"].items():
        for lang in LANGUAGES:
            assert placeholders(STRINGS[lang][key]) == placeholders(text), (lang, key)


def test_no_text_is_empty_or_untranslated_by_accident():
    # Texts that are legitimately the same in both languages (names, symbols, loanwords).
    same_ok = {"stat.status", "speed.level", "wires.signal", "speed.pause", "inspector.bias",
               "stat.lr", "data.arch"}
    for key, text in STRINGS["en"].items():
        assert text.strip(), key
        assert STRINGS["de"][key].strip(), key
        if key not in same_ok:
            assert STRINGS["de"][key] != text, key


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
              "scene.probe", "reset.button", "language.switch", "attract.invite",
              "attract.tour_draw", "attract.tour_fire", "attract.tour_neuron",
              "attract.tour_learn", "hint.draw", "hint.tap", "notice.diverged",
              "reset.learning"]
    missing = [k for k in needed if k not in STRINGS["en"]]
    assert missing == []


def test_t_formats_and_falls_back_to_english(monkeypatch):
    assert t("inspector.rest", "en", n=240) == "The other 240, added up"
    assert t("inspector.rest", "de", n=240) == "Die übrigen 240, zusammengezählt"
    monkeypatch.setitem(STRINGS, "de", {k: v for k, v in STRINGS["de"].items() if k != "hint.tap"})
    assert t("hint.tap", "de") == STRINGS["en"]["hint.tap"]
    assert t("hint.tap", "xx") == STRINGS["en"]["hint.tap"]  # unknown language


def test_t_never_raises():
    assert t("no.such.key", "de") == "no.such.key"
    assert t("inspector.rest", "en") == "The other {n}, added up"  # value not given
    assert t("title", "en", unused=1) == "Neuron Lab"


def test_language_button_names_the_other_language():
    for lang in LANGUAGES:
        other = next_language(lang)
        assert other != lang
        assert t("language.switch", lang) == LANGUAGE_NAMES[other]
    assert next_language("de", ("en", "de")) == "en"
    assert next_language("fr", ("en", "de")) == "en"
    assert next_language("en", ()) == "en"


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
    assert {"η", "∇", "ü", "ß", "→", "−", "…"} <= chars
    assert "\t" not in chars
