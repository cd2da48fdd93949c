"""The loss and accuracy history the plot shows, recorded as training steps.

One point per ``every`` samples trained (so the plot's x axis is samples seen, whatever
the speed or the sample on display), at most ``keep`` points. No pygame, no GL.
"""
from __future__ import annotations

import math

EVERY_SAMPLES = 1024   # about 2 points a second at the default speed
KEEP = 300


class LossHistory:
    def __init__(self, every: int = EVERY_SAMPLES, keep: int = KEEP):
        self.every = int(every)
        self.keep = int(keep)
        self.loss: list[float] = []
        self.acc: list[float] = []
        self._next_at: int | None = None   # samples_seen at which the next point is due

    def __len__(self) -> int:
        return len(self.loss)

    def record(self, stats) -> bool:
        """Called after training steps with the trainer's stats; True if a point was added."""
        seen = int(stats.samples_seen)
        if self._next_at is None or seen < self._next_at - self.every:   # first call, or a reset
            self._next_at = seen - seen % self.every + self.every
            return False
        if seen < self._next_at:
            return False
        self._next_at = seen - seen % self.every + self.every
        self.loss.append(_num(stats.train_loss))
        self.acc.append(_num(stats.test_accuracy))
        del self.loss[:-self.keep], self.acc[:-self.keep]
        return True

    def clear(self) -> None:
        self.loss.clear()
        self.acc.clear()
        self._next_at = None

    def save(self) -> dict:
        return {"loss": list(self.loss), "acc": list(self.acc), "next_at": self._next_at}

    def load(self, saved: dict) -> None:
        self.loss[:] = saved["loss"]
        self.acc[:] = saved["acc"]
        self._next_at = saved["next_at"]


def _num(v) -> float:
    return float(v) if v is not None else math.nan
