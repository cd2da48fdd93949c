"""Picking: which neuron lies under a window pixel.

Owns the rule that turns a tap into a ball. Two tiers, both vectorised:

1. A true hit: the ray under the pixel passes through a ball as drawn. The
   nearest such ball along the ray wins -- it is the one the visitor sees.
2. Otherwise a generous hit: a ball whose centre projects within
   ``max(projected radius, min_hit_px)`` of the pixel, so a ball drawn tiny is
   still a finger-sized target (KIOSK: 9 mm). Among those the one whose centre
   is nearest the finger on screen wins, depth breaking exact ties. (Ordering
   tier 2 by depth first would let a sheet neuron a hair nearer the camera steal
   a tap aimed squarely at its neighbour.)

Screen coordinates are window pixels, origin top-left, y down; viewport is
(x, y, w, h) in those pixels. Matrices follow camera.py's row-vector convention.

Imports numpy only (and camera's pure functions).
"""
from __future__ import annotations

import numpy as np

from neuronlab.math3d.camera import project, screen_ray


def pick(px: float, py: float, centers, radii, view, proj, viewport,
         min_hit_px: float = 0.0) -> int | None:
    """Index of the ball under (px, py), or None where there is only empty space.

    centers (N, 3) world, radii (N,) world (or one scalar), min_hit_px the
    smallest on-screen hit radius (e.g. 4.5 mm radius x px_per_mm).
    """
    c = np.asarray(centers, dtype=np.float64).reshape(-1, 3)
    n = len(c)
    if n == 0:
        return None
    r = np.broadcast_to(np.asarray(radii, dtype=np.float64), (n,))
    vx, vy, vw, vh = (float(v) for v in viewport)
    px, py = float(px), float(py)
    if not (vx <= px <= vx + vw and vy <= py <= vy + vh):
        return None
    P = np.asarray(proj, dtype=np.float64)

    xy, depth = project(c, view, P, viewport)                    # (N, 2), (N,)
    # Anything crossing the near plane is behind or inside the lens: not a target.
    near = P[3, 2] / (P[2, 2] - 1.0) if P[2, 3] != 0 else 0.0     # from the GL perspective matrix
    in_front = depth > max(near, 1e-9)

    # Tier 1: ray against spheres, nearest entry along the ray.
    origin, d = screen_ray(px, py, view, P, viewport)            # (3,), (3,)
    oc = c - origin                                              # (N, 3)
    t_mid = oc @ d                                               # (N,)
    miss2 = np.einsum("ij,ij->i", oc, oc) - t_mid * t_mid        # squared ray-to-centre distance
    hit = in_front & (miss2 <= r * r)
    if hit.any():
        t_enter = t_mid - np.sqrt(np.maximum(r * r - miss2, 0.0))
        t_enter = np.where(hit, t_enter, np.inf)
        return int(np.argmin(t_enter))

    # Tier 2: screen-space distance against the enlarged radius.
    # Projected radius of a sphere at eye depth w: r * P[1,1] * (h / 2) / w.
    safe_depth = np.where(in_front, depth, 1.0)
    r_px = r * P[1, 1] * (vh * 0.5) / safe_depth                 # (N,)
    dist = np.hypot(xy[:, 0] - px, xy[:, 1] - py)                # (N,)
    ok = in_front & (dist <= np.maximum(r_px, float(min_hit_px)))
    if not ok.any():
        return None
    idx = np.flatnonzero(ok)
    order = np.lexsort((depth[idx], dist[idx]))                  # by distance, then depth
    return int(idx[order[0]])
