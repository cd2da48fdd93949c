"""Procedural 16x16 digits drawn like a finger on the pad, and the fixed test set.

Owns drawing the training data and the fixed test set; ``stream`` serves the drawn
digits to the trainer (the pool, the realism picks, the blocks of new digits). Every sample is
one of the stroke styles in ``strokes`` (each drawn as often as its share), wobbled
(each stroke nudged and stretched, a smooth warp over the whole digit whose faster waves
move points less, so strokes bend but do not fold), sheared, rotated, scaled to a random size and placed anywhere on the pad, then
painted with a soft round brush 1.2-3.6 cells and 10-20 % of the digit's height wide --
the range real hands show after normalisation (1s up to 1.6 times that: real 1s come
thicker, and a 1 has no loop to fill); a thicker brush or a strong blur fills
the loops of 8s, 9s and 6s into blobs no visitor draws. Some come out blurred, some blocky
(seen through a coarse grid, like a low-resolution scan), some with a little noise.
Half are painted instead the way the pad's own brush paints a fingertip: a fixed width
in cells whatever the digit's size, a flat full-ink core with a sharp edge, never
blurred or blocky -- what a visitor's finger leaves.
Training digits are also bent by an elastic field (a smooth random displacement of
their strokes, as Simard et al. 2003 did for MNIST) -- a training-time augmentation
only: the fixed test set is drawn without it, so it measures the generator's digits, not
the distortion. ``draw_block`` draws a numbered block of them and sends it through
``pad.to_network`` -- the same path a visitor's drawing takes.

Drawing is vectorised across the batch: every step works on all B digits' points at
once, and the heavy ones (elastic field, brush) a cache-sized chunk of samples at a time.
Each stroke point is a small Gaussian dab whose pixel-area integral is separable, so
the image is a (16, P) @ (P, 16) product per sample, with the 1-D profiles read from a
precomputed table. With ``pad.JIT`` on, a batch runs the same arithmetic compiled
(``kernels``, numba) between numpy's bulk sines, exponentials and matrix products.
``bench/gen_speed.py`` times each stage against the earlier code.

Imports numpy only (numba through ``pad.kernels``, when asked for).
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from neuronlab.nn import pad
from neuronlab.nn.pad import SIDE, kernels, to_network
from neuronlab.nn.strokes import templates

N_POINTS = 80
_Q = 8                       # table resolution: 1/8 cell
_LO, _HI = -4.0, 20.0        # points outside this range leave no ink on the pad
_SIGMAS = np.linspace(0.34, 1.04, 16).astype(np.float32)
_GAIN = 3.0                  # how quickly overlapping dabs saturate to full ink
_WIDTH_PER_SIGMA = 3.5       # a line of brush sigma s looks ~3.5 s wide (ink >= 0.5)

BLUR_FRACTION = 0.5
HARD_FRACTION = 0.5          # drawings painted like the pad's fingertip brush instead
HARD_WIDTH = (1.2, 1.7)      # its width, cells, whatever the digit's size (the pad's brush: ~1.4)
HARD_GAIN = 8.0              # its dabs saturate this fast: a flat full-ink core, a sharp edge
BLOCKY_FRACTION = 0.3        # drawings first seen through a coarse grid (scanned, low-res)
BLOCKY_PIXELS = (6.0, 10.0)  # coarse pixels per digit height
WIDTH_FRACTION = (0.1, 0.2)  # brush width as a fraction of the digit's height
WIDTH_SCALE = (1.0, 1.6) + (1.0,) * 8   # per digit: real 1s come thicker, and a 1 has no loop to fill
ASPECT = (1.2, 1.0, 1.2, 1.05, 1.0, 1.1, 1.0, 1.07, 1.1, 1.0)   # per digit: median width stretch
                             # of its styles (log-normal); real 0s, 2s and 5s come wide
ASPECT_SPREAD = 0.15         # sd of the log width stretch around that median
HEIGHT = (9.0, 15.0)           # digit heights drawn, cells (log-uniform)
MIN_WIDTH = 1.2              # narrowest brush, cells
TAPER = 0.5                  # at most this fraction of the ink lost at a stroke's ends
WIDTH_VARY = 0.3             # at most this relative swell and thinning along a stroke
BLUR_MAX = (1.2, 0.06)       # blur sigma: at most this many cells, and this fraction of the height
SHEAR = 0.10                 # sd of the italic shear (x per unit y)
ROTATE = 5.0                 # sd of the rotation, degrees
WOBBLE = (0.03, 0.07)        # per-stroke shift and stretch (sd, fractions of the digit)
WARP = 0.15                  # most a smooth wave of one half-wave per digit moves its points
WARP_FREQ = (1.0, 3.0)       # its frequency, half-waves per digit
ELASTIC = 0.08               # sd of an elastic field's control displacements (fractions of the digit)
ELASTIC_SCALE = 0.30         # its smoothness: reach of each of the 3x3 control points (fractions of the digit)
ELASTIC_IN_TEST = False      # False: elastic distortion is a training-time augmentation only
WARP_TAPER = 1.0             # amplitude / half-waves ** taper: faster waves move less, so a stroke bends without folding

_PIX = np.arange(SIDE, dtype=np.float32) + 0.5   # pixel centres, (16,)
# a line of dabs spaced ds apart sums to sqrt(2 pi) sigma / ds at its centre: dividing
# it out brings a stroke's core to ~1 whatever its width and point spacing
_SIGMA_NORM = (math.sqrt(2 * math.pi) * _SIGMAS).astype(np.float32)
_RENDER_CHUNK = 128          # samples per brush pass

TRAIN_STREAM = 0             # SeedSequence spawn keys: training and the test set never meet
_TEST_STREAM = 1
_FRESH_BLOCKS = 2            # within the training stream: the numbered blocks of new digits


@lru_cache(maxsize=None)
def _profile_table() -> np.ndarray:
    """(n_sigma, n_positions, 16): the integral over each pixel of a unit-peak 1-D
    Gaussian dab centred at position p (cells) -- area-sampled, so edges are soft."""
    pos = np.arange(int((_HI - _LO) * _Q) + 1) / _Q + _LO
    edges = np.arange(SIDE + 1, dtype=np.float64)
    table = np.empty((len(_SIGMAS), len(pos), SIDE), dtype=np.float32)
    erf = np.vectorize(math.erf)
    for i, s in enumerate(_SIGMAS.astype(np.float64)):
        c = erf((edges[None, :] - pos[:, None]) / (s * math.sqrt(2.0)))   # (n_pos, 17)
        table[i] = s * math.sqrt(math.pi / 2) * np.diff(c, axis=1)
    table.setflags(write=False)
    return table


def _render(px: np.ndarray, py: np.ndarray, weight: np.ndarray, sigma_idx: np.ndarray,
            gain: np.ndarray | None = None) -> np.ndarray:
    """Paint points at (px, py) (N, P) in pad cells, each standing for ``weight`` (N, P)
    cells of stroke, with brush sigma ``_SIGMAS[sigma_idx]`` (N,) and saturation ``gain``
    (N,) (None: ``_GAIN``) -> images (N, 16, 16)."""
    if len(px) <= _RENDER_CHUNK:
        return _render_pass(px, py, weight, sigma_idx, gain)
    out = np.empty((len(px), SIDE, SIDE), np.float32)
    for i in range(0, len(px), _RENDER_CHUNK):   # a chunk's (n, P, 16) profiles stay in the core's cache
        s = slice(i, i + _RENDER_CHUNK)
        out[s] = _render_pass(px[s], py[s], weight[s], sigma_idx[s], None if gain is None else gain[s])
    return out


def _render_pass(px: np.ndarray, py: np.ndarray, weight: np.ndarray, sigma_idx: np.ndarray,
                 gain: np.ndarray | None) -> np.ndarray:
    """``_render`` of one chunk."""
    table = _profile_table()
    n_pos = table.shape[1]
    flat = table.reshape(-1, SIDE)                                       # (n_sigma * n_pos, 16)
    base = (sigma_idx * n_pos)[:, None]
    qx = np.clip(np.rint((px - _LO) * _Q), 0, n_pos - 1).astype(np.intp)  # (N, P)
    qy = np.clip(np.rint((py - _LO) * _Q), 0, n_pos - 1).astype(np.intp)
    gx = np.take(flat, base + qx, axis=0)                                # (N, P, 16)
    gy = np.take(flat, base + qy, axis=0)                                # (N, P, 16)
    norm = weight / _SIGMA_NORM[sigma_idx][:, None]                      # (N, P)
    gy *= norm[..., None]
    return _saturate(gy.transpose(0, 2, 1) @ gx, gain)                   # (N,16,P) @ (N,P,16) -> (N,16,16)


def _saturate(s: np.ndarray, gain: np.ndarray | None = None) -> np.ndarray:
    """Summed dabs (N, 16, 16) -> ink, in place: overlapping dabs saturate to full ink,
    at ``_GAIN`` or at each image's ``gain`` (N,)."""
    if gain is None:
        s *= -_GAIN
        norm = 1.0 / (1.0 - math.exp(-_GAIN))
    else:
        g = gain.astype(np.float32)[:, None, None]
        s *= -g
        norm = (1.0 / (1.0 - np.exp(-g.astype(np.float64)))).astype(np.float32)
    np.exp(s, out=s)
    ink = np.subtract(1.0, s, out=s)
    ink *= norm
    return np.minimum(ink, 1.0, out=ink)


