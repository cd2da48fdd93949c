"""The loss and accuracy history the plot shows, recorded as training steps.

Owns the points of this run since its start (the last "Start over", or the resume): one
point each time ``every`` more samples have been trained, each point the samples seen with
the trainer's smoothed loss and last measured test accuracy. When ``keep`` points are held
every other one is dropped and ``every`` doubles, so the points stay evenly spaced in
samples from the very start however long the run. ``save``/``load`` give plain JSON values
(the tour's demonstration and checkpoints keep it). No pygame, no GL.
"""
from __future__ import annotations

import math

EVERY_SAMPLES = 128    # the first spacing: a point every few seconds at the story's start
KEEP = 400


class LossHistory:
    def __init__(self, every: int = EVERY_SAMPLES, keep: int = KEEP):
        if every < 1 or keep < 4:
            raise ValueError(f"every must be >= 1 and keep >= 4, got {every}, {keep}")
        self.first_every = int(every)
        self.keep = int(keep)
        self.clear()

    def __len__(self) -> int:
        return len(self.loss)

    def clear(self) -> None:
        self.every = self.first_every
        self.samples: list[int] = []
        self.loss: list[float] = []
        self.acc: list[float] = []

    def record(self, stats) -> bool:
        """Called after training steps with the trainer's stats; True if a point was added.
        A count below the last point's means the network started over: so does the plot."""
        seen = int(stats.samples_seen)
        if self.samples and seen < self.samples[-1]:
            self.clear()
        if self.samples and seen < self.samples[-1] + self.every:
            return False
        self.samples.append(seen)
        self.loss.append(_num(stats.train_loss))
        self.acc.append(_num(stats.test_accuracy))
        if len(self.samples) >= self.keep:
            # keep the first point (where the run began) and every other one after it
            for series in (self.samples, self.loss, self.acc):
                series[:] = series[::2]
            self.every *= 2
        return True

    def save(self) -> dict:
        return {"samples": list(self.samples), "loss": list(self.loss), "acc": list(self.acc),
                "every": self.every}

    def load(self, saved) -> bool:
        """Put back a ``save()``; anything garbled leaves an empty history (False)."""
        self.clear()
        try:
            samples = [int(v) for v in saved["samples"]]
            loss = [float(v) if v is not None else math.nan for v in saved["loss"]]
            acc = [float(v) if v is not None else math.nan for v in saved["acc"]]
            every = int(saved.get("every", self.first_every))
        except (KeyError, TypeError, ValueError, AttributeError):
            return False
        ok = (len(samples) == len(loss) == len(acc) <= self.keep and every >= 1
              and all(b >= a for a, b in zip(samples, samples[1:])))
        if not ok:
            return False
        self.samples, self.loss, self.acc, self.every = samples, loss, acc, every
        return True


def _num(v) -> float:
    return float(v) if v is not None else math.nan
