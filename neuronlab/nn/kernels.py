"""Compiled kernels: the batch paths of ``pad.to_network`` and the digit brush, one per
image, and the trainer's step.

Owns the only compiled code in ``nn``. numpy pays a fixed cost per call, and a batch of
training digits takes ~150 array operations on arrays of 16 x 16 or 80 points per image:
past a few hundred images per call most of the time is that cost, not arithmetic. Here the
same arithmetic runs as one loop per image, compiled by numba (``cache=True``: compiled
once per machine, then loaded from ``__pycache__``).

Used while ``pad.JIT`` is on (headless training and the benches), for batches of
``pad.JIT_MIN`` or more, and for every training step. The pure-numpy code in ``pad``,
``digits`` and ``train`` stays the reference and the path everywhere else (the exhibit
draws with numba only in its feeder process, and takes the training step once it has
loaded it beside its frames, ``step_kernels``); tests hold the two equal to float rounding. In
drawing, the random draws, the sines and exponentials over whole arrays (numpy's are
vectorised) and the small batched matrix products (numpy's batched matmul beats compiled
loops at 16 x 16) stay in numpy, so a seed gives the same digits either way; what is
compiled is the arithmetic between them.

Importing this module also imports numba's array maths with scipy.linalg kept out of it
(``_array_maths_without_scipy``): nothing here needs BLAS, and the exhibit loads this
module beside its frames.
"""
from __future__ import annotations

import math
import sys
import threading

import numpy as np
from numba import njit


class _ScipyAbsentHere:
    """An import finder that answers "no such module" for scipy.linalg, in one thread only."""

    def __init__(self):
        self.thread = threading.get_ident()

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[:2] == ["scipy", "linalg"] and threading.get_ident() == self.thread:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


def _array_maths_without_scipy() -> None:
    """numba's array maths, imported at its first compile or cache load, probes for
    scipy's BLAS by importing scipy.linalg: 0.3 s of CPU and ~130 modules where scipy is
    installed, in the exhibit beside its frames. No kernel here calls BLAS (numba's one use
    of the probe is np.correlate's inner product), so that probe is told scipy.linalg is
    absent; it imports as ever afterwards."""
    if "numba.np.arraymath" in sys.modules or "scipy.linalg" in sys.modules:
        return
    finder = _ScipyAbsentHere()
    sys.meta_path.insert(0, finder)
    try:
        import numba.np.arraymath  # noqa: F401
    finally:
        sys.meta_path.remove(finder)


_array_maths_without_scipy()

SIDE = 16
# reassociation lets sums vectorise; no assumption that inputs are finite
_FAST = {"reassoc", "contract", "nsz", "arcp"}


@njit(cache=True, nogil=True, fastmath=_FAST)
def _resample_matrix(centre, scale, R):
    """pad's (16, 16) resampling matrix R[out, src] for one axis: bilinear when enlarging,
    an area filter when shrinking."""
    f = min(scale, np.float32(1.0))
    for u in range(SIDE):
        src = (np.float32(u + 0.5) - np.float32(SIDE / 2)) / scale + centre
        for s in range(SIDE):
            R[u, s] = max(np.float32(1.0) - abs(src - np.float32(s + 0.5)) * f, np.float32(0.0)) * f


