"""Languages as data: a catalogue dropped into a locale folder is offered, numbers follow
each language's rules, and the config names an unknown language plainly."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from neuronlab import strings
from neuronlab.config import Config, load_config

ITALIAN = '''msgid ""
msgstr ""
"Language: it\\n"
"Content-Type: text/plain; charset=utf-8\\n"

msgctxt "language.name"
msgid "English"
msgstr "Italiano"

msgctxt "title"
msgid "Neuron Lab"
msgstr "Laboratorio dei neuroni"

msgctxt "inspector.rest"
msgid "The other {n}, added up"
msgstr "Gli altri {n}, sommati"

#, fuzzy
msgctxt "hint.tap"
msgid "Tap a ball to look inside"
msgstr "Tocca una palla"
'''


@pytest.fixture
def italian(tmp_path, monkeypatch):
    """An Italian catalogue in a museum's own locale folder, outside the package."""
    folder = tmp_path / "locale" / "it" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "neuronlab.po").write_text(ITALIAN, encoding="utf-8")
    monkeypatch.setenv(strings.LOCALE_ENV, str(tmp_path / "locale"))
    return tmp_path


def write(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "neuronlab.toml"
    p.write_text(body, encoding="utf-8")
    return p


def test_a_dropped_in_catalogue_is_a_language_without_code_changes(italian):
    assert "it" in strings.languages()
    assert strings.language_name("it") == "Italiano"
    assert strings.t("title", "it") == "Laboratorio dei neuroni"
    assert strings.t("inspector.rest", "it", n=7) == "Gli altri 7, sommati"
    # untranslated and fuzzy entries show the English
    assert strings.t("hint.tap", "it") == "Tap a ball to look inside"
    assert strings.t("stat.epoch", "it") == "Epoch"
    assert strings.format_count("it", 115328) == "115.328"
    cfg, problems = load_config(write(italian, '[ui]\nlanguage = "it"\nlanguages = ["it", "en", "fr"]\n'))
    assert problems == []
    assert cfg.ui.language == "it" and cfg.ui.languages == ("it", "en", "fr")


def test_a_compiled_mo_is_read_too(tmp_path, monkeypatch):
    folder = tmp_path / "it" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with open(folder / "neuronlab.mo", "wb") as fh:
        write_mo(fh, read_po(io.StringIO(ITALIAN)))
    monkeypatch.setenv(strings.LOCALE_ENV, str(tmp_path))
    assert "it" in strings.languages()
    assert strings.t("title", "it") == "Laboratorio dei neuroni"
    assert strings.language_name("it") == "Italiano"


def test_without_the_catalogue_the_language_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv(strings.LOCALE_ENV, str(tmp_path / "empty"))
    assert "it" not in strings.languages()
    p = write(tmp_path, '[ui]\nlanguages = ["en", "it"]\n')
    cfg, problems = load_config(p)
    assert cfg.ui.languages == Config().ui.languages == ("en", "de")
    assert len(problems) == 1
    line = problems[0]
    assert line.startswith(f'config {p}: [ui] languages = ["en", "it"] has "it", which is a '
                           f'language with no catalogue')
    assert '"en", "de", "es", "fr", "nl"' in line and "LC_MESSAGES/neuronlab.po" in line
    assert line.endswith('; using ["en", "de"]')


def test_a_garbled_catalogue_shows_english_and_the_exhibit_runs(tmp_path, monkeypatch, caplog):
    folder = tmp_path / "it" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "neuronlab.po").write_bytes(b'msgctxt "title"\nmsgid "Neuron Lab"\nmsgstr "unterminated\n\xff\xfe')
    monkeypatch.setenv(strings.LOCALE_ENV, str(tmp_path))
    assert strings.t("title", "it") == "Neuron Lab"
    assert any("cannot read" in r.getMessage() and "neuronlab.po" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("line, reason", [
    ('language = "DE"', 'is a language with no catalogue (did you mean "de"?)'),
    ('language = "de-AT"', '(did you mean "de"?)'),
    ('languages = ["en", "en"]', "names a language twice"),
    ('languages = ["en", 4]', "has an item that should be text in quotes"),
])
def test_config_names_the_bad_language(tmp_path, line, reason):
    p = write(tmp_path, f"[ui]\n{line}\n")
    cfg, problems = load_config(p)
    assert len(problems) == 1 and reason in problems[0], problems
    assert cfg.ui == Config().ui


def test_the_first_language_must_be_on_offer(tmp_path):
    p = write(tmp_path, '[ui]\nlanguage = "fr"\nlanguages = ["nl", "es", "de"]\n')
    cfg, problems = load_config(p)
    assert problems == [f'config {p}: [ui] language = "fr" is not one of languages '
                        f'("nl", "es", "de"); using "nl"']
    assert cfg.ui.language == "nl" and cfg.ui.languages == ("nl", "es", "de")


def test_attract_cycle_takes_any_installed_language(tmp_path):
    cfg, problems = load_config(write(tmp_path, '[kiosk]\nattract_language_cycle = ["fr", "es", "nl"]\n'))
    assert problems == [] and cfg.kiosk.attract_language_cycle == ("fr", "es", "nl")
    cfg, problems = load_config(write(tmp_path, '[kiosk]\nattract_language_cycle = ["fr", "zz"]\n'))
    assert len(problems) == 1 and 'has "zz", which is a language with no catalogue' in problems[0]


NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize("lang, count, pct, dec, signed", [
    ("en", "115,328", "97.9%", "0.053", "-0.120"),
    ("de", "115.328", f"97,9{NBSP}%", "0,053", "-0,120"),
    ("es", "115.328", f"97,9{NBSP}%", "0,053", "-0,120"),
    ("fr", f"115{NNBSP}328", f"97,9{NBSP}%", "0,053", "-0,120"),
    ("nl", "115.328", "97,9%", "0,053", "-0,120"),
])
def test_numbers_are_written_the_way_each_language_writes_them(lang, count, pct, dec, signed):
    assert strings.format_count(lang, 115328) == count
    assert strings.format_percent(lang, 0.9791, 1) == pct
    assert strings.format_decimal(lang, 0.0531, 3) == dec
    assert strings.format_decimal(lang, -0.12, 3, signed=True) == signed
    assert strings.format_decimal(lang, 0.12, 3, signed=True)[0] == "+"


def test_significant_and_scientific_forms():
    assert strings.format_significant("de", 0.05) == "0,05"
    assert strings.format_significant("en", 0.0125) == "0.0125"
    assert strings.format_significant("fr", 0.123456) == "0,1235"
    assert strings.format_significant("de", 0.0) == "0"
    assert strings.format_scientific("en", 1.234e-9) == "1.2E-09"
    assert strings.format_scientific("de", 3.21e-5, 2) == "3,21E-05"


def test_number_edge_cases():
    assert strings.format_count("de", 1234567.6) == "1.234.568"
    assert strings.format_percent("de", 1.0, 0) == f"100{NBSP}%"
    assert strings.format_decimal("de", float("nan")) == "—"
    assert strings.format_percent("en", None) == "—"
    assert strings.format_count("xx", 4446) == "4,446"  # an unknown locale writes English
