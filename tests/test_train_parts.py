"""The trainer's parts on their own: the schedules as functions of samples seen, and the
test meter's accuracy and live-unit counts."""
from dataclasses import replace

import numpy as np
import pytest

from neuronlab.nn import schedule
from neuronlab.nn.meters import RateMeter, TestMeter
from neuronlab.nn.mlp import MLP
from neuronlab.nn.train import Trainer, TrainSettings


def test_the_rate_warms_up_then_decays_along_a_cosine_to_its_floor():
    s = TrainSettings()            # warm-up 5,000, cosine to 5 % over 300,000, batch 32
    assert schedule.rate_factor(0, s) == pytest.approx(32 / 5032, rel=1e-3)
    assert schedule.rate_factor(5_000, s) == pytest.approx(0.5 * (1.05 + 0.95 * np.cos(np.pi / 60)), rel=1e-6)
    assert schedule.rate_factor(150_000, s) == pytest.approx(0.05 + 0.95 * 0.5)
    assert schedule.rate_factor(300_000, s) == pytest.approx(0.05)
    assert schedule.rate_factor(10**7, s) == pytest.approx(0.05)
    flat = replace(s, lr_warmup_samples=0, lr_decay_samples=0)
    assert schedule.rate_at(0.03, 123_456, flat) == 0.03
    m = replace(s, momentum_warmup_samples=1000, momentum_start=0.5)
    assert schedule.momentum_at(0, m) == 0.5 and schedule.momentum_at(500, m) == pytest.approx(0.7)
    assert schedule.momentum_at(1000, m) == s.momentum


def test_the_trainer_steps_at_the_schedules_rate():
    X = np.random.default_rng(0).random((64, 256), dtype=np.float32)
    y = np.arange(64) % 10

    class Fixed:
        def batch(self, n):
            return X[:n], y[:n]

    tr = Trainer(MLP(seed=0), Fixed(), TrainSettings(prefetch=0))
    tr.run(3)
    assert tr.step_lr == pytest.approx(schedule.rate_at(tr.lr, 64, tr.settings))
    assert tr.current_lr == pytest.approx(schedule.rate_at(tr.lr, 96, tr.settings))


def test_the_test_meter_counts_accuracy_and_the_units_that_fire():
    rng = np.random.default_rng(1)
    X = rng.random((300, 256), dtype=np.float32)
    model = MLP(seed=0)
    y = model.predict(X)
    y[:30] = (y[:30] + 1) % 10                     # 30 of 300 wrong
    meter = TestMeter((X, y), subset=0)
    assert meter.measure(model) == pytest.approx(0.9)
    fw = model.forward(X)
    assert meter.live == ((fw.a1.max(0) > 0).sum(), (fw.a2.max(0) > 0).sum()) and meter.live_of == 300
    model.params["b2"][...] = -1e3                 # hidden 2 silenced
    meter.measure(model)
    assert meter.live[1] == 0
    rot = TestMeter((X, y), subset=100)
    rot.measure(MLP(seed=0), full=True)
    rot.measure(model)                             # the next slice of 100
    assert rot.live_of == 100


def test_the_rate_meter_waits_for_a_full_window_and_skips_pauses():
    m = RateMeter(window=1.0, idle_gap=0.5)
    m.begin(0.0, 0)
    assert m.end(0.0, 0.4, 400) is None
    m.begin(0.4, 400)
    assert m.end(0.4, 1.0, 1000) == pytest.approx((1000.0, 1000.0))
    m.begin(5.0, 1000)                             # after a 4 s pause: a new window
    assert m.end(5.0, 6.0, 2000) == pytest.approx((1000.0, 1000.0))
