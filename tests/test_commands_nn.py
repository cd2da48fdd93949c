"""The learning core's commands, run in-process: train, classify, gradcheck, bench."""
import re

import numpy as np
import pytest

from neuronlab import cli
from neuronlab.nn import digits, pad
from neuronlab.nn.mlp import MLP
from neuronlab.nn.store import load_weights, save_weights


def run_cli(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_train_prints_progress_and_the_final_line_and_saves(capsys, tmp_path):
    path = tmp_path / "w.npz"
    code, out, err = run_cli(capsys, "train", "--samples", "3000", "--batch", "50",
                             "--seed", "3", "--save", str(path))
    assert code == 0, err
    last = out.strip().splitlines()[-1]
    m = re.fullmatch(r"test accuracy: (0\.\d{4}|1\.0000)", last)
    assert m, last
    assert "3,000 samples" in out
    model, meta = load_weights(path)
    assert meta["samples_seen"] == 3000
    assert meta["settings"]["batch"] == 50 and meta["settings"]["seed"] == 3
    # the printed accuracy is the saved network's accuracy on the fixed test set
    X, y = digits.test_set()
    assert float(m.group(1)) == pytest.approx(model.accuracy(X, y), abs=1e-4)
    assert meta["test_accuracy"] == pytest.approx(float(m.group(1)), abs=1e-4)
    assert float(m.group(1)) > 0.3          # 3000 samples already learn something


def test_train_prints_the_rate_each_step_really_took_not_the_base_rate(capsys, monkeypatch):
    from neuronlab.cmd import train as train_cmd
    from neuronlab.nn import schedule
    from neuronlab.nn.train import TrainSettings

    monkeypatch.setattr(train_cmd, "PROGRESS_EVERY_S", 0.0)     # a line per chunk
    code, out, err = run_cli(capsys, "train", "--samples", "8192", "--lr", "0.05")
    assert code == 0, err
    settings = TrainSettings(lr=0.05)
    lines = re.findall(r"samples +([\d,]+)/[\d,]+ .* lr ([\d.e-]+)$", out, re.M)
    assert len(lines) >= 3
    for seen, lr in lines:
        seen = int(seen.replace(",", ""))
        # the latest step started at seen - batch samples: the rate the schedule gave it
        assert float(lr) == pytest.approx(schedule.rate_at(0.05, seen - 32, settings), rel=1e-3)
    assert float(lines[0][1]) < 0.05 / 2                          # inside the warm-up
    final = float(re.search(r"final lr ([\d.e-]+)", out).group(1))
    assert final == pytest.approx(schedule.rate_at(0.05, 8192 - 32, settings), rel=1e-3)
    assert final != 0.05


def test_train_continues_from_loaded_weights(capsys, tmp_path):
    start = tmp_path / "start.npz"
    save_weights(start, MLP(seed=9), {"samples_seen": 1000})
    out_path = tmp_path / "more.npz"
    code, out, err = run_cli(capsys, "train", "--samples", "64", "--batch", "32",
                             "--lr", "0.01", "--load", str(start), "--save", str(out_path))
    assert code == 0, err
    _, meta = load_weights(out_path)
    assert meta["samples_seen"] == 1064 and meta["settings"]["lr"] == 0.01


def test_train_with_a_corrupt_load_prints_one_line_and_no_traceback(capsys, tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"PK\x03\x04 this is not really a zip")
    code, out, err = run_cli(capsys, "train", "--samples", "100", "--load", str(bad))
    assert code == 1
    lines = (out + err).strip().splitlines()
    assert len(lines) == 1 and str(bad) in lines[0]
    assert "Traceback" not in out + err


def test_train_with_a_bad_setting_says_so(capsys):
    code, out, err = run_cli(capsys, "train", "--samples", "100", "--momentum", "1.5")
    assert code == 1
    assert (out + err).strip() == "error: momentum must be in [0, 1), got 1.5"


def test_classify_prints_one_digit_per_image_through_the_pad_path(capsys, tmp_path):
    model = MLP(seed=5)
    wpath = tmp_path / "w.npz"
    save_weights(wpath, model, {})
    images = np.stack([digits.clean_digit(d) for d in range(10)])[::-1].copy()
    images[3] = np.roll(images[3], 3, axis=1) * 0.7          # off-centre and faint
    ipath = tmp_path / "images.npy"
    np.save(ipath, images.astype(np.float32))
    code, out, err = run_cli(capsys, "classify", "--load", str(wpath), str(ipath))
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 10 and all(re.fullmatch(r"\d", s) for s in lines)
    expected = model.predict(pad.to_network(images))
    assert [int(s) for s in lines] == list(expected)


def test_classify_reads_trained_weights_correctly(capsys, tmp_path):
    # GIVEN weights trained on a tiny fixed set of clean digits (so they surely know them)
    X = pad.to_network(np.stack([digits.clean_digit(d) for d in range(10)]))
    y = np.arange(10)
    from neuronlab.nn.train import Trainer, TrainSettings

    class Clean:
        def batch(self, n):
            idx = np.arange(n) % 10
            return X[idx], y[idx]

    model = MLP(seed=0)
    Trainer(model, Clean(), TrainSettings(batch=10, lr=0.05)).run(300)
    wpath = tmp_path / "w.npz"
    save_weights(wpath, model, {})
    order = np.array([7, 1, 4, 0, 9, 2, 8, 3, 6, 5])
    ipath = tmp_path / "images.npy"
    np.save(ipath, np.stack([digits.clean_digit(d) for d in order]))
    code, out, _ = run_cli(capsys, "classify", "--load", str(wpath), str(ipath))
    assert code == 0
    assert [int(s) for s in out.split()] == list(order)


@pytest.mark.parametrize("kind", ["missing", "truncated", "shape", "nan"])
def test_classify_with_bad_weights_prints_one_line(capsys, tmp_path, kind):
    wpath = tmp_path / "w.npz"
    save_weights(wpath, MLP(seed=0), {})
    if kind == "missing":
        wpath = tmp_path / "nope.npz"
    elif kind == "truncated":
        wpath.write_bytes(wpath.read_bytes()[:3000])
    else:
        arrays = {k: v.copy() for k, v in MLP(seed=0).params.items()}
        if kind == "shape":
            arrays["b3"] = np.zeros(9, np.float32)
        else:
            arrays["W1"][0, 0] = np.nan
        with open(wpath, "wb") as f:
            np.savez(f, **arrays)
    ipath = tmp_path / "i.npy"
    np.save(ipath, np.zeros((2, 16, 16), np.float32))
    code, out, err = run_cli(capsys, "classify", "--load", str(wpath), str(ipath))
    assert code == 1 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and str(wpath) in lines[0] and "Traceback" not in err


@pytest.mark.parametrize("content, words", [
    (None, "not found"),
    (b"garbage", "not a readable .npy"),
    (np.zeros((3, 16, 15), np.float32), "(3, 16, 15)"),
    (np.full((1, 16, 16), np.nan, np.float32), "NaN"),
])
def test_classify_with_bad_images_prints_one_line(capsys, tmp_path, content, words):
    wpath = tmp_path / "w.npz"
    save_weights(wpath, MLP(seed=0), {})
    ipath = tmp_path / "i.npy"
    if isinstance(content, bytes):
        ipath.write_bytes(content)
    elif content is not None:
        np.save(ipath, content)
    code, out, err = run_cli(capsys, "classify", "--load", str(wpath), str(ipath))
    assert code == 1 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and str(ipath) in lines[0] and words in lines[0], lines


def test_gradcheck_passes_and_prints_the_worst_error(capsys):
    code, out, _ = run_cli(capsys, "gradcheck")
    assert code == 0
    m = re.search(r"worst relative error: ([0-9.e+-]+)", out)
    assert m and float(m.group(1)) < 1e-6


def test_gradcheck_exits_nonzero_on_a_broken_backward(capsys, monkeypatch):
    import dataclasses
    real = MLP.backward
    monkeypatch.setattr(MLP, "backward",
                        lambda self, fw, y: dataclasses.replace(real(self, fw, y),
                                                                db3=real(self, fw, y).db3 * 2))
    code, out, _ = run_cli(capsys, "gradcheck")
    assert code == 1
    m = re.search(r"worst relative error: ([0-9.e+-]+)", out)
    assert float(m.group(1)) == pytest.approx(1 / 3, rel=1e-3)   # |2g - g| / (|2g| + |g|)
    assert "FAILED" in out


def test_bench_quick_prints_every_figure_for_each_path(capsys, monkeypatch):
    from neuronlab.cmd import bench
    from neuronlab.nn import pad
    jit_at_call = []

    def rate(fn, per_call, seconds):
        jit_at_call.append(pad.JIT)
        fn()
        return per_call * 1000.0

    monkeypatch.setattr(bench, "_rate", rate)
    monkeypatch.setattr(bench, "_per_call_us", lambda fn, seconds: (fn(), 12.5)[1])
    monkeypatch.setattr(bench, "POOL", 2048)       # the pool is drawn in a moment
    keep = pad.JIT
    code, out, _ = run_cli(capsys, "bench", "--quick")
    assert code == 0
    assert pad.JIT == keep                          # the command leaves the switch as it was
    # the compiled path's section, then numpy's, each with every figure, measured on its path
    compiled, numpy_ = out.split("== numpy")
    assert "== compiled" in compiled
    for part in (compiled, numpy_):
        for B in (1, 32, 128):
            assert re.search(rf"batch +{B}: +{B * 1000:,} samples/s", part)
        assert "generator, batch   32:" in part
        assert re.search(r"blocks of 256: +256,000 samples/s", part)
        assert re.search(r"pool drawn whole before the first batch: 2,048 digits in [\d.]+ s", part)
    n = len(jit_at_call) // 2
    assert jit_at_call[:n] == [True] * n and jit_at_call[n:] == [False] * n
    assert "forward + Inspector contributions" in out and "12.5 us" in out


def test_every_command_runs_numpys_blas_on_one_thread(tmp_path):
    """Idle OpenBLAS workers spin on the cores the trainer needs: headless training used
    about 1.7x the CPU with them. Checked in a fresh process, where numpy is not loaded
    yet when the command line starts (a limit reaches only libraries already loaded)."""
    import os
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from neuronlab import cli\n"
        "assert 'numpy' not in sys.modules\n"
        "cli.main(['gradcheck'])\n"
        "from threadpoolctl import threadpool_info\n"
        "print('blas', [l['num_threads'] for l in threadpool_info() if l['user_api'] == 'blas'])\n"
        "from neuronlab.nn import fpmode\n"
        "print('flushed', fpmode.flushed())\n")
    env = dict(os.environ, OPENBLAS_NUM_THREADS="4", HOME=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         env=env, cwd=tmp_path, timeout=120)
    assert out.returncode == 0, out.stderr
    line = [s for s in out.stdout.splitlines() if s.startswith("blas")][-1]
    assert line == "blas [1]", line
    # and with subnormal floats flushed, where the platform allows it (neuronlab/nn/fpmode.py)
    import platform
    x86_glibc = (platform.system() == "Linux" and platform.machine() == "x86_64"
                 and platform.libc_ver()[0] == "glibc")
    assert f"flushed {x86_glibc}" in out.stdout.splitlines()
