"""Every tunable of the exhibit: frozen dataclasses, loaded from TOML, validated key by key.

``load_config(path)`` never fails: each bad key costs one clear line naming the file and the
key, and only that key falls back to its default. The exhibit therefore always starts, and a
technician reading the log sees exactly which line of the file to fix.
``apply_overrides(config, args)`` lays the command-line flags over the file.

Each field carries its own rule in ``metadata`` (range, choices, list length, a check), so the
loader, the error messages and ``docs/neuronlab.example.toml`` all follow one table.
"""
from __future__ import annotations

import dataclasses
import difflib
import math
import os
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Callable

from neuronlab import strings
from neuronlab.nn.teach import TeachSettings
from neuronlab.nn.train import TrainSettings
from neuronlab.view.palette import Palette

# The gallery's 32-inch 1920x1080 panel: hypot(1920, 1080) px over 812.8 mm (px_per_mm_for),
# so a 9 mm touch target is 24 px.
GALLERY_PX_PER_MM = 2.71

# The highest learning rate the config accepts: one that still learns on its own.
MAX_LR = 0.1

# The exit status of the technician exit. The systemd unit lists it in RestartPreventExitStatus
# so the exhibit stays stopped for the technician instead of being restarted a second later.
TECHNICIAN_EXIT_STATUS = 3

CORNERS = ("top-left", "top-right", "bottom-left", "bottom-right")
MODIFIERS = ("ctrl", "shift", "alt", "meta")
LOG_LEVELS = ("debug", "info", "warning", "error")


def px_per_mm_for(width_px: int, height_px: int, diagonal_in: float) -> float:
    """Pixel density of a screen, for the ``[kiosk] px_per_mm`` value."""
    return math.hypot(width_px, height_px) / (diagonal_in * 25.4)


def _opt(default: Any, *, lo: float | None = None, hi: float | None = None,
         choices: tuple | None = None, length: tuple[int, int] | None = None,
         item: type | None = None, check: Callable[[Any], str | None] | None = None) -> Any:
    """A config field with its validation rule; ``check`` returns a reason or None."""
    meta = dict(lo=lo, hi=hi, choices=choices, length=length, item=item, check=check)
    return field(default=default, metadata=meta)


def _ascending(values: tuple) -> str | None:
    if any(b <= a for a, b in zip(values, values[1:])):
        return "should be increasing with no repeats"
    return None


def _chord(text: str) -> str | None:
    parts = text.lower().split("+")
    mods, key = parts[:-1], parts[-1]
    if not mods or any(m not in MODIFIERS for m in mods) or len(set(mods)) != len(mods):
        return f"should be modifiers ({', '.join(MODIFIERS)}) and a key, like \"ctrl+shift+q\""
    if not re.fullmatch(r"[a-z0-9]|f([1-9]|1[0-2])|escape|backspace|delete|home|end", key):
        return "should end with one letter, digit or f1..f12"
    return None


def _hex_colour(text: str) -> str | None:
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", text):
        return "should be a colour like \"#ff8800\""
    return None


def _density(value: float) -> str | None:
    if 0 < value < 0.5:
        return "should be 0 (auto) or at least 0.5"
    return None


def _mode(size: tuple) -> str | None:
    if (size[0] == 0) != (size[1] == 0) or 0 < min(size) < 120:
        return "should be [0, 0] (the display's own size) or a width and height of at least 120"
    return None


def _not_empty(text: str) -> str | None:
    return "should not be empty" if not text.strip() else None


def _language(code: str) -> str | None:
    """A language code must have a catalogue; the list is read when the config is, so a
    language added to the locale folder is accepted without a code change."""
    have = strings.languages()
    if code in have:
        return None
    near = [c for c in have if c == code.lower() or c == re.split(r"[-_]", code.lower())[0]]
    hint = f" (did you mean {toml_repr(near[0])}?)" if near else ""
    return (f"is a language with no catalogue{hint}: installed are "
            f"{', '.join(map(toml_repr, have))}; a language is a file "
            f"<locale>/<code>/LC_MESSAGES/{strings.DOMAIN}.po (docs/kiosk.md)")


def _languages(codes: tuple) -> str | None:
    for code in codes:
        reason = _language(code)
        if reason:
            return f"has {toml_repr(code)}, which {reason}"
    if len(set(codes)) != len(codes):
        return "names a language twice"
    return None


# The XDG base directories a path may name, with the spec's value when the variable is unset.
XDG_DEFAULTS = {"XDG_STATE_HOME": "~/.local/state"}


