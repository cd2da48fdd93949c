"""The time machine: dense early snapshots, bounded memory, exact visits and return."""
import numpy as np
import pytest

from neuronlab.nn import digits, stream
from neuronlab.nn.mlp import MLP, N_PARAMS, PARAM_NAMES
from neuronlab.nn.timeline import Timeline
from neuronlab.nn.train import Trainer, TrainSettings


def _trained_with_timeline(samples=40_000, speed=4, **kw):
    m = MLP(seed=0)
    tr = Trainer(m, stream.DigitGenerator(0), TrainSettings())
    tl = Timeline(**kw)
    tl.offer(m, tr.stats.samples_seen)
    while tr.stats.samples_seen < samples:
        tr.run(speed)
        tl.offer(m, tr.stats.samples_seen, tr.stats.test_accuracy, tr.stats.train_loss)
    return m, tr, tl


def test_snapshots_are_dense_early_and_bounded():
    m, tr, tl = _trained_with_timeline(samples=100_000, speed=16, keep=20)
    s = tl.samples
    assert s[0] == 0 and s[1] >= 500
    assert s[-1] <= tr.stats.samples_seen < s[-1] * tl.ratio + 16 * 32
    assert len(s) == 20
    assert tl.nbytes == 20 * N_PARAMS * 4
    assert all(b > a for a, b in zip(s, s[1:]))
    ratios = np.array(s[2:]) / np.array(s[1:-1])
    later = np.array(s[1:-1]) >= 5_000    # before that a frame's 512 samples set the grain
    assert ratios[later].max() < 1.5      # thinned evenly in log samples, no big holes
    assert sum(x < 10_000 for x in s) >= 5    # the early learning is well covered


def test_a_snapshot_is_the_network_as_it_was():
    m = MLP(seed=0)
    tr = Trainer(m, stream.DigitGenerator(0), TrainSettings())
    tl = Timeline()
    tr.run(40)
    before = {k: v.copy() for k, v in m.params.items()}
    assert tl.offer(m, tr.stats.samples_seen)
    tr.run(40)
    snap = tl.snapshots[-1]
    for k in PARAM_NAMES:
        assert np.array_equal(snap.params[k], before[k])
        assert not np.array_equal(m.params[k], before[k])


def test_visit_the_past_and_come_back_bit_for_bit():
    m, tr, tl = _trained_with_timeline()
    now = {k: v.copy() for k, v in m.params.items()}
    ids = {k: id(v) for k, v in m.params.items()}
    x = digits.test_set()[0][:50]
    for i in (0, 3, len(tl.snapshots) // 2, 3):
        snap = tl.show(m, i)
        assert tl.in_past and tl.showing == i
        past = m.forward(x)
        ref = snap.model().forward(x)
        assert np.array_equal(past.z3, ref.z3) and np.array_equal(past.a1, ref.a1)
        assert np.array_equal(past.p, ref.p)
        assert not tl.offer(m, tr.stats.samples_seen + 10_000)   # no recording in the past
    tl.back_to_now(m)
    assert not tl.in_past
    for k in PARAM_NAMES:
        assert m.params[k].tobytes() == now[k].tobytes()
        assert id(m.params[k]) == ids[k]          # the trainer still holds the same arrays


def test_a_reset_starts_the_timeline_over():
    m, tr, tl = _trained_with_timeline(samples=5_000)
    assert len(tl.snapshots) > 2
    tr.reset(1)
    assert tl.offer(m, tr.stats.samples_seen)
    assert tl.samples == [0]
    tl.show(m, 0)
    with pytest.raises(RuntimeError):
        tl.clear()
    tl.back_to_now(m)


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match="ratio"):
        Timeline(ratio=1.0)
    with pytest.raises(ValueError, match="keep"):
        Timeline(keep=1)
