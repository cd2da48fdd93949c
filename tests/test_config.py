"""Config loading: each kind of mistake costs one line naming the file and key, and only
that key falls back to its default."""
from __future__ import annotations

import argparse
import tomllib
from dataclasses import fields
from pathlib import Path

import pytest

from neuronlab.config import (SECTIONS, TECHNICIAN_EXIT_STATUS, Config, apply_overrides,
                              load_config, px_per_mm_for)
from neuronlab.view.palette import Palette

EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "neuronlab.example.toml"


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "neuronlab.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_no_path_gives_defaults_and_no_problems():
    cfg, problems = load_config(None)
    assert cfg == Config()
    assert problems == []
    assert cfg.kiosk.idle_timeout_s == 90.0 and cfg.training.iters_per_frame == 4


def test_valid_file_applies_every_value(tmp_path):
    p = write(tmp_path, """
[window]
size = [1920, 1080]
fullscreen = true
fullscreen_size = [1920, 1080]
[training]
speeds = [0, 2, 8]
lr = 0.1
[kiosk]
idle_timeout_s = 120
attract_language_cycle = ["de"]
[ui]
language = "de"
[colours]
excite = "#FF0000"
""")
    cfg, problems = load_config(p)
    assert problems == []
    assert cfg.window.size == (1920, 1080) and cfg.window.fullscreen is True
    assert cfg.window.fullscreen_size == (1920, 1080)
    assert cfg.training.speeds == (0, 2, 8) and cfg.training.lr == 0.1
    assert cfg.kiosk.idle_timeout_s == 120.0 and isinstance(cfg.kiosk.idle_timeout_s, float)
    assert cfg.kiosk.attract_language_cycle == ("de",)
    assert cfg.ui.language == "de"
    assert cfg.colours.rgb("excite") == (1.0, 0.0, 0.0)
    assert cfg.colours.rgb255("excite") == (255, 0, 0)
    palette = cfg.colours.palette()
    assert palette.excite == (1.0, 0.0, 0.0)
    assert palette.inhibit == Palette().inhibit  # untouched colours keep the exact floats


def test_out_of_range_one_line_default_for_that_key_others_apply(tmp_path):
    p = write(tmp_path, "[kiosk]\nidle_timeout_s = -3\ntap_ms = 250\n")
    cfg, problems = load_config(p)
    assert problems == [f"config {p}: [kiosk] idle_timeout_s = -3 is out of range (5..3600); "
                        "using 90"]
    assert cfg.kiosk.idle_timeout_s == 90.0
    assert cfg.kiosk.tap_ms == 250.0


def test_unknown_key_one_line_with_suggestion_others_apply(tmp_path):
    p = write(tmp_path, "[kiosk]\nidle_timout_s = 30\nhint_after_s = 4\n")
    cfg, problems = load_config(p)
    assert len(problems) == 1
    assert problems[0].startswith(f"config {p}: [kiosk] idle_timout_s is not a known key")
    assert "did you mean idle_timeout_s?" in problems[0]
    assert cfg.kiosk.idle_timeout_s == 90.0 and cfg.kiosk.hint_after_s == 4.0


def test_unknown_section_one_line_others_apply(tmp_path):
    p = write(tmp_path, "[kiosck]\nidle_timeout_s = 30\n[ui]\nlanguage = \"de\"\n")
    cfg, problems = load_config(p)
    assert len(problems) == 1
    assert f"config {p}: [kiosck] is not a known section" in problems[0]
    assert "[kiosk]" in problems[0]
    assert cfg.kiosk == Config().kiosk and cfg.ui.language == "de"


def test_key_outside_any_section_is_reported(tmp_path):
    p = write(tmp_path, "language = \"de\"\n")
    cfg, problems = load_config(p)
    assert len(problems) == 1 and f"config {p}: language = \"de\" is outside any section" in problems[0]
    assert cfg == Config()


