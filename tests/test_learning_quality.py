"""Weights trained only on the generator: the test set, the clean digits, real hands.

One 300 000-sample run at default settings (conftest's ``trained_model``, shared by the
whole session).
Real hands: scikit-learn's 1797 digits from 43 writers (8x8), placed on the pad the way
visitors draw -- 10-14 cells or 7-9 cells tall, anywhere on the pad, soft-edged -- and
read through ``pad.to_network``.

The figures behind the bars (seeds 0-11, 300k and 1M samples) are in docs/performance.md.
The exhibit's targets are >= 97 % and >= 90 % (means of seeds); one seed scatters about
+-1.5 % around them. The bars are a little under seed 0's figures, so a regression fails;
raise them as the generator improves.
"""
import numpy as np
import pytest
from sklearn.datasets import load_digits

from neuronlab.nn import digits, pad
from neuronlab.nn.mlp import MLP

PROCEDURAL_BAR = 0.97
REAL_BAR = 0.90


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
