"""The soak command: a short run of the real exhibit under monkey input prints its one line."""
import os
import re

os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")

from neuronlab.cli import main

LINE = re.compile(r"^soak: frames (\d+), errors (\d+), nan (\d+), rss start ([\d.]+) MB end ([\d.]+) MB, "
                  r"rss growth (-?[\d.]+) MB, p99 frame ([\d.]+) ms$")


def test_short_soak_prints_one_line_with_no_errors_and_no_nan(tmp_path, capsys):
    cfg = tmp_path / "soak.toml"
    cfg.write_text(f'[log]\npath = "{tmp_path / "log" / "neuronlab.log"}"\n'
                   f'[state]\ncheckpoint = "{tmp_path / "must_not_be_written.npz"}"\n')
    status = main(["soak", "--minutes", "0.05", "--seed", "3", "--size", "640x360",
                   "--config", str(cfg)])
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1, out
    m = LINE.match(out[0])
    assert m, out[0]
    frames, errors, nan = (int(m.group(i)) for i in (1, 2, 3))
    assert frames > 20 and errors == 0 and nan == 0 and status == 0
    assert float(m.group(7)) > 0
    assert not (tmp_path / "must_not_be_written.npz").exists()   # the gallery's checkpoint is left alone
