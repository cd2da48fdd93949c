"""The one path a 16x16 pad image takes to the network's input.

A visitor draws anywhere on the pad, at any size. Like MNIST's preprocessing, the
drawing is normalised before the network sees it: the ink's bounding box is scaled
(aspect ratio kept) so its longer side is ``BOX`` cells, and the image is shifted so
the ink's centre of mass sits at the pad's centre; the peak ink is brought back to
1.0. The training data goes through this same function, so what the Graph shows as
the input layer is exactly what the network reads.

The resampling is an axis-aligned scale + shift, so it is separable: each image is
``Ry @ img @ Rx.T`` with two 16x16 interpolation matrices (bilinear when enlarging,
an area filter when shrinking). That keeps one image cheap and a batch vectorised.

Pad convention: row 0 at the top, ink 1.0 on background 0.0; pixel (r, c) covers
the square [c, c+1) x [r, r+1), so the pad's centre is the point (8, 8).

Imports numpy only.
"""
from __future__ import annotations

import numpy as np

SIDE = 16
BOX = 12.0           # longer side of the normalised ink bounding box, in cells
INK_THRESHOLD = 0.3  # fraction of the peak that counts as ink for the bounding box
MAX_ZOOM = 4.0       # a dot is not blown up to fill the pad
EMPTY = 1e-3         # a pad whose peak is below this is blank
DESKEW = True        # shear the drawing upright by its second moments
MAX_SKEW = 0.7
TOPK = 1             # contrast: the mean of the TOPK brightest pixels becomes 1.0
BLUR = 0.0           # sigma (cells) of a Gaussian blur folded into the resampling

_CENTRES = np.arange(SIDE, dtype=np.float32) + 0.5   # pixel centres, (16,)


