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
    status = main(["soak", "--minutes", "0.02", "--seed", "3", "--size", "640x360",
                   "--config", str(cfg)])
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1, out
    m = LINE.match(out[0])
    assert m, out[0]
    frames, errors, nan = (int(m.group(i)) for i in (1, 2, 3))
    assert frames > 5 and errors == 0 and nan == 0 and status == 0   # (frames: however loaded the machine)
    assert float(m.group(7)) > 0
    assert not (tmp_path / "must_not_be_written.npz").exists()   # the gallery's checkpoint is left alone


def test_soak_with_a_memory_profile_prints_split_lines_to_stderr(tmp_path, capsys, monkeypatch):
    import argparse

    from neuronlab.cmd import soak

    cfg = tmp_path / "soak.toml"
    cfg.write_text(f'[log]\npath = "{tmp_path / "neuronlab.log"}"\n')
    warmed = []

    class Sampler(soak.MemorySampler):
        def warm(self, now):
            warmed.append(now)

    monkeypatch.setattr(soak, "MemorySampler", Sampler)
    args = argparse.Namespace(minutes=0.02, seed=1, size=(480, 270), config=str(cfg), profile_every=0.5)
    assert soak.run(args) == 0
    cap = capsys.readouterr()
    total_s = args.minutes * 60
    assert len(warmed) == 1 and 0.0 < warmed[0] <= total_s + 1.0   # told once, when the warm-up ended
    assert len(cap.out.strip().splitlines()) == 1 and LINE.match(cap.out.strip())
    mem = [ln for ln in cap.err.splitlines() if ln.startswith("mem: frames")]
    assert len(mem) >= 1, cap.err
    assert all("rss " in ln and "[heap] " in ln and "anon-large " in ln for ln in mem)


class _FakeApp:
    """Just what WarmUp reads: a training-data pool."""

    def __init__(self):
        import types

        import numpy as np

        gen = types.SimpleNamespace(_pool=np.zeros((4, 8)), _count=np.zeros(4, np.int64))
        self.session = types.SimpleNamespace(generator=gen)


def test_warm_up_waits_for_the_pool_and_for_the_resident_size_to_settle():
    from neuronlab.cmd.soak import WarmUp

    app, w = _FakeApp(), WarmUp(min_s=60, settle_s=60, max_s=900, step_mb=1.0)
    assert not w.over(app, 0.0, 200.0)
    app.session.generator._count[:] = 8            # pool full (4 rows of 8)
    assert not w.over(app, 59.0, 200.5)            # before min_s
    assert not w.over(app, 100.0, 205.0)           # a new high at 100 s
    assert not w.over(app, 130.0, 205.9)           # within 1 MB of it: not a new high
    assert not w.over(app, 159.0, 204.0)
    assert w.over(app, 160.0, 205.5) and "205.0" in w.why


def test_warm_up_ends_at_its_limit_when_the_size_keeps_climbing():
    from neuronlab.cmd.soak import WarmUp

    app, w = _FakeApp(), WarmUp(min_s=60, settle_s=60, max_s=300, step_mb=1.0)
    app.session.generator._count[:] = 8
    for t in range(0, 300, 10):
        assert not w.over(app, float(t), 200.0 + 0.2 * t)      # a leak of 12 MB a minute
    assert w.over(app, 300.0, 260.0) and "limit" in w.why


def test_a_slow_leak_does_not_hold_the_warm_up_back():
    from neuronlab.cmd.soak import WarmUp

    app, w = _FakeApp(), WarmUp(min_s=60, settle_s=60, max_s=900, step_mb=1.0)
    app.session.generator._count[:] = 8
    ends = [t for t in range(0, 900, 10) if w.over(app, float(t), 200.0 + 0.005 * t)]
    assert ends and ends[0] == 120                 # 0.3 MB a minute is measured from 2 min on


def test_peak_windows_compare_the_highest_reading_early_and_late():
    from neuronlab.cmd.soak import PeakWindows

    p = PeakWindows(total_s=2000.0, window_s=300.0)
    # GIVEN a level that swings by 10 MB with what is on screen, and no trend
    for t in range(100, 2001, 10):
        p.feed(float(t), 240.0 + (10.0 if (t // 10) % 7 == 0 else 0.0))
    assert p.start == 250.0 and p.end == 250.0          # growth 0, whatever the last reading
    # GIVEN the same swings on a leak of 0.2 MB a minute
    q = PeakWindows(total_s=2000.0, window_s=300.0)
    for t in range(100, 2001, 10):
        q.feed(float(t), 240.0 + t / 300.0 + (10.0 if (t // 10) % 7 == 0 else 0.0))
    assert 5.0 < q.end - q.start < 7.0                  # about 1900 - 400 s apart: 5-6 MB
