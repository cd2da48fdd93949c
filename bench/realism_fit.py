"""Fit the realism table the training pool's picks lean on (``neuronlab/nn/realism.txt``).

Per digit, a logistic model (scikit-learn, L2, ``--C``) learns to tell the MNIST dev
half's digits -- placed on the pad large and small, and drawn with the pad's brush large
and small (``bench/real_handwriting.real_sets``) -- from the generator's own (fresh,
``--gen`` of them, the table switched off), each side weighted to the same total. Its
weights and its bias, less the median logit of the generator's digits, are written one
row per digit: ``stream.realism`` turns a pooled digit's logit into the chance it is kept
when picked, 1 for the more real-looking half. For 1s, 7s and 9s (``--sk-digits``) the
real side also holds scikit-learn's even-indexed digits, placed on the pad large and
small: fitted to MNIST's US hands alone, those rows pushed out the European forms
scikit-learn's writers use (docs/performance.md). ``--even`` leaves digits unweighted.
``--intruders 4:6,9 0:6``: the models of 4s and 0s also see MNIST's real 6s (and 9s) on
the generated side, so the generated 4s and 0s that look like real 6s lean away (real 6s
were read as 4 or 0 most).

Only the MNIST dev half and scikit-learn's even half are used; MNIST's holdout half and
scikit-learn's odd half (``sk_varied_odd``; it shares writers with the even half) stay
unseen for ``bench/real_handwriting.py --part holdout``. Refit after changing the
generator's styles or its brush.

    .venv/bin/python bench/realism_fit.py [--C 0.05] [--gen 60000] [--sk-digits 1 7 9]
        [--even] [--intruders 4:6,9 0:6] [--intruder-weight 0.3] [--out neuronlab/nn/realism.txt]
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

if __package__ in (None, ""):   # run as a script from anywhere: make the repo importable
    import sys
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.real_handwriting import real_sets, sklearn_pads  # noqa: E402
from neuronlab.nn import pad, stream  # noqa: E402

REAL_SETS = ("mnist_large", "mnist_small", "finger_large", "finger_small")
OUT = Path(stream.__file__).with_name(stream.REALISM_FILE)


def fit(real: tuple[np.ndarray, np.ndarray], gen: tuple[np.ndarray, np.ndarray], C: float,
        even: tuple[int, ...], intruders: dict[int, tuple[int, ...]] | None = None,
        intruder_weight: float = 0.0, others: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """(10, 257): each digit's weights and bias less the generator's median logit.
    ``intruders[d]``: real digits of other classes (from ``others``) put on the generated
    side of d's model with ``intruder_weight`` of its weight, so that generated d's that
    look like them lean away."""
    from sklearn.linear_model import LogisticRegression
    (Xr, yr), (Xg, yg) = real, gen
    table = np.zeros((10, pad.SIDE * pad.SIDE + 1), np.float64)
    for d in range(10):
        if d in even:
            table[d, -1] = 50.0            # exp(min(z, 0)) = 1: every pick kept
            continue
        A, B = Xr[yr == d], Xg[yg == d]
        I = np.zeros((0, A.shape[1]), A.dtype)
        if intruders and intruders.get(d):
            I = np.concatenate([others[0][others[1] == k] for k in intruders[d]])
        X = np.concatenate([A, B, I])
        t = np.r_[np.ones(len(A)), np.zeros(len(B) + len(I))]
        w = np.r_[np.full(len(A), len(B) / len(A)), np.ones(len(B)),
                  np.full(len(I), intruder_weight * len(B) / max(len(I), 1))]
        model = LogisticRegression(C=C, max_iter=3000).fit(X, t, sample_weight=w)
        z = model.decision_function(B)
        table[d, :-1] = model.coef_[0]
        table[d, -1] = model.intercept_[0] - np.median(z)
        kept = np.exp(np.minimum(z - np.median(z), 0)).mean()
        print(f"digit {d}: {len(A)} real, {len(B)} generated; told apart {model.score(X, t, w):.3f} "
              f"(weighted); mean chance a pick is kept {kept:.2f}")
    return table


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--C", type=float, default=0.05, help="inverse L2 strength")
    ap.add_argument("--gen", type=int, default=60_000, help="generated digits to fit against")
    ap.add_argument("--seed", type=int, default=777, help="the generator's seed for them")
    ap.add_argument("--sk-digits", type=int, nargs="*", default=[1, 7, 9],
                    help="digits whose real side also holds scikit-learn's even half")
    ap.add_argument("--even", type=int, nargs="*", default=[], help="digits left unweighted")
    ap.add_argument("--intruders", nargs="*", default=["4:6,9", "0:6"],
                    help="D:K,K... : MNIST's real Ks on the generated side of D's model")
    ap.add_argument("--intruder-weight", type=float, default=0.3,
                    help="their weight, a fraction of the generated side's")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    pad.JIT = True
    sets = real_sets("dev")
    Xs, ys = [sets[s][0] for s in REAL_SETS], [sets[s][1] for s in REAL_SETS]
    mnist = (np.concatenate(Xs), np.concatenate(ys))
    for layout in ("varied", "small"):            # scikit-learn's even half, as the bench places it
        im, lab = sklearn_pads(layout, seed=0)
        take = np.isin(lab[::2], args.sk_digits)
        Xs.append(pad.to_network(im[::2][take]))
        ys.append(lab[::2][take])
    real = (np.concatenate(Xs), np.concatenate(ys))
    gen = stream.DigitGenerator(args.seed, pool=0).batch(args.gen)   # all fresh: no table in play
    intruders = {int(d): tuple(int(k) for k in ks.split(","))
                 for d, ks in (item.split(":") for item in args.intruders)}
    table = fit(real, gen, args.C, tuple(args.even), intruders, args.intruder_weight, mnist)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    header = (f"realism table: per digit 256 weights and a bias (bench/realism_fit.py: MNIST dev half, "
              f"scikit-learn's even half for {args.sk_digits}, C={args.C}, {args.gen} generated, "
              f"even {args.even}, intruders {args.intruders} at {args.intruder_weight})")
    np.savetxt(args.out, table, fmt="%.6g", header=header)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
