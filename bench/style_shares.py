"""How often real hands write each of the generator's styles. A measuring script.

For every real digit of the MNIST dev half (placed large on the pad, through
``pad.to_network``), finds its 5 nearest neighbours among 3,000 generated digits of the
same class (every style drawn equally often, through ``pad.to_network``) and counts
which style each neighbour was drawn from. Prints, per digit, the share of neighbours
each style won against its even share, and the mean distance to
the nearest generated digit (how far real hands lie from anything the generator makes),
then the shares as a ``strokes._SHARES`` literal (1.0 = the digit's even share, floored
at ``--floor``) to paste or try with ``bench/real_handwriting.py --set``.

    .venv/bin/python bench/style_shares.py [--per-class 3000] [--floor 0.25] [--seed 5]
        [--families 2 4 5 6 7] [--intrusion 1.0] [--sk 0.3] [--realism 1]
        [--real placed|finger] [--hard]

``--families`` adds those digits' parametric variants (``strokes.families``) to the fit
and also prints each family's total share (``strokes.FAMILY_SHARE``). ``--intrusion``
weighs each style down by how often it is nearer other digits' real hands than theirs.

``--sk W`` also fits to scikit-learn's even-indexed digits, weighted W against MNIST
(its odd half, ``sk_varied_odd`` in ``bench/real_handwriting.py``, stays unseen; the
halves share writers). ``--realism R`` scales each style by its recognition rate, to the
power R, by a network trained on those real digits (an instrument, never the exhibit's).
``--real finger --hard`` fits the fingertip brush's drawings to the dev half drawn
through the pad's brush instead. Only the dev half is looked at; the holdout half stays unseen.
Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse

import numpy as np

if __package__ in (None, ""):   # run as a script from anywhere: make the repo importable
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import real_sets as R  # noqa: E402
from neuronlab.nn import digits, pad, strokes  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-class", type=int, default=3000)
    ap.add_argument("--neighbours", type=int, default=5)
    ap.add_argument("--floor", type=float, default=0.25)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--families", type=int, nargs="*", default=[],
                    help="digits whose parametric family (strokes.families) joins the fit")
    ap.add_argument("--intrusion", type=float, default=0.0,
                    help="> 0: scale each style's share by own / (own + this x other), own and "
                         "other counting how often it is among the nearest of all generated "
                         "digits to real digits of its own class and of the others")
    ap.add_argument("--sk", type=float, default=0.0,
                    help="> 0: also fit to scikit-learn's even-indexed digits ('varied' layout), "
                         "weighted this much against the MNIST dev half, class by class")
    ap.add_argument("--realism", type=float, default=0.0,
                    help="> 0: also scale each style's share by its recognition rate to this "
                         "power, read by a network trained on the real digits fitted to "
                         "(as bench/style_realism.py trains one: a measuring instrument only)")
    ap.add_argument("--real", choices=("placed", "finger"), default="placed",
                    help="the real dev digits fitted to: placed large, or drawn through the pad's brush")
    ap.add_argument("--hard", action="store_true",
                    help="draw every generated digit in the fingertip brush (digits.HARD_FRACTION 1)")
    a = ap.parse_args(argv)
    if a.hard:
        digits.HARD_FRACTION = 1.0
    # every style drawn equally often, so a style's count says how near real hands lie
    # to it, not how often the generator happens to draw it
    strokes._SHARES, strokes._FAMILY_WEIGHTS, strokes.FAMILY_SHARE = {}, {}, {}
    hand = {d: len(v) for d, v in strokes.styles().items()}
    strokes.FAMILY_SHARE = {d: strokes.FAMILY_SIZE / hand[d] for d in a.families}
    digits.clear_style_caches()
    X, y = R.mnist_split("dev")
    real = pad.to_network(R.finger_pads(X, "large", seed=1) if a.real == "finger"
                          else R.placed_pads(X, "large", seed=1))
    weight = np.ones(len(y))
    if a.sk > 0:   # European hands beside MNIST's US ones; the odd half stays unseen
        from bench.real_handwriting import sklearn_pads
        imgs, t = sklearn_pads("varied")
        real, y = np.concatenate([real, pad.to_network(imgs[::2])]), np.concatenate([y, t[::2]])
        is_sk = np.arange(len(y)) >= len(weight)
        weight = np.ones(len(y))
        for d in range(10):   # each set's digits of a class weigh in as a whole
            weight[is_sk & (y == d)] = a.sk * np.sum(~is_sk & (y == d)) / np.sum(is_sk & (y == d))
    labels = np.repeat(np.arange(10), a.per_class)
    img, style = digits._draw_styled(np.random.default_rng(a.seed), labels)
    gen = pad.to_network(img)
    _, _, _, t_lab, _, t_share = strokes.templates(digits.N_POINTS)
    first = np.searchsorted(t_lab, np.arange(10))
    precision = np.ones(len(t_lab))
    if a.intrusion > 0:   # a style that lies nearest other digits' real hands steals them
        own, other = np.zeros(len(t_lab)), np.zeros(len(t_lab))
        gg = (gen ** 2).sum(1)
        for i in range(0, len(real), 250):
            A = real[i:i + 250]
            nn = np.argsort((A ** 2).sum(1)[:, None] + gg[None, :] - 2 * A @ gen.T, axis=1)[:, :a.neighbours]
            hit = labels[nn] == y[i:i + 250, None]
            w = np.broadcast_to(weight[i:i + 250, None], nn.shape)
            np.add.at(own, style[nn][hit], w[hit])
            np.add.at(other, style[nn][~hit], w[~hit])
        precision = (own + 1) / (own + 1 + a.intrusion * other)
    if a.realism > 0:   # a form a reader of real hands misreads is one they seldom write
        from bench.style_realism import RealSource
        from neuronlab.nn.mlp import MLP
        from neuronlab.nn.train import Trainer, TrainSettings
        reader = MLP(seed=1)
        ts = TrainSettings(test_every=10**12)
        Trainer(reader, RealSource(real, y, 1), ts).run(300_000 // ts.batch)
        ok = reader.predict(gen) == labels
        read = np.bincount(style, weights=ok, minlength=len(t_lab)) / np.maximum(
            np.bincount(style, minlength=len(t_lab)), 1)
        precision = precision * np.maximum(read, 0.05) ** a.realism
    shares = {}
    for d in range(10):
        A, B, S = real[y == d], gen[labels == d], style[labels == d] - first[d]
        d2 = (A ** 2).sum(1)[:, None] + (B ** 2).sum(1)[None, :] - 2 * A @ B.T   # (real, generated)
        nn = np.argsort(d2, axis=1)[:, :a.neighbours]
        k = int((t_lab == d).sum())
        w = np.broadcast_to(weight[y == d][:, None], nn.shape).ravel()
        won = np.bincount(S[nn].ravel(), weights=w, minlength=k) / w.sum()
        print(f"{d}: nearest {np.sqrt(np.maximum(d2.min(axis=1), 0)).mean():.2f}  real "
              + " ".join(f"{v:.2f}" for v in won) + "\n   drawn " + " ".join(f"{v:.2f}" for v in t_share[t_lab == d]))
        won = won * precision[first[d]:first[d] + k]
        won = won / won.sum()
        shares[d] = {i: round(max(float(v) * k, a.floor), 2) for i, v in enumerate(won)}
    print(repr(shares))
    if a.families:   # the family's total against its digit's hand-made styles
        print("FAMILY_SHARE", repr({d: round(sum(v for i, v in shares[d].items() if i >= hand[d])
                                              / sum(v for i, v in shares[d].items() if i < hand[d]), 2)
                                    for d in a.families}))


if __name__ == "__main__":
    main()