@njit(cache=True, nogil=True, fastmath=_FAST)
def network_prep(images, a, Ry, Rx, skew, blank, box, ink_threshold, max_zoom, empty, deskew, max_skew):
    """The first half of ``pad._batch`` for images (B, 16, 16): each scaled to peak 1 -> a,
    its resampling matrices (bounding box to ``box`` cells, centre of mass to the
    centre) -> Ry, Rx (B, 16, 16), its slant -> skew (B,), and whether it is blank."""
    rows = np.empty(SIDE, np.float32)
    cols = np.empty(SIDE, np.float32)
    rmax = np.empty(SIDE, np.float32)
    cmax = np.empty(SIDE, np.float32)
    for b in range(images.shape[0]):
        im = images[b]
        ab = a[b]
        peak = np.float32(0.0)
        for i in range(SIDE):
            for j in range(SIDE):
                peak = max(peak, im[i, j])
        blank[b] = peak < empty
        if blank[b]:
            peak = np.float32(1.0)
        cols[:] = 0.0
        cmax[:] = 0.0
        for i in range(SIDE):
            rs = np.float32(0.0)
            rm = np.float32(0.0)
            for j in range(SIDE):
                v = im[i, j] / peak
                ab[i, j] = v
                rs += v
                rm = max(rm, v)
                cols[j] += v
                cmax[j] = max(cmax[j], v)
            rows[i] = rs
            rmax[i] = rm
        # the ink's bounding box: the first and last rows and columns reaching the threshold
        r0, r1, c0, c1 = SIDE, -1, SIDE, -1
        for i in range(SIDE):
            if rmax[i] >= ink_threshold:
                r0, r1 = min(r0, i), i
            if cmax[i] >= ink_threshold:
                c0, c1 = min(c0, i), i
        mass = np.float32(0.0)
        my = np.float32(0.0)
        mx = np.float32(0.0)
        for i in range(SIDE):
            mass += rows[i]
            my += rows[i] * np.float32(i + 0.5)
            mx += cols[i] * np.float32(i + 0.5)
        if blank[b]:
            mass = np.float32(1.0)
        cy = my / mass
        cx = mx / mass
        extent = max(r1 - r0 + 1, c1 - c0 + 1, 1) if r1 >= 0 else SIDE
        scale = np.float32(min(box / np.float32(extent), max_zoom))
        skew[b] = 0.0
        if deskew:   # slant = covariance(x, y) / variance(y) of the ink
            var_y = np.float32(0.0)
            cov = np.float32(0.0)
            for i in range(SIDE):
                dy = np.float32(i + 0.5) - cy
                var_y += rows[i] * dy * dy
                for j in range(SIDE):
                    cov += dy * ab[i, j] * (np.float32(j + 0.5) - cx)
            skew[b] = min(max(cov / max(var_y, np.float32(1e-6)), -max_skew), max_skew)
        _resample_matrix(cy, scale, Ry[b])
        _resample_matrix(cx, scale, Rx[b])


@njit(cache=True, nogil=True, fastmath=_FAST)
def _tone(x, width):
    """``pad._even_strokes`` of one image (256,) in place: the tone curve that brings its
    strokes to ``width`` cells, found by stepping from piece to piece of the monotone ink
    function (each step solves the current piece exactly and never overshoots; 2-7 steps)
    instead of sorting the pixels."""
    n = x.size
    edge = np.float32(0.0)
    for i in range(n - SIDE):                                  # down the columns
        edge += abs(x[i + SIDE] - x[i])
    for r in range(SIDE):                                      # along the rows
        for c in range(SIDE - 1):
            edge += abs(x[r * SIDE + c + 1] - x[r * SIDE + c])
    M = max(np.float32(width) * edge / np.float32(2.0), np.float32(1.0))
    mass = np.float32(0.0)
    for i in range(n):
        mass += x[i]
    cut = np.float32(0.0)
    gain = np.float32(1.0)
    if mass > M:
        # thick: x -> (x - c) / (1 - c) with sum(max(x - c, 0)) / (1 - c) = M; the k
        # pixels above c hold s, and that piece meets M at (s - M) / (k - M)
        c = np.float32(0.0)
        for _ in range(n + 1):
            k = np.float32(0.0)
            s = np.float32(0.0)
            for i in range(n):       # 0/1 factors, not branches: this loop vectorises
                above = np.float32(1.0) if x[i] > c else np.float32(0.0)
                k += above
                s += x[i] * above
            if k <= M:
                break                          # every pixel above c is at full ink already
            c_new = (s - M) / (k - M)
            if c_new <= c * np.float32(1.0 + 1e-6):
                break
            c = c_new
        if np.float32(0.0) <= c < np.float32(1.0):
            cut = c
            gain = np.float32(1.0) / (np.float32(1.0) - c)
    else:
        # thin: x -> min(g x, 1) with sum(min(g x, 1)) = M; j pixels saturate, the others
        # hold ``rest``, and that piece meets M at g = (M - j) / rest
        g = M / max(mass, np.float32(1e-6))
        for _ in range(n + 1):
            j = np.float32(0.0)
            rest = np.float32(0.0)
            for i in range(n):
                full = np.float32(1.0) if g * x[i] >= np.float32(1.0) else np.float32(0.0)
                j += full
                rest += x[i] * (np.float32(1.0) - full)
            g_new = (M - j) / max(rest, np.float32(1e-6))
            if g_new <= g * np.float32(1.0 + 1e-6):
                break
            g = g_new
        gain = max(g, np.float32(1.0))
    for i in range(n):
        x[i] = min(max((x[i] - cut) * gain, np.float32(0.0)), np.float32(1.0))


