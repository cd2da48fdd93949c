"""The trainer: its step is the network's maths, momentum SGD, stats, the divergence guard."""
import math

import numpy as np
import pytest

from neuronlab.nn import pad
from neuronlab.nn.mlp import MLP, PARAM_NAMES
from neuronlab.nn.train import Trainer, TrainSettings

# numpy's step (the exhibit's) and the compiled one (headless training's, pad.JIT on)
STEPS = pytest.mark.parametrize("jit", [False, True], ids=["numpy", "compiled"])


class Templates:
    """A small learnable source: one fixed binary template per class plus noise."""

    def __init__(self, seed=0, noise=0.3):
        self.rng = np.random.default_rng(seed)
        self.T = (np.random.default_rng(99).random((10, 256)) > 0.7).astype(np.float32)
        self.noise = noise
        self.calls = 0

    def batch(self, n):
        self.calls += 1
        y = self.rng.integers(0, 10, n)
        X = self.T[y] + self.noise * self.rng.standard_normal((n, 256), dtype=np.float32)
        return X.astype(np.float32), y


class Fixed:
    """Always the same batch, repeated to fill whatever chunk the trainer prefetches."""

    def __init__(self, X, y):
        self.X, self.y = X, y

    def batch(self, n):
        reps = n // len(self.y)
        assert reps * len(self.y) == n
        return np.tile(self.X, (reps, 1)), np.tile(self.y, reps)


class FakeClock:
    def __init__(self):
        self.t = 100.0

    def __call__(self):
        return self.t


class TickingSource(Templates):
    """Each batch takes ``dt`` seconds of fake time."""

    def __init__(self, clock, dt):
        super().__init__()
        self.clock, self.dt = clock, dt

    def batch(self, n):
        self.clock.t += self.dt
        return super().batch(n)


def fixed_batch(B=32, seed=0):
    return Templates(seed).batch(B)


@STEPS
def test_the_fast_step_matches_mlp_backward_exactly_enough(jit, monkeypatch):
    monkeypatch.setattr(pad, "JIT", jit)
    # GIVEN a batch and a model; WHEN the trainer's own step computes loss and gradients
    X, y = fixed_batch(16)
    model = MLP(seed=3)
    ref = model.copy()
    tr = Trainer(model, Fixed(X, y), TrainSettings(batch=16))
    loss = tr._forward_backward(X, y, tr._buffers_for(16))
    # THEN they equal MLP.forward / MLP.backward
    fw = ref.forward(X)
    g = ref.backward(fw, y)
    assert loss == pytest.approx(fw.loss(y), rel=1e-5)
    for k in PARAM_NAMES:
        np.testing.assert_allclose(tr._g[k], g.param(k), rtol=1e-4, atol=1e-7)


@STEPS
def test_training_lowers_the_loss_on_a_fixed_batch(jit, monkeypatch):
    monkeypatch.setattr(pad, "JIT", jit)
    X, y = fixed_batch(32)
    model = MLP(seed=0)
    before = model.forward(X).loss(y)
    tr = Trainer(model, Fixed(X, y), TrainSettings(batch=32, lr=0.05, momentum=0.9))
    assert tr.run(200) == 200
    after = model.forward(X).loss(y)
    assert before > 1.0
    assert after < 0.05 * before
    assert tr.stats.samples_seen == 200 * 32
    assert tr.stats.iterations == 200


@STEPS
def test_two_momentum_steps_match_a_hand_computation(jit, monkeypatch):
    monkeypatch.setattr(pad, "JIT", jit)
    X, y = fixed_batch(8, seed=4)
    lr, mu = 0.1, 0.9
    model = MLP(seed=5)
    W0 = model.copy(dtype=np.float64)
    tr = Trainer(model, Fixed(X, y), TrainSettings(batch=8, lr=lr, momentum=mu, lr_warmup_samples=0))
    # by hand, in float64: v1 = -lr g(W0); W1 = W0 + v1; v2 = mu v1 - lr g(W1); W2 = W1 + v2
    g0 = W0.backward(W0.forward(X), y)
    v1 = {k: -lr * g0.param(k) for k in PARAM_NAMES}
    W1 = MLP({k: W0.params[k] + v1[k] for k in PARAM_NAMES}, dtype=np.float64)
    g1 = W1.backward(W1.forward(X), y)
    W2 = {k: W1.params[k] + mu * v1[k] - lr * g1.param(k) for k in PARAM_NAMES}
    tr.run(1)
    for k in PARAM_NAMES:
        np.testing.assert_allclose(model.params[k], W1.params[k], rtol=1e-5, atol=1e-6)
    tr.run(1)
    for k in PARAM_NAMES:
        np.testing.assert_allclose(model.params[k], W2[k], rtol=1e-4, atol=1e-6)
        assert model.params[k].dtype == np.float32