def _coarse_cells(pitch: np.ndarray) -> int:
    """How many coarse cells of the finest of ``pitch`` (cells) can touch the pad."""
    return int(SIDE / max(float(pitch.min()), 0.5)) + 3


def _coarse_matrices(pitch: np.ndarray, phase: np.ndarray) -> np.ndarray:
    """(S,) coarse pixel pitches (cells) and (2, S) grid phases in [0, 1) -> (2, S, 16, 16)
    matrices U @ D per axis: D area-averages the pad onto the coarse grid, U enlarges it
    back bilinearly, so ``M[0] @ img @ M[1].T`` is the image seen through that grid."""
    m = _coarse_cells(pitch)
    j = np.arange(m, dtype=np.float32) - 1.0                             # (m,)
    edges = np.arange(SIDE + 1, dtype=np.float32)
    out = []
    for ax in range(2):
        lo = (phase[ax] - 1.0)[:, None] * pitch[:, None] + j[None, :] * pitch[:, None]   # (S, m) cell starts
        hi = lo + pitch[:, None]
        # overlap of pad pixel [c, c+1) with coarse cell [lo, hi), per unit coarse area
        D = np.clip(np.minimum(hi[:, :, None], edges[None, None, 1:])
                    - np.maximum(lo[:, :, None], edges[None, None, :-1]), 0.0, None) / pitch[:, None, None]  # (S, m, 16)
        mid = (lo + hi) / 2                                                               # (S, m)
        U = np.maximum(1.0 - np.abs(_PIX[None, :, None] - mid[:, None, :]) / pitch[:, None, None], 0.0)    # (S, 16, m)
        out.append(U @ D)                                                                 # (S,16,m)@(S,m,16)
    return np.stack(out)