@njit(cache=True, nogil=True, fastmath=_FAST)
def network_finish(res, skew, blank, out, empty, deskew, stroke):
    """The second half of ``pad._batch``: the resampled images res (B, 16, 16) sheared
    upright by ``skew``, peak brought to 1, clipped, and their strokes evened to
    ``stroke`` cells -> out (B, 256)."""
    for b in range(res.shape[0]):
        o = out[b]
        if blank[b]:
            o[:] = 0.0
            continue
        top = np.float32(0.0)
        for i in range(SIDE):
            shift = np.float32(skew[b]) * np.float32(i + 0.5 - SIDE / 2) if deskew else np.float32(0.0)
            j0 = math.floor(shift)
            f = shift - np.float32(j0)
            for j in range(SIDE):
                jj = j + j0
                left = res[b, i, jj] if 0 <= jj < SIDE else np.float32(0.0)
                right = res[b, i, jj + 1] if 0 <= jj + 1 < SIDE else np.float32(0.0)
                v = left + (right - left) * f
                o[i * SIDE + j] = v
                top = max(top, v)
        if top < empty:
            o[:] = 0.0
            continue
        g = np.float32(1.0) / top
        for k in range(SIDE * SIDE):
            o[k] = min(max(o[k] * g, np.float32(0.0)), np.float32(1.0))
        if stroke > 0:
            _tone(o, stroke)


@njit(cache=True, nogil=True, fastmath=_FAST)
def strokes(style, T_pts, T_sid, along, wave_f, wave_ph, wob, wobble, warp, x, y, args):
    """Template points of each sample's style with each stroke's wobble -> x, y (N, P);
    and the arguments of the sines to come -> args (3, N, P): the warp wave per axis and
    the width wave along the stroke (``wave_f`` empty: no width wave). ``warp`` is
    (5, 2, N): amplitude, frequency, cos and sin of its direction, phase."""
    N, P = x.shape
    two_pi = np.float32(2 * np.pi)
    for b in range(N):
        t = style[b]
        for p in range(P):
            k = 4 * b + T_sid[t, p]
            st = wob[2, k] * wobble[1] + np.float32(1.0)
            xp = (T_pts[t, p, 0] - np.float32(0.5)) * st + wob[0, k] * wobble[0]
            yp = (T_pts[t, p, 1] - np.float32(0.5)) * st + wob[1, k] * wobble[0]
            x[b, p] = xp
            y[b, p] = yp
            args[0, b, p] = warp[1, 0, b] * (xp * warp[2, 0, b] + yp * warp[3, 0, b]) + warp[4, 0, b]
            args[1, b, p] = warp[1, 1, b] * (xp * warp[2, 1, b] + yp * warp[3, 1, b]) + warp[4, 1, b]
            if wave_f.shape[0]:
                args[2, b, p] = wave_f[b] * along[t, p] * two_pi + wave_ph[b]


@njit(cache=True, nogil=True, fastmath=_FAST)
def warped(style, T_w, along, taper, vary, warp, sines, s2, x, y, w, args):
    """Add the warp (``sines`` from ``strokes``' arguments) to x, y; the ink per point
    -> w (N, P), thinned at the stroke ends and along the width wave (``taper`` empty:
    neither); and the elastic field's exponents -> args (6, N, P), 3 per axis (s2 = 0:
    no elastic field, args left alone)."""
    N, P = x.shape
    ends_k = np.float32(1 / 0.15)
    for b in range(N):
        t = style[b]
        for p in range(P):
            xp = x[b, p] + warp[0, 0, b] * sines[0, b, p]
            yp = y[b, p] + warp[0, 1, b] * sines[1, b, p]
            x[b, p] = xp
            y[b, p] = yp
            wp = T_w[t, p]
            if taper.shape[0]:
                a = along[t, p]
                ends = min(a, np.float32(1.0) - a) * ends_k
                tp = np.float32(1.0) - taper[b] * max(np.float32(1.0) - ends, np.float32(0.0))
                wp = wp * tp * (np.float32(1.0) + vary[b] * sines[2, b, p])
            w[b, p] = wp
            if s2 != 0:
                for i in range(3):
                    g = np.float32(0.5 * (i - 1))
                    args[i, b, p] = (xp - g) * (xp - g) * s2
                    args[3 + i, b, p] = (yp - g) * (yp - g) * s2


