"""Knock-out: units switched off are exactly a forward pass with that activation at 0."""
import numpy as np
import pytest

from neuronlab.nn import digits, stream
from neuronlab.nn.knockout import Knockout, digit_accuracy
from neuronlab.nn.mlp import MLP, softmax
from neuronlab.nn.train import Trainer, TrainSettings


@pytest.fixture(scope="module")
def model() -> MLP:
    m = MLP(seed=0)
    Trainer(m, stream.DigitGenerator(0), TrainSettings()).run(20_000 // 32)
    return m


def _reference_forward(m: MLP, X, off1=(), off2=()):
    """The network written out by hand, with the named units' activations set to 0."""
    P = m.params
    a1 = np.maximum(X @ P["W1"] + P["b1"], 0)
    a1[..., list(off1)] = 0
    a2 = np.maximum(a1 @ P["W2"] + P["b2"], 0)
    a2[..., list(off2)] = 0
    return a2 @ P["W3"] + P["b3"]


def test_plain_forward_is_unchanged_bit_for_bit(model):
    X, _ = digits.test_set()
    fw = model.forward(X)
    z3 = _reference_forward(model, X)
    assert np.array_equal(fw.z3, z3)
    assert np.array_equal(fw.p, softmax(z3))


@pytest.mark.parametrize("layer,index", [(1, 0), (1, 7), (2, 3), (2, 11)])
def test_per_digit_accuracy_equals_forward_with_that_unit_at_zero(model, layer, index):
    X, y = digits.test_set()
    ko = Knockout()
    ko.toggle(layer, index)
    got = ko.accuracy(model, X, y)
    off1, off2 = ([index], []) if layer == 1 else ([], [index])
    pred = np.argmax(_reference_forward(model, X, off1, off2), axis=1)
    for d in range(10):
        mask = y == d
        assert got.correct[d] == int(np.sum(pred[mask] == d))
        assert got.total[d] == int(mask.sum())
        assert got.per_digit[d] == np.mean(pred[mask] == d)
    assert got.overall == np.mean(pred == y)
    fw = ko.forward(model, X[:5])
    assert np.all(fw.activations[layer][:, index] == 0)


def test_several_units_off_and_restoring_all_is_exact(model):
    X, y = digits.test_set()
    before = digit_accuracy(model, X, y)
    plain = model.forward(X).z3
    ko = Knockout()
    for layer, i in [(1, 2), (1, 5), (2, 0)]:
        ko.set_off(layer, i)
    assert ko.off_units == [(1, 2), (1, 5), (2, 0)]
    knocked = ko.accuracy(model, X, y)
    pred = np.argmax(_reference_forward(model, X, [2, 5], [0]), axis=1)
    assert knocked.overall_correct == int(np.sum(pred == y))
    ko.clear()
    assert ko.alive is None and not ko.any_off
    assert np.array_equal(ko.forward(model, X).z3, plain)
    after = ko.accuracy(model, X, y)
    assert np.array_equal(after.correct, before.correct)


def test_toggle_twice_is_on_and_bad_units_are_refused():
    ko = Knockout()
    assert ko.toggle(1, 3) is True and ko.is_off(1, 3)
    assert ko.toggle(1, 3) is False and not ko.any_off
    with pytest.raises(ValueError, match="hidden"):
        ko.toggle(3, 0)
    with pytest.raises(ValueError, match="12 units"):
        ko.toggle(2, 12)