def _uniform(rng: np.random.Generator, lo: float, hi: float, shape) -> np.ndarray:
    return rng.random(shape, dtype=np.float32) * np.float32(hi - lo) + np.float32(lo)


@lru_cache(maxsize=None)
def _along_stroke() -> np.ndarray:
    """(T, P): how far along its own stroke each template point lies, 0 at the start and
    1 at the end -- where a finger lands and lifts, and the ink tapers."""
    _, _, T_sid, _, _, _ = templates(N_POINTS)
    out = np.zeros(T_sid.shape, np.float32)
    for t, sid in enumerate(T_sid):
        for k in np.unique(sid):
            idx = np.flatnonzero(sid == k)
            out[t, idx] = (np.arange(len(idx)) + 0.5) / len(idx)
    out.setflags(write=False)
    return out


@lru_cache(maxsize=None)
def _style_table() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Where each digit's templates start (10,), how many it has (10,), and each
    template's cumulative share within its digit (T,), ending at 1.0 per digit."""
    _, _, _, T_lab, _, T_share = templates(N_POINTS)
    first = np.searchsorted(T_lab, np.arange(10))                        # templates sort by digit
    count = np.bincount(T_lab, minlength=10)
    cum = np.concatenate([np.cumsum(T_share[f:f + c]) for f, c in zip(first, count)])
    return first, count, cum


