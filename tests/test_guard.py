"""The guard against a network that has stopped learning: at lr 0.3 (10x the default) a
hidden layer goes silent within seconds and test accuracy sits at chance; the guard starts
over from fresh weights at a lower rate, logs it and keeps the event for the screen."""
import logging
from dataclasses import replace

import numpy as np
import pytest

from neuronlab.config import MAX_LR, Config, load_config
from neuronlab.nn import digits, guard, stream
from neuronlab.nn.mlp import MLP, PARAM_NAMES
from neuronlab.nn.train import Trainer, TrainSettings

# Small counts so a test takes about a second: a test figure every 2,000 samples on a
# 1,000-digit slice of the fixed test set, "long after the start" at 10,000 samples.
FAST = TrainSettings(test_every=2_000, test_subset=500, stall_after=10_000)


@pytest.fixture(scope="module")
def test_set():
    X, y = digits.test_set()
    return X[:1000], y[:1000]


def trainer(lr, seed, test_set, **kw):
    s = replace(FAST, lr=lr, seed=seed, **kw)
    return Trainer(MLP(seed=seed), stream.DigitGenerator(seed), s, test_set=test_set)


def live_units(model, X):
    fw = model.forward(X)
    return [int((a.max(axis=0) > 0).sum()) for a in (fw.a1, fw.a2)]


@pytest.fixture(scope="module")
def stall_seeds(test_set):
    """For each reason, the first seed (0..15) whose run at lr 0.3 stalls for it within
    22,000 samples: which seed dies which way, and when, follows the generator's digits,
    so it is found, not written down."""
    found = {}
    for seed in range(16):
        tr = trainer(0.3, seed, test_set)
        while tr.stall_count == 0 and tr.stats.samples_seen < 30_000:
            tr.run(25)
        if tr.stall_count and tr.last_event.samples_seen <= 22_000:   # an early death: a quick test
            found.setdefault(tr.last_event.reason, seed)
        if len(found) == 2:
            break
    return found


