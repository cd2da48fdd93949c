"""Every text a visitor can read and every number shown, in the visitor's language.

The texts live in gettext catalogues, the format translators' tools (Poedit, Weblate,
``pybabel``) read and write, under ``assets/locale`` (see ``locale_dirs()``):

- ``neuronlab.pot``: the English source. Each entry's ``msgctxt`` is the key the code asks
  for (``stat.epoch``), its ``msgid`` the English text.
- ``<code>/LC_MESSAGES/neuronlab.po`` (or a ``.mo`` made by ``msgfmt``): one language each.
  A folder added there is a language on offer, with no code change; ``[ui] languages``
  chooses which of them the language button offers.

A ``.po`` is compiled at load time (Babel) and read through the standard ``gettext``
runtime, so an entry that is missing, fuzzy or still empty, or whose English has changed
since it was translated, shows the English text. ``t(key, lang, **fmt)`` never raises: an
unknown key shows the key itself, a missing value leaves its ``{name}`` showing, a garbled
catalogue is logged and shows English. Every language uses the same ``{name}`` fields.

Numbers go through ``format_count`` / ``format_decimal`` / ``format_percent``, which follow
each language's CLDR rules through Babel: German "115.328" and "97,9 %", French
"115 328", English "115,328" and "97.9%".
"""
from __future__ import annotations

import copy
import gettext
import io
import logging
import math
import os
import re
import string
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel import numbers as _numbers

from neuronlab import resources

log = logging.getLogger(__name__)

DOMAIN = "neuronlab"
SOURCE_LANGUAGE = "en"
# What the language button offers when the config names nothing: today's two-language toggle.
DEFAULT_OFFER = ("en", "de")
# A language folder's name: "fr", "pt_BR", "gsw" (what gettext and Babel accept).
CODE_RE = re.compile(r"[a-z]{2,3}(_[A-Z]{2}|_[A-Z][a-z]{3})?")
# Extra folders searched before the bundled one (os.pathsep-separated): a museum's own
# catalogues, kept outside the installed package.
LOCALE_ENV = "NEURONLAB_LOCALE_DIR"


def bundled_locale_dir() -> Path:
    """The catalogues that ship with the exhibit (in the package's assets, however it was
    installed): the one place that knows where they lie."""
    return resources.asset_path("locale")


def locale_dirs() -> tuple[Path, ...]:
    """Where catalogues are looked for, first match wins: ``$NEURONLAB_LOCALE_DIR``, then
    the bundled folder."""
    extra = [Path(p) for p in os.environ.get(LOCALE_ENV, "").split(os.pathsep) if p.strip()]
    return (*extra, bundled_locale_dir())


def _catalogue_file(folder: Path, code: str) -> Path | None:
    for ext in (".po", ".mo"):
        path = folder / code / "LC_MESSAGES" / (DOMAIN + ext)
        if path.is_file():
            return path
    return None


def _scan(dirs: tuple[Path, ...]) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for folder in dirs:
        if not folder.is_dir():
            continue
        for sub in sorted(folder.iterdir()):
            if sub.name in found or sub.name == SOURCE_LANGUAGE or not CODE_RE.fullmatch(sub.name):
                continue
            path = _catalogue_file(folder, sub.name)
            if path is not None:
                found[sub.name] = path
    return found


def languages() -> tuple[str, ...]:
    """Every language there is a catalogue for, English first, the rest by code."""
    return (SOURCE_LANGUAGE, *sorted(_scan(locale_dirs())))


def _read_po(path: Path, locale: str | None):
    from babel.messages.pofile import read_po  # only needed while loading

    with open(path, "rb") as fh:
        return read_po(fh, locale=locale, domain=DOMAIN, abort_invalid=True)


def _compile(path: Path, code: str) -> gettext.NullTranslations:
    """A catalogue as the gettext runtime reads it: a .po compiled to .mo in memory."""
    if path.suffix == ".mo":
        with open(path, "rb") as fh:
            return gettext.GNUTranslations(fh)
    from babel.messages.mofile import write_mo

    buf = io.BytesIO()
    write_mo(buf, _read_po(path, code))  # fuzzy entries are left out, as msgfmt does
    buf.seek(0)
    return gettext.GNUTranslations(buf)


