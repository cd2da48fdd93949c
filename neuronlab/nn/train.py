"""The trainer: momentum SGD over any sample source, k iterations per call.

Owns the optimiser state (velocity, the base learning rate), the statistics the exhibit
shows (epoch, samples seen, smoothed train loss, test accuracy, samples per second), the
picture of the step just taken (one sample of the last batch with its own forward pass,
and the last batch's gradients), and the recoveries the guard calls for. The schedules
are ``schedule.py``, the guard's rules ``guard.py``, the rate and test meters ``meters.py``.
``state()`` / ``load_state()`` are the one way its state is saved and put back
(checkpoints and the tour's snapshot both use them).

The training step is the maths of ``MLP.forward`` / ``MLP.backward`` written into
preallocated float32 buffers: at batch 32 the per-call overhead of numpy, not the
arithmetic, is what costs, so every array the loop touches is made once. While
``pad.JIT`` is on (headless training), or once the exhibit has loaded them beside its
frames (``step_kernels.py``), the same step and update run compiled
(``kernels.train_step``, ``kernels.momentum_step``). ``tests/test_train.py`` checks the
step against ``MLP.backward`` and the compiled one against it.

A *source* is anything with ``batch(n) -> (X (n, 256) float32, y (n,) int)``.
Time comes from an injectable ``clock`` so tests can fake it. Imports numpy and the
standard library (numba through ``pad.kernels``, when asked for).
"""
from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass
from typing import Callable, Protocol

import numpy as np

from neuronlab.nn import guard, pad, schedule
from neuronlab.nn.guard import LOG10, Rollback
from neuronlab.nn.meters import RateMeter, TestMeter
from neuronlab.nn.mlp import MLP, PARAM_NAMES, PARAM_SHAPES, SIZES, Forward, Grads, param_views

log = logging.getLogger("neuronlab.train")

__all__ = ["LOG10", "LastSample", "Rollback", "Source", "TrainSettings", "TrainStats", "Trainer"]


class Source(Protocol):
    """Training samples: ``batch(n)`` -> inputs (n, 256) and labels (n,). A source may also
    have ``batch_into(X)``, the same written into X, returning the labels, and
    ``available()``, how many rows it holds ready (a source without it always has them)."""

    def batch(self, n: int) -> tuple[np.ndarray, np.ndarray]: ...


