"""Gestures: pointer events become taps, orbits, pans and pinches for the graph.

Owns what a finger means on the 3D graph (KIOSK: tap < 300 ms and < 10 px; one
finger orbits, two pan and pinch; double tap focuses or resets). It consumes
``PointerEvent``/``WheelEvent`` from pointer.py and returns gesture events in
window pixels; it never touches the camera itself.

- ``Press`` on every down, so the scene can light up what is under the finger on
  the very next frame.
- ``Tap`` is sent at once on the up of a tap (no waiting to rule out a double
  tap); a second tap soon after and near the first sends ``DoubleTap`` instead
  of a second ``Tap``. Scenes therefore see select-then-focus, which reads well.
- ``Orbit`` once a single primary pointer travels beyond the tap slop; the first
  ``Orbit`` carries the whole way travelled so the scene catches up with the
  finger. A right/middle mouse drag sends ``Pan`` instead.
- With two or more fingers the first two drive ``Pan`` (centroid motion) and
  ``Zoom`` (factor = new finger distance / old: fingers spreading to twice
  their distance give a factor of 2, which the camera reads as "zoom in twice").
  After a two-finger gesture the remaining finger does nothing until all lift,
  so lifting one finger of a pinch does not jerk the view round.
- A wheel notch is ``Zoom(wheel_step ** dy)`` about the mouse.
- ``LongPress`` on the up of a finger held still (within the tap slop) for at least
  ``long_press_ms``: a deliberate hold, never a tap or a drag (a hold between the two
  thresholds is neither).
- ``Release`` on every up or cancel, ``cancelled`` telling which.

Time comes in on the events (``t``), never from a clock. Imports nothing but the
standard library (and pointer.py's event kinds).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from neuronlab.input.pointer import CANCEL, DOWN, MOVE, UP, PointerEvent, WheelEvent


@dataclass(frozen=True, slots=True)
class Press:
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class Release:
    x: float
    y: float
    cancelled: bool = False


@dataclass(frozen=True, slots=True)
class Tap:
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class LongPress:
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class DoubleTap:
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class Orbit:
    dx: float
    dy: float


@dataclass(frozen=True, slots=True)
class Pan:
    dx: float
    dy: float


@dataclass(frozen=True, slots=True)
class Zoom:
    factor: float  # > 1 zooms in
    cx: float
    cy: float


@dataclass(slots=True)
class _Track:
    x: float
    y: float
    x0: float
    y0: float
    t0: float
    pan: bool
    dragging: bool = False
    tap_ok: bool = True   # still could be a tap


class GestureRecognizer:
    """Feed pointer and wheel events; get gestures back."""

    def __init__(self, tap_ms: float = 300.0, tap_px: float = 10.0,
                 double_tap_ms: float = 300.0, double_tap_px: float = 40.0,
                 wheel_step: float = 1.15, max_pointers: int = 10,
                 long_press_ms: float = 600.0) -> None:
        self.tap_s = float(tap_ms) / 1000.0
        self.long_press_s = max(float(long_press_ms), float(tap_ms)) / 1000.0
        self.tap_px = float(tap_px)
        # Measured from the first tap's up to the second tap's down (as Android does).
        self.double_tap_s = float(double_tap_ms) / 1000.0
        # Wider than tap slop: a second tap never lands on the same pixel.
        self.double_tap_px = float(double_tap_px)
        self.wheel_step = float(wheel_step)
        self.max_pointers = int(max_pointers)
        self.reset()

    def reset(self) -> None:
        """Forget every pointer and the last tap (attract mode, scene change)."""
        self._tracks: dict[tuple, _Track] = {}   # insertion order = order of going down
        self._multi = False                      # a 2+ finger gesture happened since all were up
        self._pair: tuple | None = None          # the two pids driving pan/zoom
        self._pair_centre = (0.0, 0.0)
        self._pair_dist = 0.0
        self._last_tap: tuple[float, float, float] | None = None  # (t_up, x, y)

    @property
    def active_count(self) -> int:
        return len(self._tracks)

    def feed(self, ev) -> list:
        if isinstance(ev, WheelEvent):
            return self._wheel(ev)
        if not isinstance(ev, PointerEvent):
            return []
        if ev.kind == DOWN:
            return self._down(ev)
        if ev.kind == MOVE:
            return self._move(ev)
        if ev.kind in (UP, CANCEL):
            return self._up(ev, cancelled=ev.kind == CANCEL)
        return []  # hover: nothing to recognise

    # --------------------------------------------------------------- pointers
    def _down(self, ev: PointerEvent) -> list:
        out = []
        if ev.pid in self._tracks:  # down twice without an up: treat the first as lost
            out += self._up(ev, cancelled=True)
        if len(self._tracks) >= self.max_pointers:
            return out
        self._tracks[ev.pid] = _Track(ev.x, ev.y, ev.x, ev.y, ev.t, ev.pan)
        if len(self._tracks) >= 2:
            self._multi = True
            for tr in self._tracks.values():
                tr.tap_ok = False
            self._choose_pair()
        out.append(Press(ev.x, ev.y))
        return out

    def _move(self, ev: PointerEvent) -> list:
        tr = self._tracks.get(ev.pid)
        if tr is None:
            return []
        px, py = tr.x, tr.y
        tr.x, tr.y = ev.x, ev.y
        if self._multi:
            return self._pair_motion() if ev.pid in (self._pair or ()) else []
        if not tr.dragging:
            if math.hypot(ev.x - tr.x0, ev.y - tr.y0) <= self.tap_px:
                return []
            tr.dragging, tr.tap_ok = True, False
            px, py = tr.x0, tr.y0  # first drag step carries the slop travelled
        dx, dy = ev.x - px, ev.y - py
        if dx == 0.0 and dy == 0.0:
            return []
        return [Pan(dx, dy) if tr.pan else Orbit(dx, dy)]

    def _up(self, ev: PointerEvent, cancelled: bool) -> list:
        tr = self._tracks.pop(ev.pid, None)
        if tr is None:
            return []
        out: list = [Release(ev.x, ev.y, cancelled)]
        if (not cancelled and tr.tap_ok and not tr.pan and not self._multi
                and ev.t - tr.t0 <= self.tap_s
                and math.hypot(ev.x - tr.x0, ev.y - tr.y0) <= self.tap_px):
            out.append(self._tap(ev.x, ev.y, tr.t0, ev.t))
        elif (not cancelled and tr.tap_ok and not tr.pan and not self._multi
                and ev.t - tr.t0 >= self.long_press_s
                and math.hypot(ev.x - tr.x0, ev.y - tr.y0) <= self.tap_px):
            self._last_tap = None
            out.append(LongPress(ev.x, ev.y))
        if not self._tracks:
            self._multi = False
            self._pair = None
        elif self._multi and ev.pid in (self._pair or ()):
            self._choose_pair()
        return out

    def _tap(self, x: float, y: float, t_down: float, t_up: float):
        last = self._last_tap
        if (last is not None and 0.0 <= t_down - last[0] <= self.double_tap_s
                and math.hypot(x - last[1], y - last[2]) <= self.double_tap_px):
            self._last_tap = None  # a third tap starts afresh
            return DoubleTap(x, y)
        self._last_tap = (t_up, x, y)
        return Tap(x, y)

    # -------------------------------------------------------------- two fingers
    def _choose_pair(self) -> None:
        pids = list(self._tracks)[:2]
        if len(pids) < 2:
            self._pair = None
            return
        self._pair = (pids[0], pids[1])
        self._pair_centre, self._pair_dist = self._pair_geometry()

    def _pair_geometry(self) -> tuple[tuple[float, float], float]:
        a, b = (self._tracks[p] for p in self._pair)
        return ((a.x + b.x) * 0.5, (a.y + b.y) * 0.5), math.hypot(a.x - b.x, a.y - b.y)

    def _pair_motion(self) -> list:
        (cx, cy), dist = self._pair_geometry()
        (ox, oy), odist = self._pair_centre, self._pair_dist
        out: list = []
        if (cx, cy) != (ox, oy):
            out.append(Pan(cx - ox, cy - oy))
        # Fingers almost touching give a meaningless ratio; wait until they part.
        if odist >= 1.0 and dist >= 1.0 and dist != odist:
            out.append(Zoom(dist / odist, cx, cy))
        self._pair_centre = (cx, cy)
        if dist >= 1.0 or odist < 1.0:
            self._pair_dist = dist
        return out

    # ------------------------------------------------------------------ wheel
    def _wheel(self, ev: WheelEvent) -> list:
        if not math.isfinite(ev.dy) or ev.dy == 0.0:
            return []
        return [Zoom(self.wheel_step ** max(min(ev.dy, 20.0), -20.0), ev.x, ev.y)]
