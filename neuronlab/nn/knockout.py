"""Knock-out: hidden units the visitor has switched off, and what the network knows without them.

Owns the set of switched-off hidden units (layer 1 has 16, layer 2 has 12) and the
per-digit test accuracy with them off. A unit switched off has its activation forced
to 0; everything else is the model's own forward pass (``MLP.forward(x, alive)``).
Nothing here changes a weight, so switching every unit back on is exact.

Imports numpy only.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from neuronlab.nn.mlp import MLP, SIZES

HIDDEN_LAYERS: tuple[int, ...] = (1, 2)


@dataclass(frozen=True)
class DigitAccuracy:
    """Test-set figures with the current units off: exact counts and fractions."""

    correct: np.ndarray   # (10,) int: test digits of each class read right
    total: np.ndarray     # (10,) int: test digits of each class
    overall_correct: int
    overall_total: int

    @property
    def per_digit(self) -> np.ndarray:
        """(10,) float: the fraction of each digit read right."""
        return self.correct / np.maximum(self.total, 1)

    @property
    def overall(self) -> float:
        return self.overall_correct / max(self.overall_total, 1)


class Knockout:
    """The hidden units switched off. ``alive`` is what ``MLP.forward`` takes."""

    def __init__(self) -> None:
        self._alive = {layer: np.ones(SIZES[layer], bool) for layer in HIDDEN_LAYERS}

    @staticmethod
    def _check(layer: int, index: int) -> None:
        if layer not in HIDDEN_LAYERS:
            raise ValueError(f"only hidden units (layers 1 and 2) can be switched off, got layer {layer}")
        if not 0 <= index < SIZES[layer]:
            raise ValueError(f"layer {layer} has {SIZES[layer]} units, got index {index}")

    def is_off(self, layer: int, index: int) -> bool:
        self._check(layer, index)
        return not self._alive[layer][index]

    def set_off(self, layer: int, index: int, off: bool = True) -> None:
        self._check(layer, index)
        self._alive[layer][index] = not off

    def toggle(self, layer: int, index: int) -> bool:
        """Switch a unit off if it is on, on if it is off; returns True if it is now off."""
        off = not self.is_off(layer, index)
        self.set_off(layer, index, off)
        return off

    def clear(self) -> None:
        """Every unit on again (leaving the scene, the idle reset)."""
        for mask in self._alive.values():
            mask[...] = True

    @property
    def any_off(self) -> bool:
        return not all(mask.all() for mask in self._alive.values())

    @property
    def off_units(self) -> list[tuple[int, int]]:
        """(layer, index) of every unit switched off, in order."""
        return [(layer, int(i)) for layer in HIDDEN_LAYERS
                for i in np.flatnonzero(~self._alive[layer])]

    @property
    def alive(self) -> tuple[np.ndarray, np.ndarray] | None:
        """Copies of the (16,) and (12,) masks of units on, or None when all are on
        (so the forward pass is the plain one, bit for bit)."""
        if not self.any_off:
            return None
        return self._alive[1].copy(), self._alive[2].copy()

    def forward(self, model: MLP, x: np.ndarray):
        """The model's forward pass of ``x`` with these units off."""
        return model.forward(x, self.alive)

    def accuracy(self, model: MLP, X: np.ndarray, y: np.ndarray) -> DigitAccuracy:
        """Per-digit and overall accuracy on (X, y) with these units off."""
        return digit_accuracy(model, X, y, self.alive)


def digit_accuracy(model: MLP, X: np.ndarray, y: np.ndarray,
                   alive: tuple[np.ndarray, np.ndarray] | None = None) -> DigitAccuracy:
    """Exact per-digit counts of test digits read right by ``model`` (units in
    ``alive`` on, the rest forced to 0)."""
    y = np.asarray(y, np.int64)
    right = model.predict(X, alive) == y
    correct = np.bincount(y[right], minlength=10)
    total = np.bincount(y, minlength=10)
    return DigitAccuracy(correct, total, int(right.sum()), int(len(y)))