@pytest.mark.parametrize("line, key, reason, default", [
    ('idle_timeout_s = "ninety"', "idle_timeout_s", "should be a number", "90"),
    ("enabled = 1", "enabled", "should be true or false", "false"),
    ("exit_hold_s = true", "exit_hold_s", "should be a number", "5"),
    ("exit_chord = 5", "exit_chord", "should be text in quotes", '"ctrl+shift+q"'),
    ('exit_corners = "top-left"', "exit_corners", "should be a list", '["top-left", "top-right"]'),
    ('exit_corners = ["top-middle"]', "exit_corners", "has an item that should be one of",
     '["top-left", "top-right"]'),
    ('exit_chord = "q"', "exit_chord", "should be modifiers", '"ctrl+shift+q"'),
    ("px_per_mm = nan", "px_per_mm", "should be a finite number", "0"),
    ("px_per_mm = 0.2", "px_per_mm", "should be 0 (auto) or at least 0.5", "0"),
])
def test_wrong_type_or_value_one_line_naming_file_key_and_default(tmp_path, line, key, reason,
                                                                  default):
    p = write(tmp_path, f"[kiosk]\n{line}\nmin_touch_mm = 10\n")
    cfg, problems = load_config(p)
    assert len(problems) == 1
    assert problems[0].startswith(f"config {p}: [kiosk] {key} = ")
    assert reason in problems[0]
    assert problems[0].endswith(f"; using {default}")
    assert getattr(cfg.kiosk, key) == getattr(Config().kiosk, key)
    assert cfg.kiosk.min_touch_mm == 10.0


@pytest.mark.parametrize("section, line, key", [
    ("window", "size = [1280]", "size"),
    ("window", "size = [1280, 7.5]", "size"),
    ("window", "fullscreen_size = [1920, 0]", "fullscreen_size"),
    ("window", "fullscreen_size = [64, 48]", "fullscreen_size"),
    ("training", "speeds = [0, 16, 4]", "speeds"),
    ("training", "speeds = [0, 1, 2000]", "speeds"),
    ("training", "batch = 3.0", "batch"),
    ("state", 'resume = "maybe"', "resume"),
    ("state", 'checkpoint = ""', "checkpoint"),
    ("log", "backups = 0", "backups"),
    ("log", 'level = "loud"', "level"),
    ("ui", 'language = "xx"', "language"),
    ("ui", 'languages = ["en", "klingon"]', "languages"),
    ("ui", "languages = []", "languages"),
    ("colours", 'text = "white"', "text"),
])
def test_each_section_rejects_bad_values(tmp_path, section, line, key):
    p = write(tmp_path, f"[{section}]\n{line}\n")
    cfg, problems = load_config(p)
    assert len(problems) == 1 and f"[{section}] {key} = " in problems[0]
    assert getattr(getattr(cfg, section), key) == getattr(getattr(Config(), section), key)


def test_syntax_error_one_line_all_defaults(tmp_path):
    p = write(tmp_path, "[kiosk]\nidle_timeout_s = = 3\n")
    cfg, problems = load_config(p)
    assert cfg == Config()
    assert len(problems) == 1
    assert problems[0].startswith(f"config {p}: TOML syntax error")
    assert "line 2" in problems[0] and problems[0].endswith("using all defaults")


def test_missing_file_one_line_all_defaults(tmp_path):
    p = tmp_path / "nowhere.toml"
    cfg, problems = load_config(p)
    assert cfg == Config()
    assert problems == [f"config {p}: file not found; using all defaults"]


def test_directory_instead_of_file_is_one_line(tmp_path):
    cfg, problems = load_config(tmp_path)
    assert cfg == Config() and len(problems) == 1 and problems[0].startswith(f"config {tmp_path}: ")


def test_cross_check_finger_expiry_must_outlast_the_corner_hold(tmp_path):
    p = write(tmp_path, "[kiosk]\nexit_hold_s = 8\nfinger_expire_s = 6\n")
    cfg, problems = load_config(p)
    assert len(problems) == 1 and "[kiosk] finger_expire_s = 6 " in problems[0]
    assert cfg.kiosk.exit_hold_s == 8.0
    assert cfg.kiosk.finger_expire_s == 13.0


def test_cross_check_hint_before_idle_timeout(tmp_path):
    p = write(tmp_path, "[kiosk]\nidle_timeout_s = 10\nhint_after_s = 20\n")
    cfg, problems = load_config(p)
    assert len(problems) == 1 and "[kiosk] hint_after_s" in problems[0]
    assert cfg.kiosk.idle_timeout_s == 10.0 and cfg.kiosk.hint_after_s == 3.0


