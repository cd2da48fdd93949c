"""Watches how long the running exhibit's frames really take, and tells the log once when
they stay slower than smooth, with what a technician can do about it.

A kiosk without a GPU (or with a driver that fell back to software) draws every pixel on
the CPU; on a slow host the frames then run below the display's rate, and nothing but the
log can say so. The watch leaves out start-up and the training pool's filling phase
(``warmup_s``), then takes the median frame time over ``window`` frames. Smooth is the
display's rate, at most 60 fps (a 50 or 30 Hz display paces the frames below 60, and a
visitor sees no more than it shows); under ``SMOOTH_SHARE`` of that the watch logs one
warning naming the rate, the size, the renderer and, for a software renderer, a smaller
display mode (``[window] fullscreen_size``, docs/kiosk.md) with the rate it should reach.
A median, not a mean: a single slow frame (a hitch) is not a slow host.

Imports the standard library, and the renderer names from ``render.context``.
"""
from __future__ import annotations

import statistics
from collections import deque

from neuronlab.render.context import SOFTWARE_RENDERERS

# display modes to suggest, largest first (landscape; a portrait screen gets them turned);
# none below 1280x720, where the panels' text would have too few pixels to stay sharp
MODES = ((3840, 2160), (2560, 1440), (1920, 1080), (1600, 900), (1280, 720))
MAX_FPS = 60.0
SMOOTH_SHARE = 0.92  # a median under this share of smooth (55 of 60 fps) is slow
PIXEL_SHARE = 0.56   # of a slow frame, the part that goes with the pixels: on the slow host
                     # of issue 13, 1280x720 (0.44 of 1920x1080's pixels) ran 1.45 times as fast


def expected_fps(fps: float, size: tuple[int, int], mode: tuple[int, int]) -> float:
    """The rate at ``mode`` of frames that run at ``fps`` at ``size``: of a frame's time t,
    (1 - PIXEL_SHARE) t stays and PIXEL_SHARE t goes with the pixels."""
    t = 1.0 / max(fps, 1e-3)
    share = (mode[0] * mode[1]) / (size[0] * size[1])
    return 1.0 / (t * (1.0 - PIXEL_SHARE) + t * PIXEL_SHARE * share)


def smaller_mode(size: tuple[int, int], fps: float,
                 target: float = MAX_FPS) -> tuple[tuple[int, int], float] | None:
    """A display mode for a software renderer drawing ``fps`` at ``size``, turned to the
    screen's orientation, and the rate expected there: the largest of ``MODES`` expected to
    reach ``target``, else the smallest of them; None if none is smaller than ``size``."""
    w, h = int(size[0]), int(size[1])
    turn = (lambda m: m) if w >= h else (lambda m: (m[1], m[0]))
    smaller = [turn(m) for m in MODES if m[0] * m[1] < w * h]
    if not smaller:
        return None
    for mode in smaller:
        if expected_fps(fps, (w, h), mode) >= target:
            return mode, expected_fps(fps, (w, h), mode)
    return smaller[-1], expected_fps(fps, (w, h), smaller[-1])


def advice(median_s: float, frames: int, size: tuple[int, int], renderer: str,
           target: float = MAX_FPS) -> str:
    """The log line for frames of ``median_s`` at ``size`` drawn by ``renderer``."""
    fps = 1.0 / median_s
    w, h = int(size[0]), int(size[1])
    name = renderer.split(" (")[0] or "unknown renderer"
    line = (f"frames are slow: a median of {median_s * 1e3:.1f} ms ({fps:.0f} fps, smooth is "
            f"{target:.0f}) over the last {frames} at {w}x{h} ({name})")
    if not any(s in renderer.lower() for s in SOFTWARE_RENDERERS):
        return line + ". The GPU's driver, or other work on the host, may be the cause"
    found = smaller_mode((w, h), fps, target)
    if found is None:
        return line + ". Without a GPU this host cannot draw the exhibit smoothly; a GPU would"
    (mw, mh), expected = found
    line += (f". Without a GPU, [window] fullscreen_size = [{mw}, {mh}] lets the panel scale a "
             f"smaller picture up, at about {min(expected, target):.0f} fps here")
    return line + (" (docs/kiosk.md)" if expected >= target else "; smooth needs a GPU (docs/kiosk.md)")


class FrameWatch:
    """``feed(now, dt)`` every frame; returns the warning the first time frames are slow.
    ``size`` (or a callable giving it) is the drawable's; ``refresh_hz`` the display's rate
    (0: unknown, smooth is 60 fps)."""

    def __init__(self, size, renderer: str, refresh_hz: float = 0.0, warmup_s: float = 30.0,
                 window: int = 600):
        self.size, self.renderer = size, renderer
        self.target = min(MAX_FPS, float(refresh_hz)) if refresh_hz and refresh_hz > 0 else MAX_FPS
        self.warmup_s = float(warmup_s)
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
        if median * self.target * SMOOTH_SHARE <= 1.0:
            return None
        self.told = True
        size = self.size() if callable(self.size) else self.size
        return advice(median, len(self.durations), size, self.renderer, self.target)
