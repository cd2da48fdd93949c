"""One pointer stream: SDL finger and mouse events become ``PointerEvent``s in window pixels.

Owns the edge between SDL and the exhibit. Finger x, y (0-1) are turned into
window pixels here, once. SDL's mouse copies of a finger (``event.touch`` True)
are dropped so a tap is never handled twice, while a real desktop mouse keeps
working: the left button is an ordinary pointer, the right (and middle) button
a pointer flagged ``pan`` because desktop right-drag pans. A finger whose
up event never arrives (SDL bug 9709 on X11) is cancelled by ``expire``. At most
``max_pointers`` pointers are live, so a storm of touches cannot grow state.

Pointer ids: fingers are ``("f", touch_id, finger_id)``, mouse buttons
``("m", button)``, the hovering mouse ``("m", 0)``.

Imports pygame (for event type constants) and nothing else of the exhibit.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import pygame

DOWN, MOVE, UP, CANCEL, HOVER = "down", "move", "up", "cancel", "hover"

_PAN_BUTTONS = (2, 3)      # middle and right drag pan on a desktop
_POINTER_BUTTONS = (1, 2, 3)  # 4/5 are the legacy wheel; MOUSEWHEEL carries it


@dataclass(frozen=True, slots=True)
class PointerEvent:
    """One finger or mouse button doing one thing, in window pixels (y down)."""

    kind: str          # "down" | "move" | "up" | "cancel" | "hover"
    pid: tuple
    x: float
    y: float
    t: float           # seconds, the ``now`` it was fed at
    touch: bool        # True for a finger
    pan: bool = False  # True for a right/middle mouse drag


@dataclass(frozen=True, slots=True)
class WheelEvent:
    """A wheel notch (dy > 0: away from the user) at the mouse position."""

    dy: float
    x: float
    y: float
    t: float = 0.0


@dataclass(slots=True)
class _Live:
    x: float
    y: float
    still_since: float   # last time it moved (or went down)
    touch: bool
    pan: bool


class PointerInput:
    """Turns SDL events into pointer events; feed it every event each frame."""

    def __init__(self, window_size, max_pointers: int = 10) -> None:
        self.set_window_size(window_size)
        self.max_pointers = int(max_pointers)
        self._live: dict[tuple, _Live] = {}
        self._mouse_xy = (0.0, 0.0)

    def set_window_size(self, window_size) -> None:
        w, h = window_size
        self._w, self._h = float(w), float(h)

    @property
    def live_count(self) -> int:
        return len(self._live)

    def positions(self) -> dict[tuple, tuple[float, float]]:
        """Live pointers and where they are now."""
        return {pid: (p.x, p.y) for pid, p in self._live.items()}

    # ------------------------------------------------------------------ feed
    def feed(self, event, now: float) -> list:
        """Pointer/Wheel events for one SDL event (usually zero or one)."""
        et = getattr(event, "type", None)
        if et in (pygame.FINGERDOWN, pygame.FINGERMOTION, pygame.FINGERUP):
            return self._finger(event, et, float(now))
        if et in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION,
                  pygame.MOUSEWHEEL):
            if getattr(event, "touch", False):
                return []  # SDL's copy of a finger: the finger itself was handled
            return self._mouse(event, et, float(now))
        if et == pygame.WINDOWFOCUSLOST:
            # Buttons released while another window had focus never report up.
            return self.cancel_all(now)
        return []

    def _finger(self, event, et, now: float) -> list:
        try:
            pid = ("f", int(event.touch_id), int(event.finger_id))
            x, y = float(event.x) * self._w, float(event.y) * self._h
        except (AttributeError, TypeError, ValueError):
            return []
        if not (math.isfinite(x) and math.isfinite(y)):
            return []
        live = self._live.get(pid)
        if et == pygame.FINGERDOWN:
            out = []
            if live is not None:  # a reused id whose up was lost
                out.append(PointerEvent(CANCEL, pid, live.x, live.y, now, True))
                del self._live[pid]
            if len(self._live) >= self.max_pointers:
                return out
            self._live[pid] = _Live(x, y, now, True, False)
            out.append(PointerEvent(DOWN, pid, x, y, now, True))
            return out
        if live is None:
            return []  # never went down (dropped, expired): nothing to move or lift
        if et == pygame.FINGERMOTION:
            if (x, y) != (live.x, live.y):
                live.still_since = now
            live.x, live.y = x, y
            return [PointerEvent(MOVE, pid, x, y, now, True)]
        del self._live[pid]
        return [PointerEvent(UP, pid, x, y, now, True)]

    def _mouse(self, event, et, now: float) -> list:
        if et == pygame.MOUSEWHEEL:
            dy = getattr(event, "precise_y", None)
            dy = float(event.y if dy is None else dy)
            if getattr(event, "flipped", False):
                dy = -dy  # SDL reports natural scrolling inverted
            if not math.isfinite(dy) or dy == 0.0:
                return []
            return [WheelEvent(dy, self._mouse_xy[0], self._mouse_xy[1], now)]
        try:
            x, y = (float(v) for v in event.pos)
        except (AttributeError, TypeError, ValueError):
            return []
        if not (math.isfinite(x) and math.isfinite(y)):
            return []
        self._mouse_xy = (x, y)
        if et == pygame.MOUSEMOTION:
            held = [pid for pid, p in self._live.items() if not p.touch]
            if not held:
                return [PointerEvent(HOVER, ("m", 0), x, y, now, False)]
            out = []
            for pid in held:
                live = self._live[pid]
                live.x, live.y, live.still_since = x, y, now
                out.append(PointerEvent(MOVE, pid, x, y, now, False, live.pan))
            return out
        button = getattr(event, "button", 0)
        if button not in _POINTER_BUTTONS:
            return []
        pid = ("m", button)
        pan = button in _PAN_BUTTONS
        live = self._live.get(pid)
        if et == pygame.MOUSEBUTTONDOWN:
            out = []
            if live is not None:
                out.append(PointerEvent(CANCEL, pid, live.x, live.y, now, False, live.pan))
                del self._live[pid]
            if len(self._live) >= self.max_pointers:
                return out
            self._live[pid] = _Live(x, y, now, False, pan)
            out.append(PointerEvent(DOWN, pid, x, y, now, False, pan))
            return out
        if live is None:
            return []
        del self._live[pid]
        return [PointerEvent(UP, pid, x, y, now, False, pan)]

    # ---------------------------------------------------------------- expiry
    def expire(self, now: float, max_still_s: float = 10.0) -> list:
        """Cancel fingers that have been down and motionless longer than
        ``max_still_s`` (their up was probably lost). Call once a frame.
        The 10 s default is a guess: longer than anyone rests a finger on purpose."""
        now = float(now)
        stale = [pid for pid, p in self._live.items()
                 if p.touch and now - p.still_since > max_still_s]
        out = []
        for pid in stale:
            p = self._live.pop(pid)
            out.append(PointerEvent(CANCEL, pid, p.x, p.y, now, True, p.pan))
        return out

    def cancel_all(self, now: float) -> list:
        """Cancel every live pointer (focus lost, attract mode starting)."""
        out = [PointerEvent(CANCEL, pid, p.x, p.y, float(now), p.touch, p.pan)
               for pid, p in self._live.items()]
        self._live.clear()
        return out
