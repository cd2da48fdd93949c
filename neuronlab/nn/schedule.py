"""The learning-rate and momentum schedules: pure functions of the samples seen.

``settings`` is a ``TrainSettings`` (any object with its fields). Imports nothing but math.
"""
from __future__ import annotations

import math


def rate_factor(seen: int, settings) -> float:
    """What the base rate is multiplied by at ``seen`` samples: a linear warm-up from ~0
    over ``lr_warmup_samples``, times a cosine decay down to ``lr_final`` over
    ``lr_decay_samples`` (each 1 when switched off)."""
    factor = 1.0
    w = settings.lr_warmup_samples
    if w > 0 and seen < w:
        factor = (seen + settings.batch) / (w + settings.batch)
    n = settings.lr_decay_samples
    if n <= 0:
        return factor
    t = min(seen / n, 1.0)
    f = settings.lr_final
    return factor * (f + (1.0 - f) * 0.5 * (1.0 + math.cos(math.pi * t)))


def rate_at(base_lr: float, seen: int, settings) -> float:
    """The rate a step takes at ``seen`` samples from the base rate ``base_lr``."""
    return base_lr * rate_factor(seen, settings)


def momentum_at(seen: int, settings) -> float:
    """``momentum_start`` rising linearly to ``momentum`` over ``momentum_warmup_samples``
    (``momentum`` when that is 0)."""
    w = settings.momentum_warmup_samples
    if w <= 0 or seen >= w:
        return settings.momentum
    return settings.momentum_start + (settings.momentum - settings.momentum_start) * seen / w
