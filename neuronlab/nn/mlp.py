"""The network itself: 256 -> 16 -> 12 -> 10, ReLU, softmax + cross-entropy.

Owns the parameters and the two passes. Forward keeps every layer's
pre-activation ``z`` and activation ``a`` (the truth every picture on screen is
drawn from); backward returns every parameter gradient and every layer's error
signal dL/dz (what the gradient pulses show). Both work for one image of shape
(256,) and for a batch of shape (B, 256).

Imports numpy and the standard library only.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

SIZES: tuple[int, ...] = (256, 16, 12, 10)
PARAM_NAMES: tuple[str, ...] = ("W1", "b1", "W2", "b2", "W3", "b3")
PARAM_SHAPES: dict[str, tuple[int, ...]] = {
    "W1": (256, 16), "b1": (16,),
    "W2": (16, 12), "b2": (12,),
    "W3": (12, 10), "b3": (10,),
}
N_PARAMS: int = sum(int(np.prod(s)) for s in PARAM_SHAPES.values())  # 4446
N_WEIGHTS: int = sum(int(np.prod(PARAM_SHAPES[k])) for k in ("W1", "W2", "W3"))  # 4408

# Each first-layer unit starts at this pre-activation on a typical input (see init_params).
FIRST_BIAS_MARGIN: float = 0.3


def sample_loss(p: np.ndarray, y: int) -> float:
    """Cross-entropy of one image's probabilities ``p`` (10,) against label ``y``, as
    ``Forward.loss`` gives it, in scalar arithmetic: a frame's bookkeeping, not numpy's."""
    # p can round a hair above 1 in float32; the loss of a sure answer is 0, not -0.
    return -math.log(min(max(float(p[y]), 1e-12), 1.0)) + 0.0


def param_views(flat: np.ndarray) -> dict[str, np.ndarray]:
    """Views of one flat (4446,) buffer shaped like every parameter, in PARAM_NAMES order."""
    views, at = {}, 0
    for k in PARAM_NAMES:
        n = int(np.prod(PARAM_SHAPES[k]))
        views[k] = flat[at:at + n].reshape(PARAM_SHAPES[k])
        at += n
    return views


def typical_input() -> np.ndarray:
    """A data-free stand-in for the mean network input, (256,): the pad path scales a
    digit to 12 cells tall and centres its ink, so averaged over digits the ink is about
    half-strength over a soft box 11 cells tall and 7 wide around the centre (cosine 0.97
    with the generator's true mean image)."""
    c = np.arange(16) + 0.5                                    # pixel centres
    rows = np.clip((5.5 - np.abs(c - 8.0)) / 2.0 + 0.5, 0.0, 1.0)
    cols = np.clip((3.5 - np.abs(c - 8.0)) / 2.0 + 0.5, 0.0, 1.0)
    return 0.5 * np.outer(rows, cols).ravel()                  # (16,) x (16,) -> (256,)


def softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax, shifted by the row max so large logits cannot overflow."""
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@dataclass
class Forward:
    """Everything one forward pass computed. Shapes are (256,)/(16,)... for one
    image, (B, 256)/(B, 16)... for a batch."""

    x: np.ndarray   # input, a0
    z1: np.ndarray  # x @ W1 + b1
    a1: np.ndarray  # relu(z1)
    z2: np.ndarray  # a1 @ W2 + b2
    a2: np.ndarray  # relu(z2)
    z3: np.ndarray  # a2 @ W3 + b3, the logits
    p: np.ndarray   # softmax(z3)

    @property
    def zs(self) -> list[np.ndarray]:
        """Pre-activations of layers 1..3 (the input layer has none)."""
        return [self.z1, self.z2, self.z3]

    @property
    def activations(self) -> list[np.ndarray]:
        """Activations of all four layers: input, hidden 1, hidden 2, output (softmax)."""
        return [self.x, self.a1, self.a2, self.p]

    def loss(self, y) -> float:
        """Mean cross-entropy against integer labels ``y`` (a scalar or shape (B,))."""
        if self.p.ndim == 1 and np.ndim(y) == 0:     # one image: the trainer's every frame
            return sample_loss(self.p, int(y))
        p = np.atleast_2d(self.p)
        y = np.atleast_1d(np.asarray(y))
        picked = p[np.arange(len(y)), y].astype(np.float64)
        # p can round a hair above 1 in float32; the loss of a sure answer is 0, not -0.
        return float(-np.mean(np.log(np.clip(picked, 1e-12, 1.0)))) + 0.0


@dataclass
class Grads:
    """Gradients of the mean loss: d<param> for every parameter, dz<k> for every layer."""

    dW1: np.ndarray
    db1: np.ndarray
    dW2: np.ndarray
    db2: np.ndarray
    dW3: np.ndarray
    db3: np.ndarray
    dz1: np.ndarray  # dL/dz1, (B, 16)
    dz2: np.ndarray  # dL/dz2, (B, 12)
    dz3: np.ndarray  # dL/dz3 = p - onehot(y), divided by B, (B, 10)

    def param(self, name: str) -> np.ndarray:
        return getattr(self, "d" + name)


class MLP:
    """The 256 -> 16 -> 12 -> 10 network. Parameters live in ``self.params``."""

    def __init__(self, params: dict[str, np.ndarray] | None = None, seed: int | None = 0,
                 dtype=np.float32):
        self.dtype = np.dtype(dtype)
        if params is None:
            params = self.init_params(seed, self.dtype)
        self.params = {k: np.ascontiguousarray(params[k], dtype=self.dtype) for k in PARAM_NAMES}

    # -- parameters ---------------------------------------------------------
    @staticmethod
    def init_params(seed: int | None, dtype=np.float32) -> dict[str, np.ndarray]:
        """He initialisation (std = sqrt(2 / fan_in)); biases zero except the first layer's.

        The inputs are all >= 0 and share one centred blob of ink, so with zero bias a
        first-layer unit whose weights sum negative over the centre starts silent on every
        digit and never learns. Each unit's bias is set so that it starts at
        ``FIRST_BIAS_MARGIN`` on ``typical_input()``: every unit starts alive (figures in
        docs/performance.md)."""
        rng = np.random.default_rng(seed)
        out: dict[str, np.ndarray] = {}
        for i, (n_in, n_out) in enumerate(zip(SIZES[:-1], SIZES[1:]), start=1):
            out[f"W{i}"] = (rng.standard_normal((n_in, n_out)) * np.sqrt(2.0 / n_in)).astype(dtype)
            out[f"b{i}"] = np.zeros(n_out, dtype=dtype)
        # (256,) @ (256, 16) -> (16,): each unit's pre-activation on the typical input
        out["b1"][...] = FIRST_BIAS_MARGIN - typical_input() @ out["W1"]
        return out

    def reset(self, seed: int | None = None) -> None:
        """Fresh random weights, in place (arrays keep their identity)."""
        fresh = self.init_params(seed, self.dtype)
        for k in PARAM_NAMES:
            self.params[k][...] = fresh[k]

    def copy(self, dtype=None) -> "MLP":
        return MLP({k: v.copy() for k, v in self.params.items()}, dtype=dtype or self.dtype)

    def set_params(self, params: dict[str, np.ndarray]) -> None:
        for k in PARAM_NAMES:
            self.params[k][...] = params[k]

    def __getattr__(self, name):  # model.W1 etc. read straight from params
        params = self.__dict__.get("params")
        if params is not None and name in params:
            return params[name]
        raise AttributeError(name)

    # -- passes -------------------------------------------------------------
    def forward(self, x: np.ndarray, alive: tuple[np.ndarray, np.ndarray] | None = None) -> Forward:
        """Forward pass; ``x`` is (256,) or (B, 256).

        ``alive``: optional boolean masks (16,) and (12,) of the hidden units left on; a
        unit switched off has its activation forced to 0 (its ``z`` is still computed).
        Without it the pass is exactly the plain one."""
        P = self.params
        x = np.asarray(x, dtype=self.dtype)
        z1 = x @ P["W1"] + P["b1"]      # (B, 256) @ (256, 16) -> (B, 16)
        a1 = np.maximum(z1, 0)
        if alive is not None:
            a1 = np.where(alive[0], a1, self.dtype.type(0))
        z2 = a1 @ P["W2"] + P["b2"]     # (B, 16) @ (16, 12) -> (B, 12)
        a2 = np.maximum(z2, 0)
        if alive is not None:
            a2 = np.where(alive[1], a2, self.dtype.type(0))
        z3 = a2 @ P["W3"] + P["b3"]     # (B, 12) @ (12, 10) -> (B, 10)
        p = softmax(z3)
        return Forward(x, z1, a1, z2, a2, z3, p)

    def backward(self, fw: Forward, y) -> Grads:
        """Backprop of the mean cross-entropy; one line per forward line, in reverse."""
        P = self.params
        x, a1, a2, p = (np.atleast_2d(v) for v in (fw.x, fw.a1, fw.a2, fw.p))
        z1, z2 = np.atleast_2d(fw.z1), np.atleast_2d(fw.z2)
        y = np.atleast_1d(np.asarray(y))
        B = p.shape[0]
        dz3 = p.copy()
        dz3[np.arange(B), y] -= 1
        dz3 /= B                         # (B, 10)
        dW3 = a2.T @ dz3                 # (12, B) @ (B, 10) -> (12, 10)
        db3 = dz3.sum(axis=0)
        da2 = dz3 @ P["W3"].T            # (B, 10) @ (10, 12) -> (B, 12)
        dz2 = da2 * (z2 > 0)
        dW2 = a1.T @ dz2                 # (16, B) @ (B, 12) -> (16, 12)
        db2 = dz2.sum(axis=0)
        da1 = dz2 @ P["W2"].T            # (B, 12) @ (12, 16) -> (B, 16)
        dz1 = da1 * (z1 > 0)
        dW1 = x.T @ dz1                  # (256, B) @ (B, 16) -> (256, 16)
        db1 = dz1.sum(axis=0)
        return Grads(dW1, db1, dW2, db2, dW3, db3, dz1, dz2, dz3)

    def predict(self, x: np.ndarray, alive: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
        return np.argmax(self.forward(x, alive).z3, axis=-1)

    def accuracy(self, X: np.ndarray, y: np.ndarray) -> float:
        return float(np.mean(self.predict(X) == y))