def _path(text: str) -> Path:
    for var, fallback in XDG_DEFAULTS.items():
        value = os.environ.get(var) or fallback
        text = text.replace(f"${{{var}}}", value).replace(f"${var}", value)
    return Path(os.path.expandvars(os.path.expanduser(text)))


@dataclass(frozen=True)
class WindowConfig:
    size: tuple[int, int] = _opt((1280, 720), length=(2, 2), item=int, lo=120, hi=16384)
    fullscreen: bool = _opt(False)
    # Fullscreen at this display mode (the nearest the display offers), the panel scaling it
    # up; [0, 0]: the display's own. A 4K panel without a GPU runs at 1920x1080 this way.
    fullscreen_size: tuple[int, int] = _opt((0, 0), length=(2, 2), item=int, lo=0, hi=16384,
                                            check=_mode)
    vsync: bool = _opt(True)


@dataclass(frozen=True)
class TrainingConfig:
    iters_per_frame: int = _opt(4, lo=0, hi=1024)
    # The speed control's steps in iterations per frame; 0 is pause.
    speeds: tuple[int, ...] = _opt((0, 1, 4, 16, 64), length=(1, 8), item=int, lo=0, hi=1024,
                                   check=_ascending)
    # Learning defaults are the trainer's own (one source of truth for them).
    batch: int = _opt(TrainSettings.batch, lo=1, hi=1024)
    # Above MAX_LR the network goes silent within seconds (tests/test_guard.py).
    lr: float = _opt(TrainSettings.lr, lo=1e-5, hi=MAX_LR)
    momentum: float = _opt(TrainSettings.momentum, lo=0.0, hi=0.999)
    seed: int = _opt(0, lo=0, hi=2**32 - 1)
    # The generator never runs dry, so an "epoch" is a count we choose: MNIST's 60 000.
    epoch_size: int = _opt(60000, lo=100, hi=10_000_000)
    # The training stream drawn and served from a second process, on the other core
    # (nn/feeder.py); false draws and serves it in the exhibit's own process.
    feeder: bool = _opt(True)


@dataclass(frozen=True)
class KioskConfig:
    enabled: bool = _opt(False)
    idle_timeout_s: float = _opt(90.0, lo=5, hi=3600)
    hint_after_s: float = _opt(3.0, lo=1, hi=600)
    # Languages the attract tour shows in turn, one per loop; empty keeps ui.language.
    attract_language_cycle: tuple[str, ...] = _opt(strings.DEFAULT_OFFER, length=(0, 8), item=str,
                                                    check=_languages)
    # 0: auto, as if the screen's short side were a 32-inch 16:9 panel's (ui/screen.py);
    # displays often report a wrong DPI, so a gallery sets its own from the panel's diagonal.
    px_per_mm: float = _opt(0.0, lo=0.0, hi=40.0, check=_density)
    min_touch_mm: float = _opt(9.0, lo=5.0, hi=30.0)
    tap_ms: float = _opt(300.0, lo=50, hi=2000)
    tap_px: float = _opt(10.0, lo=1, hi=200)
    double_tap_ms: float = _opt(400.0, lo=100, hi=2000)
    # A finger down and still this long is taken as lost (its up event never came).
    finger_expire_s: float = _opt(10.0, lo=2, hi=600)
    # Technician exit, from the keyboard: a chord such as "ctrl+shift+q".
    exit_chord: str = _opt("ctrl+shift+q", check=_chord)
    # Technician exit, by touch: hold each corner in turn for exit_hold_s, starting the next
    # within exit_step_s of lifting from the last; a corner is the square exit_corner_mm wide.
    exit_corners: tuple[str, ...] = _opt(("top-left", "top-right"), length=(1, 4), item=str,
                                         choices=CORNERS)
    exit_hold_s: float = _opt(5.0, lo=1, hi=30)
    exit_step_s: float = _opt(3.0, lo=0.5, hi=30)
    exit_corner_mm: float = _opt(25.0, lo=5, hi=100)

    def exit_chord_parts(self) -> tuple[frozenset[str], str]:
        """``"ctrl+shift+q"`` -> ({"ctrl", "shift"}, "q")."""
        *mods, key = self.exit_chord.lower().split("+")
        return frozenset(mods), key

    def density(self, size: tuple[int, int]) -> float:
        """Pixels per millimetre on a window of ``size``: the configured value, or auto."""
        from neuronlab.ui.screen import auto_px_per_mm

        return self.px_per_mm if self.px_per_mm > 0 else auto_px_per_mm(size)

    def touch_px(self, mm: float | None = None, size: tuple[int, int] = (1920, 1080)) -> float:
        """A length on the installed screen in pixels (default: the minimum touch target)."""
        return (self.min_touch_mm if mm is None else mm) * self.density(size)


