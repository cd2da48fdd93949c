"""The divergence guard's rules and its record of events. Imports nothing but math.

Two ways a network fails while training, each with its own recovery (done by the trainer):

- *diverged*: a batch loss that is not finite or explodes -> the last good weights come
  back, velocity is zeroed and the rate is lowered;
- *stalled*: a hidden layer silent on every test sample (a ReLU layer that never fires
  passes no gradient, so it never comes back), or test accuracy still at chance long after
  the start -> fresh weights at a lower rate, the schedule from its start.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

LOG10 = math.log(10.0)   # the loss of a uniform guess over 10 classes

DIVERGED = "diverged"
SILENT_LAYER = "silent layer"
AT_CHANCE = "at chance"


@dataclass(frozen=True)
class Rollback:
    """One guard event: the ``count``-th, at ``samples_seen``; ``reason`` is DIVERGED,
    SILENT_LAYER or AT_CHANCE."""

    count: int
    samples_seen: int
    loss: float        # the bad batch loss (may be nan or inf); the smoothed loss if stalled
    old_lr: float
    new_lr: float
    reason: str = DIVERGED

    @property
    def fresh_weights(self) -> bool:
        """True when the recovery started over from fresh weights (a stall)."""
        return self.reason != DIVERGED


def exploding(loss: float, smoothed: float | None, settings) -> bool:
    """Is this batch loss a divergence? Non-finite always; else above
    ``diverge_factor`` times the smoothed loss, unless under ``diverge_floor``."""
    if not math.isfinite(loss):
        return True
    if smoothed is None:      # the first batch after a reset sets the scale
        return False
    return loss > max(settings.diverge_factor * smoothed, settings.diverge_floor)


def stall_reason(seen: int, accuracy: float | None, live: tuple[int, ...] | None,
                 measured_on: int, settings) -> str | None:
    """Why the network has stopped learning, or None. ``live`` counts the units of each
    hidden layer that fired on the ``measured_on`` test samples just run."""
    if settings.stall_after <= 0:
        return None
    if live is not None and measured_on >= settings.stall_min_test and min(live) == 0:
        return SILENT_LAYER
    if seen >= settings.stall_after and accuracy is not None and accuracy <= settings.stall_accuracy:
        return AT_CHANCE
    return None


def lowered(lr: float, settings, stalled: bool = False) -> float:
    """The rate after a recovery: one backoff after a divergence, two after a stall (a
    rate that silenced the network is far too high, and one halving still learns badly)."""
    return max(settings.min_lr, lr * settings.lr_backoff ** (2 if stalled else 1))


class GuardLog:
    """The events so far: the most recent ``keep`` and the count since the last reset."""

    def __init__(self, keep: int = 100):
        self.keep = keep
        self.clear()

    def clear(self) -> None:
        self.events: list[Rollback] = []
        self.count = 0

    def record(self, seen: int, loss: float, old_lr: float, new_lr: float,
               reason: str) -> Rollback:
        self.count += 1
        event = Rollback(self.count, seen, float(loss), old_lr, new_lr, reason)
        self.events.append(event)
        del self.events[:-self.keep]
        return event

    @property
    def stalls(self) -> int:
        """Fresh starts among the events kept."""
        return sum(e.fresh_weights for e in self.events)
