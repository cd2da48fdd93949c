"""A fullscreen display mode of the technician's choosing (a 4K panel without a GPU runs at
1920x1080, the panel scaling it up), and the log line that says so where it would help."""
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from neuronlab.render import context
from neuronlab.render.context import software_renderer_advice

ROOT = Path(__file__).resolve().parents[1]


def _window(fullscreen: bool, mode, refuse=None) -> tuple[tuple[int, int], str]:
    """The window a fresh process opens (set_mode is called once a process, so not here),
    and what it logged; ``refuse``: a size the display turns down."""
    code = ("import logging, pygame\n"
            "logging.basicConfig(level=logging.WARNING)\n"
            "from neuronlab.render import context\n"
            "real = pygame.display.set_mode\n"
            "def set_mode(size, *a, **k):\n"
            f"    if tuple(size) == {refuse!r}: raise pygame.error('no such mode')\n"
            "    return real(size, *a, **k)\n"
            "pygame.display.set_mode = set_mode\n"
            f"w, ctx = context.create_window_context((640, 360), fullscreen={fullscreen}, mode={mode!r})\n"
            "import os; print(os.environ.get('SDL_VIDEO_MINIMIZE_ON_FOCUS_LOSS', '-'))\n"
            "print(*w.get_size(), *ctx.screen.viewport[2:])\n")
    env = dict(os.environ, SDL_VIDEODRIVER="offscreen", SDL_AUDIODRIVER="dummy", PYGAME_HIDE_SUPPORT_PROMPT="1")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=60, check=True)
    w, h, vw, vh = map(int, run.stdout.split()[-4:])
    assert (w, h) == (vw, vh)            # GL draws the whole window
    # fullscreen stays up when focus goes elsewhere; a window is left to SDL's default
    assert run.stdout.split()[-5] == ("0" if fullscreen else "-")
    return (w, h), run.stderr


def _window_size(fullscreen: bool, mode) -> tuple[int, int]:
    return _window(fullscreen, mode)[0]


def test_fullscreen_takes_the_asked_mode_else_the_displays_own_size():
    own = _window_size(True, None)
    assert _window_size(True, (800, 600)) == (800, 600) != own
    assert _window_size(True, (0, 0)) == own
    assert _window_size(False, (800, 600)) == (640, 360)    # a window ignores the mode


def test_a_mode_the_display_refuses_falls_back_to_its_own_size_and_says_so():
    own = _window_size(True, None)
    size, log = _window(True, (800, 600), refuse=(800, 600))
    assert size == own
    assert "display mode 800x600 refused" in log and "own size" in log


def _window_asked(tmp_path, monkeypatch, window: str) -> dict:
    """What the start-up path asks of the window for a config's [window] lines (the window
    itself is never opened: set_mode is called once a process)."""
    from neuronlab.bootstrap import build_app

    asked = {}

    def fake(size, fullscreen=False, vsync=True, mode=None):
        asked.update(size=size, fullscreen=fullscreen, mode=mode)
        raise RuntimeError("no window in this test")
    monkeypatch.setattr(context, "create_window_context", fake)
    cfg = tmp_path / "neuronlab.toml"
    cfg.write_text(f'[window]\n{window}\n[log]\npath = ""\n'
                   f'[state]\nresume = "fresh"\ncheckpoint = "{tmp_path / "ck.npz"}"\n')
    with pytest.raises(RuntimeError, match="no window"):
        build_app(SimpleNamespace(config=str(cfg)), present=True, run_gradcheck=False, feeder=False)
    return asked


def test_the_configured_mode_reaches_the_window(tmp_path, monkeypatch):
    asked = _window_asked(tmp_path, monkeypatch, "fullscreen = true\nfullscreen_size = [1920, 1080]")
    assert asked["fullscreen"] is True and asked["mode"] == (1920, 1080)


def test_a_mode_set_for_a_window_is_named_in_the_log(tmp_path, monkeypatch, caplog):
    asked = _window_asked(tmp_path, monkeypatch, "size = [800, 600]\nfullscreen_size = [1920, 1080]")
    assert asked["size"] == (800, 600) and asked["fullscreen"] is False
    assert "fullscreen_size applies only fullscreen" in caplog.text and "800x600" in caplog.text


@pytest.mark.parametrize("renderer, size, says", [
    ("llvmpipe (LLVM 15.0.6, 256 bits)", (3840, 2160), "4.0 times"),
    ("softpipe", (2560, 1440), "1.8 times"),
    ("llvmpipe (LLVM 15.0.6, 256 bits)", (1920, 1080), None),
    ("llvmpipe (LLVM 15.0.6, 256 bits)", (1080, 1920), None),
    ("NVIDIA H200/PCIe/SSE2", (3840, 2160), None),
])
def test_a_software_renderer_above_full_hd_is_told_of_the_display_mode(renderer, size, says):
    advice = software_renderer_advice(renderer, size)
    if says is None:
        assert advice is None
    else:
        assert says in advice and "fullscreen_size = [1920, 1080]" in advice
        assert renderer.split(" (")[0] in advice and f"{size[0]}x{size[1]}" in advice


def test_a_density_set_for_the_mode_follows_the_window_the_display_gave():
    from neuronlab.ui.screen import density_in_window

    assert density_in_window(2.02, (1920, 1080), (1920, 1080)) == 2.02
    assert density_in_window(2.02, (1920, 1080), (3840, 2160)) == pytest.approx(4.04)   # refused: own pixels
    assert density_in_window(2.0, (1920, 1080), (1920, 1200)) == 2.0                     # nearest, same width
    assert density_in_window(None, (1920, 1080), (3840, 2160)) is None                   # auto stays auto
    assert density_in_window(2.02, (0, 0), (3840, 2160)) == 2.02                         # no mode asked


def test_a_refused_mode_keeps_the_exhibits_sizes_in_millimetres():
    # a fresh process: the exhibit itself, fullscreen, asking a mode the display refuses
    code = ("import logging, pygame\n"
            "logging.basicConfig(level=logging.WARNING)\n"
            "real = pygame.display.set_mode\n"
            "def set_mode(size, *a, **k):\n"
            "    if tuple(size) == (800, 600): raise pygame.error('no such mode')\n"
            "    return real(size, *a, **k)\n"
            "pygame.display.set_mode = set_mode\n"
            "from neuronlab.app import App\n"
            "app = App((640, 360), fullscreen=True, fullscreen_size=(800, 600), px_per_mm=2.0,\n"
            "          run_gradcheck=False, feeder=False)\n"
            "print(*app.size, app.stage.regions.px_per_mm)\n"
            "app.close()\n")
    env = dict(os.environ, SDL_VIDEODRIVER="offscreen", SDL_AUDIODRIVER="dummy", PYGAME_HIDE_SUPPORT_PROMPT="1")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120, check=True)
    w, h, density = run.stdout.split()[-3:]
    assert int(w) != 800
    assert float(density) == pytest.approx(2.0 * int(w) / 800, rel=1e-6)
    assert f"800x600 asked, {w}x{h} given" in run.stderr
