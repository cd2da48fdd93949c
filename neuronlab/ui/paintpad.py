"""The 16x16 painting pad: a fingertip brush laid down at sub-cell precision.

Pure numpy state (no drawing here): fingers are strokes keyed by pointer id, so
several fingers paint at once; a stroke from one sample to the next stamps the brush
every ~quarter cell so a fast swipe leaves no gaps. The brush paints a canvas of
``SUB`` x ``SUB`` sub-cells per pad cell, and ``image`` -- what the visitor sees and the
network is fed -- is that canvas area-averaged into the 16x16 cells: a fingertip is about
one kiosk cell wide, so a stroke only partly covering a cell inks it only partly, and the
loops of an 8 or a small 9 stay open instead of filling to whole cells. Ink is 1.0 on
0.0, row 0 at top.
"""
from __future__ import annotations

import numpy as np

SUB = 4                                   # canvas sub-cells per pad cell, per axis
_N = 16 * SUB
_C = (np.arange(_N, dtype=np.float32) + 0.5) / SUB   # sub-cell centres in cell units, (64,)


class PaintPad:
    def __init__(self, radius: float = 0.6, softness: float = 0.2):
        self.image = np.zeros((16, 16), np.float32)
        self.canvas = np.zeros((_N, _N), np.float32)
        self.radius = float(radius)      # brush radius in cells: a 10-15 mm fingertip on ~10 mm cells
        self.softness = float(softness)  # width of the soft edge in cells
        self.eraser = False
        self.version = 0
        self._last: dict[object, tuple[float, float]] = {}

    def clear(self) -> None:
        self.image[...] = 0.0
        self.canvas[...] = 0.0
        self._last.clear()
        self.version += 1

    def _stamp(self, cx: float, cy: float) -> None:
        r = self.radius + self.softness
        # only the sub-cells the brush can reach: a stamp costs a few hundred, not 4096
        c0, c1 = max(0, int((cx - r) * SUB)), min(_N, int((cx + r) * SUB) + 1)
        r0, r1 = max(0, int((cy - r) * SUB)), min(_N, int((cy + r) * SUB) + 1)
        if c0 >= c1 or r0 >= r1:
            return
        d = np.hypot(_C[None, c0:c1] - cx, _C[r0:r1, None] - cy)
        # 1 inside the radius, falling linearly to 0 across the soft edge.
        ink = np.clip((self.radius + self.softness - d) / self.softness, 0.0, 1.0)
        win = self.canvas[r0:r1, c0:c1]
        if self.eraser:
            np.minimum(win, 1.0 - ink, out=win)
        else:
            np.maximum(win, ink, out=win)
        # refresh the cells under the window: each the mean of its sub-cells
        R0, R1, C0, C1 = r0 // SUB, -(-r1 // SUB), c0 // SUB, -(-c1 // SUB)
        block = self.canvas[R0 * SUB:R1 * SUB, C0 * SUB:C1 * SUB]
        self.image[R0:R1, C0:C1] = block.reshape(R1 - R0, SUB, C1 - C0, SUB).mean(axis=(1, 3))

    def _segment(self, a: tuple[float, float], b: tuple[float, float]) -> None:
        length = float(np.hypot(b[0] - a[0], b[1] - a[1]))
        n = max(1, int(np.ceil(length / 0.25)))
        for t in np.linspace(0.0, 1.0, n + 1)[1:] if length > 0 else [1.0]:
            self._stamp(a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)

    def down(self, pid, cx: float, cy: float) -> None:
        """Finger ``pid`` touches at (cx, cy) in cell units (x right, y down, 0..16)."""
        self._last[pid] = (cx, cy)
        self._stamp(cx, cy)
        self.version += 1

    def move(self, pid, cx: float, cy: float) -> None:
        prev = self._last.get(pid)
        if prev is None:
            self.down(pid, cx, cy)
            return
        self._segment(prev, (cx, cy))
        self._last[pid] = (cx, cy)
        self.version += 1

    def up(self, pid) -> None:
        self._last.pop(pid, None)

    @property
    def active_strokes(self) -> int:
        return len(self._last)

    def set_image(self, image: np.ndarray) -> None:
        self.image[...] = np.clip(np.asarray(image, np.float32).reshape(16, 16), 0, 1)
        # the canvas holds each cell's value in all its sub-cells, so painting on continues from it
        self.canvas[...] = np.kron(self.image, np.ones((SUB, SUB), np.float32))
        self._last.clear()
        self.version += 1
