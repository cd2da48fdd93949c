"""Who owns each finger: a button, the active scene, or the 3D graph.

A finger belongs to whatever received its DOWN until it lifts (Kivy calls this grabbing).
Buttons are hit-tested against the rectangles the controls layout computed; a tap that
ends on its button becomes commands; fingers on the graph go to the gesture recogniser,
whose gestures become camera and pick commands (a long press on a hidden neuron, a
knock-out). The scene's own fingers (the pad's ink,
the Inspector's bars) go to ``scene.on_pointer``.
"""
from __future__ import annotations

from typing import Callable

from neuronlab import commands as cmd
from neuronlab.input.gestures import DoubleTap, GestureRecognizer, LongPress, Orbit, Pan, Tap, Zoom
from neuronlab.input.pointer import WheelEvent


class PointerRouter:
    def __init__(self, gestures: GestureRecognizer, *, buttons: Callable, scene: Callable,
                 press: Callable, pick: Callable, zoom_about: Callable, apply: Callable,
                 viewport_h: Callable):
        """``buttons()`` the bars now on screen; ``scene()`` -> (scene, stage); ``press(b)`` a
        tapped button; ``pick(x, y)`` -> Neuron | None; ``zoom_about(cx, cy)`` the world point
        a pinch zooms about; ``apply(command)`` queues."""
        self.gestures = gestures
        self.grabbed: dict = {}     # pointer id -> ("button", Button) | ("scene", None) | ("graph", None)
        self.holding: dict = {}     # pointer id -> (Button, time of its DOWN) for press-and-hold buttons
        self._buttons, self._scene, self._press = buttons, scene, press
        self._pick, self._zoom_about, self._apply, self._viewport_h = pick, zoom_about, apply, viewport_h

    def hit_button(self, x: float, y: float):
        for bar in self._buttons():
            b = bar.hit(x, y)
            if b is not None:
                return b
        return None

    def feed(self, pe) -> None:
        if isinstance(pe, WheelEvent):
            self._gestures(self.gestures.feed(pe))
            return
        scene, stage = self._scene()
        owner = self.grabbed.get(pe.pid)
        if pe.kind == "down":
            b = self.hit_button(pe.x, pe.y)
            if b is not None:
                self.grabbed[pe.pid] = ("button", b)
                b.pressed = True  # feedback on the very next frame
                if b.hold_s > 0:
                    self.holding[pe.pid] = (b, pe.t)
                return
            if scene.on_pointer(stage, pe):
                self.grabbed[pe.pid] = ("scene", None)
                return
            self.grabbed[pe.pid] = ("graph", None)
            self._gestures(self.gestures.feed(pe))
            return
        if pe.kind == "hover":
            if not scene.on_pointer(stage, pe):
                self.gestures.feed(pe)
            return
        if owner is None:
            return
        what, b = owner
        ending = pe.kind in ("up", "cancel")
        if what == "button":
            if ending:
                b.pressed = False
                b.progress = 0.0
                del self.grabbed[pe.pid]
                # a hold button acts only from update_holds; lifting early does nothing
                self.holding.pop(pe.pid, None)
                if pe.kind == "up" and b.hold_s <= 0 and b.rect.collidepoint(pe.x, pe.y):
                    self._press(b)
            elif b.hold_s > 0 and not b.rect.collidepoint(pe.x, pe.y):
                self.holding.pop(pe.pid, None)   # sliding off lets go of the hold
                b.progress = 0.0
        elif what == "scene":
            scene.on_pointer(stage, pe)
            if ending:
                del self.grabbed[pe.pid]
        else:
            self._gestures(self.gestures.feed(pe))
            if ending:
                del self.grabbed[pe.pid]

    def update_holds(self, now: float) -> None:
        """Fill each held button's ring; one held long enough acts, once, while still down."""
        for pid, (b, t0) in list(self.holding.items()):
            b.progress = min(1.0, (now - t0) / b.hold_s)
            if b.progress >= 1.0:
                del self.holding[pid]
                b.progress = 0.0
                self._press(b)

    def _gestures(self, gestures) -> None:
        for g in gestures or ():
            if isinstance(g, Tap):
                self._apply(cmd.Pick(self._pick(g.x, g.y)))
            elif isinstance(g, LongPress):
                n = self._pick(g.x, g.y)
                if n is not None and n.layer in (1, 2):     # only hidden neurons switch off
                    self._apply(cmd.KnockOut(n))
            elif isinstance(g, DoubleTap):
                n = self._pick(g.x, g.y)
                self._apply(cmd.ResetCamera() if n is None else cmd.FocusNeuron(n))
            elif isinstance(g, Orbit):
                self._apply(cmd.OrbitCamera(g.dx, g.dy))
            elif isinstance(g, Pan):
                self._apply(cmd.PanCamera(g.dx, g.dy, self._viewport_h()))
            elif isinstance(g, Zoom):
                about = self._zoom_about(g.cx, g.cy)
                self._apply(cmd.ZoomCamera(g.factor, tuple(float(v) for v in about)
                                           if about is not None else None))
