"""Watches how long the running exhibit's frames really take, and tells the log once when
they stay slower than smooth, with what a technician can do about it.

A kiosk without a GPU (or with a driver that fell back to software) draws every pixel on
the CPU; on a slow host the frames then run below the display's rate, and nothing but the
log can say so. The watch leaves out start-up and the training pool's filling phase
(``warmup_s``), then takes the median frame time over ``window`` frames: below
``smooth_fps`` it logs one warning naming the rate, the size, the renderer and, for a
software renderer, a smaller display mode that would fit (``[window] fullscreen_size``,
docs/kiosk.md). A median, not a mean: a single slow frame (a hitch) is not a slow host.

Imports the standard library and the renderer names ``render.context`` knows.
"""
from __future__ import annotations

import statistics
from collections import deque

from neuronlab.render.context import SOFTWARE_RENDERERS

# display modes to suggest, largest first (landscape; a portrait screen gets them turned);
# none below 1280x720, where the panels' text would have too few pixels to stay sharp
MODES = ((3840, 2160), (2560, 1440), (1920, 1080), (1600, 900), (1280, 720))
TARGET_FPS = 60.0
PIXEL_SHARE = 0.75   # of a slow frame, the part that shrinks with the pixels: training, the
                     # HUD's panels and the draw calls do not (on the slow host of issue 13,
                     # 1280x720 ran 1.45 times as fast as 1920x1080, not 2.25)


def smaller_mode(size: tuple[int, int], fps: float) -> tuple[tuple[int, int], bool] | None:
    """A display mode for a software renderer drawing ``fps`` at ``size``, and whether it
    should reach 60 fps: the largest of ``MODES`` with at most the pixels that would, else
    the smallest of them, turned to the screen's orientation; None if none is smaller than
    ``size``. A frame of t s is taken as (1 - PIXEL_SHARE) t that stays and PIXEL_SHARE t
    that scales with the pixels."""
    w, h = int(size[0]), int(size[1])
    t = 1.0 / max(fps, 1e-3)
    room = 1.0 / TARGET_FPS - (1.0 - PIXEL_SHARE) * t      # what the pixels may take
    budget = w * h * room / (PIXEL_SHARE * t)
    smaller = [(mw, mh) for mw, mh in MODES if mw * mh < w * h]
    if not smaller:
        return None
    fits = [m for m in smaller if m[0] * m[1] <= budget]
    mw, mh = fits[0] if fits else smaller[-1]
    return ((mw, mh) if w >= h else (mh, mw)), bool(fits)


def advice(median_s: float, frames: int, size: tuple[int, int], renderer: str) -> str:
    """The log line for frames of ``median_s`` at ``size`` drawn by ``renderer``."""
    fps = 1.0 / median_s
    w, h = int(size[0]), int(size[1])
    name = renderer.split(" (")[0] or "unknown renderer"
    line = (f"frames are slow: a median of {median_s * 1e3:.1f} ms ({fps:.0f} fps) over the last "
            f"{frames} at {w}x{h} ({name})")
    if not any(s in renderer.lower() for s in SOFTWARE_RENDERERS):
        return line + ". The GPU's driver, or other work on the host, may be the cause"
    found = smaller_mode((w, h), fps)
    if found is None:
        return line + ". Without a GPU this host cannot draw the exhibit smoothly: a GPU would"
    (mw, mh), fits = found
    line += (f". Without a GPU, [window] fullscreen_size = [{mw}, {mh}] lets the panel scale a "
             "smaller picture up (docs/kiosk.md)")
    return line if fits else line + ", though this host may still fall short of smooth: a GPU would not"


class FrameWatch:
    """``feed(now, dt)`` every frame; returns the warning the first time frames are slow."""

    def __init__(self, size, renderer: str, warmup_s: float = 30.0, window: int = 600,
                 smooth_fps: float = 55.0):
        self.size, self.renderer = size, renderer
        self.warmup_s, self.smooth_fps = float(warmup_s), float(smooth_fps)
        self.durations: deque[float] = deque(maxlen=int(window))
        self.started: float | None = None
        self.told = False

    def feed(self, now: float, dt: float) -> str | None:
        if self.told:
            return None
        if self.started is None:
            self.started = now
        if now - self.started < self.warmup_s or not dt > 0.0:
            return None
        self.durations.append(float(dt))
        if len(self.durations) < self.durations.maxlen:
            return None
        median = statistics.median(self.durations)
        if median * self.smooth_fps <= 1.0:
            return None
        self.told = True
        size = self.size() if callable(self.size) else self.size
        return advice(median, len(self.durations), size, self.renderer)
