"""The gradient check behind the exhibit's ∇-check badge: backprop against finite
differences, in float64.

For each checked parameter the loss is evaluated at theta ± h and ± 2h and the
derivative taken with the fourth-order central stencil
(8 (f(+h) - f(-h)) - (f(+2h) - f(-2h))) / 12h, whose truncation error (~h^4) and
rounding error (~1e-16 / h) are both far below the 1e-6 pass mark. ReLU kinks would make
any difference quotient wrong, so a parameter whose perturbation flips any ReLU (a
pre-activation changing sign) is skipped and another one is drawn: every checked
derivative is taken where the loss is smooth. Inputs are sparse like pad images
(zeros and values in [0.5, 1]).

Relative error: |a - n| / max(|a| + |n|, tiny). Imports numpy only.
"""
from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass

import numpy as np

from neuronlab.nn.mlp import MLP, PARAM_NAMES, PARAM_SHAPES

PASS_MARK = 1e-6
TINY = 1e-12


@dataclass(frozen=True)
class GradcheckResult:
    worst_rel_error: float
    n_checked: int
    per_layer: dict[str, float]          # parameter name -> worst relative error there
    per_layer_count: dict[str, int]      # parameter name -> how many were checked
    worst_at: tuple[str, tuple[int, ...]]  # which parameter entry gave the worst error

    @property
    def ok(self) -> bool:
        return self.worst_rel_error <= PASS_MARK


def rel_error(a: float, b: float, tiny: float = TINY) -> float:
    return abs(a - b) / max(abs(a) + abs(b), tiny)


def _loss_and_masks(model: MLP, X: np.ndarray, y: np.ndarray):
    fw = model.forward(X)
    z3 = fw.z3
    m = z3.max(axis=1, keepdims=True)
    lse = np.log(np.exp(z3 - m).sum(axis=1)) + m[:, 0]
    loss = float(np.mean(lse - z3[np.arange(len(y)), y]))
    return loss, fw.z1 > 0, fw.z2 > 0


def _quota(n_params: int | None) -> dict[str, int]:
    """How many entries of each parameter to check: all of them (``None``), or
    ``n_params`` shared by size with at least 20 per parameter (all of a small bias)."""
    sizes = {k: int(np.prod(PARAM_SHAPES[k])) for k in PARAM_NAMES}
    if n_params is None:
        return sizes
    total = sum(sizes.values())
    return {k: min(sizes[k], max(20, round(n_params * sizes[k] / total))) for k in PARAM_NAMES}


def _candidates(rng: np.random.Generator, quota: dict[str, int]):
    """Entries to try in order: the quota plus spares (a draw that straddles a kink is
    skipped), each parameter's entries in random order."""
    for k in PARAM_NAMES:
        size = int(np.prod(PARAM_SHAPES[k]))
        for f in rng.permutation(size)[: min(size, 3 * quota[k])]:
            yield k, tuple(int(i) for i in np.unravel_index(f, PARAM_SHAPES[k]))


def gradcheck(seed: int = 0, n_params: int | None = 300, batch: int = 4,
              h: float = 1e-4) -> GradcheckResult:
    """Check ``n_params`` randomly chosen parameters (at least 20 in every W and b,
    the rest by layer size; ``None`` checks all 4446) on a random ``batch``."""
    steps = gradcheck_steps(seed, n_params, batch, h)
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value


def gradcheck_steps(seed: int = 0, n_params: int | None = 300, batch: int = 4,
                    h: float = 1e-4) -> Generator[None, None, GradcheckResult]:
    """``gradcheck`` one candidate parameter at a time: yields after each (about 0.2 ms),
    returns the result, so a frame can take the check a slice at a time."""
    rng = np.random.default_rng(seed)
    model = MLP(seed=seed, dtype=np.float64)
    # biases are zero at init; give them values so their gradients are generic
    for k in ("b1", "b2", "b3"):
        model.params[k][...] = rng.normal(0.0, 0.1, PARAM_SHAPES[k])
    X = np.where(rng.random((batch, 256)) < 0.4, 0.0, rng.uniform(0.5, 1.0, (batch, 256)))
    y = rng.integers(0, 10, batch)

    fw = model.forward(X)
    grads = model.backward(fw, y)
    _, m1, m2 = _loss_and_masks(model, X, y)

    quota = _quota(n_params)
    per_layer = {k: 0.0 for k in PARAM_NAMES}
    count = {k: 0 for k in PARAM_NAMES}
    worst, worst_at = 0.0, (PARAM_NAMES[0], (0,))

    for name, idx in _candidates(rng, quota):
        if count[name] >= quota[name]:
            continue
        yield
        theta = model.params[name]
        keep = theta[idx]
        f = {}
        smooth = True
        for step in (-2, -1, 1, 2):
            theta[idx] = keep + step * h
            f[step], k1, k2 = _loss_and_masks(model, X, y)
            if not (np.array_equal(k1, m1) and np.array_equal(k2, m2)):
                smooth = False
                break
        theta[idx] = keep
        if not smooth:
            continue
        numeric = (8.0 * (f[1] - f[-1]) - (f[2] - f[-2])) / (12.0 * h)
        analytic = float(grads.param(name)[idx])
        err = rel_error(analytic, numeric)
        count[name] += 1
        per_layer[name] = max(per_layer[name], err)
        if err > worst:
            worst, worst_at = err, (name, idx)
    return GradcheckResult(worst, sum(count.values()), per_layer, count, worst_at)
