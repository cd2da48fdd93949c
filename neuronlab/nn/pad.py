"""The one path a 16x16 pad image takes to the network's input.

A visitor draws anywhere on the pad, at any size. Like MNIST's preprocessing, the
drawing is normalised before the network sees it: the ink's bounding box is scaled
(aspect ratio kept) so its longer side is ``BOX`` cells, and the image is shifted so
the ink's centre of mass sits at the pad's centre; a slanted drawing is sheared upright
by its second moments; the peak ink is brought back to 1.0; and a tone curve brings the
strokes to about ``STROKE`` cells wide (a thin pen's soft rim raised to full ink, a
thick pen's rim cut away), so pen width is no longer something the 16 first-layer
neurons must spend themselves on. The training data goes through this same function, so what the Graph shows as
the input layer is exactly what the network reads.

The resampling is an axis-aligned scale + shift, so it is separable: each image is
``Ry @ img @ Rx.T`` with two 16x16 interpolation matrices (bilinear when enlarging,
an area filter when shrinking). That keeps a batch vectorised; one image (every paint
stroke) takes a lean path with 2-D arrays and the same maths.

Pad convention: row 0 at the top, ink 1.0 on background 0.0; pixel (r, c) covers
the square [c, c+1) x [r, r+1), so the pad's centre is the point (8, 8).

With ``JIT`` on (headless training and the benches turn it on), a batch of at least
``JIT_MIN`` images runs the same maths compiled, one loop per image (``kernels``, numba),
and the trainer's step and update run compiled too (``kernels.train_step``, at any batch);
the numpy code here is the reference and the path everywhere else, and the two agree to
float rounding.

Imports numpy only (numba through ``kernels``, loaded on first use).
"""
from __future__ import annotations

import importlib
from functools import lru_cache

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
STROKE = 2.0         # > 0: a tone curve brings every stroke to about this width (cells)

_CENTRES = np.arange(SIDE, dtype=np.float32) + 0.5   # pixel centres, (16,)
_CHUNK = 256                                          # images per pass of the batch path
# True: batches of JIT_MIN images or more, and the trainer's step, use the compiled kernels
# (numba). Off by default:
# numba's import (~0.4 s) would land before the exhibit's first frame (its test set and
# first training draws are batches), so only headless training and the benches turn it on
JIT = False
JIT_MIN = 64
_SHEAR_PAD = 6                                        # > MAX_SKEW * 8: a sheared row never leaves its padding
_SHEAR_W = SIDE + 2 * _SHEAR_PAD + 1                  # padded row length
_SHEAR_COLS = np.arange(SIDE, dtype=np.float32) + _SHEAR_PAD          # (16,) columns inside the padding
_SHEAR_ROWS = (np.arange(SIDE) * _SHEAR_W)[:, None]                   # (16, 1) row starts, flat
_ROW_BASE = _SHEAR_ROWS + np.arange(SIDE)[None, :] + _SHEAR_PAD


def kernels():
    """The compiled kernels module while ``JIT`` is on and numba imports, else None (then
    every path is the numpy one)."""
    return _load_kernels() if JIT else None


@lru_cache(maxsize=None)
def _load_kernels():
    try:
        return importlib.import_module("neuronlab.nn.kernels")
    except ImportError:     # numba missing or broken: the numpy path gives the same numbers
        return None


