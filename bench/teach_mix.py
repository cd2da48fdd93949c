"""How many steps, copies of the drawing and what rate make a lesson work? An experiment script.

Trains the network at default settings, then for each real handwritten digit it
misreads (scikit-learn's 1797 digits placed on the pad the way visitors draw, as in
tests/test_learning_quality.py) runs one lesson from the same trained weights and
records whether it now reads the drawing right and how many points of procedural
test accuracy it lost.

    .venv/bin/python bench/teach_mix.py [--samples 300000] [--seeds 0 1 2] [--drawings 30]
        [--steps 4 8 12] [--copies 4 8 16] [--lr 0.01 0.02 0.05]

Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import itertools

import numpy as np

if __package__ in (None, ""):   # run as a script from anywhere: make the repo importable
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sklearn.datasets import load_digits

from neuronlab.nn import digits, pad, stream
from neuronlab.nn.mlp import MLP
from neuronlab.nn.teach import Teacher, TeachSettings
from neuronlab.nn.train import Trainer, TrainSettings


def real_pads(seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    d = load_digits()
    rng = np.random.default_rng(seed)
    out = np.empty((len(d.target), 16, 16), np.float32)
    for i, im in enumerate(d.images / 16.0):
        size = rng.uniform(7, 14)
        room = 8 - size / 2
        out[i] = pad.place(im, size, tuple(8 + rng.uniform(-room, room, 2)))
    return out, d.target.astype(np.int64)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", type=int, default=300_000)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--drawings", type=int, default=30)
    ap.add_argument("--steps", type=int, nargs="+", default=[4, 8, 12])
    ap.add_argument("--copies", type=int, nargs="+", default=[4, 8, 16])
    ap.add_argument("--lr", type=float, nargs="+", default=[0.01, 0.02, 0.05])
    ap.add_argument("--batch", type=int, nargs="+", default=[32])
    ap.add_argument("--momentum", type=float, nargs="+", default=[0.9])
    ap.add_argument("--target", type=float, nargs="+", default=[0.0])
    a = ap.parse_args()
    imgs, labels = real_pads()
    X_real = pad.to_network(imgs)
    results: dict[tuple, list] = {}
    for seed in a.seeds:
        model = MLP(seed=seed)
        trainer = Trainer(model, stream.DigitGenerator(seed), TrainSettings(),
                          test_set=digits.test_set())
        trainer.run(a.samples // 32)
        trained = {k: v.copy() for k, v in model.params.items()}
        wrong = np.flatnonzero(model.predict(X_real) != labels)[:a.drawings]
        print(f"seed {seed}: test {100 * model.accuracy(*digits.test_set()):.2f} %, "
              f"{len(wrong)} misread drawings used", flush=True)
        for key in itertools.product(a.steps, a.copies, a.lr, a.batch, a.momentum, a.target):
            steps, copies, lr, batch, mom, target = key
            teacher = Teacher(trainer, TeachSettings(steps=steps, copies=copies, lr=lr, batch=batch,
                                                     momentum=mom, target=target),
                              replay=stream.DigitGenerator(100 + seed, pool=0))
            for i in wrong:
                model.set_params(trained)
                r = teacher.teach(X_real[i], int(labels[i]))
                results.setdefault(key, []).append((r.learned, r.drop_points, r.steps))
    print(" steps copies    lr batch  mom target  learned  drop mean  drop p90  drop max"
          "  share drop<=0.5  steps mean")
    for key, rows in sorted(results.items()):
        ok = np.array([r[0] for r in rows])
        drop = np.array([r[1] for r in rows])
        took = np.array([r[2] for r in rows])
        print(f"{key[0]:6d} {key[1]:6d} {key[2]:5.3f} {key[3]:5d} {key[4]:4.2f} {key[5]:6.2f}"
              f"  {ok.mean():7.3f}  {drop.mean():9.3f}  {np.percentile(drop, 90):8.3f}"
              f"  {drop.max():8.3f}  {np.mean(drop <= 0.5):15.3f}  {took.mean():10.1f}")


if __name__ == "__main__":
    main()