@dataclass(frozen=True)
class TrainSettings:
    """How the trainer learns. Invalid values raise ValueError with one clear line."""

    batch: int = 32
    lr: float = 0.03                 # with the cosine decay below (docs/performance.md)
    momentum: float = 0.9
    lr_decay_samples: int = 300_000  # 0: a constant rate; else cosine from lr down to
    lr_final: float = 0.05           # lr * lr_final over this many samples, then held there
    lr_warmup_samples: int = 5_000   # 0: none; else the rate rises linearly from ~0 over
                                     # this many samples (the decay still counts from 0):
                                     # full-size first steps silence first-layer units
    momentum_warmup_samples: int = 0  # 0: none; else momentum rises linearly from
    momentum_start: float = 0.5       # momentum_start to momentum over this many samples
    seed: int = 0                    # seeds the fresh weights drawn by reset(None)
    test_every: int = 10_000         # samples between test-accuracy measurements
    test_subset: int = 0             # 0: the whole test set each time; else a rotating slice
    epoch_size: int = 60_000         # nominal (the generator never runs dry): MNIST's size
    loss_smoothing: int = 2_000      # samples: time constant of the shown train loss (EMA)
    diverge_factor: float = 5.0      # a batch loss above factor * smoothed loss is exploding...
    diverge_floor: float = 2 * LOG10  # ...unless it is below this (noise on a trained net)
    lr_backoff: float = 0.5          # lr multiplier after a rollback (squared after a stall)
    min_lr: float = 1e-5             # backoff never goes below this
    snapshot_every: int = 8          # iterations between saves of the last good weights
    stall_after: int = 30_000        # 0: no stall guard; else test accuracy still at or
    stall_accuracy: float = 0.2      # under this after so many samples is a stall
    stall_min_test: int = 256        # a silent layer counts when seen on this many test samples
    rate_window: float = 0.5         # seconds over which samples_per_sec is measured
    idle_gap: float = 1.0            # a pause longer than this restarts the rate window
    prefetch: int = 1024             # samples asked of the source per call (0: one batch);
                                     # a generator's per-call overhead is paid once per chunk

    def __post_init__(self):
        checks = [
            (self.batch >= 1, f"batch must be >= 1, got {self.batch}"),
            (math.isfinite(self.lr) and self.lr > 0, f"lr must be > 0, got {self.lr}"),
            (0.0 <= self.momentum < 1.0, f"momentum must be in [0, 1), got {self.momentum}"),
            (self.lr_decay_samples >= 0, f"lr_decay_samples must be >= 0, got {self.lr_decay_samples}"),
            (0.0 < self.lr_final <= 1.0, f"lr_final must be in (0, 1], got {self.lr_final}"),
            (self.lr_warmup_samples >= 0, f"lr_warmup_samples must be >= 0, got {self.lr_warmup_samples}"),
            (self.momentum_warmup_samples >= 0,
             f"momentum_warmup_samples must be >= 0, got {self.momentum_warmup_samples}"),
            (0.0 <= self.momentum_start < 1.0,
             f"momentum_start must be in [0, 1), got {self.momentum_start}"),
            (self.test_every >= 1, f"test_every must be >= 1, got {self.test_every}"),
            (self.test_subset >= 0, f"test_subset must be >= 0, got {self.test_subset}"),
            (self.epoch_size >= 1, f"epoch_size must be >= 1, got {self.epoch_size}"),
            (self.loss_smoothing >= 1, f"loss_smoothing must be >= 1, got {self.loss_smoothing}"),
            (self.diverge_factor > 1.0, f"diverge_factor must be > 1, got {self.diverge_factor}"),
            (0.0 < self.lr_backoff < 1.0, f"lr_backoff must be in (0, 1), got {self.lr_backoff}"),
            (self.min_lr > 0, f"min_lr must be > 0, got {self.min_lr}"),
            (self.snapshot_every >= 1, f"snapshot_every must be >= 1, got {self.snapshot_every}"),
            (self.stall_after >= 0, f"stall_after must be >= 0, got {self.stall_after}"),
            (0.0 <= self.stall_accuracy < 1.0,
             f"stall_accuracy must be in [0, 1), got {self.stall_accuracy}"),
            (self.rate_window > 0, f"rate_window must be > 0, got {self.rate_window}"),
            (self.prefetch >= 0, f"prefetch must be >= 0, got {self.prefetch}"),
        ]
        for ok, message in checks:
            if not ok:
                raise ValueError(message)


@dataclass
class TrainStats:
    """What the HUD shows. ``train_loss`` is an EMA over ~``loss_smoothing`` samples."""

    iterations: int = 0
    samples_seen: int = 0
    epoch: int = 0
    train_loss: float | None = None
    batch_loss: float | None = None        # the last healthy batch's mean loss
    test_accuracy: float | None = None
    test_measured_at: int = 0              # samples_seen when test_accuracy was measured
    samples_per_sec: float = 0.0           # samples per wall-clock second while training runs
    rate_measured: bool = False            # False until a full rate window has passed: a
                                           # display shows a dash, not "0 digits/s"
    throughput: float = 0.0                # samples per second of time spent inside run()


@dataclass
class LastSample:
    """The image of the moment: one sample of the last batch (row 0), with the forward
    pass that produced the last gradients (weights before that step) and its own loss."""

    x: np.ndarray      # (256,)
    y: int
    forward: Forward   # single-image shapes: z1 (16,), ..., p (10,)
    loss: float