@dataclass(frozen=True)
class StateConfig:
    resume: str = _opt("resume", choices=("resume", "fresh"))
    checkpoint: str = _opt("$XDG_STATE_HOME/neuronlab/checkpoint.npz", check=_not_empty)
    checkpoint_every_s: float = _opt(60.0, lo=5, hi=86400)
    # Weights to start from when there is no checkpoint to resume; "" = random weights.
    weights: str = _opt("")
    # The training pool as drawn at the first start, taken back at the next (~31 MB);
    # "" = drawn at every start.
    pool_cache: str = _opt("$XDG_STATE_HOME/neuronlab/training-pool.npz")

    @property
    def checkpoint_path(self) -> Path:
        return _path(self.checkpoint)

    @property
    def weights_path(self) -> Path | None:
        return _path(self.weights) if self.weights else None

    @property
    def pool_cache_path(self) -> Path | None:
        return _path(self.pool_cache) if self.pool_cache else None


@dataclass(frozen=True)
class LogConfig:
    # "" logs to stderr only (the journal, under systemd).
    path: str = _opt("$XDG_STATE_HOME/neuronlab/neuronlab.log")
    max_bytes: int = _opt(1_000_000, lo=10_000, hi=1_000_000_000)
    # At least 1: RotatingFileHandler never rotates with 0 backups, the file would grow forever.
    backups: int = _opt(5, lo=1, hi=100)
    level: str = _opt("info", choices=LOG_LEVELS)

    @property
    def file_path(self) -> Path | None:
        return _path(self.path) if self.path else None


@dataclass(frozen=True)
class UIConfig:
    language: str = _opt("en", check=_language)
    # The languages the language button offers, in order: with two it toggles, with more it
    # opens a picker that names each in its own words.
    languages: tuple[str, ...] = _opt(strings.DEFAULT_OFFER, length=(1, 16), item=str, check=_languages)
    scale: float = _opt(1.0, lo=0.5, hi=3.0)


@dataclass(frozen=True)
class TeachConfig:
    """Teaching the network a visitor's drawing (nn/teach.py), and the curator's gallery."""

    # Most momentum-SGD steps per lesson; it stops early once the drawing reads right.
    steps: int = _opt(TeachSettings.steps, lo=1, hi=1000)
    # The replay mix: each step's batch holds `copies` of the drawing and batch - copies
    # replayed training digits, so the rest is not forgotten.
    batch: int = _opt(TeachSettings.batch, lo=2, hi=1024)
    copies: int = _opt(TeachSettings.copies, lo=1, hi=1024)
    lr: float = _opt(TeachSettings.lr, lo=1e-5, hi=MAX_LR)
    # The lesson's steps are spread over this much exhibit time, so a visitor can follow.
    seconds: float = _opt(1.5, lo=0.1, hi=10.0)
    # Keep taught drawings (the 16x16 image and its label only) for a gallery; off by default.
    gallery: bool = _opt(False)
    gallery_folder: str = _opt("$XDG_STATE_HOME/neuronlab/taught", check=_not_empty)
    gallery_cap: int = _opt(500, lo=1, hi=1_000_000)

    @property
    def gallery_path(self) -> Path:
        return _path(self.gallery_folder)

    def settings(self) -> TeachSettings:
        return replace(TeachSettings(), steps=self.steps, batch=self.batch, copies=self.copies,
                       lr=self.lr)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(min(1.0, max(0.0, c)) * 255):02x}" for c in rgb)


def _rgb(text: str) -> tuple[float, float, float]:
    return tuple(int(text[i:i + 2], 16) / 255.0 for i in (1, 3, 5))  # type: ignore[return-value]


def _colours_rgb(self, name: str) -> tuple[float, float, float]:
    """A colour as floats in 0..1."""
    return _rgb(getattr(self, name))


