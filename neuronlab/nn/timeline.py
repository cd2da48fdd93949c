"""The time machine: snapshots of the network since the last reset, and visits to them.

Owns a bounded list of weight snapshots (one flat float32 copy of all 4,446 parameters,
about 17 KB each) taken as training passes sample counts spaced geometrically
(0, ``first``, then each ``ratio`` times the last), so early learning is dense. When more
than ``keep`` are held, the one whose neighbours are closest (in log samples) is dropped:
the spacing stays geometric and memory stays ``keep`` snapshots however long it runs.

``show(model, i)`` writes a snapshot into the model's own arrays (so everything that
reads the model, the graph and the answer bars included, sees the past); the live
weights are kept aside once, and ``back_to_now(model)`` puts them back bit for bit.
Training must pause while in the past; offers made then are ignored.

Imports numpy only.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from neuronlab.nn.mlp import MLP, PARAM_NAMES, param_views


def _flatten(model: MLP) -> np.ndarray:
    return np.concatenate([model.params[k].ravel() for k in PARAM_NAMES]).astype(np.float32)


@dataclass(frozen=True)
class Snapshot:
    samples_seen: int
    flat: np.ndarray                 # (4446,) float32, read-only
    test_accuracy: float | None      # the trainer's figures when it was taken
    train_loss: float | None

    @property
    def params(self) -> dict[str, np.ndarray]:
        """Read-only views shaped like the model's parameters."""
        return param_views(self.flat)

    def model(self) -> MLP:
        """A standalone network with these weights."""
        return MLP({k: v.copy() for k, v in self.params.items()})


class Timeline:
    """Snapshots since the last reset; see the module docstring."""

    def __init__(self, keep: int = 100, first: int = 500, ratio: float = 1.1):
        if keep < 3:
            raise ValueError(f"keep must be >= 3, got {keep}")
        if first < 1:
            raise ValueError(f"first must be >= 1, got {first}")
        if not (math.isfinite(ratio) and ratio > 1.0):
            raise ValueError(f"ratio must be > 1, got {ratio}")
        self.keep, self.first, self.ratio = int(keep), int(first), float(ratio)
        self.snapshots: list[Snapshot] = []
        self._next = 0
        self._now: np.ndarray | None = None     # the live weights while in the past
        self.showing: int | None = None         # index of the snapshot on display

    # -- recording ------------------------------------------------------------
    def clear(self) -> None:
        """Forget every snapshot (after "Start over" or loading other weights)."""
        if self.in_past:
            raise RuntimeError("go back to now before clearing the timeline")
        self.snapshots.clear()
        self._next = 0

    def offer(self, model: MLP, samples_seen: int, test_accuracy: float | None = None,
              train_loss: float | None = None) -> bool:
        """Call once a frame after training: takes a snapshot when ``samples_seen`` has
        reached the next mark. A count below the last snapshot's means the network was
        reset: the timeline starts over. Returns True if a snapshot was taken."""
        if self.in_past:
            return False
        samples_seen = int(samples_seen)
        if self.snapshots and samples_seen < self.snapshots[-1].samples_seen:
            self.clear()
        if samples_seen < self._next or (self.snapshots
                                         and samples_seen == self.snapshots[-1].samples_seen):
            return False
        flat = _flatten(model)
        flat.setflags(write=False)
        self.snapshots.append(Snapshot(samples_seen, flat, test_accuracy, train_loss))
        self._next = max(self.first, math.ceil(samples_seen * self.ratio))
        if len(self.snapshots) > self.keep:
            self._thin()
        return True

    def _thin(self) -> None:
        """Drop the inner snapshot whose neighbours are closest in log samples (the first
        and the newest are always kept)."""
        s = np.array([max(sn.samples_seen, 1) for sn in self.snapshots], np.float64)
        s[0] = 0.5 if self.snapshots[0].samples_seen == 0 else s[0]
        gaps = np.log(s[2:]) - np.log(s[:-2])        # (n-2,) span each inner one bridges
        del self.snapshots[1 + int(np.argmin(gaps))]

    @property
    def samples(self) -> list[int]:
        return [sn.samples_seen for sn in self.snapshots]

    @property
    def nbytes(self) -> int:
        return sum(sn.flat.nbytes for sn in self.snapshots)

    def nearest(self, samples_seen: int) -> int:
        """Index of the snapshot nearest ``samples_seen`` (for a slider)."""
        if not self.snapshots:
            raise LookupError("the timeline is empty")
        return int(np.argmin([abs(s - samples_seen) for s in self.samples]))

    # -- visiting -------------------------------------------------------------
    @property
    def in_past(self) -> bool:
        return self._now is not None

    def show(self, model: MLP, i: int) -> Snapshot:
        """Put snapshot ``i`` into the model for display (the live weights kept aside)."""
        snap = self.snapshots[i]
        if self._now is None:
            self._now = _flatten(model)
        model.set_params(snap.params)
        self.showing = i if i >= 0 else len(self.snapshots) + i
        return snap

    def back_to_now(self, model: MLP) -> None:
        """Put the live weights back, bit for bit. Does nothing if already at now."""
        if self._now is None:
            return
        model.set_params(param_views(self._now))
        self._now = None
        self.showing = None


