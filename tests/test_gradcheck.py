"""Backprop against finite differences, and that the check really catches a wrong backward."""
import dataclasses

import numpy as np
import pytest

from neuronlab.nn import gradcheck as gc
from neuronlab.nn.mlp import MLP, PARAM_NAMES


def test_backprop_matches_finite_differences_on_every_layer():
    r = gc.gradcheck(seed=0)
    assert r.worst_rel_error < 1e-6
    assert r.ok
    assert r.n_checked >= 200
    for k in PARAM_NAMES:           # every W and b is represented
        assert r.per_layer_count[k] >= 10, k
    assert r.per_layer_count["b1"] == 16 and r.per_layer_count["b3"] == 10
    assert r.n_checked == sum(r.per_layer_count.values())


def test_another_seed_and_batch_also_pass():
    r = gc.gradcheck(seed=3, batch=9, n_params=200)
    assert r.worst_rel_error < 1e-6 and r.n_checked >= 200


def test_a_backward_one_percent_off_in_one_layer_is_caught(monkeypatch):
    real = MLP.backward

    def broken(self, fw, y):
        g = real(self, fw, y)
        return dataclasses.replace(g, dW2=g.dW2 * 1.01)

    monkeypatch.setattr(MLP, "backward", broken)
    r = gc.gradcheck(seed=0)
    assert not r.ok
    assert r.worst_rel_error == pytest.approx(0.01 / 2.01, rel=0.01)
    assert r.worst_at[0] == "W2"
    assert r.per_layer["W1"] < 1e-6 and r.per_layer["b2"] < 1e-6


def test_a_forgotten_bias_gradient_is_caught(monkeypatch):
    real = MLP.backward

    def broken(self, fw, y):
        return dataclasses.replace(real(self, fw, y), db1=np.zeros(16))

    monkeypatch.setattr(MLP, "backward", broken)
    r = gc.gradcheck(seed=0)
    assert r.per_layer["b1"] == pytest.approx(1.0)      # |0 - n| / |n|
    assert r.worst_at[0] == "b1"


def test_relative_error_definition():
    assert gc.rel_error(1.0, 1.0) == 0.0
    assert gc.rel_error(1.0, -1.0) == 1.0
    assert gc.rel_error(0.0, 0.0) == 0.0
    assert gc.rel_error(2.0, 1.0) == pytest.approx(1 / 3)


def test_the_check_taken_a_step_at_a_time_is_the_whole_check():
    # GIVEN the check as steps (the exhibit takes it a slice a frame)
    steps = gc.gradcheck_steps(seed=2)
    taken = 0
    while True:
        try:
            next(steps)
            taken += 1
        except StopIteration as done:
            result = done.value
            break
    # THEN it came in one step a checked parameter at least, and its result is the whole one's
    whole = gc.gradcheck(seed=2)
    assert taken >= whole.n_checked >= 300
    assert result == whole and result.ok