@STEPS
def test_a_huge_learning_rate_never_leaves_nan_and_records_rollbacks(jit, monkeypatch):
    monkeypatch.setattr(pad, "JIT", jit)
    model = MLP(seed=0)
    arrays = {k: model.params[k] for k in PARAM_NAMES}
    tr = Trainer(model, Templates(), TrainSettings(lr=1e4, momentum=0.9))
    for _ in range(40):
        tr.run(5)
        for k in PARAM_NAMES:
            assert np.isfinite(model.params[k]).all(), k
        assert tr.last is not None and np.isfinite(tr.last.forward.p).all()
    assert tr.rollback_count >= 1
    first = tr.rollbacks[0]
    assert first.count == 1
    assert first.old_lr == pytest.approx(1e4) and first.new_lr == pytest.approx(5e3)
    assert not math.isfinite(first.loss) or first.loss > 2 * math.log(10)
    assert tr.lr < 1e4
    assert tr.stats.train_loss is None or math.isfinite(tr.stats.train_loss)
    # the model's arrays were updated in place, never replaced
    assert all(model.params[k] is arrays[k] for k in PARAM_NAMES)


@STEPS
def test_an_exploding_loss_rolls_back_to_the_last_good_weights(jit, monkeypatch):
    monkeypatch.setattr(pad, "JIT", jit)
    src = Templates()
    model = MLP(seed=1)
    tr = Trainer(model, src, TrainSettings(lr=0.01, snapshot_every=1))
    tr.run(9)
    good = {k: v.copy() for k, v in model.params.items()}
    tr.run(1)        # the 10th batch's healthy loss vouches for the weights before it
    # WHEN the weights are wrecked (finite but enormous): the next batch's loss explodes
    model.params["W3"] *= 1e4
    tr.run(1)
    assert tr.rollback_count == 1
    assert tr.rollbacks[0].samples_seen == 10 * 32
    for k in PARAM_NAMES:
        np.testing.assert_array_equal(model.params[k], good[k])
    assert tr.lr == pytest.approx(0.005)


def test_reset_gives_fresh_weights_and_zero_stats():
    model = MLP(seed=0)
    tr = Trainer(model, Templates(), TrainSettings(lr=1e4))
    tr.run(20)
    assert tr.stats.samples_seen > 0 and tr.rollback_count > 0
    tr.reset(seed=7)
    fresh = MLP(seed=7)
    for k in PARAM_NAMES:
        np.testing.assert_array_equal(model.params[k], fresh.params[k])
    assert tr.stats.samples_seen == 0 and tr.stats.iterations == 0
    assert tr.stats.train_loss is None and tr.stats.epoch == 0
    assert tr.rollbacks == [] and tr.rollback_count == 0
    assert tr.lr == 1e4
    assert tr.last is None and tr.last_grads is None
    # reset(None) draws new weights each time, reproducibly from settings.seed
    tr.reset()
    w_a = model.W1.copy()
    tr.reset()
    assert not np.array_equal(w_a, model.W1)
    other = Trainer(MLP(seed=0), Templates(), TrainSettings(lr=1e4))
    other.reset()
    np.testing.assert_array_equal(other.model.W1, w_a)


