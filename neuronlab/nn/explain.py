"""Why it answered: each input cell's exact share in an answer's score, and "Change its mind".

Owns the effective linear map of the network for one input. With the on/off pattern
of the hidden ReLUs fixed to the one this input produces, the network is linear in x:

    z3[c] = sum_i x_i * Weff[i, c] + beff[c]
    Weff  = W1 diag(m1) W2 diag(m2) W3
    beff  = ((b1 * m1) W2 + b2) * m2) W3 + b3

where m1, m2 are 1 for units that fire (z > 0, and not switched off) and 0 otherwise.
So x_i * Weff[i, c] is cell i's exact share in the score of answer c, and the shares
plus the one bias term ``beff[c]`` add up to z3[c]. The map is built in float64 from
the model's own weights and the pattern of the model's own forward pass.

Imports numpy only.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from neuronlab.nn.mlp import MLP, Forward

N_CELLS = 256


@dataclass(frozen=True)
class EffectiveMap:
    """The network as the linear map it is for one input (float64)."""

    x: np.ndarray        # (256,) the input, float64
    W: np.ndarray        # (256, 10) Weff
    b: np.ndarray        # (10,) beff
    on1: np.ndarray      # (16,) bool: hidden-1 units passing their signal
    on2: np.ndarray      # (12,) bool: hidden-2 units passing their signal
    forward: Forward     # the model's forward pass this map was read from

    @property
    def answer(self) -> int:
        return int(np.argmax(self.forward.z3))

    def shares(self, c: int) -> np.ndarray:
        """(256,) float64: cell i's share x_i * Weff[i, c] in the score of answer c."""
        return self.x * self.W[:, int(c)]

    def explain(self, c: int) -> "Shares":
        c = int(c)
        return Shares(c, self.shares(c), float(self.b[c]), float(self.forward.z3[c]))


@dataclass(frozen=True)
class Shares:
    """One answer's score split into its parts: ``cells.sum() + bias == z``."""

    answer: int
    cells: np.ndarray    # (256,) float64 (reshape (16, 16) for the pad overlay)
    bias: float          # the one term no cell owns
    z: float             # the model's own score for this answer (float32 forward pass)

    @property
    def total(self) -> float:
        return float(self.cells.sum() + self.bias)


def effective_map(model: MLP, x: np.ndarray,
                  alive: tuple[np.ndarray, np.ndarray] | None = None) -> EffectiveMap:
    """The effective linear map for input ``x`` (256,), with the hidden units in
    ``alive`` (see ``MLP.forward``) on and the pattern of the model's own pass."""
    x = np.asarray(x).reshape(N_CELLS)
    fw = model.forward(x, alive)
    P = {k: v.astype(np.float64) for k, v in model.params.items()}
    on1 = fw.a1 > 0
    on2 = fw.a2 > 0
    m1 = on1.astype(np.float64)
    m2 = on2.astype(np.float64)
    # (256, 16) * (16,) @ (16, 12) * (12,) @ (12, 10) -> (256, 10)
    W = ((P["W1"] * m1) @ P["W2"] * m2) @ P["W3"]
    b = (((P["b1"] * m1) @ P["W2"] + P["b2"]) * m2) @ P["W3"] + P["b3"]
    return EffectiveMap(np.asarray(fw.x, np.float64), W, b, on1, on2, fw)


def explain(model: MLP, x: np.ndarray, c: int | None = None,
            alive: tuple[np.ndarray, np.ndarray] | None = None) -> Shares:
    """Each cell's share in the score of answer ``c`` (default: the answer it gave)."""
    m = effective_map(model, x, alive)
    return m.explain(m.answer if c is None else c)


@dataclass(frozen=True)
class MindChange:
    """What erasing cells did: ``cells`` in the order erased; ``new_answer`` is the
    answer of a real forward pass of ``x_after`` (== ``old_answer`` if it never gave in)."""

    old_answer: int
    new_answer: int
    cells: tuple[int, ...]
    x_after: np.ndarray          # (256,) the input with those cells set to 0
    p_before: np.ndarray         # (10,)
    p_after: np.ndarray          # (10,)

    @property
    def changed(self) -> bool:
        return self.new_answer != self.old_answer


def change_its_mind(model: MLP, x: np.ndarray, max_cells: int = N_CELLS,
                    alive: tuple[np.ndarray, np.ndarray] | None = None) -> MindChange:
    """Erase the hottest cells one at a time until the answer changes.

    "Hottest" is the inked cell whose share most favours the answer over the current
    runner-up (share in z[answer] - z[runner-up]); after each erase the network is run
    again for real, so a unit that stops (or starts) firing changes the next choice.
    A greedy search: few cells, not a proven minimum."""
    x0 = np.asarray(x, np.float32).reshape(N_CELLS)
    xe = x0.copy()
    m = effective_map(model, xe, alive)
    old = m.answer
    p_before = m.forward.p.copy()
    erased: list[int] = []
    while m.answer == old and len(erased) < max_cells:
        z = m.forward.z3
        runner_up = int(np.argsort(z)[-2])
        push = m.x * (m.W[:, old] - m.W[:, runner_up])   # (256,) share in the margin
        push[xe == 0] = -np.inf                          # an empty cell cannot be erased
        i = int(np.argmax(push))
        if not push[i] > 0:
            break            # no inked cell left that favours the answer: erasing cannot help
        xe[i] = 0.0
        erased.append(i)
        m = effective_map(model, xe, alive)
    return MindChange(old, m.answer, tuple(erased), xe, p_before, m.forward.p.copy())