@njit(cache=True, nogil=True, fastmath=_FAST)
def brush(x, y, w, kexp, elastic, use_elastic, affine, shift, sigma_idx, weight_scale,
          table, lo, q, norm, gx, gy):
    """The elastic field (``kexp``: exp of ``warped``'s exponents; ``elastic`` (2, N, 3, 3)
    its control displacements), the whole-digit matrix ``affine`` (4, N), placement on
    the pad, and each point's dab profiles across the columns and down the rows ->
    gx, gy (N, P, 16), gy weighted by the ink the point stands for."""
    N, P = x.shape
    n_pos = table.shape[0] // norm.shape[0]
    px = np.empty(P, np.float32)
    py = np.empty(P, np.float32)
    for b in range(N):
        m00, m01, m10, m11 = affine[0, b], affine[1, b], affine[2, b], affine[3, b]
        ax = np.float32(0.0)
        ay = np.float32(0.0)
        for p in range(P):
            xp = x[b, p]
            yp = y[b, p]
            if use_elastic:
                ddx = np.float32(0.0)
                ddy = np.float32(0.0)
                for i in range(3):
                    ky = kexp[3 + i, b, p]
                    ddx += (kexp[0, b, p] * elastic[0, b, i, 0] + kexp[1, b, p] * elastic[0, b, i, 1]
                            + kexp[2, b, p] * elastic[0, b, i, 2]) * ky
                    ddy += (kexp[0, b, p] * elastic[1, b, i, 0] + kexp[1, b, p] * elastic[1, b, i, 1]
                            + kexp[2, b, p] * elastic[1, b, i, 2]) * ky
                xp += ddx
                yp += ddy
            px[p] = m00 * xp + m01 * yp
            py[p] = m10 * xp + m11 * yp
            ax = max(ax, abs(px[p]))
            ay = max(ay, abs(py[p]))
        ox = np.float32(SIDE / 2) + shift[0, b] * max(np.float32(SIDE / 2 - 0.3) - ax, np.float32(0.0))
        oy = np.float32(SIDE / 2) + shift[1, b] * max(np.float32(SIDE / 2 - 0.3) - ay, np.float32(0.0))
        base = sigma_idx[b] * n_pos
        for p in range(P):
            qx = base + min(max(int(np.rint((px[p] + ox - lo) * q)), 0), n_pos - 1)
            qy = base + min(max(int(np.rint((py[p] + oy - lo) * q)), 0), n_pos - 1)
            wy = (w[b, p] * weight_scale[b]) / norm[sigma_idx[b]]
            for c in range(SIDE):
                gx[b, p, c] = table[qx, c]
                gy[b, p, c] = table[qy, c] * wy


@njit(cache=True, nogil=True, fastmath=_FAST)
def blur_matrices(sigma, G):
    """(S,) blur sigmas (cells) -> G (S, 16, 16) Gaussian blurs along one axis, rows
    summing to 1 (``digits``' soft drawings)."""
    kern = np.empty(SIDE, np.float32)
    for b in range(sigma.shape[0]):
        for d in range(SIDE):                      # G[i, j] depends on |i - j| only
            e = np.float32(d) / sigma[b]
            kern[d] = math.exp(np.float32(-0.5) * e * e)
        for i in range(SIDE):
            tot = np.float32(0.0)
            for j in range(SIDE):
                tot += kern[abs(i - j)]
            for j in range(SIDE):
                G[b, i, j] = kern[abs(i - j)] / tot


@njit(cache=True, nogil=True, fastmath=_FAST)
def coarse_factors(pitch, phase, U, D):
    """``digits._coarse_matrices``' two factors per sample and axis: D (S, 2, m, 16)
    area-averages the pad onto a coarse grid of ``pitch`` (S,) cells at ``phase`` (2, S),
    U (S, 2, 16, m) enlarges it back bilinearly; U @ D is the image seen through it."""
    m = D.shape[2]
    U[...] = 0.0
    D[...] = 0.0
    for b in range(pitch.shape[0]):
        pt = pitch[b]
        for ax in range(2):
            for j in range(m):
                lo = (phase[ax, b] - np.float32(1.0)) * pt + np.float32(j - 1) * pt
                hi = lo + pt
                mid = (lo + hi) / np.float32(2.0)
                # only the pad pixels the cell overlaps, and those within a pitch of its middle
                for c in range(max(int(math.floor(lo)), 0), min(int(math.ceil(hi)), SIDE)):
                    D[b, ax, j, c] = max(min(hi, np.float32(c + 1)) - max(lo, np.float32(c)), np.float32(0.0)) / pt
                for r in range(max(int(math.floor(mid - pt - 0.5)), 0), min(int(math.ceil(mid + pt)), SIDE)):
                    U[b, ax, r, j] = max(np.float32(1.0) - abs(np.float32(r + 0.5) - mid) / pt, np.float32(0.0))