def test_example_file_yields_exactly_the_defaults_and_names_every_key():
    cfg, problems = load_config(EXAMPLE)
    assert problems == []
    assert cfg == Config()
    with open(EXAMPLE, "rb") as fh:
        data = tomllib.load(fh)
    assert set(data) == set(SECTIONS)
    for name, cls in SECTIONS.items():
        assert set(data[name]) == {f.name for f in fields(cls)}, name


def test_overrides_from_the_command_line():
    args = argparse.Namespace(size=(800, 600), fullscreen=False, kiosk=True,
                              iters_per_frame=16, load="w.npz")
    cfg, problems = apply_overrides(Config(), args)
    assert problems == []
    assert cfg.window.size == (800, 600)
    assert cfg.kiosk.enabled and cfg.window.fullscreen  # kiosk implies fullscreen
    assert cfg.training.iters_per_frame == 16
    assert cfg.state.weights == "w.npz" and cfg.state.resume == "fresh"


def test_overrides_absent_flags_change_nothing_and_bad_value_is_reported():
    cfg, problems = apply_overrides(Config(), argparse.Namespace())
    assert cfg == Config() and problems == []
    cfg, problems = apply_overrides(Config(), argparse.Namespace(iters_per_frame=5000))
    assert cfg.training.iters_per_frame == 4
    assert problems == ["command line: --iters-per-frame 5000 is out of range (0..1024); using 4"]


def test_px_per_mm_default_is_auto_and_reads_a_1080p_screen_as_32_inches():
    assert Config().kiosk.px_per_mm == 0.0
    assert Config().kiosk.density((1920, 1080)) == pytest.approx(px_per_mm_for(1920, 1080, 32), abs=0.01)
    assert Config().kiosk.density((3840, 2160)) == pytest.approx(px_per_mm_for(3840, 2160, 32), abs=0.02)
    assert Config().kiosk.touch_px(size=(1920, 1080)) == pytest.approx(9 * 2.71, abs=0.1)
    set_density = Config().kiosk.__class__(px_per_mm=3.6)
    assert set_density.density((1920, 1080)) == 3.6 and set_density.density((800, 600)) == 3.6


def test_colour_keys_are_the_palettes_and_defaults_reproduce_it():
    assert {f.name for f in fields(SECTIONS["colours"])} == set(Palette.field_names())
    assert Config().colours.palette() == Palette()
    for name in Palette.field_names():
        assert Config().colours.rgb(name) == pytest.approx(getattr(Palette(), name), abs=1 / 510)


def test_exit_chord_parts_and_paths():
    cfg = Config()
    assert cfg.kiosk.exit_chord_parts() == (frozenset({"ctrl", "shift"}), "q")
    assert cfg.state.checkpoint_path.is_absolute()  # ~ expanded
    assert cfg.state.weights_path is None


def _unit_sections(text: str) -> dict[str, dict[str, list[str]]]:
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
        else:
            key, _, value = line.partition("=")
            current.setdefault(key, []).append(value)
    return sections


def test_systemd_unit_restarts_forever_and_honours_the_technician_exit():
    text = (EXAMPLE.parent / "neuronlab.service").read_text(encoding="utf-8")
    unit = _unit_sections(text)
    assert unit["Unit"]["StartLimitIntervalSec"] == ["0"]
    service = unit["Service"]
    assert service["Restart"] == ["always"] and service["RestartSec"] == ["1"]
    assert service["RestartPreventExitStatus"] == [str(TECHNICIAN_EXIT_STATUS)]
    # The render loop sends READY and a heartbeat every 5 s (neuronlab/watchdog.py).
    assert service["Type"] == ["notify"] and int(service["WatchdogSec"][0]) >= 15
    assert service["ExecStart"][0].endswith(
        "/.venv/bin/neuronlab --kiosk --config /etc/neuronlab/neuronlab.toml")
    assert "SDL_TOUCH_MOUSE_EVENTS=0" in service["Environment"]