def _resample_matrices(centre: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """(B,) source centres and (B,) scales -> (B, 16, 16) matrices R[b, out, src]."""
    # the output pixel centre u maps back to the source coordinate (u - 8) / s + c
    src = (_CENTRES[None, :] - SIDE / 2) / scale[:, None] + centre[:, None]   # (B, 16)
    f = np.minimum(scale, 1.0)[:, None, None]        # shrinking widens the filter
    d = np.abs(src[:, :, None] - _CENTRES[None, None, :])                      # (B, 16, 16)
    R = np.maximum(1.0 - d * f, 0.0) * f
    if BLUR > 0:
        g = np.exp(-0.5 * ((_CENTRES[:, None] - _CENTRES[None, :]) / BLUR) ** 2)
        g /= g.sum(axis=1, keepdims=True)
        R = g.astype(np.float32) @ R                                           # (16,16) @ (B,16,16)
    return R


def _shear_rows(img: np.ndarray, skew: np.ndarray) -> np.ndarray:
    """Shift each row of (B, 16, 16) by skew * (row centre - 8) cells, linearly
    interpolated, so a slanted drawing stands upright."""
    P = 6                                                                  # > MAX_SKEW * 8
    padded = np.zeros((img.shape[0], SIDE, SIDE + 2 * P + 1), dtype=np.float32)
    padded[:, :, P:P + SIDE] = img
    u = (np.arange(SIDE, dtype=np.float32)[None, None, :] + P
         + (skew[:, None] * (_CENTRES - SIDE / 2)[None, :])[:, :, None])    # (B, 16, 16)
    j0 = np.floor(u).astype(np.intp)
    f = u - j0
    left = np.take_along_axis(padded, j0, axis=2)
    right = np.take_along_axis(padded, j0 + 1, axis=2)
    return left + f * (right - left)


def to_network(images: np.ndarray) -> np.ndarray:
    """Pad image(s) (..., 16, 16) in [0, 1] -> network input (..., 256) float32.

    Centres the ink's centre of mass, scales its bounding box to ``BOX`` cells and
    sets the peak to 1. An empty pad maps to all zeros.
    """
    images = np.asarray(images, dtype=np.float32)
    lead = images.shape[:-2]
    a = images.reshape(-1, SIDE, SIDE)                                     # (B, 16, 16)
    peak = a.max(axis=(1, 2))                                              # (B,)
    blank = peak < EMPTY
    a = a / np.where(blank, 1.0, peak)[:, None, None]

    rows = a.sum(axis=2)                                                   # (B, 16) ink per row
    cols = a.sum(axis=1)                                                   # (B, 16) ink per column
    mass = np.where(blank, 1.0, rows.sum(axis=1))
    cy = rows @ _CENTRES / mass                                            # centre of mass, (B,)
    cx = cols @ _CENTRES / mass

    inked_r = a.max(axis=2) >= INK_THRESHOLD                               # (B, 16)
    inked_c = a.max(axis=1) >= INK_THRESHOLD
    h = SIDE - inked_r.argmax(axis=1) - inked_r[:, ::-1].argmax(axis=1)    # bbox rows, cells
    w = SIDE - inked_c.argmax(axis=1) - inked_c[:, ::-1].argmax(axis=1)
    extent = np.maximum(np.maximum(h, w), 1).astype(np.float32)
    scale = np.minimum(BOX / extent, MAX_ZOOM)

    skew = np.zeros_like(cy)
    if DESKEW:   # slant = covariance(x, y) / variance(y) of the ink, as in MNIST deskewing
        dy = _CENTRES[None, :] - cy[:, None]                               # (B, 16)
        dx = _CENTRES[None, :] - cx[:, None]
        var_y = (rows * dy * dy).sum(axis=1)
        cov = np.einsum("bi,bij,bj->b", dy, a, dx)
        skew = np.clip(cov / np.maximum(var_y, 1e-6), -MAX_SKEW, MAX_SKEW).astype(np.float32)

    Ry = _resample_matrices(cy, scale)                                     # (B, 16, 16)
    Rx = _resample_matrices(cx, scale)
    out = Ry @ a @ Rx.transpose(0, 2, 1)                                   # (B,16,16)@(B,16,16)@(B,16,16)
    if DESKEW:
        out = _shear_rows(out, skew)
    if TOPK > 1:    # the stroke's core, not its one brightest pixel, becomes full ink
        flat = out.reshape(len(out), -1)
        top = np.partition(flat, SIDE * SIDE - TOPK, axis=1)[:, -TOPK:].mean(axis=1)
    else:
        top = out.max(axis=(1, 2))
    out *= (np.where(blank | (top < EMPTY), 0.0, 1.0 / np.maximum(top, EMPTY)))[:, None, None]
    np.clip(out, 0.0, 1.0, out=out)
    return out.reshape(*lead, SIDE * SIDE).astype(np.float32, copy=False)


def _filter_matrix(src_of_out: np.ndarray, n_src: int, zoom: float) -> np.ndarray:
    """(16,) source coordinates of the output pixel centres -> (16, n_src) weights."""
    f = min(zoom, 1.0)
    d = np.abs(src_of_out[:, None] - (np.arange(n_src) + 0.5)[None, :])
    return np.maximum(1.0 - d * f, 0.0) * f


def place(image: np.ndarray, size: float, centre: tuple[float, float] = (8.0, 8.0)) -> np.ndarray:
    """Put a greyscale image (h, w) in [0, 1] onto a blank pad: its longer side becomes
    ``size`` cells and its middle lands at ``centre`` = (x, y) in pad cells. Returns
    (16, 16) float32. Lets pictures from elsewhere (scanned digits, other datasets) be
    fed to ``to_network`` as if a visitor had drawn them."""
    img = np.asarray(image, dtype=np.float64)
    h, w = img.shape
    zoom = size / max(h, w)
    out_c = _CENTRES.astype(np.float64)
    Ry = _filter_matrix((out_c - centre[1]) / zoom + h / 2, h, zoom)    # (16, h)
    Rx = _filter_matrix((out_c - centre[0]) / zoom + w / 2, w, zoom)    # (16, w)
    return np.clip(Ry @ img @ Rx.T, 0.0, 1.0).astype(np.float32)       # (16,h)@(h,w)@(w,16)
