"""Headless training, whole process, against the same network in PyTorch on the CPU.

Owns the end-to-end training comparison. Each run is a whole process timed from outside
(start-up, imports, data, training, the final test measurement, exit), and the two kinds
are interleaved run by run:

- neuronlab: ``neuronlab train --samples N`` (batch 32, the default settings; every
  training digit drawn by ``DigitGenerator`` inside the timed process);
- torch: a plain PyTorch script training the same 256-16-12-10 ReLU network with a softmax
  cross-entropy and momentum SGD (lr 0.03, momentum 0.9) at batch 32 on N samples,
  reshuffled batches of a pre-made (60000, 256) float32 tensor: 60,000 digits drawn by
  ``DigitGenerator`` once, before the runs, and saved as .npy (the pool size the trainer
  keeps; making them is not timed, loading them is). It reads every loss
  (``loss.item()``) as neuronlab's trainer does for its divergence guard.

Prints, per run, wall and CPU seconds (the child's user + system time: on a shared
machine the wall time carries other jobs' load) and samples/s of each, then the
neuronlab / torch ratio of both. PyTorch is not a dependency: give its interpreter.

    .venv/bin/python bench/vs_torch.py --torch-python /tmp/torchvenv/bin/python
        [--samples 600000] [--runs 3] [--torch-threads 0]

Figures only; the target (>= 3x PyTorch) is judged by reading them.
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from neuronlab.nn import stream  # noqa: E402

TORCH_SCRIPT = r'''
import sys, numpy as np, torch
X_path, y_path, samples, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
if threads > 0:
    torch.set_num_threads(threads)
torch.manual_seed(0)
X = torch.from_numpy(np.load(X_path))
y = torch.from_numpy(np.load(y_path))
net = torch.nn.Sequential(torch.nn.Linear(256, 16), torch.nn.ReLU(),
                          torch.nn.Linear(16, 12), torch.nn.ReLU(),
                          torch.nn.Linear(12, 10))
opt = torch.optim.SGD(net.parameters(), lr=0.03, momentum=0.9)
loss_fn = torch.nn.CrossEntropyLoss()
B, n, done, loss = 32, len(y), 0, None
order = torch.randperm(n)
at = 0
while done < samples:
    if at + B > n:
        order, at = torch.randperm(n), 0
    idx = order[at:at + B]
    at += B
    opt.zero_grad(set_to_none=True)
    loss = loss_fn(net(X[idx]), y[idx])
    loss.backward()
    opt.step()
    loss.item()
    done += B
with torch.no_grad():
    acc = (net(X).argmax(1) == y).float().mean().item()
print(f"torch {torch.__version__}, {torch.get_num_threads()} threads: {done} samples, "
      f"last loss {loss.item():.4f}, accuracy on its training tensor {acc:.4f}")
'''


def _timed(cmd: list[str]) -> tuple[float, float, str]:
    """Wall and CPU (user + system) seconds of one child process, and its last line."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    lines = [ln for ln in out.stdout.splitlines() if ln.strip()]
    return wall, cpu, lines[-1] if lines else ""


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--torch-python", required=True, help="a Python interpreter with torch and numpy")
    ap.add_argument("--samples", type=int, default=600_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--torch-threads", type=int, default=0, help="0: PyTorch's own default")
    args = ap.parse_args(argv)
    neuronlab = [str(Path(sys.executable).parent / "neuronlab")]
    if not Path(neuronlab[0]).exists():
        neuronlab = [sys.executable, "-c", "from neuronlab.cli import entry; entry()"]
    with tempfile.TemporaryDirectory() as tmp:
        X, y = stream.DigitGenerator(1, pool=0).batch(60_000)
        np.save(f"{tmp}/X.npy", X)
        np.save(f"{tmp}/y.npy", y)
        Path(f"{tmp}/train_torch.py").write_text(TORCH_SCRIPT)
        cmds = {
            "neuronlab": neuronlab + ["train", "--samples", str(args.samples)],
            "torch": [args.torch_python, f"{tmp}/train_torch.py", f"{tmp}/X.npy", f"{tmp}/y.npy",
                      str(args.samples), str(args.torch_threads)],
        }
        print(f"{args.samples:,d} samples at batch 32, whole processes, interleaved; "
              f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
        res: dict[str, list[tuple[float, float]]] = {k: [] for k in cmds}
        for run in range(args.runs):
            for name, cmd in cmds.items():
                wall, cpu, last = _timed(cmd)
                res[name].append((wall, cpu))
                print(f"run {run + 1} {name:>9}: {wall:6.2f} s wall ({args.samples / wall:9,.0f} samples/s), "
                      f"{cpu:6.2f} s CPU ({args.samples / cpu:9,.0f} samples/s)  | {last}", flush=True)
    a, b = np.array(res["neuronlab"]), np.array(res["torch"])
    for i, what in enumerate(("wall", "CPU")):
        r = b[:, i] / a[:, i]                  # run by run: neuronlab samples/s / torch samples/s
        print(f"neuronlab / torch samples/s by {what} time: {r.min():.2f}-{r.max():.2f}x "
              f"(median {np.median(r):.2f}x)")
    print(f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