def _colours_rgb255(self, name: str) -> tuple[int, int, int]:
    """A colour as bytes, for pygame surfaces."""
    h = getattr(self, name)
    return tuple(int(h[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def _colours_palette(self) -> Palette:
    """The view's Palette with the colours this config changed; unchanged ones keep the
    palette's exact floats (a "#rrggbb" round trip would shift them by up to 1/510)."""
    base = Palette()
    changed = {name: getattr(self, name) for name in Palette.field_names()
               if getattr(self, name).lower() != _hex(getattr(base, name))}
    return base.with_overrides(changed)


# One key per Palette colour, named as the view names it, written "#rrggbb"; the defaults are
# the palette's own, so the view stays the single source of the exhibit's look.
ColoursConfig = dataclasses.make_dataclass(
    "ColoursConfig",
    [(name, str, _opt(_hex(getattr(Palette(), name)), check=_hex_colour))
     for name in Palette.field_names()],
    frozen=True,
    namespace={"rgb": _colours_rgb, "rgb255": _colours_rgb255, "palette": _colours_palette,
               "__doc__": "Colour overrides for neuronlab.view.palette.Palette, as #rrggbb."},
)
ColoursConfig.__module__ = __name__


@dataclass(frozen=True)
class Config:
    window: WindowConfig = field(default_factory=WindowConfig)
    training: TrainingConfig = field(default_factory=TrainingConfig)
    kiosk: KioskConfig = field(default_factory=KioskConfig)
    state: StateConfig = field(default_factory=StateConfig)
    log: LogConfig = field(default_factory=LogConfig)
    ui: UIConfig = field(default_factory=UIConfig)
    teach: TeachConfig = field(default_factory=TeachConfig)
    colours: ColoursConfig = field(default_factory=ColoursConfig)


SECTIONS: dict[str, type] = {f.name: f.default_factory for f in fields(Config)}  # type: ignore[misc]


# --- validation -------------------------------------------------------------------------

def toml_repr(value: Any) -> str:
    """A value written as it would appear in a TOML file (for messages and the example)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_repr(v) for v in value) + "]"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))  # "90", as a person writes it; TOML reads it back as a number
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {toml_repr(v)}" for k, v in value.items()) + "}"
    return repr(value)


class _Bad(Exception):
    """A value that breaks its field's rule; the message is the reason."""


def _scalar(value: Any, kind: type, meta: dict) -> Any:
    if kind is bool:
        if not isinstance(value, bool):
            raise _Bad("should be true or false")
        return value
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _Bad("should be a whole number")
    elif kind is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _Bad("should be a number")
        if not math.isfinite(value):
            raise _Bad("should be a finite number")
        value = float(value)
    elif kind is str:
        if not isinstance(value, str):
            raise _Bad("should be text in quotes")
    lo, hi = meta["lo"], meta["hi"]
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise _Bad(f"is out of range ({lo:g}..{hi:g})")
    if meta["choices"] is not None and value not in meta["choices"]:
        raise _Bad("should be one of " + ", ".join(toml_repr(c) for c in meta["choices"]))
    return value


def _coerce(value: Any, f: dataclasses.Field) -> Any:
    meta, default = f.metadata, f.default
    if isinstance(default, tuple):
        if not isinstance(value, list):
            raise _Bad("should be a list [..]")
        n_lo, n_hi = meta["length"]
        if not n_lo <= len(value) <= n_hi:
            want = str(n_lo) if n_lo == n_hi else f"{n_lo}..{n_hi}"
            raise _Bad(f"should have {want} items")
        try:
            out = tuple(_scalar(v, meta["item"], meta) for v in value)
        except _Bad as bad:
            raise _Bad(f"has an item that {bad}") from None
    else:
        out = _scalar(value, type(default), meta)
    if meta["check"] is not None:
        reason = meta["check"](out)
        if reason:
            raise _Bad(reason)
    return out


def _section(name: str, table: dict, where: str, problems: list[str]) -> Any:
    cls = SECTIONS[name]
    by_name = {f.name: f for f in fields(cls)}
    values = {}
    for key, value in table.items():
        f = by_name.get(key)
        if f is None:
            close = difflib.get_close_matches(key, by_name, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            problems.append(f"{where}: [{name}] {key} is not a known key{hint}; ignored")
            continue
        try:
            values[key] = _coerce(value, f)
        except _Bad as bad:
            problems.append(f"{where}: [{name}] {key} = {toml_repr(value)} {bad}; "
                            f"using {toml_repr(f.default)}")
    return cls(**values)


def _cross_checks(cfg: Config, where: str, problems: list[str]) -> Config:
    """Rules between keys; the later key of each pair falls back."""
    k = cfg.kiosk
    if k.hint_after_s >= k.idle_timeout_s:
        fallback = min(KioskConfig.hint_after_s, k.idle_timeout_s / 2)
        problems.append(f"{where}: [kiosk] hint_after_s = {toml_repr(k.hint_after_s)} should be "
                        f"less than idle_timeout_s ({k.idle_timeout_s:g}); using {fallback:g}")
        k = replace(k, hint_after_s=fallback)
    if k.finger_expire_s <= k.exit_hold_s:
        # Otherwise the technician's corner hold would be expired as a lost finger.
        fallback = max(KioskConfig.finger_expire_s, k.exit_hold_s + 5.0)
        problems.append(f"{where}: [kiosk] finger_expire_s = {toml_repr(k.finger_expire_s)} "
                        f"should be more than exit_hold_s ({k.exit_hold_s:g}); using {fallback:g}")
        k = replace(k, finger_expire_s=fallback)
    ui = cfg.ui
    if ui.language not in ui.languages:
        problems.append(f"{where}: [ui] language = {toml_repr(ui.language)} is not one of "
                        f"languages ({', '.join(map(toml_repr, ui.languages))}); using "
                        f"{toml_repr(ui.languages[0])}")
        ui = replace(ui, language=ui.languages[0])
    te = cfg.teach
    if te.copies > te.batch:
        fallback = min(TeachConfig.copies, te.batch)
        problems.append(f"{where}: [teach] copies = {toml_repr(te.copies)} should be at most "
                        f"batch ({te.batch}); using {fallback}")
        te = replace(te, copies=fallback)
    return replace(cfg, kiosk=k, ui=ui, teach=te)


def config_from_dict(data: dict, where: str = "config") -> tuple[Config, list[str]]:
    """Build a Config from parsed TOML; ``where`` starts every problem line."""
    problems: list[str] = []
    sections = {}
    for name, table in data.items():
        if name not in SECTIONS:
            if isinstance(table, dict):
                close = difflib.get_close_matches(name, SECTIONS, n=1)
                hint = f" (did you mean [{close[0]}]?)" if close else ""
                problems.append(f"{where}: [{name}] is not a known section{hint}; ignored")
            else:
                problems.append(f"{where}: {name} = {toml_repr(table)} is outside any section "
                                f"(sections: {', '.join(SECTIONS)}); ignored")
            continue
        if not isinstance(table, dict):
            problems.append(f"{where}: {name} = {toml_repr(table)} should be a section [{name}]; "
                            f"using its defaults")
            continue
        sections[name] = _section(name, table, where, problems)
    return _cross_checks(Config(**sections), where, problems), problems


def load_config(path: str | os.PathLike | None) -> tuple[Config, list[str]]:
    """Read a TOML config; never raises. ``None`` means no file: all defaults, no problems."""
    if path is None:
        return Config(), []
    where = f"config {path}"
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        return Config(), [f"{where}: file not found; using all defaults"]
    except tomllib.TOMLDecodeError as err:
        return Config(), [f"{where}: TOML syntax error: {err}; using all defaults"]
    except UnicodeDecodeError:
        return Config(), [f"{where}: not UTF-8 text; using all defaults"]
    except OSError as err:
        return Config(), [f"{where}: cannot read ({err.strerror or err}); using all defaults"]
    return config_from_dict(data, where)


def apply_overrides(config: Config, args: Any) -> tuple[Config, list[str]]:
    """Lay command-line flags over a config: --size, --fullscreen, --kiosk, --iters-per-frame,
    --load. ``args`` is an argparse Namespace (missing attributes count as not given)."""
    problems: list[str] = []
    window, training, kiosk, state = config.window, config.training, config.kiosk, config.state
    size = getattr(args, "size", None)
    if size is not None:
        window = replace(window, size=tuple(size))
    if getattr(args, "fullscreen", False):
        window = replace(window, fullscreen=True)
    if getattr(args, "kiosk", False):
        kiosk = replace(kiosk, enabled=True)
    if kiosk.enabled:
        window = replace(window, fullscreen=True)
    ipf = getattr(args, "iters_per_frame", None)
    if ipf is not None:
        f = next(f for f in fields(TrainingConfig) if f.name == "iters_per_frame")
        try:
            training = replace(training, iters_per_frame=_coerce(ipf, f))
        except _Bad as bad:
            problems.append(f"command line: --iters-per-frame {ipf} {bad}; "
                            f"using {training.iters_per_frame}")
    load = getattr(args, "load", None)
    if load:
        # Weights named on the command line are meant to be seen, not a resumed checkpoint.
        state = replace(state, weights=str(load), resume="fresh")
    return replace(config, window=window, training=training, kiosk=kiosk, state=state), problems