def test_without_the_stall_guard_a_rate_of_0_3_silences_a_hidden_layer(test_set, stall_seeds):
    seed = stall_seeds.get(guard.SILENT_LAYER, 0)
    tr = trainer(0.3, seed, test_set, stall_after=0)
    tr.run(20_000 // 32)
    assert min(live_units(tr.model, test_set[0])) == 0
    assert tr.measure_test(full=True) < 0.2       # the network as it is now, not at the last check
    assert tr.rollback_count == 0       # the loss guard alone never noticed


@pytest.mark.parametrize("reason", [guard.SILENT_LAYER, guard.AT_CHANCE])
def test_a_rate_of_0_3_is_caught_and_learning_starts_over_at_a_lower_rate(test_set, caplog, stall_seeds, reason):
    assert reason in stall_seeds        # among 16 seeds, some network dies this way
    seed = stall_seeds[reason]
    tr = trainer(0.3, seed, test_set)
    seen_before = []   # (samples, test accuracy) at each chunk the guard let pass
    with caplog.at_level(logging.WARNING, logger="neuronlab.train"):
        while tr.stall_count == 0 and tr.stats.samples_seen < 30_000:
            dead = {k: v.copy() for k, v in tr.model.params.items()}
            seen_before.append((tr.stats.samples_seen, tr.stats.test_accuracy))
            tr.run(25)
    assert tr.stall_count == 1 and tr.rollback_count == 1
    ev = tr.last_event
    assert ev is tr.rollbacks[-1] and ev.reason == reason and ev.fresh_weights
    assert ev.old_lr == 0.3 and ev.new_lr == pytest.approx(0.075) and tr.lr == pytest.approx(0.075)
    # caught at once: never let pass at chance once long after the start
    late = [a for n, a in seen_before if n >= FAST.stall_after and a is not None]
    assert all(a > FAST.stall_accuracy for a in late[1:])
    assert f"training stalled ({reason}" in caplog.text and "lr 0.075" in caplog.text
    # fresh weights, the schedule from its start
    assert tr.stats.samples_seen < ev.samples_seen
    assert not np.array_equal(tr.model.params["W1"], dead["W1"])
    # and now it learns
    tr.run(30_000 // 32)
    assert tr.stall_count == 1
    assert min(live_units(tr.model, test_set[0])) > 0
    assert tr.model.accuracy(*test_set) > 0.8
    # a checkpoint keeps the lowered rate
    other = trainer(0.3, 9, test_set)
    other.load_state(tr.state(), tr.model.params)
    assert other.lr == pytest.approx(0.075)
    for k in PARAM_NAMES:
        np.testing.assert_array_equal(other.model.params[k], tr.model.params[k])


def test_the_highest_rate_the_config_accepts_learns_with_no_guard_event(test_set, tmp_path):
    assert Config().training.lr < MAX_LR
    cfg = tmp_path / "n.toml"
    cfg.write_text(f"[training]\nlr = {MAX_LR}\n")
    assert load_config(cfg)[0].training.lr == MAX_LR
    cfg.write_text(f"[training]\nlr = {MAX_LR * 3}\n")
    loaded, problems = load_config(cfg)
    assert loaded.training.lr == Config().training.lr
    assert len(problems) == 1 and "[training] lr" in problems[0]
    tr = trainer(MAX_LR, 1, test_set)
    tr.run(30_000 // 32)
    assert tr.rollback_count == 0, tr.rollbacks
    assert min(live_units(tr.model, test_set[0])) >= 4
    assert tr.model.accuracy(*test_set) > 0.8


def test_stall_rules():
    s = TrainSettings()
    assert guard.stall_reason(1_000, 0.5, (16, 0), 2000, s) == guard.SILENT_LAYER
    assert guard.stall_reason(1_000, 0.5, (16, 0), 100, s) is None   # too few samples seen
    assert guard.stall_reason(1_000, 0.1, (16, 12), 2000, s) is None   # still early
    assert guard.stall_reason(s.stall_after, 0.1, (16, 12), 2000, s) == guard.AT_CHANCE
    assert guard.stall_reason(s.stall_after, 0.3, (16, 12), 2000, s) is None
    assert guard.stall_reason(10**6, 0.1, (0, 0), 2000, replace(s, stall_after=0)) is None
    assert guard.lowered(0.3, s) == pytest.approx(0.15)
    assert guard.lowered(0.3, s, stalled=True) == pytest.approx(0.075)
    assert guard.lowered(1e-5, s, stalled=True) == s.min_lr


def test_the_exhibit_at_0_3_starts_over_and_its_session_shows_the_new_network():
    from neuronlab.session import Session

    # at lr 0.3 the run is chaotic: which 4,000-sample check catches it, and whether a loss
    # spike is rolled back first (and the halved rate then learns), moves with the inputs'
    # last float32 bits; so the seed is the first of 0-7 whose session stalls, found
    for seed in range(8):
        ses = Session(TrainSettings(lr=0.3, test_every=4_000), seed=seed, iters_per_frame=64)
        frame = 0
        while ses.trainer.stall_count == 0 and ses.trainer.stats.samples_seen < 40_000:
            ses.update(frame / 60)
            frame += 1
        if ses.trainer.stall_count:
            break
    # (a loss spike may have been rolled back first, halving the rate: the start over
    # then takes the rate it found down by the backoff squared)
    ev = ses.trainer.last_event
    assert ev is not None and ev.fresh_weights
    assert ev.new_lr == pytest.approx(ev.old_lr * ses.trainer.settings.lr_backoff ** 2)
    assert ses.trainer.lr == pytest.approx(ev.new_lr) and ev.new_lr <= 0.075 + 1e-9
    assert ses.status == "training"
    rollbacks = ses.trainer.rollback_count
    for _ in range(20):
        ses.update(frame / 60)
        frame += 1
    # what is on display is the new network's own forward pass
    fw = ses.model.forward(ses.x)
    np.testing.assert_allclose(ses.fw.p, fw.p, rtol=1e-5, atol=1e-6)
    assert ses.trainer.rollback_count == rollbacks   # and it learns on without another
    assert ses.trainer.stats.test_accuracy > 0.8     # 20 frames at x64: ~41k samples