class _Buffers:
    """Every array one iteration at batch size B writes, made once."""

    def __init__(self, B: int):
        f = np.float32
        n1, n2, n3 = SIZES[1:]
        self.B = B
        self.rows = np.arange(B)
        self.z1 = np.empty((B, n1), f); self.a1 = np.empty((B, n1), f)
        self.z2 = np.empty((B, n2), f); self.a2 = np.empty((B, n2), f)
        self.z3 = np.empty((B, n3), f); self.p = np.empty((B, n3), f)
        self.mx = np.empty((B, 1), f); self.se = np.empty((B, 1), f)
        self.mx_flat = self.mx[:, 0]          # (B,) view, the out= of the row-max reduce
        self.lse = np.empty((B, 1), f)
        self.onehot = np.empty((B, n3), f)
        self.ones_B = np.ones(B, f)           # row sums as matmuls: cheaper than .sum(axis)
        self.ones_out = np.ones((n3, 1), f)
        self.classes = np.arange(n3)
        self.dz3 = np.empty((B, n3), f)
        self.da2 = np.empty((B, n2), f); self.dz2 = np.empty((B, n2), f)
        self.da1 = np.empty((B, n1), f); self.dz1 = np.empty((B, n1), f)
        self.m2 = np.empty((B, n2), bool); self.m1 = np.empty((B, n1), bool)
        self.W1T = np.empty((n1, SIZES[0]), f); self.g1T = np.empty((n1, SIZES[0]), f)   # compiled step's


