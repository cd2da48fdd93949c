"""The generator's draw path and ``pad.to_network`` as they were before they were
vectorised further: the reference the equivalence tests and ``bench/gen_speed.py`` compare
the live code with, for the same seed. The coarse-grid matrices are the live module's
(their arithmetic did not change).

Parameters (style tables, augmentation amounts) are read from the live modules at call
time, so this reference follows any change to them; only the arithmetic is frozen here.
"""
from __future__ import annotations

import math

import numpy as np

from neuronlab.nn import digits as D
from neuronlab.nn import pad as PAD
from neuronlab.nn.strokes import templates

SIDE = PAD.SIDE
_PIX = np.arange(SIDE, dtype=np.float32) + 0.5
_CENTRES = np.arange(SIDE, dtype=np.float32) + 0.5


def _render(px: np.ndarray, py: np.ndarray, weight: np.ndarray, sigma_idx: np.ndarray) -> np.ndarray:
    """Paint points at (px, py) (N, P) in pad cells, each standing for ``weight`` (N, P)
    cells of stroke, with brush sigma ``D._SIGMAS[sigma_idx]`` (N,) -> images (N, 16, 16)."""
    table = D._profile_table()
    n_pos = table.shape[1]
    flat = table.reshape(-1, SIDE)                                       # (n_sigma * n_pos, 16)
    base = (sigma_idx * n_pos)[:, None]
    qx = np.clip(np.rint((px - D._LO) * D._Q), 0, n_pos - 1).astype(np.intp)  # (N, P)
    qy = np.clip(np.rint((py - D._LO) * D._Q), 0, n_pos - 1).astype(np.intp)
    gx = np.take(flat, base + qx, axis=0)                                # (N, P, 16)
    gy = np.take(flat, base + qy, axis=0)                                # (N, P, 16)
    # a line of dabs spaced ds apart sums to sqrt(2 pi) sigma / ds at its centre: divide
    # that out so a stroke's core reaches ~1 whatever its width and point spacing
    norm = weight / (math.sqrt(2 * math.pi) * D._SIGMAS[sigma_idx])[:, None]           # (N, P)
    gy *= norm[..., None]
    s = gy.transpose(0, 2, 1) @ gx                                       # (N,16,P) @ (N,P,16) -> (N,16,16)
    s *= -D._GAIN
    np.exp(s, out=s)
    ink = np.subtract(1.0, s, out=s)
    ink *= 1.0 / (1.0 - math.exp(-D._GAIN))
    return np.minimum(ink, 1.0, out=ink)