def test_velocity_is_zero_after_reset():
    X, y = fixed_batch(8)
    model = MLP(seed=0)
    tr = Trainer(model, Fixed(X, y), TrainSettings(batch=8, lr=0.1, momentum=0.9,
                                                   lr_warmup_samples=0))
    tr.run(5)
    tr.reset(seed=2)
    ref = MLP(seed=2)
    g = ref.backward(ref.forward(X), y)
    tr.run(1)        # with zero velocity the first step is plain SGD
    np.testing.assert_allclose(model.W2, ref.W2 - 0.1 * g.dW2, rtol=1e-5, atol=1e-6)


def test_samples_per_sec_is_a_real_rate_on_a_fake_clock():
    clock = FakeClock()
    src = TickingSource(clock, dt=0.01)          # 32 samples per 10 ms = 3200 / s
    tr = Trainer(MLP(seed=0), src, TrainSettings(rate_window=0.1, idle_gap=1.0, prefetch=0), clock=clock)
    tr.run(5)                                    # 50 ms: no window closed yet
    assert not tr.stats.rate_measured and tr.stats.samples_per_sec == 0.0
    tr.run(15)
    assert tr.stats.rate_measured
    assert tr.stats.samples_per_sec == pytest.approx(3200.0)
    assert tr.stats.throughput == pytest.approx(3200.0)
    # frames: 5 ms of training then 15 ms of drawing -> 25 % duty, throughput unchanged
    src.dt = 0.005
    for _ in range(10):
        tr.run(1)
        clock.t += 0.015
    assert tr.stats.samples_per_sec == pytest.approx(32 / 0.02, rel=0.15)
    assert tr.stats.throughput == pytest.approx(32 / 0.005)
    # a long pause is not counted as slow training
    clock.t += 60.0
    src.dt = 0.01
    tr.run(20)
    assert tr.stats.samples_per_sec == pytest.approx(3200.0)


def test_run_stops_when_its_time_budget_is_spent():
    clock = FakeClock()
    tr = Trainer(MLP(seed=0), TickingSource(clock, dt=0.01), TrainSettings(prefetch=0),
                 clock=clock)
    assert tr.run(100, max_seconds=0.045) == 5
    assert tr.stats.iterations == 5