class Trainer:
    """Momentum SGD: v <- momentum * v - lr * g;  theta <- theta + v.

    The model's parameter arrays are updated in place (they keep their identity, so
    whoever holds the model sees the new weights). ``run(k)`` does k mini-batches.
    """

    def __init__(self, model: MLP, source: Source, settings: TrainSettings | None = None,
                 test_set: tuple[np.ndarray, np.ndarray] | None = None,
                 clock: Callable[[], float] = time.perf_counter):
        if model.dtype != np.float32:
            raise ValueError(f"the trainer trains float32 models, got {model.dtype}")
        self.model = model
        self.source = source
        self.settings = settings or TrainSettings()
        self.clock = clock
        self.tests = TestMeter(test_set, self.settings.test_subset) if test_set is not None else None
        self.test_set = (self.tests.X, self.tests.y) if self.tests is not None else None
        self.rate = RateMeter(self.settings.rate_window, self.settings.idle_gap)
        self.guard_log = guard.GuardLog()
        n_flat = sum(int(np.prod(s)) for s in PARAM_SHAPES.values())
        self._v_flat = np.zeros(n_flat, np.float32)
        self._g_flat = np.zeros(n_flat, np.float32)
        self._tmp_flat = np.zeros(n_flat, np.float32)
        self._v = param_views(self._v_flat)      # velocity per parameter
        self._g = param_views(self._g_flat)      # this batch's gradient per parameter
        self._good = {k: v.copy() for k, v in model.params.items()}   # last good weights
        self._buffers: dict[int, _Buffers] = {}
        self._chunk_X = np.zeros((0, SIZES[0]), np.float32)   # prefetched samples
        self._into = self._chunk_X                           # the array batch_into fills
        self._chunk_y = np.zeros(0, np.int64)
        self._chunk_at = 0
        self._seed_rng = np.random.default_rng(self.settings.seed)
        # the compiled step handed over by a process that loads it later (step_kernels.py);
        # None: the compiled one while pad.JIT is on, else numpy's
        self.step_kernels = None
        self._start_fresh_state()

    # -- state ----------------------------------------------------------------
    def _start_fresh_state(self) -> None:
        self.lr = float(self.settings.lr)
        self.guard_log.clear()
        self._fresh_stats()

    def _fresh_stats(self, measure: bool = True) -> None:
        """Zero velocity, stats and meters; the model's weights are the last good ones."""
        self.stats = TrainStats()
        self.step_lr: float | None = None        # the rate the latest step took
        self.last: LastSample | None = None
        self.last_grads: Grads | None = None
        self._v_flat[...] = 0
        self._save_good()
        self._since_snapshot = 0
        self.rate.clear()
        if self.tests is not None:
            self.tests.clear()
            if measure:
                self.measure_test(full=True)

    @property
    def rollbacks(self) -> list[Rollback]:
        """The most recent 100 guard events (divergences and fresh starts), oldest first."""
        return self.guard_log.events

    @property
    def rollback_count(self) -> int:
        """Guard events since the last reset."""
        return self.guard_log.count

    @property
    def stall_count(self) -> int:
        """Fresh starts the guard made because the network stopped learning (among the
        events kept)."""
        return self.guard_log.stalls

    @property
    def last_event(self) -> Rollback | None:
        """The latest guard event, for the stats panel to say."""
        return self.guard_log.events[-1] if self.guard_log.events else None

    def state(self) -> dict:
        """What a checkpoint or a snapshot keeps besides the weights (plain JSON values)."""
        st = self.stats
        return {
            "samples_seen": int(st.samples_seen),
            "epoch": int(st.epoch),
            "iterations": int(st.iterations),
            "train_loss": _finite_or_none(st.train_loss),
            "accuracy": _finite_or_none(st.test_accuracy),
            "lr": float(self.lr),
            "rollbacks": int(self.rollback_count),
        }

    def load_state(self, state: dict, params: dict[str, np.ndarray] | None = None) -> None:
        """Put back a ``state()`` (and, if given, the weights it goes with; else the model's
        weights are taken as they are): velocity zeroed, these weights the last good ones,
        test accuracy re-measured. Values missing or absurd keep their fresh-start
        defaults, so an older or hand-edited file still loads."""
        if params is not None:
            self.model.set_params(params)
        self.lr = float(self.settings.lr)
        self.guard_log.clear()
        self._fresh_stats(measure=False)
        st = self.stats

        def count(key):
            v = state.get(key)
            ok = isinstance(v, (int, float)) and math.isfinite(v) and v >= 0
            return int(v) if ok else None

        for key in ("samples_seen", "iterations"):
            v = count(key)
            if v is not None:
                setattr(st, key, v)
        st.epoch = st.samples_seen // self.settings.epoch_size
        st.test_measured_at = st.samples_seen
        loss = state.get("train_loss")
        if isinstance(loss, (int, float)) and math.isfinite(loss) and loss >= 0:
            st.train_loss = float(loss)
        lr = state.get("lr")
        if isinstance(lr, (int, float)) and math.isfinite(lr) and lr > 0:
            # A rate the guard lowered stays lowered; never above the setting.
            self.lr = float(min(max(lr, self.settings.min_lr), self.settings.lr))
        self.measure_test(full=True)

    def reset(self, seed: int | None = None) -> None:
        """Fresh random weights (``seed`` None draws a new seed from the trainer's own
        seeded stream, so each reset differs yet runs are reproducible), zero velocity,
        stats and rollbacks, lr back to the setting."""
        if seed is None:
            seed = int(self._seed_rng.integers(2**31))
        self.model.reset(seed)
        self._start_fresh_state()

    def _save_good(self) -> None:
        for k in PARAM_NAMES:
            np.copyto(self._good[k], self.model.params[k])

    def weights_finite(self) -> bool:
        return all(np.isfinite(self.model.params[k]).all() for k in PARAM_NAMES)

    def _rollback(self, loss: float) -> None:
        """Diverged: the last good weights back, zero velocity, a lower rate."""
        self.model.set_params(self._good)
        self._v_flat[...] = 0
        self._since_snapshot = 0
        old = self.lr
        self.lr = guard.lowered(old, self.settings)
        self.guard_log.record(self.stats.samples_seen, loss, old, self.lr, guard.DIVERGED)

    def _start_over(self, reason: str) -> None:
        """Stalled: fresh weights at a lower rate, the schedule from its start."""
        seen, loss, acc = self.stats.samples_seen, self.stats.train_loss, self.stats.test_accuracy
        live = self.tests.live if self.tests is not None else None
        old = self.lr
        self.lr = guard.lowered(old, self.settings, stalled=True)
        self.model.reset(int(self._seed_rng.integers(2**31)))
        self._fresh_stats()
        self.guard_log.record(seen, loss if loss is not None else float("nan"), old, self.lr, reason)
        log.warning("training stalled (%s: test accuracy %s, live units %s after %d samples);"
                    " fresh weights at lr %.4g (was %.4g)", reason,
                    "-" if acc is None else f"{acc:.3f}", live, seen, self.lr, old)

    # -- the step -------------------------------------------------------------
    def _buffers_for(self, B: int) -> _Buffers:
        buf = self._buffers.get(B)
        if buf is None:
            buf = self._buffers[B] = _Buffers(B)
        return buf

    def ready_iterations(self, k: int) -> int:
        """How many of ``k`` iterations the rows at hand cover: the prefetched chunk's
        rest and what the source has ready (``available()``; a source without it, all)."""
        available = getattr(self.source, "available", None)
        B = self.settings.batch
        here = (len(self._chunk_y) - self._chunk_at) // B
        if available is None or here >= k:
            return int(k)
        n = max(B, self.settings.prefetch // B * B)
        return int(min(k, here + available() // n * (n // B)))

    def _next_batch(self, B: int) -> tuple[np.ndarray, np.ndarray]:
        """The next B samples: (B, 256) float32 rows of the prefetched chunk (views)."""
        if self._chunk_at + B > len(self._chunk_y):
            n = max(B, self.settings.prefetch // B * B)
            into = getattr(self.source, "batch_into", None)
            if into is not None:          # into the same array each time (a source's option)
                if len(self._into) != n:
                    self._into = np.empty((n, SIZES[0]), np.float32)
                self._chunk_X, y = self._into, into(self._into)
            else:
                X, y = self.source.batch(n)
                self._chunk_X = np.ascontiguousarray(X, dtype=np.float32)
            self._chunk_y = np.asarray(y, dtype=np.int64)
            self._chunk_at = 0
        at = self._chunk_at
        self._chunk_at = at + B
        return self._chunk_X[at:at + B], self._chunk_y[at:at + B]

    def _forward_backward(self, X: np.ndarray, y: np.ndarray, b: _Buffers) -> float:
        """Forward and backward of one batch into ``b`` and the gradient views; returns
        the mean cross-entropy. Same maths as MLP.forward / MLP.backward."""
        P, g = self.model.params, self._g
        k = self.step_kernels or pad.kernels()
        if k is not None:
            return float(k.train_step(X, y, P["W1"], P["b1"], P["W2"], P["b2"], P["W3"], P["b3"],
                                      b.W1T, b.g1T, g["W1"], g["b1"], g["W2"], g["b2"], g["W3"],
                                      g["b3"], b.z1, b.a1, b.z2, b.a2, b.z3, b.p, b.dz1, b.dz2, b.dz3))
        B = b.B
        np.matmul(X, P["W1"], out=b.z1); b.z1 += P["b1"]        # (B, 256) @ (256, 16) -> (B, 16)
        np.maximum(b.z1, 0, out=b.a1)
        np.matmul(b.a1, P["W2"], out=b.z2); b.z2 += P["b2"]     # (B, 16) @ (16, 12) -> (B, 12)
        np.maximum(b.z2, 0, out=b.a2)
        np.matmul(b.a2, P["W3"], out=b.z3); b.z3 += P["b3"]     # (B, 12) @ (12, 10) -> (B, 10)
        np.maximum.reduce(b.z3, axis=1, out=b.mx_flat)
        np.subtract(b.z3, b.mx, out=b.p)                        # shifted logits, each <= 0
        np.equal(y[:, None], b.classes, out=b.onehot)            # (B, 10)
        picked = float(np.vdot(b.onehot, b.p))                   # sum of shifted logit of y
        np.exp(b.p, out=b.p)
        np.matmul(b.p, b.ones_out, out=b.se)                     # (B, 10) @ (10, 1) -> (B, 1), >= 1
        b.p /= b.se                                              # softmax, (B, 10)
        # loss_i = log(sum exp(shifted)) - shifted_y: both terms >= 0, never log(0)
        np.log(b.se, out=b.lse)
        loss = (float(b.lse.sum()) - picked) / B
        np.subtract(b.p, b.onehot, out=b.dz3)
        b.dz3 *= 1.0 / B                                         # (p - onehot) / B
        np.matmul(b.a2.T, b.dz3, out=g["W3"])                    # (12, B) @ (B, 10) -> (12, 10)
        np.matmul(b.ones_B, b.dz3, out=g["b3"])                  # column sums
        np.matmul(b.dz3, P["W3"].T, out=b.da2)                   # (B, 10) @ (10, 12) -> (B, 12)
        np.greater(b.z2, 0, out=b.m2)
        np.multiply(b.da2, b.m2, out=b.dz2)
        np.matmul(b.a1.T, b.dz2, out=g["W2"])                    # (16, B) @ (B, 12) -> (16, 12)
        np.matmul(b.ones_B, b.dz2, out=g["b2"])
        np.matmul(b.dz2, P["W2"].T, out=b.da1)                   # (B, 12) @ (12, 16) -> (B, 16)
        np.greater(b.z1, 0, out=b.m1)
        np.multiply(b.da1, b.m1, out=b.dz1)
        np.matmul(X.T, b.dz1, out=g["W1"])                       # (256, B) @ (B, 16) -> (256, 16)
        np.matmul(b.ones_B, b.dz1, out=g["b1"])
        return loss

    @property
    def current_lr(self) -> float:
        """The rate the next step uses: ``lr`` (what the guard lowers) on the schedule."""
        return schedule.rate_at(self.lr, self.stats.samples_seen, self.settings)

    @property
    def current_momentum(self) -> float:
        """The momentum the next step uses."""
        return schedule.momentum_at(self.stats.samples_seen, self.settings)

    def _apply_update(self) -> None:
        self.step_lr = self.current_lr
        k = self.step_kernels or pad.kernels()
        if k is not None:
            P = self.model.params
            k.momentum_step(self._v_flat, self._g_flat, np.float32(self.step_lr),
                            np.float32(self.current_momentum), *(P[n] for n in PARAM_NAMES))
            return
        self._v_flat *= self.current_momentum
        np.multiply(self._g_flat, self.step_lr, out=self._tmp_flat)
        self._v_flat -= self._tmp_flat
        P, v = self.model.params, self._v
        for k in PARAM_NAMES:
            P[k] += v[k]

    def _iterate(self, B: int) -> tuple[np.ndarray, np.ndarray, _Buffers, float, bool]:
        """One mini-batch: returns (X, y, buffers, loss, healthy)."""
        X, y = self._next_batch(B)
        b = self._buffers_for(B)
        loss = self._forward_backward(X, y, b)
        st = self.stats
        st.iterations += 1
        if guard.exploding(loss, self.stats.train_loss, self.settings):
            self._rollback(loss)
            return X, y, b, loss, False
        if self._since_snapshot >= self.settings.snapshot_every:
            self._save_good()        # these weights just produced a healthy loss
            self._since_snapshot = 0
        self._apply_update()
        self._since_snapshot += 1
        self.count_samples(B, loss)
        return X, y, b, loss, True

    def count_samples(self, samples: int, loss: float) -> None:
        """Count a healthy step of ``samples`` with batch ``loss`` in the statistics (the
        smoothed loss follows it); a lesson on a visitor's drawing counts its steps here too."""
        st = self.stats
        st.samples_seen += samples
        st.epoch = st.samples_seen // self.settings.epoch_size
        st.batch_loss = loss
        alpha = min(1.0, samples / self.settings.loss_smoothing)
        st.train_loss = loss if st.train_loss is None else st.train_loss + alpha * (loss - st.train_loss)

    def run(self, k: int, max_seconds: float | None = None) -> int:
        """Do up to ``k`` iterations of ``settings.batch`` samples; stop early once
        ``max_seconds`` have passed (the exhibit's frame budget). Returns iterations done
        (a rolled-back iteration counts as done: it consumed its batch)."""
        k = int(k)
        if k <= 0:
            return 0
        t0 = self.clock()
        self._begin_rate(t0)
        B = self.settings.batch
        done, result = 0, None
        while done < k:
            result = self._iterate(B)
            done += 1
            due = self.stats.samples_seen - self.stats.test_measured_at >= self.settings.test_every
            if due and self.measure_test() is not None and self._stalled():
                result = None
            if max_seconds is not None and self.clock() - t0 >= max_seconds:
                break
        if result is not None and not self.weights_finite():   # an update overflowed
            self._rollback(float("inf"))
            result = result[:3] + (float("inf"), False)
        if result is not None:          # None: the run ended on a fresh start
            self._record_last(*result)
        self._end_rate(t0, self.clock())
        return done

    def _stalled(self) -> bool:
        """After a test measurement: start over if the network has stopped learning."""
        reason = guard.stall_reason(self.stats.samples_seen, self.stats.test_accuracy,
                                    self.tests.live, self.tests.live_of, self.settings)
        if reason is not None:
            self._start_over(reason)
        return reason is not None

    def step_one(self) -> LastSample:
        """One iteration on a single sample (the exhibit's "step" button)."""
        t0 = self.clock()
        self._begin_rate(t0)
        result = self._iterate(1)
        if not self.weights_finite():
            self._rollback(float("inf"))
            result = result[:3] + (float("inf"), False)
        self._record_last(*result)
        self._end_rate(t0, self.clock())
        assert self.last is not None
        return self.last

    def _record_last(self, X: np.ndarray, y: np.ndarray, b: _Buffers, loss: float,
                     healthy: bool) -> None:
        x0, y0 = X[0].copy(), int(y[0])
        if healthy:
            fw = Forward(x0, b.z1[0].copy(), b.a1[0].copy(), b.z2[0].copy(), b.a2[0].copy(),
                         b.z3[0].copy(), b.p[0].copy())
            g = self._g
            self.last_grads = Grads(g["W1"].copy(), g["b1"].copy(), g["W2"].copy(),
                                    g["b2"].copy(), g["W3"].copy(), g["b3"].copy(),
                                    b.dz1.copy(), b.dz2.copy(), b.dz3.copy())
        else:            # the batch's own numbers are not fit to show: use restored weights
            fw = self.model.forward(x0)
            self.last_grads = None
        self.last = LastSample(x0, y0, fw, fw.loss(y0))

    # -- statistics -----------------------------------------------------------
    def _begin_rate(self, t0: float) -> None:
        self.rate.begin(t0, self.stats.samples_seen)

    def _end_rate(self, t0: float, t1: float) -> None:
        rates = self.rate.end(t0, t1, self.stats.samples_seen)
        if rates is not None:
            self.stats.samples_per_sec, self.stats.throughput = rates
            self.stats.rate_measured = True

    def measure_test(self, full: bool = False) -> float | None:
        """Re-measure test accuracy: the whole set, or (``test_subset`` > 0 and not
        ``full``) the next rotating slice, the shown figure being the mean over every
        sample's most recent verdict — cheap and still stable."""
        if self.tests is None:
            return None
        self.stats.test_accuracy = self.tests.measure(self.model, full)
        self.stats.test_measured_at = self.stats.samples_seen
        return self.stats.test_accuracy


def _finite_or_none(v):
    if v is None:
        return None
    v = float(v)
    return v if math.isfinite(v) else None