def _draw_styled(rng: np.random.Generator, labels: np.ndarray,
                 elastic: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``_draw``, also returning which template (N,) each image was drawn from;
    ``elastic`` overrides ``D.ELASTIC``."""
    elastic = D.ELASTIC if elastic is None else elastic
    T_pts, T_w, T_sid, _, _, _ = templates(D.N_POINTS)
    n = len(labels)
    f32 = np.float32
    # pick a style of the right digit, each as often as its share
    first, count, cum = D._style_table()
    u = rng.random(n)
    style = np.empty(n, np.int64)
    for d in range(10):
        m = labels == d
        if m.any():
            k = np.searchsorted(cum[first[d]:first[d] + count[d]], u[m], side="right")
            style[m] = first[d] + np.minimum(k, count[d] - 1)
    x = T_pts[style, :, 0] - f32(0.5)                                    # (N, P), origin at centre
    y = T_pts[style, :, 1] - f32(0.5)
    stroke = T_sid[style] + 4 * np.arange(n)[:, None]                    # (N, P) index into (N*4,)
    w = T_w[style]                                                       # (N, P)
    if D.TAPER > 0 or D.WIDTH_VARY > 0:
        # real strokes thin out where the finger lands and lifts, and swell and thin along
        # the way: less ink per point reads as a narrower line once the dabs are summed
        t = D._along_stroke()[style]                                       # (N, P) in (0, 1)
        ends = np.minimum(t, 1 - t) * f32(1 / 0.15)                      # ~0 at the ends, 1 by 15 % in
        taper = f32(1) - D._uniform(rng, 0.0, D.TAPER, (n, 1)) * np.maximum(f32(1) - ends, 0)
        wave = D._uniform(rng, 1.0, 3.0, (n, 1)) * t * f32(2 * np.pi) + D._uniform(rng, 0, 2 * np.pi, (n, 1))
        w = w * taper * (f32(1) + D._uniform(rng, 0.0, D.WIDTH_VARY, (n, 1)) * np.sin(wave))

    # per-stroke wobble: each stroke shifted and stretched a little on its own
    wob = rng.standard_normal((3, n * 4), dtype=np.float32)
    sx = np.take(wob[0] * f32(D.WOBBLE[0]), stroke)
    sy = np.take(wob[1] * f32(D.WOBBLE[0]), stroke)
    st = np.take(wob[2] * f32(D.WOBBLE[1]) + f32(1.0), stroke)
    x = x * st + sx
    y = y * st + sy
    # a smooth warp over the whole digit: one low-frequency wave per axis
    halves = D._uniform(rng, *D.WARP_FREQ, (2, n, 1))
    amp = D._uniform(rng, 0.0, D.WARP, (2, n, 1)) / halves ** f32(D.WARP_TAPER)
    freq = halves * f32(np.pi)
    ang = D._uniform(rng, 0.0, 2 * np.pi, (2, n, 1))
    phase = D._uniform(rng, 0.0, 2 * np.pi, (2, n, 1))
    ca, sa = np.cos(ang), np.sin(ang)
    dx = amp[0] * np.sin(freq[0] * (x * ca[0] + y * sa[0]) + phase[0])
    dy = amp[1] * np.sin(freq[1] * (x * ca[1] + y * sa[1]) + phase[1])
    x += dx
    y += dy
    if elastic > 0:
        # elastic distortion (Simard et al. 2003, on the points rather than the pixels):
        # a smooth random displacement field, Gaussian bumps on a 3x3 grid over the digit
        # (a Gaussian bump is separable: exp(-(dx2 + dy2)) = exp(-dx2) exp(-dy2), so 3 + 3
        # exponentials per point instead of 9, and the 3x3 sum becomes two small products)
        g = np.array([-0.5, 0.0, 0.5], np.float32)
        s2 = f32(-0.5 / D.ELASTIC_SCALE ** 2)
        kx = np.exp((x[..., None] - g) ** 2 * s2)                        # (N, P, 3) by column
        ky = np.exp((y[..., None] - g) ** 2 * s2)                        # (N, P, 3) by row
        c = rng.standard_normal((2, n, 3, 3), dtype=np.float32) * f32(elastic)   # [.., row, column]
        x += np.einsum("npi,npi->np", ky, kx @ c[0].transpose(0, 2, 1))
        y += np.einsum("npi,npi->np", ky, kx @ c[1].transpose(0, 2, 1))

    # the whole digit: aspect, shear (italics), rotation, size -> one 2x2 matrix each
    height = np.exp(D._uniform(rng, np.log(D.HEIGHT[0]), np.log(D.HEIGHT[1]), n))   # cells
    aspect = np.exp(rng.standard_normal(n, dtype=np.float32) * f32(0.15)) * np.broadcast_to(np.asarray(D.ASPECT, np.float32), (10,))[labels]
    shear = np.clip(rng.standard_normal(n, dtype=np.float32) * f32(D.SHEAR), -0.45, 0.45)
    theta = np.radians(np.clip(rng.standard_normal(n, dtype=np.float32) * f32(D.ROTATE), -22, 22))
    c, s = np.cos(theta) * height, np.sin(theta) * height
    # [c -s; s c] @ [[aspect, -shear], [0, 1]]: shear > 0 leans the top to the right
    m00, m01 = (c * aspect)[:, None], (-c * shear - s)[:, None]
    m10, m11 = (s * aspect)[:, None], (-s * shear + c)[:, None]
    x, y = m00 * x + m01 * y, m10 * x + m11 * y
    # room left on the pad once the digit is in, so most drawings stay on it
    room_x = np.maximum(f32(SIDE / 2 - 0.3) - np.abs(x).max(axis=1), 0)
    room_y = np.maximum(f32(SIDE / 2 - 0.3) - np.abs(y).max(axis=1), 0)
    shift = D._uniform(rng, -1.0, 1.0, (2, n))
    x += (f32(SIDE / 2) + shift[0] * room_x)[:, None]
    y += (f32(SIDE / 2) + shift[1] * room_y)[:, None]

    # brush: 1.2 .. 3.6 cells wide, and D.WIDTH_FRACTION of the digit's height
    frac = D._uniform(rng, *D.WIDTH_FRACTION, n) * np.asarray(D.WIDTH_SCALE, np.float32)[labels]
    width = np.clip(height * frac, D.MIN_WIDTH, 3.6)
    sigma_idx = np.clip(np.searchsorted(D._SIGMAS, width / f32(D._WIDTH_PER_SIGMA)), 0, len(D._SIGMAS) - 1)
    stretch = (height * np.sqrt(aspect))[:, None]                        # stroke lengths grow with size
    img = _render(x, y, w * stretch, sigma_idx)

    # some drawings come out soft: a Gaussian blur of 0.4-1.2 cells, at most 6 % of the
    # digit's height so loops stay open (separable, batched)
    soft = np.flatnonzero(rng.random(n) < D.BLUR_FRACTION)
    if len(soft):
        sig = np.minimum(D._uniform(rng, 0.4, D.BLUR_MAX[0], len(soft)), height[soft] * f32(D.BLUR_MAX[1]))
        d = np.arange(SIDE, dtype=np.float32)
        G = np.exp(-0.5 * ((d[None, :, None] - d[None, None, :]) / sig[:, None, None]) ** 2)
        G /= G.sum(axis=2, keepdims=True)                                # (S, 16, 16) rows sum to 1
        img[soft] = G @ img[soft] @ G.transpose(0, 2, 1)
        img[soft] /= np.maximum(img[soft].max(axis=(1, 2), keepdims=True), 1e-3)

    # some drawings come out blocky: area-averaged onto a coarse grid of 6-10 pixels per
    # digit height, then bilinearly enlarged back -- how a low-resolution scan looks
    blocky = np.flatnonzero(rng.random(n) < D.BLOCKY_FRACTION)
    if len(blocky):
        pitch = height[blocky] / D._uniform(rng, *D.BLOCKY_PIXELS, len(blocky))           # (S,) cells
        M = D._coarse_matrices(pitch, D._uniform(rng, 0.0, 1.0, (2, len(blocky))))
        img[blocky] = M[0] @ img[blocky] @ M[1].transpose(0, 2, 1)                   # (S,16,16)
        img[blocky] /= np.maximum(img[blocky].max(axis=(1, 2), keepdims=True), 1e-3)

    # a little noise on some images (a smudged screen, an unsteady finger)
    noisy = np.flatnonzero(rng.random(n) < 0.4)
    lvl = D._uniform(rng, 0.0, 0.14, (len(noisy), 1, 1))
    img[noisy] += (rng.random((len(noisy), SIDE, SIDE), dtype=np.float32) - f32(0.5)) * lvl
    np.clip(img, 0.0, 1.0, out=img)
    return img, style


def _resample_matrices(centre: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """(B,) source centres and (B,) scales -> (B, 16, 16) matrices R[b, out, src]."""
    # the output pixel centre u maps back to the source coordinate (u - 8) / s + c
    src = (_CENTRES[None, :] - SIDE / 2) / scale[:, None] + centre[:, None]   # (B, 16)
    f = np.minimum(scale, 1.0)[:, None, None]        # shrinking widens the filter
    d = np.abs(src[:, :, None] - _CENTRES[None, None, :])                      # (B, 16, 16)
    R = np.maximum(1.0 - d * f, 0.0) * f
    if PAD.BLUR > 0:
        R = PAD._blur_matrix(PAD.BLUR) @ R                                             # (16,16) @ (B,16,16)
    return R


def _shear_rows(img: np.ndarray, skew: np.ndarray) -> np.ndarray:
    """Shift each row of (B, 16, 16) by skew * (row centre - 8) cells, linearly
    interpolated, so a slanted drawing stands upright."""
    P = 6                                                                  # > PAD.MAX_SKEW * 8
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

    Centres the ink's centre of mass, scales its bounding box to ``PAD.BOX`` cells and
    sets the peak to 1. An empty pad maps to all zeros.
    """
    images = np.asarray(images, dtype=np.float32)
    if images.ndim == 2:
        return to_network(images[None])[0]   # the reference keeps only the batch maths
    lead = images.shape[:-2]
    a = images.reshape(-1, SIDE, SIDE)                                     # (B, 16, 16)
    peak = a.max(axis=(1, 2))                                              # (B,)
    blank = peak < PAD.EMPTY
    a = a / np.where(blank, 1.0, peak)[:, None, None]

    rows = a.sum(axis=2)                                                   # (B, 16) ink per row
    cols = a.sum(axis=1)                                                   # (B, 16) ink per column
    mass = np.where(blank, 1.0, rows.sum(axis=1))
    cy = rows @ _CENTRES / mass                                            # centre of mass, (B,)
    cx = cols @ _CENTRES / mass

    inked_r = a.max(axis=2) >= PAD.INK_THRESHOLD                               # (B, 16)
    inked_c = a.max(axis=1) >= PAD.INK_THRESHOLD
    h = SIDE - inked_r.argmax(axis=1) - inked_r[:, ::-1].argmax(axis=1)    # bbox rows, cells
    w = SIDE - inked_c.argmax(axis=1) - inked_c[:, ::-1].argmax(axis=1)
    extent = np.maximum(np.maximum(h, w), 1).astype(np.float32)
    scale = np.minimum(PAD.BOX / extent, PAD.MAX_ZOOM)

    skew = np.zeros_like(cy)
    if PAD.DESKEW:   # slant = covariance(x, y) / variance(y) of the ink, as in MNIST deskewing
        dy = _CENTRES[None, :] - cy[:, None]                               # (B, 16)
        dx = _CENTRES[None, :] - cx[:, None]
        var_y = (rows * dy * dy).sum(axis=1)
        cov = np.einsum("bi,bij,bj->b", dy, a, dx)
        skew = np.clip(cov / np.maximum(var_y, 1e-6), -PAD.MAX_SKEW, PAD.MAX_SKEW).astype(np.float32)

    Ry = _resample_matrices(cy, scale)                                     # (B, 16, 16)
    Rx = _resample_matrices(cx, scale)
    out = Ry @ a @ Rx.transpose(0, 2, 1)                                   # (B,16,16)@(B,16,16)@(B,16,16)
    if PAD.DESKEW:
        out = _shear_rows(out, skew)
    if PAD.TOPK > 1:    # the stroke's core, not its one brightest pixel, becomes full ink
        flat = out.reshape(len(out), -1)
        top = np.partition(flat, SIDE * SIDE - PAD.TOPK, axis=1)[:, -PAD.TOPK:].mean(axis=1)
    else:
        top = out.max(axis=(1, 2))
    out *= (np.where(blank | (top < PAD.EMPTY), 0.0, 1.0 / np.maximum(top, PAD.EMPTY)))[:, None, None]
    np.clip(out, 0.0, 1.0, out=out)
    if PAD.STROKE > 0:
        out = _even_strokes(out.reshape(len(out), -1), PAD.STROKE)
    return out.reshape(*lead, SIDE * SIDE).astype(np.float32, copy=False)


def _even_strokes(x: np.ndarray, width: float) -> np.ndarray:
    """(B, 256) images in [0, 1] -> the same drawings with strokes about ``width`` cells.

    A stroke's length is half its outline, sum |gradient| / 2, so the ink it would hold at
    ``width`` is known. A monotone tone curve then meets that ink exactly: thick strokes
    lose their soft rim (x -> (x - c) / (1 - c)), thin ones have it raised to full ink
    (x -> g x, clipped). Both are solved in closed form on the sorted pixels."""
    B = len(x)
    im = x.reshape(B, SIDE, SIDE)
    edge = (np.abs(np.diff(im, axis=1)).sum(axis=(1, 2)) + np.abs(np.diff(im, axis=2)).sum(axis=(1, 2)))
    target = np.maximum(width * edge / 2, 1.0)                              # (B,) ink wanted
    v = -np.sort(-x, axis=1)                                                # (B, 256) descending
    S = np.cumsum(v, axis=1)                                                # S[:, k-1] = top-k sum
    mass = S[:, -1]
    k = np.arange(1, SIDE * SIDE + 1, dtype=np.float32)
    out = np.empty_like(x)
    thick = mass > target
    if thick.any():   # threshold c: (S_k - k c) / (1 - c) = M with v_{k+1} <= c <= v_k
        M = target[thick, None]
        c = (S[thick] - M) / (k - M + 1e-6)                                 # (T, 256) per k
        below = np.concatenate([v[thick, 1:], np.zeros((thick.sum(), 1), x.dtype)], axis=1)
        ok = (c <= v[thick] + 1e-6) & (c >= below - 1e-6) & (c >= 0) & (c < 1)
        cc = np.where(ok.any(axis=1), c[np.arange(len(c)), ok.argmax(axis=1)], 0.0)[:, None]
        out[thick] = np.clip((x[thick] - cc) / (1.0 - cc), 0.0, 1.0)
    thin = ~thick
    if thin.any():    # gain g: j + g (mass - S_j) = M with v_{j+1} g <= 1 <= v_j g
        M = target[thin, None]
        Sj = np.concatenate([np.zeros((thin.sum(), 1), x.dtype), S[thin, :-1]], axis=1)   # top-j sums, j = 0..255
        j = k - 1
        rest = mass[thin, None] - Sj
        g = (M - j) / np.maximum(rest, 1e-6)
        vj = np.concatenate([np.full((thin.sum(), 1), 2.0, x.dtype), v[thin, :-1]], axis=1)
        ok = (g * v[thin] <= 1 + 1e-5) & (g * vj >= 1 - 1e-5) & (g >= 1)
        gg = np.where(ok.any(axis=1), g[np.arange(len(g)), ok.argmax(axis=1)], 1.0)[:, None]
        out[thin] = np.minimum(x[thin] * gg, 1.0)
    return out.astype(np.float32, copy=False)
