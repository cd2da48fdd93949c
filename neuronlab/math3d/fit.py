"""Fitting the graph into its box: a zoom and lens shift of the projection.

Owns the one rule that puts every neuron of the home view inside the screen rectangle the
layout gives the graph, whatever the window's shape. The fit is a change of the clip-space
x and y (a uniform scale and a shift), so it keeps the picture's proportions and every
later camera move (orbit, pan, zoom) still acts on the fitted picture. Picking uses the
same matrix, so a tap still finds the ball under the finger.

Imports numpy only (and camera's pure functions). Row-vector convention, as camera.py.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from neuronlab.math3d.camera import project


@dataclass(frozen=True)
class Fit:
    """clip x' = k x + tx w, clip y' = k y + ty w (NDC scale k, shift tx, ty)."""

    k: float = 1.0
    tx: float = 0.0
    ty: float = 0.0

    def apply(self, proj: np.ndarray) -> np.ndarray:
        """A new projection matrix; ``proj`` is not modified."""
        p = np.array(proj, dtype=np.float64)
        w = p[:, 3].copy()
        p[:, 0] = self.k * p[:, 0] + self.tx * w
        p[:, 1] = self.k * p[:, 1] + self.ty * w
        return p.astype(np.float32)


def fit_into(box, centers, radii, view, proj, size, margin_px: float = 0.0) -> Fit:
    """The Fit that puts every ball (centre and drawn radius) inside ``box`` (x, y, w, h
    in window pixels, y down) of a window ``size`` (w, h), seen through ``view``/``proj``.

    The balls' on-screen extent is measured with ``proj`` as given, centred in the box and
    scaled to touch its nearer pair of sides (less ``margin_px``)."""
    W, H = float(size[0]), float(size[1])
    c = np.asarray(centers, dtype=np.float64).reshape(-1, 3)
    r = np.broadcast_to(np.asarray(radii, dtype=np.float64), (len(c),))
    xy, depth = project(c, view, proj, (0, 0, W, H))                  # (N, 2) px, (N,)
    # A ball of world radius r at depth d covers r * focal / d pixels (focal from proj).
    P = np.asarray(proj, dtype=np.float64)
    rad_px = r * P[1, 1] * (H / 2) / np.maximum(depth, 1e-9)          # (N,)
    lo = (xy - rad_px[:, None]).min(axis=0)
    hi = (xy + rad_px[:, None]).max(axis=0)
    bx, by, bw, bh = (float(v) for v in box)
    bw, bh = max(1.0, bw - 2 * margin_px), max(1.0, bh - 2 * margin_px)
    extent = np.maximum(hi - lo, 1e-6)
    k = float(min(bw / extent[0], bh / extent[1]))
    # Pixels -> NDC: x_ndc = 2 x / W - 1, y_ndc = 1 - 2 y / H. The picture's centre moves
    # to the box's centre after scaling about the NDC origin.
    mid = (lo + hi) / 2
    mid_ndc = np.array([2 * mid[0] / W - 1, 1 - 2 * mid[1] / H])
    box_ndc = np.array([2 * (bx + float(box[2]) / 2) / W - 1, 1 - 2 * (by + float(box[3]) / 2) / H])
    tx, ty = box_ndc - k * mid_ndc
    return Fit(k, float(tx), float(ty))
