"""Which of the generator's styles would a reader of real handwriting recognise? A looking tool.

Trains the exhibit's 256-16-12-10 network, with the exhibit's own Trainer and default
settings, on real handwriting instead of the generator: the MNIST dev half (even indices,
``bench/real_sets.py``) placed on the pad three times at random sizes and places. Then:

- its accuracy on every real set of ``bench/real_handwriting.py`` (the MNIST holdout half,
  the finger-drawn digits, scikit-learn's): what a network that has seen real hands reaches
  on each, a reference for what the generator's network could reach;
- its accuracy on the generator's digits, per style of ``strokes.styles()``: a style such
  a reader misreads is one real hands seldom write (or write only elsewhere: scikit-learn's
  European 1s with long flags read as 7 to a reader of MNIST's US hands).

The network trained here is a measuring instrument only; the exhibit never trains on real
digits.

    .venv/bin/python bench/style_realism.py [--seeds 1 2] [--samples 300000]

Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse

import numpy as np

if __package__ in (None, ""):   # run as a script from anywhere: make the repo importable
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import real_sets as R
from bench.real_handwriting import real_sets
from neuronlab.nn import digits, pad, strokes
from neuronlab.nn.mlp import MLP
from neuronlab.nn.train import Trainer, TrainSettings


class RealSource:
    """Uniform random draws, with replacement, from fixed network inputs."""

    def __init__(self, X: np.ndarray, y: np.ndarray, seed: int):
        self.X, self.y, self.rng = X, y, np.random.default_rng(seed)

    def batch(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        i = self.rng.integers(0, len(self.y), n)
        return self.X[i], self.y[i]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--samples", type=int, default=300_000)
    ap.add_argument("--per-style", type=int, default=20_000, help="generated digits scored, all styles")
    a = ap.parse_args()
    Xd, yd = R.mnist_split("dev")
    X = np.concatenate([pad.to_network(R.placed_pads(Xd, "large", seed=s)) for s in (11, 12, 13)])
    y = np.concatenate([yd] * 3)
    sets = real_sets("holdout")
    labels = np.arange(a.per_style) % 10
    img, style = digits._draw_styled(np.random.default_rng(5), labels, elastic=0.0)
    Xg = pad.to_network(img)
    S = strokes.styles()
    for seed in a.seeds:
        model = MLP(seed=seed)
        s = TrainSettings(test_every=10**12)
        Trainer(model, RealSource(X, y, seed), s).run(a.samples // s.batch)
        ok = model.predict(Xg) == labels
        print(f"seed {seed}: trained on MNIST dev; " +
              "  ".join(f"{k} {100 * np.mean(model.predict(Xs) == t):.1f}" for k, (Xs, t) in sets.items()) +
              f"  generator's digits {100 * ok.mean():.1f}")
        t = 0
        for d in range(10):
            cells = []
            for _ in S[d]:
                sel = style == t
                cells.append(f"{100 * ok[sel].mean():3.0f}" if sel.any() else "  -")
                t += 1
            print(f"  digit {d}, per style:", " ".join(cells))


if __name__ == "__main__":
    main()