class _Library:
    """The English source and every language's full table, loaded once per set of folders."""

    def __init__(self, dirs: tuple[Path, ...]):
        self.english: dict[str, str] = {}
        template = next((d / (DOMAIN + ".pot") for d in dirs if (d / (DOMAIN + ".pot")).is_file()), None)
        if template is None:
            log.error("no %s.pot in %s: texts show their keys", DOMAIN, ", ".join(map(str, dirs)))
        else:
            try:
                self.english = {m.context: m.id for m in _read_po(template, None)
                                if m.id and m.context and isinstance(m.id, str)}
            except Exception as err:  # a garbled template: keys show, the exhibit runs
                log.error("cannot read %s (%s): texts show their keys", template, err)
        self.files = _scan(dirs)
        self.tables: dict[str, dict[str, str]] = {SOURCE_LANGUAGE: self.english}

    def table(self, code: str) -> dict[str, str]:
        table = self.tables.get(code)
        if table is None:
            table = self.english
            path = self.files.get(code)
            if path is not None:
                try:
                    cat = _compile(path, code)
                    table = {key: cat.pgettext(key, en) for key, en in self.english.items()}
                except Exception as err:  # garbled file: this language shows English
                    log.warning("cannot read %s (%s): %s shows English", path, err, code)
            self.tables[code] = table
        return table

    def translated(self, code: str) -> dict[str, str]:
        """The entries ``code`` really translates (not falling back to English)."""
        if code == SOURCE_LANGUAGE:
            return dict(self.english)
        path = self.files.get(code)
        if path is None:
            return {}
        if path.suffix == ".mo":
            from babel.messages.mofile import read_mo

            with open(path, "rb") as fh:
                cat = read_mo(fh)
        else:
            cat = _read_po(path, code)
        out = {}
        for key, en in self.english.items():
            m = cat.get(en, context=key)
            if m is not None and m.string and not m.fuzzy:
                out[key] = m.string
        return out


@lru_cache(maxsize=4)
def _library(env: str) -> _Library:
    return _Library(locale_dirs())


def _lib() -> _Library:
    # keyed on the variable, not the resolved folders: t() runs many times a frame
    return _library(os.environ.get(LOCALE_ENV, ""))


def reload() -> None:
    """Forget loaded catalogues (after a catalogue file changed on disk)."""
    _library.cache_clear()
    _pattern.cache_clear()


def keys() -> tuple[str, ...]:
    """Every key of the English source, in catalogue order."""
    return tuple(_lib().english)


def catalogue(lang: str) -> dict[str, str]:
    """``{key: text}`` for what ``lang``'s own catalogue translates (English: the source)."""
    return _lib().translated(lang)


def english(key: str) -> str | None:
    return _lib().english.get(key)


def t(key: str, lang: str, **fmt: object) -> str:
    """The text for ``key`` in ``lang`` (English where missing), with ``{name}`` filled in.

    ``language.switch`` is not a catalogue entry: it is the own name of the language the
    two-language button switches to (``next_language``).
    """
    if key == "language.switch":
        return language_name(next_language(lang))
    lib = _lib()
    text = lib.table(lang).get(key) or lib.english.get(key, key)
    if not fmt and "{" not in text:
        return text
    try:
        return text.format_map(_Keep(fmt))
    except (ValueError, IndexError, AttributeError):
        return text


class _Keep(dict):
    """format_map helper: a placeholder with no value stays as ``{name}``."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields a text expects."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}
    except ValueError:  # an unmatched brace: report it as a field no English text has
        return {"<unmatched brace>"}


def language_name(code: str) -> str:
    """A language's own name (Deutsch, Français): its catalogue's ``language.name``, else
    CLDR's (Babel), else the code."""
    lib = _lib()
    if code == SOURCE_LANGUAGE or code in lib.files:
        own = lib.table(code).get("language.name")
        if own and (code == SOURCE_LANGUAGE or own != lib.english.get("language.name")):
            return own
    try:
        name = Locale.parse(code).get_display_name(code)
    except (ValueError, UnknownLocaleError):
        name = None
    return (name[:1].upper() + name[1:]) if name else code


def next_language(lang: str, cycle: tuple[str, ...] = DEFAULT_OFFER) -> str:
    """The language after ``lang`` in ``cycle`` (for the language button and attract mode)."""
    if not cycle:
        return lang
    if lang not in cycle:
        return cycle[0]
    return cycle[(cycle.index(lang) + 1) % len(cycle)]


