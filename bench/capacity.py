"""Is it the generator or the network's size? An experiment script.

Trains a plain numpy MLP of any hidden sizes on ``DigitGenerator`` alone (momentum SGD,
the exhibit's rate schedule, ``schedule.rate_at`` with ``TrainSettings``' defaults),
then scores it on the real sets of ``bench/real_handwriting.py``. With ``--teacher`` a
saved wider network's softened answers are mixed into the targets (knowledge
distillation: ``(1 - alpha) * one-hot + alpha * softmax(teacher / T)``).

    .venv/bin/python bench/capacity.py [--hidden 16,12] [--seeds 1 2] [--part dev|holdout]
    .venv/bin/python bench/capacity.py --hidden 256 --samples 1000000 --seeds 100 \\
        --batch 64 --lr 0.05 --save /tmp/teacher.npz
    .venv/bin/python bench/capacity.py --seeds 1 2 3 4 --teacher /tmp/teacher.npz --alpha 0.7 --T 2

This trainer is not the exhibit's (``neuronlab.nn.train``): compare its figures with each
other, not with ``real_handwriting.py``'s. Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse

import numpy as np

if __package__ in (None, ""):   # run as a script from anywhere: make the repo importable
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.real_handwriting import real_sets, with_sk_odd_half  # noqa: E402
from neuronlab.nn import digits, fpmode, pad, schedule, stream  # noqa: E402
from neuronlab.nn.mlp import softmax  # noqa: E402
from neuronlab.nn.train import TrainSettings  # noqa: E402

SHOWN = ("procedural", "mnist_large", "mnist_small", "finger_large", "sk_varied", "sk_varied_odd")


def forward(W: list[np.ndarray], b: list[np.ndarray], X: np.ndarray) -> list[np.ndarray]:
    """Every layer's output, the input first; ReLU hidden, the last one the logits."""
    acts = [X]
    for i, (w, bb) in enumerate(zip(W, b)):
        z = acts[-1] @ w + bb
        acts.append(np.maximum(z, 0) if i < len(W) - 1 else z)
    return acts


def train(sizes: list[int], seed: int, a, teacher) -> tuple[list[np.ndarray], list[np.ndarray]]:
    rng = np.random.default_rng(seed)
    W = [rng.standard_normal((p, q)).astype(np.float32) * np.float32(np.sqrt(2 / p))
         for p, q in zip(sizes, sizes[1:])]
    b = [np.zeros(s, np.float32) for s in sizes[1:]]
    vW = [np.zeros_like(w) for w in W]
    vb = [np.zeros_like(x) for x in b]
    gen = stream.DigitGenerator(seed)
    settings = TrainSettings(batch=a.batch, lr=a.lr)   # the exhibit's schedule around the rate
    for t in range(a.samples // a.batch):
        X, y = gen.batch(a.batch)
        seen = t * a.batch
        lr = schedule.rate_at(a.lr, seen, settings)
        mom = schedule.momentum_at(seen, settings)
        acts = forward(W, b, X)
        target = np.zeros((len(y), 10), np.float32)
        target[np.arange(len(y)), y] = 1
        if teacher is not None and a.alpha > 0:
            soft = softmax(forward(*teacher, X)[-1] / a.T)
            target = (1 - a.alpha) * target + a.alpha * soft
        g = (softmax(acts[-1]) - target) / len(y)
        for i in range(len(W) - 1, -1, -1):
            gW, gb = acts[i].T @ g, g.sum(axis=0)
            if i > 0:
                g = (g @ W[i].T) * (acts[i] > 0)
            vW[i] = mom * vW[i] - lr * gW
            vb[i] = mom * vb[i] - lr * gb
            W[i] += vW[i]
            b[i] += vb[i]
    return W, b


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--hidden", default="16,12", help="hidden sizes, e.g. 256 or 64,32")
    ap.add_argument("--samples", type=int, default=300_000)
    ap.add_argument("--seeds", type=int, nargs="+", default=[1])
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=0.03)
    ap.add_argument("--teacher", default=None, help="a network saved with --save")
    ap.add_argument("--alpha", type=float, default=0.7, help="the teacher's share of the target")
    ap.add_argument("--T", type=float, default=2.0, help="the teacher's softmax temperature")
    ap.add_argument("--save", default=None, help="save the last seed's network (.npz)")
    ap.add_argument("--part", choices=("dev", "holdout"), default="dev",
                    help="which half of the MNIST digits to score (holdout: for figures)")
    a = ap.parse_args()
    fpmode.flush_subnormals()
    pad.JIT = True
    sets = with_sk_odd_half(real_sets(a.part, finger=True))
    sets["procedural"] = digits.test_set()
    teacher = None
    if a.teacher:
        d = np.load(a.teacher)
        n = sum(k.startswith("W") for k in d)
        teacher = ([d[f"W{i}"] for i in range(n)], [d[f"b{i}"] for i in range(n)])
    sizes = [256] + [int(h) for h in a.hidden.split(",")] + [10]
    scores, per_digit = [], []
    for seed in a.seeds:
        W, b = train(sizes, seed, a, teacher)
        hits = {k: forward(W, b, sets[k][0])[-1].argmax(axis=1) == sets[k][1] for k in SHOWN}
        r = {k: 100 * h.mean() for k, h in hits.items()}
        scores.append(r)
        per_digit.append({k: _per_digit(hits[k], sets[k][1]) for k in ("mnist_large", "finger_large")})
        print(f"seed {seed}: " + "  ".join(f"{k} {v:.1f}" for k, v in r.items()), flush=True)
        if a.save:
            np.savez(a.save, **{f"W{i}": w for i, w in enumerate(W)}, **{f"b{i}": x for i, x in enumerate(b)})
    for k in ("mnist_large", "finger_large"):    # per digit, the mean over the seeds
        m = np.mean([r[k] for r in per_digit], axis=0)
        print(f"{k} per digit 0-9 (mean): " + " ".join(f"{100 * v:.0f}" for v in m))
    print(f"{'-'.join(map(str, sizes))}, {a.samples} samples, {a.part} half, mean over {len(scores)} seed(s): "
          + "  ".join(f"{k} {np.mean([r[k] for r in scores]):.1f} "
                      f"[{min(r[k] for r in scores):.1f}-{max(r[k] for r in scores):.1f}]" for k in SHOWN))


def _per_digit(hit: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Each digit's share read right (10,), from which samples were (hit)."""
    return np.array([hit[y == d].mean() for d in range(10)])


if __name__ == "__main__":
    main()
