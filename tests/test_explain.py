"""Why it answered: shares plus bias add up to the score exactly; "Change its mind"."""
import numpy as np
import pytest

from neuronlab.nn import digits, pad, stream
from neuronlab.nn.explain import change_its_mind, effective_map, explain
from neuronlab.nn.knockout import Knockout
from neuronlab.nn.mlp import MLP
from neuronlab.nn.train import Trainer, TrainSettings


@pytest.fixture(scope="module")
def model() -> MLP:
    m = MLP(seed=0)
    Trainer(m, stream.DigitGenerator(0), TrainSettings()).run(20_000 // 32)
    return m


def _inputs():
    rng = np.random.default_rng(5)
    X, _ = digits.test_set()
    clean = pad.to_network(np.stack([digits.clean_digit(d) for d in range(10)]))
    return [rng.random(256, dtype=np.float32) for _ in range(5)] + list(X[:10]) + list(clean)


def test_shares_plus_bias_equal_the_score_for_every_class(model):
    for x in _inputs():
        m = effective_map(model, x)
        for c in range(10):
            s = m.explain(c)
            assert s.z == float(model.forward(x).z3[c])
            assert abs(s.cells.sum() + s.bias - s.z) < 1e-5
            assert s.cells.shape == (256,)


def test_shares_also_add_up_for_an_untrained_network_and_with_units_off(model):
    fresh = MLP(seed=3)
    ko = Knockout()
    ko.set_off(1, 4)
    ko.set_off(2, 7)
    for x in _inputs()[:8]:
        for net, alive in ((fresh, None), (model, ko.alive)):
            z3 = net.forward(x, alive).z3
            for c in range(10):
                s = explain(net, x, c, alive)
                assert abs(s.total - float(z3[c])) < 1e-5


def test_default_class_is_the_answer_and_blank_cells_have_no_share(model):
    x = digits.test_set()[0][0]
    s = explain(model, x)
    assert s.answer == int(model.predict(x))
    assert np.all(s.cells[x == 0] == 0)


def test_change_its_mind_erases_few_cells_and_the_new_answer_is_real(model):
    X, _ = digits.test_set()
    sizes = []
    for x in X[:20]:
        r = change_its_mind(model, x)
        old = int(model.predict(x))
        assert r.old_answer == old
        assert len(set(r.cells)) == len(r.cells)
        assert np.all(r.x_after[list(r.cells)] == 0)
        keep = np.setdiff1d(np.arange(256), r.cells)
        assert np.array_equal(r.x_after[keep], x[keep])
        assert r.new_answer == int(model.predict(r.x_after))   # a real forward pass
        if r.changed:
            # one cell fewer (the last erased put back) would not have done it
            undo = r.x_after.copy()
            undo[r.cells[-1]] = x[r.cells[-1]]
            assert int(model.predict(undo)) == old
            sizes.append(len(r.cells))
    assert len(sizes) >= 15
    assert np.median(sizes) < 40     # of ~60-100 inked cells: a handful changes its mind


def test_change_its_mind_with_nothing_to_erase():
    m = MLP(seed=1)
    r = change_its_mind(m, np.zeros(256, np.float32))
    assert r.cells == () and not r.changed and r.new_answer == r.old_answer


def test_the_map_is_exact_in_float64_against_a_float64_pass(model):
    m64 = model.copy(dtype=np.float64)
    checked = 0
    for x in _inputs():
        e = effective_map(model, x)
        fw64 = m64.forward(np.asarray(x, np.float64))
        if not (np.array_equal(fw64.a1 > 0, e.on1) and np.array_equal(fw64.a2 > 0, e.on2)):
            continue       # a unit on the edge of firing rounds differently in float64
        for c in range(10):
            assert abs(e.explain(c).total - fw64.z3[c]) < 1e-9
        checked += 1
    assert checked >= 20