def _resample_matrices(centre: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """(B,) source centres and (B,) scales -> (B, 16, 16) matrices R[b, out, src]."""
    # the output pixel centre u maps back to the source coordinate (u - 8) / s + c
    src = (_CENTRES[None, :] - SIDE / 2) / scale[:, None] + centre[:, None]   # (B, 16)
    f = np.minimum(scale, 1.0)[:, None, None]        # shrinking widens the filter
    d = np.abs(src[:, :, None] - _CENTRES[None, None, :])                      # (B, 16, 16)
    R = np.maximum(1.0 - d * f, 0.0) * f
    if BLUR > 0:
        R = _blur_matrix(BLUR) @ R                                             # (16,16) @ (B,16,16)
    return R


@lru_cache(maxsize=4)
def _blur_matrix(sigma: float) -> np.ndarray:
    """(16, 16) Gaussian blur of ``sigma`` cells along one axis, rows summing to 1."""
    g = np.exp(-0.5 * ((_CENTRES[:, None] - _CENTRES[None, :]) / sigma) ** 2)
    g /= g.sum(axis=1, keepdims=True)
    g = g.astype(np.float32)
    g.setflags(write=False)
    return g


def _shear_rows(img: np.ndarray, skew: np.ndarray) -> np.ndarray:
    """Shift each row of (B, 16, 16) by skew * (row centre - 8) cells, linearly
    interpolated, so a slanted drawing stands upright. float32 throughout; the two
    neighbours are read with one flat gather each (cheaper than ``take_along_axis``)."""
    B = img.shape[0]
    padded = np.zeros((B, SIDE, _SHEAR_W), dtype=np.float32)
    padded[:, :, _SHEAR_PAD:_SHEAR_PAD + SIDE] = img
    u = _SHEAR_COLS + (skew[:, None] * (_CENTRES - SIDE / 2)[None, :])[:, :, None]   # (B, 16, 16)
    j0 = np.floor(u)
    f = u - j0
    idx = j0.astype(np.intp)
    idx += (np.arange(B) * (SIDE * _SHEAR_W))[:, None, None] + _SHEAR_ROWS
    flat = padded.reshape(-1)
    left = flat.take(idx)
    out = flat.take(idx + 1)
    out -= left
    out *= f
    out += left
    return out


def to_network(images: np.ndarray) -> np.ndarray:
    """Pad image(s) (..., 16, 16) in [0, 1] -> network input (..., 256) float32.

    Centres the ink's centre of mass, scales its bounding box to ``BOX`` cells and
    sets the peak to 1. An empty pad maps to all zeros.
    """
    # C order: the batch path reads rows of its ink mask as 8-byte words
    images = np.ascontiguousarray(images, dtype=np.float32)
    if images.ndim == 2:          # one drawing, every paint stroke: the lean path
        return _one(images)
    lead = images.shape[:-2]
    a = images.reshape(-1, SIDE, SIDE)                                     # (B, 16, 16)
    if len(a) >= JIT_MIN and BLUR == 0 and TOPK == 1 and kernels() is not None:
        return _batch_compiled(kernels(), a).reshape(*lead, SIDE * SIDE)
    if len(a) <= _CHUNK:
        return _batch(a).reshape(*lead, SIDE * SIDE)
    out = np.empty((len(a), SIDE * SIDE), np.float32)
    for i in range(0, len(a), _CHUNK):   # a chunk's intermediates stay in the core's cache
        out[i:i + _CHUNK] = _batch(a[i:i + _CHUNK])
    return out.reshape(*lead, SIDE * SIDE)


def _batch(a: np.ndarray) -> np.ndarray:
    """``to_network`` of (B, 16, 16) float32 images -> (B, 256) float32."""
    peak = a.max(axis=(1, 2))                                              # (B,)
    blank = peak < EMPTY
    a = a / np.where(blank, 1.0, peak)[:, None, None]

    # einsum's sums of products beat ufunc reductions over these 16-long axes several-fold
    rows = np.einsum("bij->bi", a)                                         # (B, 16) ink per row
    cols = np.einsum("bij->bj", a)                                         # (B, 16) ink per column
    mass = np.where(blank, 1.0, rows.sum(axis=1))
    cy = rows @ _CENTRES / mass                                            # centre of mass, (B,)
    cx = cols @ _CENTRES / mass

    inked = a >= INK_THRESHOLD                                             # (B, 16, 16)
    # a row is inked if any of its 16 bytes is: read them as two 8-byte words (a max or
    # any over a 16-long last axis costs far more per row)
    words = inked.view(np.uint64).reshape(len(a), SIDE, SIDE // 8)
    inked_r = (words[..., 0] | words[..., 1]) != 0                         # (B, 16)
    inked_c = np.logical_or.reduce(inked, axis=1)
    h = SIDE - inked_r.argmax(axis=1) - inked_r[:, ::-1].argmax(axis=1)    # bbox rows, cells
    w = SIDE - inked_c.argmax(axis=1) - inked_c[:, ::-1].argmax(axis=1)
    extent = np.maximum(np.maximum(h, w), 1).astype(np.float32)
    scale = np.minimum(BOX / extent, MAX_ZOOM)

    skew = np.zeros_like(cy)
    if DESKEW:   # slant = covariance(x, y) / variance(y) of the ink, as in MNIST deskewing
        dy = _CENTRES[None, :] - cy[:, None]                               # (B, 16)
        dx = _CENTRES[None, :] - cx[:, None]
        var_y = (rows * dy * dy).sum(axis=1)
        cov = np.einsum("bj,bj->b", np.einsum("bi,bij->bj", dy, a), dx)
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
    if STROKE > 0:
        out = _even_strokes(out.reshape(len(out), -1), STROKE)
    return out.reshape(len(out), SIDE * SIDE).astype(np.float32, copy=False)


def _batch_compiled(k, images: np.ndarray) -> np.ndarray:
    """``_batch`` through ``kernels``: the per-image statistics and the tone curve as one
    loop per image; numpy's batched matmul (faster than compiled loops at 16 x 16) resamples."""
    B = len(images)
    a, Ry, Rx = (np.empty((B, SIDE, SIDE), np.float32) for _ in range(3))
    skew = np.empty(B, np.float32)
    blank = np.empty(B, np.bool_)
    k.network_prep(np.ascontiguousarray(images), a, Ry, Rx, skew, blank, BOX, INK_THRESHOLD, MAX_ZOOM,
                   EMPTY, DESKEW, MAX_SKEW)
    for i in range(0, B, _CHUNK):   # a chunk's intermediates stay in the core's cache
        s = slice(i, i + _CHUNK)
        np.matmul(Ry[s] @ a[s], Rx[s].transpose(0, 2, 1), out=a[s])
    out = np.empty((B, SIDE * SIDE), np.float32)
    k.network_finish(a, skew, blank, out, EMPTY, DESKEW, STROKE)
    return out


def _matrix_one(centre: float, scale: float) -> np.ndarray:
    """One (16, 16) resampling matrix: ``_resample_matrices`` for a single image."""
    src = (_CENTRES - SIDE / 2) / scale + centre                           # (16,)
    f = min(scale, 1.0)
    R = np.maximum(1.0 - np.abs(src[:, None] - _CENTRES[None, :]) * f, 0.0) * f
    return _blur_matrix(BLUR) @ R if BLUR > 0 else R                       # (16,16) @ (16,16)


def _one(image: np.ndarray) -> np.ndarray:
    """``to_network`` of one (16, 16) image -> (256,), the same maths as the batch path
    written with 2-D arrays and Python scalars: a paint stroke pays for ~40 small numpy
    calls instead of the batch path's broadcasting over a batch of one."""
    peak = float(image.max())
    if peak < EMPTY:
        return np.zeros(SIDE * SIDE, np.float32)
    a = image * np.float32(1.0 / peak)
    rows = a.sum(axis=1)                                                   # (16,)
    cols = a.sum(axis=0)
    mass = float(rows.sum())
    cy = float(rows @ _CENTRES) / mass
    cx = float(cols @ _CENTRES) / mass
    r = np.flatnonzero(a.max(axis=1) >= INK_THRESHOLD)
    c = np.flatnonzero(a.max(axis=0) >= INK_THRESHOLD)
    extent = max(int(r[-1] - r[0] + 1) if len(r) else 0, int(c[-1] - c[0] + 1) if len(c) else 0, 1)
    scale = min(BOX / extent, MAX_ZOOM)
    out = _matrix_one(cy, scale) @ a @ _matrix_one(cx, scale).T            # (16,16)@(16,16)@(16,16)
    if DESKEW:
        dy = _CENTRES - np.float32(cy)
        var_y = float((rows * dy) @ dy)
        cov = float(dy @ a @ (_CENTRES - np.float32(cx)))
        skew = min(max(cov / max(var_y, 1e-6), -MAX_SKEW), MAX_SKEW)
        padded = np.zeros((SIDE, _SHEAR_W), np.float32)
        padded[:, _SHEAR_PAD:_SHEAR_PAD + SIDE] = out
        shift = np.float32(skew) * (_CENTRES - SIDE / 2)                   # (16,) per row
        j0 = np.floor(shift)
        f = (shift - j0)[:, None]
        idx = _ROW_BASE + j0.astype(np.intp)[:, None]                      # (16, 16) flat indices
        flat = padded.ravel()
        left = flat[idx]
        out = left + f * (flat[idx + 1] - left)
    top = float(out.max())
    if top < EMPTY:
        return np.zeros(SIDE * SIDE, np.float32)
    out = np.clip(out * np.float32(1.0 / top), 0.0, 1.0)
    if STROKE > 0:
        return _even_one(out, STROKE)
    return out.reshape(SIDE * SIDE)


_K = np.arange(1, SIDE * SIDE + 1, dtype=np.float32)       # 1..256: how many pixels are on top


def _even_one(im: np.ndarray, width: float) -> np.ndarray:
    """``_even_strokes`` of one (16, 16) image -> (256,), with 1-D arrays."""
    edge = float(np.abs(im[1:] - im[:-1]).sum() + np.abs(im[:, 1:] - im[:, :-1]).sum())
    M = max(width * edge / 2, 1.0)
    x = im.reshape(SIDE * SIDE)
    v = np.sort(x)[::-1]                                                   # (256,) descending
    S = np.cumsum(v)
    mass = float(S[-1])
    if mass > M:      # threshold c with v[k] <= c <= v[k-1] (k pixels above it)
        c = (S - M) / (_K - M + 1e-6)
        ok = (c <= v + 1e-6) & (c >= np.append(v[1:], 0) - 1e-6) & (c >= 0) & (c < 1)
        hit = np.flatnonzero(ok)
        cc = float(c[hit[0]]) if len(hit) else 0.0
        return np.clip((x - np.float32(cc)) * np.float32(1.0 / (1.0 - cc)), 0.0, 1.0)
    Sj = np.concatenate(([0.0], S[:-1]))
    g = (M - (_K - 1)) / np.maximum(mass - Sj, 1e-6)
    ok = (g * v <= 1 + 1e-5) & (g * np.concatenate(([2.0], v[:-1])) >= 1 - 1e-5) & (g >= 1)
    hit = np.flatnonzero(ok)
    gg = float(g[hit[0]]) if len(hit) else 1.0
    return np.minimum(x * np.float32(gg), 1.0)


def _even_strokes(x: np.ndarray, width: float) -> np.ndarray:
    """(B, 256) images in [0, 1] -> the same drawings with strokes about ``width`` cells.

    A stroke's length is half its outline, sum |gradient| / 2, so the ink it would hold at
    ``width`` is known. A monotone tone curve then meets that ink exactly: thick strokes
    lose their soft rim (x -> (x - c) / (1 - c)), thin ones have it raised to full ink
    (x -> g x, clipped). Both are solved in closed form on the sorted pixels."""
    B = len(x)
    n = SIDE * SIDE
    im = x.reshape(B, SIDE, SIDE)
    edge = (np.abs(np.diff(im, axis=1)).sum(axis=(1, 2)) + np.abs(np.diff(im, axis=2)).sum(axis=(1, 2)))
    target = np.maximum(width * edge / 2, 1.0)                              # (B,) ink wanted
    # sorted pixels with a sentinel each side: vv[:, 1:n+1] descending, vv[:, 0] = 2 above
    # the top one, vv[:, n+1] = 0 below the last, so every neighbour is a view
    vv = np.empty((B, n + 2), np.float32)
    vv[:, 0], vv[:, n + 1] = 2.0, 0.0
    vv[:, 1:n + 1] = np.sort(x, axis=1)[:, ::-1]
    v = vv[:, 1:n + 1]
    SS = np.empty((B, n + 1), np.float32)                                   # SS[:, k] = top-k sum
    SS[:, 0] = 0.0
    np.cumsum(v, axis=1, out=SS[:, 1:])
    mass = SS[:, n]
    # the tone curve is x -> clip((x - cut) * gain, 0, 1): thick strokes cut c and gain
    # 1 / (1 - c), thin ones cut 0 and gain g
    gain = np.ones(B, np.float32)
    cut = np.zeros(B, np.float32)
    thick = np.flatnonzero(mass > target)
    if len(thick):    # threshold c: (S_k - k c) / (1 - c) = M with v_{k+1} <= c <= v_k
        M = target[thick, None]
        c = (SS[thick, 1:] - M) / (_K - M + 1e-6)                           # (T, 256) per k
        ok = (c <= v[thick] + 1e-6) & (c >= vv[thick, 2:] - 1e-6) & (c >= 0) & (c < 1)
        cc = np.where(ok.any(axis=1), c[np.arange(len(c)), ok.argmax(axis=1)], 0.0)
        gain[thick] = 1.0 / (1.0 - cc)
        cut[thick] = cc
    thin = np.flatnonzero(mass <= target)
    if len(thin):     # gain g: j + g (mass - S_j) = M with v_{j+1} g <= 1 <= v_j g
        M = target[thin, None]
        rest = mass[thin, None] - SS[thin, :n]                              # beyond the top j, j = 0..255
        g = (M - (_K - 1)) / np.maximum(rest, 1e-6)
        ok = (g * v[thin] <= 1 + 1e-5) & (g * vv[thin, :n] >= 1 - 1e-5) & (g >= 1)
        gain[thin] = np.where(ok.any(axis=1), g[np.arange(len(g)), ok.argmax(axis=1)], 1.0)
    out = x - cut[:, None]
    out *= gain[:, None]
    return np.clip(out, 0.0, 1.0, out=out)


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