@STEPS
def test_last_is_one_sample_of_the_last_batch_with_its_own_forward_and_grads(jit, monkeypatch):
    monkeypatch.setattr(pad, "JIT", jit)
    X, y = fixed_batch(32, seed=8)
    model = MLP(seed=0)
    tr = Trainer(model, Fixed(X, y), TrainSettings(batch=32))
    tr.run(3)
    before = model.copy()
    tr.run(1)
    last = tr.last
    np.testing.assert_array_equal(last.x, X[0])
    assert last.y == y[0]
    fw = before.forward(X[0])        # the weights that produced this step's gradients
    np.testing.assert_allclose(last.forward.p, fw.p, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(last.forward.z1, fw.z1, rtol=1e-5, atol=1e-6)
    assert last.loss == pytest.approx(-math.log(fw.p[y[0]]), rel=1e-4)
    g = before.backward(before.forward(X), y)
    np.testing.assert_allclose(tr.last_grads.dW1, g.dW1, rtol=1e-4, atol=1e-7)
    np.testing.assert_allclose(tr.last_grads.dz2, g.dz2, rtol=1e-4, atol=1e-7)
    assert tr.last_grads.dz3.shape == (32, 10)
    # a copy: the next step does not change what is on display
    shown = tr.last_grads.dW3.copy()
    tr.run(1)
    assert not np.array_equal(tr.last_grads.dW3, shown)


def test_step_one_trains_on_exactly_one_sample():
    src = Templates(seed=3)
    tr = Trainer(MLP(seed=0), src, TrainSettings())
    last = tr.step_one()
    assert tr.stats.samples_seen == 1 and tr.stats.iterations == 1
    assert last.x.shape == (256,) and 0 <= last.y <= 9
    assert tr.last_grads.dz1.shape == (1, 16)


def test_test_accuracy_is_remeasured_periodically():
    test_X, test_y = Templates(seed=11).batch(500)
    model = MLP(seed=0)
    tr = Trainer(model, Templates(), TrainSettings(test_every=3200), test_set=(test_X, test_y))
    assert tr.stats.test_accuracy == pytest.approx(model.accuracy(test_X, test_y))
    tr.run(100)
    assert tr.stats.test_measured_at == 3200
    tr.run(50)                   # no new measurement before 6400 samples
    assert tr.stats.test_measured_at == 3200
    tr.run(50)
    assert tr.stats.test_measured_at == 6400
    assert tr.stats.test_accuracy == pytest.approx(model.accuracy(test_X, test_y))
    assert tr.stats.test_accuracy > 0.9


def test_a_rotating_test_slice_converges_to_the_full_accuracy():
    test_X, test_y = Templates(seed=11).batch(500)
    model = MLP(seed=0)
    tr = Trainer(model, Templates(), TrainSettings(test_subset=100), test_set=(test_X, test_y))
    tr.run(30)                   # the weights move; nothing is re-measured yet
    for _ in range(5):           # five slices of 100 cover all 500
        tr.measure_test()
    assert tr.stats.test_accuracy == pytest.approx(model.accuracy(test_X, test_y))


def test_epoch_counts_nominal_epochs():
    tr = Trainer(MLP(seed=0), Templates(), TrainSettings(batch=10, epoch_size=100))
    tr.run(25)
    assert tr.stats.epoch == 2


def test_bad_settings_say_what_is_wrong():
    with pytest.raises(ValueError, match="batch"):
        TrainSettings(batch=0)
    with pytest.raises(ValueError, match="momentum"):
        TrainSettings(momentum=1.0)
    with pytest.raises(ValueError, match="lr"):
        TrainSettings(lr=float("nan"))


def test_samples_are_prefetched_in_chunks_and_used_in_order():
    class Counting:
        def __init__(self):
            self.calls, self.next = [], 0

        def batch(self, n):
            self.calls.append(n)
            X = np.zeros((n, 256), np.float32)
            X[:, 0] = np.arange(self.next, self.next + n) / 1000   # each sample's serial number
            self.next += n
            return X, np.arange(n) % 10

    src = Counting()
    tr = Trainer(MLP(seed=0), src, TrainSettings(batch=32, prefetch=100, lr=1e-6))
    tr.run(7)
    assert src.calls == [96, 96, 96]           # chunks of whole batches
    assert tr.last.x[0] * 1000 == pytest.approx(6 * 32)   # batch 7 opens the third chunk; none skipped
    tr.step_one()                              # the next sample after batch 7's
    assert tr.last.x[0] * 1000 == pytest.approx(7 * 32)
    assert tr.stats.samples_seen == 7 * 32 + 1


def test_the_learning_rate_schedule_decays_by_cosine_then_holds():
    X, y = fixed_batch(8, seed=4)
    tr = Trainer(MLP(seed=0), Fixed(X, y),
                 TrainSettings(batch=8, lr=0.04, lr_decay_samples=80, lr_final=0.25,
                               lr_warmup_samples=0))
    assert tr.current_lr == pytest.approx(0.04)
    tr.run(5)                                   # 40 of 80 samples: halfway down the cosine
    assert tr.current_lr == pytest.approx(0.04 * (0.25 + 0.75 * 0.5))
    tr.run(10)                                  # past the end: held at lr * lr_final
    assert tr.current_lr == pytest.approx(0.01)
    assert tr.lr == pytest.approx(0.04)         # the base rate is untouched by the schedule
    # the step really uses the scheduled rate: from zero velocity, W moves by -current_lr * g
    tr2 = Trainer(MLP(seed=0), Fixed(X, y),
                  TrainSettings(batch=8, lr=0.04, momentum=0.0, lr_decay_samples=8, lr_final=0.25,
                                lr_warmup_samples=0))
    tr2.run(1)
    before = {k: v.copy() for k, v in tr2.model.params.items()}
    g = tr2.model.backward(tr2.model.forward(X), y)
    tr2.run(1)
    np.testing.assert_allclose(tr2.model.params["W3"], before["W3"] - 0.01 * g.param("W3"),
                               rtol=1e-4, atol=1e-7)
    reset_lr = (tr2.reset(3), tr2.current_lr)[1]  # a reset starts the schedule again
    assert reset_lr == pytest.approx(0.04)
    with pytest.raises(ValueError, match="lr_final"):
        TrainSettings(lr_final=0.0)


def test_the_warm_up_ramps_the_rate_linearly_and_each_step_uses_it():
    # GIVEN a 64-sample warm-up at batch 8 and no decay
    X, y = fixed_batch(8, seed=4)
    tr = Trainer(MLP(seed=0), Fixed(X, y),
                 TrainSettings(batch=8, lr=0.04, momentum=0.0, lr_decay_samples=0,
                               lr_warmup_samples=64))
    # THEN the first step takes 8/72 of the rate, one at 32 samples 40/72, then the full rate
    assert tr.current_lr == pytest.approx(0.04 * 8 / 72)
    before = {k: v.copy() for k, v in tr.model.params.items()}
    g = tr.model.backward(tr.model.forward(X), y)
    tr.run(1)
    np.testing.assert_allclose(tr.model.params["W3"], before["W3"] - 0.04 * 8 / 72 * g.param("W3"),
                               rtol=1e-4, atol=1e-7)
    tr.run(3)
    assert tr.current_lr == pytest.approx(0.04 * 40 / 72)
    tr.run(4)
    assert tr.current_lr == pytest.approx(0.04)
    tr.reset(1)                                  # a reset warms up again
    assert tr.current_lr == pytest.approx(0.04 * 8 / 72)
    with pytest.raises(ValueError, match="lr_warmup_samples"):
        TrainSettings(lr_warmup_samples=-1)


def test_the_momentum_ramp_rises_from_its_start_to_the_setting():
    X, y = fixed_batch(8, seed=4)
    tr = Trainer(MLP(seed=0), Fixed(X, y),
                 TrainSettings(batch=8, momentum=0.9, momentum_start=0.5,
                               momentum_warmup_samples=80))
    assert tr.current_momentum == pytest.approx(0.5)
    tr.run(5)                                    # halfway
    assert tr.current_momentum == pytest.approx(0.7)
    tr.run(5)
    assert tr.current_momentum == pytest.approx(0.9)
    assert Trainer(MLP(seed=0), Fixed(X, y), TrainSettings()).current_momentum == 0.9
    with pytest.raises(ValueError, match="momentum_start"):
        TrainSettings(momentum_start=1.0)


def test_the_compiled_step_writes_what_the_numpy_step_writes(monkeypatch):
    # GIVEN batches of 1, 7 and 32 and the same weights
    X, y = Templates(seed=2).batch(32)
    for B in (1, 7, 32):
        seen = {}
        for jit in (False, True):
            monkeypatch.setattr(pad, "JIT", jit)
            tr = Trainer(MLP(seed=6), Fixed(X[:B], y[:B]), TrainSettings(batch=B))
            b = tr._buffers_for(B)
            loss = tr._forward_backward(X[:B], y[:B], b)
            seen[jit] = (loss, {k: tr._g[k].copy() for k in PARAM_NAMES},
                         {n: getattr(b, n).copy() for n in ("z1", "a1", "z2", "a2", "z3", "p", "dz1", "dz2", "dz3")})
        # THEN loss, gradients and every buffer the exhibit reads agree to float rounding
        assert seen[True][0] == pytest.approx(seen[False][0], rel=1e-6)
        for k in PARAM_NAMES:
            np.testing.assert_allclose(seen[True][1][k], seen[False][1][k], rtol=1e-5, atol=1e-7)
        for n, a in seen[False][2].items():
            np.testing.assert_allclose(seen[True][2][n], a, rtol=1e-5, atol=1e-6, err_msg=n)


def test_compiled_training_follows_the_numpy_training(monkeypatch):
    # GIVEN the same batches; WHEN 300 steps are trained each way, momentum and warm-up on
    out = {}
    for jit in (False, True):
        monkeypatch.setattr(pad, "JIT", jit)
        model = MLP(seed=7)
        Trainer(model, Templates(seed=8), TrainSettings(test_every=10**9)).run(300)
        out[jit] = model.params
    # THEN the weights are the same to float rounding, and they moved
    for k in PARAM_NAMES:
        np.testing.assert_allclose(out[True][k], out[False][k], rtol=1e-4, atol=2e-5)
    assert np.abs(out[True]["W1"] - MLP(seed=7).params["W1"]).max() > 0.01