@njit(cache=True, nogil=True, fastmath=_FAST)
def _back_through(r, dz_out, W_out, gW_out, z, a, dz, gb):
    """Row r of a hidden layer's backward pass: from the next layer's dz_out (B, m) and
    weights W_out (n, m), this layer's dz (B, n) through its ReLU (z, a (B, n)), its bias
    gradient gb (n,) and the next layer's weight gradient gW_out (n, m) summed."""
    for k in range(W_out.shape[0]):
        s = np.float32(0.0)
        for o in range(W_out.shape[1]):
            s += dz_out[r, o] * W_out[k, o]
        d = s if z[r, k] > 0.0 else np.float32(0.0)
        dz[r, k] = d
        gb[k] += d
        ak = a[r, k]
        for o in range(W_out.shape[1]):
            gW_out[k, o] += ak * dz_out[r, o]


@njit(cache=True, nogil=True, fastmath=_FAST)
def train_step(X, y, W1, b1, W2, b2, W3, b3, W1T, g1T, gW1, gb1, gW2, gb2, gW3, gb3,
               z1, a1, z2, a2, z3, p, dz1, dz2, dz3):
    """``Trainer._forward_backward`` for one batch X (B, 256), y (B,): the same buffers and
    gradients written, the mean cross-entropy returned. At batch 32 numpy's ~27 calls cost
    more than their arithmetic; here it is one loop over the batch. W1T and g1T (16, 256)
    are scratch: the first layer is read and its gradient summed along 256 contiguous
    inputs, where the sums vectorise."""
    B, n_in = X.shape
    n1, n2, n3 = W1.shape[1], W2.shape[1], W3.shape[1]
    for i in range(n_in):
        for j in range(n1):
            W1T[j, i] = W1[i, j]
    gb1[:] = 0.0
    gb2[:] = 0.0
    gb3[:] = 0.0
    gW2[:] = 0.0
    gW3[:] = 0.0
    inv_b = np.float32(1.0 / B)
    loss = 0.0
    for r in range(B):
        for j in range(n1):                       # (256,) . (256,) per first-layer unit
            s = b1[j]
            for i in range(n_in):
                s += X[r, i] * W1T[j, i]
            z1[r, j] = s
            a1[r, j] = max(s, np.float32(0.0))
        for k in range(n2):
            s = b2[k]
            for j in range(n1):
                s += a1[r, j] * W2[j, k]
            z2[r, k] = s
            a2[r, k] = max(s, np.float32(0.0))
        top = -np.inf
        for o in range(n3):
            s = b3[o]
            for k in range(n2):
                s += a2[r, k] * W3[k, o]
            z3[r, o] = s
            top = max(top, s)
        se = np.float32(0.0)
        for o in range(n3):
            e = np.float32(math.exp(z3[r, o] - top))
            p[r, o] = e
            se += e
        t = y[r]
        loss += math.log(se) - (z3[r, t] - top)   # log-sum-exp less the shifted logit of y
        for o in range(n3):
            q = p[r, o] / se
            p[r, o] = q
            d = (q - np.float32(1.0 if o == t else 0.0)) * inv_b
            dz3[r, o] = d
            gb3[o] += d
        _back_through(r, dz3, W3, gW3, z2, a2, dz2, gb2)
        _back_through(r, dz2, W2, gW2, z1, a1, dz1, gb1)
    for j in range(n1):                           # (16, B) @ (B, 256), a silent unit skipped
        for i in range(n_in):
            g1T[j, i] = 0.0
        for r in range(B):
            d = dz1[r, j]
            if d != 0.0:
                for i in range(n_in):
                    g1T[j, i] += d * X[r, i]
    for i in range(n_in):
        for j in range(n1):
            gW1[i, j] = g1T[j, i]
    return loss / B


@njit(cache=True, nogil=True)
def _add_flat(P, v, at):
    flat = P.reshape(P.size)
    for i in range(P.size):
        flat[i] += v[at + i]
    return at + P.size


@njit(cache=True, nogil=True)
def momentum_step(v, g, lr, momentum, W1, b1, W2, b2, W3, b3):
    """``Trainer._apply_update``: v <- momentum * v - lr * g over the flat (4446,) velocity
    and gradient, then every parameter += its part of v, in PARAM_NAMES order."""
    for i in range(v.size):
        v[i] = v[i] * momentum - g[i] * lr
    at = _add_flat(W1, v, 0)
    at = _add_flat(b1, v, at)
    at = _add_flat(W2, v, at)
    at = _add_flat(b2, v, at)
    at = _add_flat(W3, v, at)
    _add_flat(b3, v, at)
