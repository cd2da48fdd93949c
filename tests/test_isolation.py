"""Every test runs in a home of its own: the exhibit's default state and log land in a
temporary folder, never in the user's ~/.local/state."""
import os
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")

from neuronlab.cli import main
from neuronlab.config import Config

REAL_HOME = Path(os.path.expanduser("~" + os.environ.get("USER", "root"))).resolve()


def test_home_and_state_point_into_a_temporary_folder(tmp_path):
    home = Path(os.environ["HOME"])
    assert home != REAL_HOME and Path(os.path.expanduser("~")) == home
    assert home.parent.parent == tmp_path.parent.parent   # pytest's base temp folder
    assert list(home.iterdir()) == []                       # a fresh one for each test
    state = Path(os.environ["XDG_STATE_HOME"])
    assert home in state.parents
    cfg = Config()
    assert cfg.state.checkpoint_path == state / "neuronlab" / "checkpoint.npz"
    assert cfg.log.file_path == state / "neuronlab" / "neuronlab.log"


def test_the_state_folder_follows_xdg_and_falls_back_to_local_state(monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", "/srv/state")
    assert Config().state.checkpoint_path == Path("/srv/state/neuronlab/checkpoint.npz")
    monkeypatch.delenv("XDG_STATE_HOME")
    assert Config().log.file_path == Path(os.environ["HOME"]) / ".local/state/neuronlab/neuronlab.log"


def test_a_shot_logs_into_the_temporary_home_and_looks_for_a_checkpoint_only_there(tmp_path):
    state = Path(os.environ["XDG_STATE_HOME"]) / "neuronlab"
    assert not state.exists()
    out = tmp_path / "g.png"
    assert main(["shot", "--frames", "2", "--size", "320x180", "--out", str(out)]) == 0
    assert out.exists()
    assert sorted(p.name for p in state.iterdir()) == ["neuronlab.log"]
    log = (state / "neuronlab.log").read_text()
    assert f"{state / 'checkpoint.npz'}: not found" in log and "clean start" in log
    assert sorted(os.listdir(tmp_path)) == ["g.png"]
