"""The Inspector's pictures of one neuron, before its exact bars.

Owns three things, each made from the model's own numbers:

* the shares picture: every incoming a_i * w_ij coloured warm (pushes it up, > 0) or cool
  (holds it back, < 0), brighter the larger |a_i * w_ij|; for a Hidden 1 neuron laid out
  as the visitor's 16x16 digit (cells the digit does not touch stay dark, since their
  share is exactly 0), for deeper neurons as a row of balls, one per unit of the layer
  before;
* the balance: all the pushes on one pan, all the holds on the other, the bias on the
  side its sign puts it; the beam tips by the sum z, into firing when z > 0;
* the test digits that make it fire most: the fixed test set run through the model's
  forward pass, the ``k`` largest activations of this neuron.

``share_rgb``, ``balance`` and ``top_firing`` are pure numbers; the ``*_picture``
functions only draw what they return.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pygame

from neuronlab.ui import panels, text

GROUND = (14, 16, 26)          # a cell or ball with no share at all
INK = (60, 66, 88)             # a drawn cell whose share is too small to colour
MAX_TILT_DEG = 10.0            # the beam's tilt when one side has everything


def share_rgb(shares: np.ndarray, x: np.ndarray | None = None) -> np.ndarray:
    """(n, 3) uint8: warm for a share > 0, cool for < 0, the brightness rising with
    |share| / max |share| (square root: small shares stay visible). With ``x`` given
    (the input picture), a cell the digit touches but whose share is ~0 shows as ink, so
    the visitor's drawing stays readable."""
    v = np.asarray(shares, np.float64)
    m = float(np.max(np.abs(v))) if v.size else 0.0
    t = np.sqrt(np.abs(v) / m) if m > 0 else np.zeros_like(v)            # (n,) 0..1
    hue = np.where((v < 0)[:, None], np.asarray(panels.COOL, np.float64), np.asarray(panels.WARM, np.float64))
    base = np.tile(np.asarray(GROUND, np.float64), (len(v), 1))
    if x is not None:
        drawn = np.clip(np.asarray(x, np.float64), 0, 1)[:, None]
        base = base + (np.asarray(INK, np.float64) - base) * drawn
    rgb = base + (hue - base) * t[:, None]
    return np.clip(rgb, 0, 255).astype(np.uint8)


@dataclass(frozen=True)
class Balance:
    """The neuron's sum as two pans: ``push + hold == z`` (to float rounding)."""

    push: float        # all positive terms (shares and a positive bias), >= 0
    hold: float        # all negative terms, <= 0
    z: float           # the model's own sum
    activation: float  # what it passes on: ReLU(z), or the softmax p for an output

    @property
    def tilt(self) -> float:
        """-1..1: how far the beam tips toward firing (> 0) or quiet (< 0)."""
        total = self.push - self.hold
        return float(np.clip((self.push + self.hold) / total, -1, 1)) if total > 0 else 0.0


def balance(shares: np.ndarray, bias: float, z: float, activation: float) -> Balance:
    terms = np.append(np.asarray(shares, np.float64), float(bias))
    return Balance(float(terms[terms > 0].sum()), float(terms[terms < 0].sum()), float(z), float(activation))


def top_firing(model, X: np.ndarray, layer: int, index: int, k: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """(indices into X, activations) of the ``k`` inputs that make neuron (layer, index)
    fire most, by the model's forward pass; ties keep the test set's order."""
    a = np.asarray(model.forward(X).activations[layer])[:, index]         # (len(X),)
    order = np.argsort(-a, kind="stable")[:k]
    return order, a[order]


def input_picture(shares: np.ndarray, x: np.ndarray, cell: int) -> pygame.Surface:
    """A Hidden 1 neuron's 256 shares on the visitor's 16x16 digit."""
    return panels._cells(share_rgb(shares, x).reshape(16, 16, 3), cell)


def units_picture(shares: np.ndarray, width: int, s: float) -> pygame.Surface:
    """The layer before as a row of balls, each coloured by its share, numbered below."""
    n = len(shares)
    step = width / n
    r = max(4, int(min(step * 0.42, 20 * s)))
    num_px = max(9, int(13 * s))
    h = 2 * r + int(num_px * 1.4)
    surf = pygame.Surface((width, h), pygame.SRCALPHA)
    for i, c in enumerate(share_rgb(shares)):
        cx = int(step * (i + 0.5))
        pygame.draw.circle(surf, tuple(int(v) for v in c), (cx, r), r)
        pygame.draw.circle(surf, (70, 78, 104), (cx, r), r, 1)
        label = text.render(str(i), num_px, panels.DIM)
        surf.blit(label, (cx - label.get_width() // 2, 2 * r + 2))
    return surf


def balance_picture(bal: Balance, width: int, height: int, s: float,
                    hold_label: str, push_label: str) -> pygame.Surface:
    """A beam on a pivot: holding back on the left pan, pushing up on the right; it tips
    right (down to the pushes) when the sum is above 0."""
    surf = pygame.Surface((width, height), pygame.SRCALPHA)
    label_px = max(10, int(15 * s))
    label_h = text.font(label_px, True).get_linesize()
    cx, pivot_y = width // 2, int((height - label_h) * 0.62)
    half = int(width * 0.3)
    ang = math.radians(MAX_TILT_DEG) * bal.tilt      # > 0: right side down
    dx, dy = half * math.cos(ang), half * math.sin(ang)
    left, right = (cx - dx, pivot_y - dy), (cx + dx, pivot_y + dy)
    base = int((height - label_h - pivot_y) * 0.9)
    pygame.draw.polygon(surf, (90, 100, 130), [(cx, pivot_y), (cx - base // 2, pivot_y + base),
                                               (cx + base // 2, pivot_y + base)])
    pygame.draw.line(surf, panels.WHITE, left, right, max(2, int(4 * s)))
    pygame.draw.circle(surf, panels.WHITE, (cx, pivot_y), max(3, int(5 * s)))
    weight = max(bal.push, -bal.hold, 1e-12)
    biggest = max(4, int(min(pivot_y - half * math.sin(math.radians(MAX_TILT_DEG)), 30 * s)))
    for end, value, colour in ((left, bal.hold, panels.COOL), (right, bal.push, panels.WARM)):
        # each pan's block grows with its side's total (area ~ magnitude)
        side = max(4, int(biggest * math.sqrt(abs(value) / weight)))
        block = pygame.Rect(0, 0, side, side)
        block.midbottom = (int(end[0]), int(end[1]) - 1)
        pygame.draw.rect(surf, colour, block, border_radius=max(2, int(4 * s)))
    hold = text.render(hold_label, label_px, panels.COOL, bold=True)
    push = text.render(push_label, label_px, panels.WARM, bold=True)
    surf.blit(hold, (0, height - label_h))
    surf.blit(push, (width - push.get_width(), height - label_h))
    return surf