def switch_label(lang: str, offered: tuple[str, ...]) -> str:
    """What the language button says: with two languages on offer, the other one's own name
    (one tap switches); with more, the current one's (a tap opens the picker)."""
    if len(offered) > 2:
        return language_name(lang)
    return language_name(next_language(lang, offered))


# --- numbers ------------------------------------------------------------------------------

@lru_cache(maxsize=16)
def _locale(lang: str) -> Locale:
    try:
        return Locale.parse(lang)
    except (ValueError, UnknownLocaleError):
        return Locale.parse(SOURCE_LANGUAGE)


@lru_cache(maxsize=128)
def _pattern(lang: str, kind: str, digits: int):
    """The language's own decimal or percent pattern with exactly ``digits`` decimals."""
    loc = _locale(lang)
    pattern = copy.copy((loc.percent_formats if kind == "percent" else loc.decimal_formats)[None])
    pattern.frac_prec = (digits, digits)
    return pattern, loc


def format_decimal(lang: str, x: float | None, digits: int = 3, signed: bool = False) -> str:
    """``x`` with exactly ``digits`` decimals in ``lang``'s marks ("0,123" in German);
    ``signed`` writes a plus on values >= 0 too. Not a finite number: a dash."""
    if x is None or not math.isfinite(x):
        return "—"
    pattern, loc = _pattern(lang, "decimal", max(0, int(digits)))
    if not signed:
        return pattern.apply(x, loc)
    sign = _numbers.get_plus_sign_symbol(loc) if x >= 0 else _numbers.get_minus_sign_symbol(loc)
    return sign + pattern.apply(abs(x), loc)


def format_count(lang: str, n: int | float | None) -> str:
    """A whole count with ``lang``'s grouping: "115,328" (en), "115.328" (de), "115 328" (fr)."""
    if n is None or not math.isfinite(n):
        return "—"
    return format_decimal(lang, round(n), 0)


def format_percent(lang: str, fraction: float | None, digits: int = 1) -> str:
    """``0.979`` -> "97.9%" (en), "97,9 %" (de, fr, es), "97,9%" (nl)."""
    if fraction is None or not math.isfinite(fraction):
        return "—"
    pattern, loc = _pattern(lang, "percent", max(0, int(digits)))
    return pattern.apply(fraction, loc)


def format_significant(lang: str, x: float | None, significant: int = 4) -> str:
    """``x`` to ``significant`` digits without trailing zeros, like Python's ``.4g`` but in
    ``lang``'s marks: 0.05 -> "0,05" (de), 0.0125 -> "0,0125"."""
    if x is None or not math.isfinite(x):
        return "—"
    rounded = float(f"{x:.{significant}g}")
    digits = max(0, significant - 1 - math.floor(math.log10(abs(rounded)))) if rounded else 0
    pattern, loc = _pattern(lang, "decimal", digits)
    pattern = copy.copy(pattern)
    pattern.frac_prec = (0, digits)
    return pattern.apply(rounded, loc)


def format_scientific(lang: str, x: float | None, digits: int = 1) -> str:
    """``x`` as mantissa and power of ten with ``lang``'s decimal mark: 1.2E-09 (en),
    1,2E-09 (de)."""
    if x is None or not math.isfinite(x):
        return "—"
    return _numbers.format_scientific(x, format="0." + "0" * max(1, int(digits)) + "E00",
                                      locale=_locale(lang))


def number(x: float, lang: str, decimals: int = 0) -> str:
    """``12345.6`` -> "12,345.6" (en) or "12.345,6" (de): grouped, ``decimals`` places."""
    return format_decimal(lang, x, decimals)


def percent(fraction: float, lang: str, decimals: int = 1) -> str:
    return format_percent(lang, fraction, decimals)


def all_characters() -> set[str]:
    """Every character any text or number uses: what the bundled font must be able to draw."""
    chars = set("0123456789+-%×—")
    lib = _lib()
    for code in languages():
        for text in lib.table(code).values():
            chars.update(text)
        chars.update(format_decimal(code, -12345.5, 1, signed=True) + format_percent(code, 0.5))
        chars.update(format_decimal(code, 1.0, 1, signed=True))
    chars.discard("\n")
    return chars


# What the language button offers before the config is read, and what attract mode cycles.
LANGUAGES = languages()
