"""The 16x16 painting pad: a soft round brush, strokes interpolated between samples.

Pure numpy state (no drawing here): fingers are strokes keyed by pointer id, so
several fingers paint at once; a stroke from one sample to the next stamps the brush
every ~quarter cell so a fast swipe leaves no gaps. Ink is 1.0 on 0.0, row 0 at top.
"""
from __future__ import annotations

import numpy as np

_CY, _CX = np.mgrid[0:16, 0:16].astype(np.float32) + 0.5  # cell centres in cell units


class PaintPad:
    def __init__(self, radius: float = 1.1, softness: float = 0.7):
        self.image = np.zeros((16, 16), np.float32)
        self.radius = float(radius)      # brush radius in cells (a finger is ~2 cells wide)
        self.softness = float(softness)  # width of the soft edge in cells
        self.eraser = False
        self.version = 0
        self._last: dict[object, tuple[float, float]] = {}

    def clear(self) -> None:
        self.image[...] = 0.0
        self._last.clear()
        self.version += 1

    def _stamp(self, cx: float, cy: float) -> None:
        d = np.hypot(_CX - cx, _CY - cy)
        # 1 inside the radius, falling linearly to 0 across the soft edge.
        ink = np.clip((self.radius + self.softness - d) / self.softness, 0.0, 1.0)
        if self.eraser:
            np.minimum(self.image, 1.0 - ink, out=self.image)
        else:
            np.maximum(self.image, ink, out=self.image)

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
        self._last.clear()
        self.version += 1