_GRID = (-0.5, 0.0, 0.5)     # the elastic field's 3x3 control points, per axis (fractions of the digit)


def _elastic_field(x: np.ndarray, y: np.ndarray, c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The elastic displacement (dx, dy), each (N, P), at points (x, y) (N, P) in digit
    units, of control displacements ``c`` (2, N, 3, 3) [axis, sample, row, column]: a
    Gaussian bump per control point, separable, so 3 + 3 exponentials per point. Summed
    as products of whole (n, P) rows of points, a cache-sized chunk of samples at a time."""
    s2 = np.float32(-0.5 / ELASTIC_SCALE ** 2)
    cs = np.ascontiguousarray(c.transpose(0, 2, 3, 1))[..., None]         # (2, 3, 3, N, 1)
    out = np.empty((2,) + x.shape, np.float32)
    for a in range(0, len(x), _RENDER_CHUNK):
        b = slice(a, a + _RENDER_CHUNK)
        kx = [np.exp(np.square(x[b] - np.float32(g)) * s2) for g in _GRID]   # by column
        ky = [np.exp(np.square(y[b] - np.float32(g)) * s2) for g in _GRID]   # by row
        for ax in range(2):
            d = out[ax, b]
            d[...] = 0.0
            for i in range(3):
                row = kx[0] * cs[ax, i, 0, b]
                row += kx[1] * cs[ax, i, 1, b]
                row += kx[2] * cs[ax, i, 2, b]
                row *= ky[i]
                d += row
    return out[0], out[1]


def draw_pads(rng: np.random.Generator, labels: np.ndarray, elastic: float | None = None) -> np.ndarray:
    """Pad-like images (N, 16, 16) float32 for the given labels."""
    return _draw_styled(rng, labels, elastic)[0]


def _draw_styled(rng: np.random.Generator, labels: np.ndarray,
                 elastic: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``draw_pads``, also returning which template (N,) each image was drawn from;
    ``elastic`` overrides ``ELASTIC``. Every random number is drawn first, in one fixed
    order, so the compiled path (``pad.JIT`` on, batches of ``pad.JIT_MIN`` or more) and
    the numpy one draw the same digits from the same seed."""
    elastic = ELASTIC if elastic is None else elastic
    labels = np.asarray(labels)
    r = _randoms(rng, len(labels), elastic)
    style = _pick_styles(labels, r["style"])
    per = _per_sample(labels, r)
    k = kernels() if len(labels) >= pad.JIT_MIN else None
    if k is not None:
        return _draw_compiled(k, style, r, per), style
    return _draw_numpy(style, r, per), style


def _randoms(rng: np.random.Generator, n: int, elastic: float) -> dict:
    """All of a batch's random draws, in the order the draw path has always made them."""
    f32 = np.float32
    r = {"style": rng.random(n)}
    if TAPER > 0 or WIDTH_VARY > 0:
        r["taper"] = _uniform(rng, 0.0, TAPER, (n, 1))
        r["wave_f"] = _uniform(rng, 1.0, 3.0, (n, 1))
        r["wave_ph"] = _uniform(rng, 0, 2 * np.pi, (n, 1))
        r["vary"] = _uniform(rng, 0.0, WIDTH_VARY, (n, 1))
    r["wob"] = rng.standard_normal((3, n * 4), dtype=np.float32)
    r["halves"] = _uniform(rng, *WARP_FREQ, (2, n, 1))
    r["amp"] = _uniform(rng, 0.0, WARP, (2, n, 1))
    r["ang"] = _uniform(rng, 0.0, 2 * np.pi, (2, n, 1))
    r["phase"] = _uniform(rng, 0.0, 2 * np.pi, (2, n, 1))
    if elastic > 0:
        r["elastic"] = rng.standard_normal((2, n, 3, 3), dtype=np.float32) * f32(elastic)   # [.., row, column]
    r["height"] = _uniform(rng, np.log(HEIGHT[0]), np.log(HEIGHT[1]), n)
    r["aspect"] = rng.standard_normal(n, dtype=np.float32)
    r["shear"] = rng.standard_normal(n, dtype=np.float32)
    r["theta"] = rng.standard_normal(n, dtype=np.float32)
    r["shift"] = _uniform(rng, -1.0, 1.0, (2, n))
    r["frac"] = _uniform(rng, *WIDTH_FRACTION, n)
    r["soft"] = np.flatnonzero(rng.random(n) < BLUR_FRACTION)
    r["blur"] = _uniform(rng, 0.4, BLUR_MAX[0], len(r["soft"]))
    r["blocky"] = np.flatnonzero(rng.random(n) < BLOCKY_FRACTION)
    r["pixels"] = _uniform(rng, *BLOCKY_PIXELS, len(r["blocky"]))
    r["grid_phase"] = _uniform(rng, 0.0, 1.0, (2, len(r["blocky"])))
    r["noisy"] = np.flatnonzero(rng.random(n) < 0.4)
    r["noise_lvl"] = _uniform(rng, 0.0, 0.14, (len(r["noisy"]), 1, 1))
    r["noise"] = rng.random((len(r["noisy"]), SIDE, SIDE), dtype=np.float32)
    # the fingertip brush, drawn last so every earlier draw stays what it was; its
    # drawings are taken out of the blurred and blocky ones: a finger leaves a sharp line
    r["hard"] = rng.random(n) < HARD_FRACTION
    r["hard_width"] = _uniform(rng, *HARD_WIDTH, n)
    keep = ~r["hard"][r["soft"]]
    r["soft"], r["blur"] = r["soft"][keep], r["blur"][keep]
    keep = ~r["hard"][r["blocky"]]
    r["blocky"], r["pixels"], r["grid_phase"] = r["blocky"][keep], r["pixels"][keep], r["grid_phase"][:, keep]
    return r


def _pick_styles(labels: np.ndarray, u: np.ndarray) -> np.ndarray:
    """A style of the right digit for each sample, each as often as its share."""
    first, count, cum = _style_table()
    style = np.empty(len(labels), np.int64)
    for d in range(10):
        m = labels == d
        if m.any():
            k = np.searchsorted(cum[first[d]:first[d] + count[d]], u[m], side="right")
            style[m] = first[d] + np.minimum(k, count[d] - 1)
    return style


def _per_sample(labels: np.ndarray, r: dict) -> dict:
    """The whole-digit quantities, one per sample: warp waves, the 2x2 matrix of aspect,
    shear (italics), rotation and size, brush width, sigma and saturation (the fingertip brush its own), blur and coarse pitch."""
    f32 = np.float32
    amp = r["amp"] / r["halves"] ** f32(WARP_TAPER)       # faster waves move points less
    ang = r["ang"]
    height = np.exp(r["height"])                           # cells
    aspect = np.exp(r["aspect"] * f32(ASPECT_SPREAD)) * np.broadcast_to(np.asarray(ASPECT, np.float32), (10,))[labels]
    shear = np.clip(r["shear"] * f32(SHEAR), -0.45, 0.45)
    theta = np.radians(np.clip(r["theta"] * f32(ROTATE), -22, 22))
    c, s = np.cos(theta) * height, np.sin(theta) * height
    # [c -s; s c] @ [[aspect, -shear], [0, 1]]: shear > 0 leans the top to the right
    affine = np.stack([c * aspect, -c * shear - s, s * aspect, -s * shear + c])   # (4, N)
    # brush: 1.2 .. 3.6 cells wide, and WIDTH_FRACTION of the digit's height
    frac = r["frac"] * np.asarray(WIDTH_SCALE, np.float32)[labels]
    width = np.clip(height * frac, MIN_WIDTH, 3.6)
    sigma = width / f32(_WIDTH_PER_SIGMA)
    # the fingertip brush: its line's ink reaches 0.5 where a dab's sum falls to ln 2 / gain,
    # so sigma = width / (2 sqrt(2 ln(gain / ln 2)))
    hard = r["hard"]
    sigma[hard] = r["hard_width"][hard] / f32(2 * math.sqrt(2 * math.log(HARD_GAIN / math.log(2))))
    sigma_idx = np.clip(np.searchsorted(_SIGMAS, sigma), 0, len(_SIGMAS) - 1)
    gain = np.where(hard, f32(HARD_GAIN), f32(_GAIN)).astype(np.float32)
    # blur sigma 0.4-1.2 cells, at most 6 % of the digit's height so loops stay open
    blur = np.minimum(r["blur"], height[r["soft"]] * f32(BLUR_MAX[1]))
    pitch = height[r["blocky"]] / r["pixels"]              # coarse pixels, cells
    return {"amp": amp, "freq": r["halves"] * f32(np.pi), "cos": np.cos(ang), "sin": np.sin(ang),
            "affine": affine, "stretch": height * np.sqrt(aspect), "sigma_idx": sigma_idx, "gain": gain,
            "blur": blur, "pitch": pitch}


def _draw_numpy(style: np.ndarray, r: dict, per: dict) -> np.ndarray:
    """The draw path in numpy, over all B digits' points at once."""
    T_pts, T_w, T_sid, _, _, _ = templates(N_POINTS)
    n = len(style)
    f32 = np.float32
    x = T_pts[style, :, 0] - f32(0.5)                                    # (N, P), origin at centre
    y = T_pts[style, :, 1] - f32(0.5)
    stroke = T_sid[style] + 4 * np.arange(n)[:, None]                    # (N, P) index into (N*4,)
    w = T_w[style]                                                       # (N, P)
    if "taper" in r:
        # real strokes thin out where the finger lands and lifts, and swell and thin along
        # the way: less ink per point reads as a narrower line once the dabs are summed
        t = _along_stroke()[style]                                       # (N, P) in (0, 1)
        ends = np.minimum(t, 1 - t) * f32(1 / 0.15)                      # ~0 at the ends, 1 by 15 % in
        taper = f32(1) - r["taper"] * np.maximum(f32(1) - ends, 0)
        wave = r["wave_f"] * t * f32(2 * np.pi) + r["wave_ph"]
        w = w * taper * (f32(1) + r["vary"] * np.sin(wave))

    # per-stroke wobble: each stroke shifted and stretched a little on its own
    wob = r["wob"]
    sx = np.take(wob[0] * f32(WOBBLE[0]), stroke)
    sy = np.take(wob[1] * f32(WOBBLE[0]), stroke)
    st = np.take(wob[2] * f32(WOBBLE[1]) + f32(1.0), stroke)
    x = x * st + sx
    y = y * st + sy
    # a smooth warp over the whole digit: one low-frequency wave per axis
    amp, freq, ca, sa, phase = per["amp"], per["freq"], per["cos"], per["sin"], r["phase"]
    dx = amp[0] * np.sin(freq[0] * (x * ca[0] + y * sa[0]) + phase[0])
    dy = amp[1] * np.sin(freq[1] * (x * ca[1] + y * sa[1]) + phase[1])
    x += dx
    y += dy
    if "elastic" in r:
        # elastic distortion (Simard et al. 2003, on the points rather than the pixels):
        # a smooth random displacement field, Gaussian bumps on a 3x3 grid over the digit
        # (a Gaussian bump is separable: exp(-(dx2 + dy2)) = exp(-dx2) exp(-dy2), so 3 + 3
        # exponentials per point instead of 9, and the 3x3 sum becomes two small products)
        dx, dy = _elastic_field(x, y, r["elastic"])
        x += dx
        y += dy

    m00, m01, m10, m11 = (m[:, None] for m in per["affine"])
    x, y = m00 * x + m01 * y, m10 * x + m11 * y
    # room left on the pad once the digit is in, so most drawings stay on it
    room_x = np.maximum(f32(SIDE / 2 - 0.3) - np.abs(x).max(axis=1), 0)
    room_y = np.maximum(f32(SIDE / 2 - 0.3) - np.abs(y).max(axis=1), 0)
    shift = r["shift"]
    x += (f32(SIDE / 2) + shift[0] * room_x)[:, None]
    y += (f32(SIDE / 2) + shift[1] * room_y)[:, None]
    img = _render(x, y, w * per["stretch"][:, None], per["sigma_idx"], per["gain"])   # stroke lengths grow with size

    soft = r["soft"]
    G = None
    if len(soft):
        d = np.arange(SIDE, dtype=np.float32)
        G = np.exp(-0.5 * ((d[None, :, None] - d[None, None, :]) / per["blur"][:, None, None]) ** 2)
        G /= G.sum(axis=2, keepdims=True)                                # (S, 16, 16) rows sum to 1
    M = _coarse_matrices(per["pitch"], r["grid_phase"]) if len(r["blocky"]) else None
    return _finish(img, r, G, M)


def _finish(img: np.ndarray, r: dict, G: np.ndarray | None, M: np.ndarray | None) -> np.ndarray:
    """Blur, coarse grid and noise on the drawn images (N, 16, 16), in place: ``G``
    (S, 16, 16) the blur of each soft drawing, ``M`` (2, S', 16, 16) each blocky one's grid."""
    f32 = np.float32
    # some drawings come out soft: a Gaussian blur (separable, batched)
    soft = r["soft"]
    if len(soft):
        sub = G @ img[soft] @ G.transpose(0, 2, 1)
        sub /= np.maximum(sub.max(axis=(1, 2), keepdims=True), 1e-3)
        img[soft] = sub

    # some drawings come out blocky: area-averaged onto a coarse grid of 6-10 pixels per
    # digit height, then bilinearly enlarged back -- how a low-resolution scan looks
    blocky = r["blocky"]
    if len(blocky):
        sub = M[0] @ img[blocky] @ M[1].transpose(0, 2, 1)                           # (S,16,16)
        sub /= np.maximum(sub.max(axis=(1, 2), keepdims=True), 1e-3)
        img[blocky] = sub

    # a little noise on some images (a smudged screen, an unsteady finger)
    noisy = r["noisy"]
    img[noisy] += (r["noise"] - f32(0.5)) * r["noise_lvl"]
    np.clip(img, 0.0, 1.0, out=img)
    return img


def _draw_compiled(k, style: np.ndarray, r: dict, per: dict) -> np.ndarray:
    """The draw path through ``kernels``: the per-point arithmetic fused into one loop per
    digit between the sines and exponentials, which numpy computes in bulk, as it does
    the small matrix products (its batched matmul beats compiled loops at 16 x 16)."""
    T_pts, T_w, T_sid, _, _, _ = templates(N_POINTS)
    n, P = len(style), T_pts.shape[1]
    f32 = np.float32
    empty = np.zeros(0, np.float32)
    taper = "taper" in r
    el = r.get("elastic")
    warp = np.ascontiguousarray(np.stack([per["amp"], per["freq"], per["cos"], per["sin"], r["phase"]])[..., 0])
    along = _along_stroke()
    x, y, w = (np.empty((n, P), np.float32) for _ in range(3))
    args = np.empty((3 if taper else 2, n, P), np.float32)
    k.strokes(style, T_pts, T_sid, along, r["wave_f"][:, 0] if taper else empty,
              r["wave_ph"][:, 0] if taper else empty, r["wob"], np.array(WOBBLE, np.float32), warp, x, y, args)
    np.sin(args, out=args)
    kexp = np.empty((6, n, P), np.float32) if el is not None else np.empty((6, 0, 0), np.float32)
    k.warped(style, T_w, along, r["taper"][:, 0] if taper else empty, r["vary"][:, 0] if taper else empty,
             warp, args, f32(-0.5 / ELASTIC_SCALE ** 2) if el is not None else f32(0.0), x, y, w, kexp)
    np.exp(kexp, out=kexp)
    img = np.empty((n, SIDE, SIDE), np.float32)
    m = min(n, _RENDER_CHUNK)
    gx, gy = np.empty((m, P, SIDE), np.float32), np.empty((m, P, SIDE), np.float32)
    table = _profile_table().reshape(-1, SIDE)
    for i in range(0, n, _RENDER_CHUNK):   # a chunk's (n, P, 16) profiles stay in the core's cache
        s = slice(i, i + _RENDER_CHUNK)
        c = len(style[s])
        k.brush(x[s], y[s], w[s], kexp[:, s], el[:, s] if el is not None else np.zeros((2, 0, 3, 3), np.float32),
                el is not None, per["affine"][:, s], r["shift"][:, s], per["sigma_idx"][s], per["stretch"][s],
                table, f32(_LO), f32(_Q), _SIGMA_NORM, gx[:c], gy[:c])
        np.matmul(gy[:c].transpose(0, 2, 1), gx[:c], out=img[s])
    _saturate(img, per["gain"])
    G = None
    if len(r["soft"]):
        G = np.empty((len(r["soft"]), SIDE, SIDE), np.float32)
        k.blur_matrices(per["blur"], G)
    M = None
    if len(r["blocky"]):
        S, mc = len(r["blocky"]), _coarse_cells(per["pitch"])
        U, D = np.empty((S, 2, SIDE, mc), np.float32), np.empty((S, 2, mc, SIDE), np.float32)
        k.coarse_factors(per["pitch"], r["grid_phase"], U, D)
        M = (U @ D).transpose(1, 0, 2, 3)
    return _finish(img, r, G, M)


def draw_block(entropy, j: int, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Block ``j`` of a generator's fresh digits: ``size`` network inputs (size, 256) and
    their labels, a stretch of the label cycle in shuffled order. A pure function of its
    arguments of the stream's entropy, the block's number and its size."""
    ss = np.random.SeedSequence(entropy, spawn_key=(TRAIN_STREAM, _FRESH_BLOCKS, int(j)))
    rng = np.random.default_rng(ss)
    y = rng.permutation((int(j) * int(size) + np.arange(int(size))) % 10).astype(np.int64)
    return to_network(draw_pads(rng, y)), y


@lru_cache(maxsize=None)
def _clean_digits() -> np.ndarray:
    T_pts, T_w, _, T_lab, _, _ = templates(N_POINTS)
    out = np.empty((10, SIDE, SIDE), dtype=np.float32)
    height, width = 12.0, 2.2
    centres = np.arange(SIDE) + 0.5
    sigma_idx = np.full(1, np.searchsorted(_SIGMAS, width / _WIDTH_PER_SIGMA))
    for d in range(10):
        k = int(np.flatnonzero(T_lab == d)[0])                         # the canonical style
        pts = (T_pts[k] - 0.5) * height + SIDE / 2                     # (P, 2) in cells
        for _ in range(2):   # render, then move the ink's centre of mass onto the pad's centre
            img = _render(pts[None, :, 0], pts[None, :, 1], T_w[k][None] * height, sigma_idx)[0]
            m = img.sum()
            pts = pts + SIDE / 2 - np.array([img.sum(axis=0) @ centres, img.sum(axis=1) @ centres]) / m
        out[d] = img
    out.setflags(write=False)
    return out


def clean_digit(d: int) -> np.ndarray:
    """One canonical pad image (16, 16) float32 of digit ``d``: what Probe sends."""
    return _clean_digits()[int(d)].copy()


@lru_cache(maxsize=4)
def _test_set(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(_TEST_STREAM,)))
    y = rng.permutation(np.arange(n) % 10).astype(np.int64)
    X = to_network(draw_pads(rng, y, None if ELASTIC_IN_TEST else 0.0))
    X.setflags(write=False)
    y.setflags(write=False)
    return X, y


def test_set(n: int = 2000, seed: int = 12345) -> tuple[np.ndarray, np.ndarray]:
    """The fixed test set: (X (n, 256) float32, y (n,) int64), from a seed stream no
    ``DigitGenerator`` can reach. Cached and read-only."""
    return _test_set(int(n), int(seed))


test_set.__test__ = False   # a data function, not a test, when a test module imports it


def clear_style_caches() -> None:
    """Forget everything computed from the styles and their shares (the templates, the
    style table, each point's place along its stroke, the clean digits, the test set):
    after a bench knob or a test changed ``strokes``' tables, nothing stale is drawn."""
    for cached in (templates, _style_table, _along_stroke, _clean_digits, _test_set):
        cached.cache_clear()
