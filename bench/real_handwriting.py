"""Does the generator teach the network to read real handwriting? An experiment script.

Trains the 256-16-12-10 network on ``DigitGenerator`` only, then measures accuracy on
the procedural test set, on the ten clean digits, and on scikit-learn's 1797 real
digits (43 writers, 8x8) placed on the pad the way visitors draw: centred or off
centre, large or small, soft-edged -- all through ``pad.to_network``.

    .venv/bin/python bench/real_handwriting.py [--samples 300000] [--seeds 0 1 2]

Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import time

import numpy as np

if __package__ in (None, ""):   # run as a script from anywhere: make the repo importable
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from neuronlab.nn import digits, pad
from neuronlab.nn.mlp import MLP, PARAM_NAMES


def sgd_train(model: MLP, gen: digits.DigitGenerator, samples: int, batch: int = 32,
              lr: float = 0.05, momentum: float = 0.9) -> None:
    """Plain momentum SGD over the generator's stream (the Trainer does the same, and more)."""
    vel = {k: np.zeros_like(v) for k, v in model.params.items()}
    for _ in range(samples // batch):
        X, y = gen.batch(batch)
        g = model.backward(model.forward(X), y)
        for k in PARAM_NAMES:
            vel[k] *= momentum
            vel[k] -= lr * g.param(k)
            model.params[k] += vel[k]


def sklearn_pads(layout: str, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's real digits as pad images (1797, 16, 16) under one layout:
    'centred' (12-cell box, centre), 'varied' (10-14 cells, anywhere it fits),
    'small' (7-9 cells, off centre)."""
    from sklearn.datasets import load_digits
    d = load_digits()
    rng = np.random.default_rng(seed)
    out = np.empty((len(d.target), 16, 16), dtype=np.float32)
    for i, im in enumerate(d.images / 16.0):
        if layout == "centred":
            size, c = 12.0, (8.0, 8.0)
        else:
            size = rng.uniform(10, 14) if layout == "varied" else rng.uniform(7, 9)
            room = 8 - size / 2
            c = tuple(8 + rng.uniform(-room, room, 2))
        out[i] = pad.place(im, size, c)
    return out, d.target.astype(np.int64)


def evaluate(model: MLP) -> dict[str, float]:
    X, y = digits.test_set()
    res = {"procedural": model.accuracy(X, y)}
    clean = pad.to_network(np.stack([digits.clean_digit(k) for k in range(10)]))
    res["clean"] = float(np.mean(model.predict(clean) == np.arange(10)))
    for layout in ("centred", "varied", "small"):
        imgs, t = sklearn_pads(layout)
        res["sk_" + layout] = model.accuracy(pad.to_network(imgs), t)
    return res


def confusion(model: MLP) -> np.ndarray:
    imgs, t = sklearn_pads("varied")
    p = model.predict(pad.to_network(imgs))
    cm = np.zeros((10, 10), dtype=int)
    np.add.at(cm, (t, p), 1)
    return cm


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", type=int, default=300_000)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0])
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=0.05)
    ap.add_argument("--momentum", type=float, default=0.9)
    ap.add_argument("--confusion", action="store_true")
    ap.add_argument("--blur", type=float, default=None, help="override pad.BLUR")
    ap.add_argument("--topk", type=int, default=None, help="override pad.TOPK")
    ap.add_argument("--box", type=float, default=None, help="override pad.BOX")
    a = ap.parse_args()
    if a.blur is not None:
        pad.BLUR = a.blur
    if a.topk is not None:
        pad.TOPK = a.topk
    if a.box is not None:
        pad.BOX = a.box
    for seed in a.seeds:
        model = MLP(seed=seed)
        t0 = time.perf_counter()
        sgd_train(model, digits.DigitGenerator(seed), a.samples, a.batch, a.lr, a.momentum)
        dt = time.perf_counter() - t0
        r = evaluate(model)
        print(f"seed {seed}: {a.samples} samples in {dt:.1f} s  " +
              "  ".join(f"{k} {v:.4f}" for k, v in r.items()), flush=True)
        if a.confusion:
            print("rows = true digit, columns = predicted (sklearn, varied)")
            print(confusion(model))


if __name__ == "__main__":
    main()
