"""The trainer's meters: the training rate over wall-clock time, and the test accuracy
with the health of each hidden layer measured on the same pass. Imports numpy only."""
from __future__ import annotations

import numpy as np


class RateMeter:
    """Samples per second of wall-clock time (``samples_per_sec``) and per second spent
    training (``throughput``), each over a window of at least ``window`` seconds; a pause
    longer than ``idle_gap`` starts a new window, so waiting is not counted as slowness."""

    def __init__(self, window: float, idle_gap: float):
        self.window, self.idle_gap = window, idle_gap
        self.clear()

    def clear(self) -> None:
        self._t0: float | None = None
        self._n0 = 0
        self._busy = 0.0
        self._last_end: float | None = None

    def begin(self, t0: float, seen: int) -> None:
        if self._t0 is None or self._last_end is None or t0 - self._last_end > self.idle_gap:
            self._t0, self._n0, self._busy = t0, seen, 0.0

    def end(self, t0: float, t1: float, seen: int) -> tuple[float, float] | None:
        """(samples_per_sec, throughput) when a window closed, else None."""
        if self._t0 is None:      # cleared mid-run (a fresh start): a new window from here
            self._t0, self._n0, self._busy, self._last_end = t1, seen, 0.0, t1
            return None
        self._last_end = t1
        self._busy += t1 - t0
        elapsed = t1 - self._t0
        if elapsed < self.window:
            return None
        n = seen - self._n0
        out = (n / elapsed, n / self._busy if self._busy > 0 else 0.0)
        self._t0, self._n0, self._busy = t1, seen, 0.0
        return out


class TestMeter:
    """Test accuracy: the whole set, or a rotating slice of ``subset`` samples, the figure
    being the mean over every sample's most recent verdict. Each pass also counts the
    hidden units that fire on at least one of the samples it ran (``live``)."""

    __test__ = False   # not a pytest class

    def __init__(self, test_set: tuple[np.ndarray, np.ndarray], subset: int):
        X, y = test_set
        self.X = np.ascontiguousarray(X, np.float32)
        self.y = np.asarray(y, np.int64)
        self.subset = subset
        self.clear()

    def clear(self) -> None:
        self._correct: np.ndarray | None = None
        self._cursor = 0
        self.live: tuple[int, ...] | None = None   # live units per hidden layer, last pass
        self.live_of: int = 0                      # how many samples that pass ran

    def measure(self, model, full: bool = False) -> float:
        N, sub = len(self.y), self.subset
        if full or sub <= 0 or sub >= N or self._correct is None:
            idx = slice(None)
            self._correct = np.empty(N, bool)
            self._cursor = 0
        else:
            idx = (self._cursor + np.arange(sub)) % N
            self._cursor = (self._cursor + sub) % N
        fw = model.forward(self.X[idx])
        self._correct[idx] = np.argmax(fw.z3, axis=1) == self.y[idx]
        self.live = tuple(int((a.max(axis=0) > 0).sum()) for a in (fw.a1, fw.a2))
        self.live_of = len(fw.p)
        return float(self._correct.mean())
