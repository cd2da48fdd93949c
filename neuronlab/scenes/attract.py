"""The attract tour: the real exhibit playing itself while nobody is there.

Owns the script of attract mode, not its start or end (``kiosk.py`` decides those). One
loop: a digit is drawn stroke by stroke on the Draw pad (a random digit, style and hand:
size, slant, offset, pace) and the graph fires; a neuron of the drawn digit opens in the
Inspector and its sum is walked bar by bar, biggest first, the wire lit in 3D; the
network is reset and learns from scratch at the story pace, then the time machine plays
its snapshots back as a time-lapse (the first-layer pictures forming from noise); then a
pause where only the invitation speaks. The two halves come in random order and the language steps
through ``languages`` once per loop, so the tour never repeats exactly.

The script is a generator that is sent ``dt`` each frame: time is passed in, so a test can
play minutes of the tour in a second. It reads the exhibit (``host`` is the ``Exhibit``)
and changes it only by commands (``host.apply``): they land at the next frame's one
point of change, in the order made, like a visitor's taps.
"""
from __future__ import annotations

import math

import numpy as np

from neuronlab import commands as cmd
from neuronlab.nn import strokes as strokes_mod
from neuronlab.session import Neuron

PEN = ("attract", 0)         # the tour's own pointer id on the pad
PEN_SPEED = 16.0             # cells per second: a calm, legible hand
TIMELAPSE_S = 6.0            # the time machine's snapshots played back in this long


class AttractTour:
    def __init__(self, host, seed: int = 0, languages: tuple[str, ...] = (), default_speed: int = 4):
        self.host = host
        self.rng = np.random.default_rng(seed)
        self.languages = tuple(languages)
        self.default_speed = int(default_speed)
        self.active = False
        self.loops = 0               # loops begun since start()
        self.phase: str | None = None   # "draw" | "neuron" | "learn" | "invite"
        self.caption: str | None = None  # strings key of the caption on screen
        self.elapsed = 0.0           # seconds since start()
        self.digits_drawn = 0
        self.neurons_opened = 0
        self.last_digit: int | None = None
        self._script = None
        self._styles = strokes_mod.styles()

    # ------------------------------------------------------------------ control
    def start(self) -> None:
        self.active = True
        self.loops = 0
        self.elapsed = 0.0
        self._script = self._tour()
        next(self._script)

    def stop(self) -> None:
        """End the tour where it stands; the pen is lifted, nothing stays lit."""
        if self._script is not None:
            self._script.close()
            self._script = None
        self.active = False
        self.phase = self.caption = None
        # A visitor who walks up always gets the network that has learned.
        for c in (cmd.EndDemo(), cmd.Pen(PEN, "up"), cmd.Highlight(None)):
            self.host.apply(c)

    def update(self, dt: float) -> None:
        if not self.active or self._script is None:
            return
        self.elapsed += dt
        self._script.send(float(dt))

    # ------------------------------------------------------------------ script
    def _wait(self, seconds: float, orbit_px_per_s: float = 0.0):
        left = float(seconds)
        while left > 0:
            dt = yield
            left -= dt
            if orbit_px_per_s:
                # A slow drift round the graph keeps the picture alive from afar.
                self.host.apply(cmd.OrbitCamera(orbit_px_per_s * dt, 0.0))

    def _tour(self):
        yield
        while True:
            if self.languages:
                lang = self.languages[self.loops % len(self.languages)]
                if lang != self.host.lang:
                    self.host.apply(cmd.SetLanguage(lang))
            self.loops += 1
            halves = [self._draw_and_open, self._learn]
            if self.rng.random() < 0.5:
                halves.reverse()
            for half in halves:
                yield from half()
            yield from self._invite()

    def _draw_and_open(self):
        yield from self._draw_digit()
        yield from self._open_neuron()

    def _digit_strokes(self) -> tuple[int, list[np.ndarray]]:
        """A random digit in a random style and hand, as strokes in pad cells (x, y)."""
        rng = self.rng
        d = int(rng.integers(10))
        style = self._styles[d][int(rng.integers(len(self._styles[d])))]
        scale = rng.uniform(0.82, 1.0) * 13.0         # the unit box -> cells
        slant = math.radians(rng.uniform(-10, 10))
        off = rng.uniform(-0.8, 0.8, size=2)
        c, s = math.cos(slant), math.sin(slant)
        rot = np.array([[c, -s], [s, c]])
        out = []
        for stroke in style:
            p = (np.asarray(stroke, np.float64) - 0.5) @ rot.T * scale + 8.0 + off   # (m, 2)
            out.append(np.clip(p, 0.3, 15.7))
        return d, out

    def _draw_digit(self):
        ex = self.host.apply
        self.phase, self.caption = "draw", "attract.tour_draw"
        ex(cmd.SwitchScene("draw"))
        ex(cmd.ClearPad())
        yield from self._wait(0.8)
        digit, strokes = self._digit_strokes()
        pace = PEN_SPEED * self.rng.uniform(0.8, 1.25)
        for stroke in strokes:
            seg = np.hypot(*np.diff(stroke, axis=0).T)
            cum = np.concatenate([[0.0], np.cumsum(seg)])          # arclength at each point
            ex(cmd.Pen(PEN, "down", *map(float, stroke[0])))
            t, at = 0.0, 0
            while at < len(stroke) - 1:
                dt = yield
                t += dt
                at = int(np.searchsorted(cum, t * pace, side="right")) - 1
                at = min(max(at, 0), len(stroke) - 1)
                ex(cmd.Pen(PEN, "move", *map(float, stroke[at])))   # the graph fires as the ink lands
            ex(cmd.Pen(PEN, "up"))
            yield from self._wait(0.25)
        self.digits_drawn += 1
        self.last_digit = digit
        self.caption = "attract.tour_fire"
        yield from self._wait(self.rng.uniform(2.5, 4.0))

    def _pick_neuron(self) -> Neuron:
        ses, rng = self.host.session, self.rng
        layer = int(rng.choice((1, 2, 3), p=(0.3, 0.3, 0.4)))
        a = ses.fw.activations[layer]
        if layer == 3 and rng.random() < 0.7:
            return Neuron(3, int(np.argmax(a)))          # the answer it gave
        top = np.argsort(-a, kind="stable")[:3]          # a neuron that has something to say
        return Neuron(layer, int(rng.choice(top)))

    def _open_neuron(self):
        ex = self.host.apply
        self.phase, self.caption = "neuron", "attract.tour_neuron"
        ex(cmd.SwitchScene("inspector"))
        ex(cmd.ShowDrawing())     # keep the drawn digit on display, not a training sample
        n = self._pick_neuron()
        ex(cmd.Select(n))
        self.neurons_opened += 1
        ex(cmd.FocusNeuron(n))
        yield from self._wait(1.5)
        contrib, _, _ = self.host.session.contributions(n)
        for src in np.argsort(-np.abs(contrib), kind="stable")[:int(self.rng.integers(4, 7))]:
            ex(cmd.Highlight((n.layer, int(src), n.index)))
            yield from self._wait(0.9)
        ex(cmd.Highlight(None))
        yield from self._wait(1.5)
        ex(cmd.ResetCamera())

    def _learn(self):
        ex = self.host.apply
        self.phase, self.caption = "learn", "attract.tour_learn"
        # StartDemo learns from nothing at the story pace: slow enough to watch at x4
        for c in (cmd.SwitchScene("graph"), cmd.Select(None), cmd.ShowTraining(), cmd.StartDemo(),
                  cmd.SetSpeed(self.default_speed)):
            ex(c)
        yield from self._wait(self.rng.uniform(20.0, 30.0), orbit_px_per_s=6.0)
        yield from self._timelapse()
        ex(cmd.EndDemo())
        ex(cmd.SetSpeed(self.default_speed))

    def _timelapse(self):
        """The snapshots of the learning just watched, oldest first, then back to now."""
        ex = self.host.apply
        n = len(self.host.session.timeline.snapshots)
        if n < 2:
            return
        self.phase, self.caption = "timelapse", "attract.tour_timelapse"
        t, shown = 0.0, -1
        while shown < n - 1:
            i = min(n - 1, int(t / TIMELAPSE_S * n))
            if i != shown:
                shown = i
                ex(cmd.TimeTravel(i))
            t += yield
        yield from self._wait(1.5)
        ex(cmd.BackToNow())

    def _invite(self):
        ex = self.host.apply
        self.phase, self.caption = "invite", None
        ex(cmd.SwitchScene("graph"))
        ex(cmd.SetSpeed(self.default_speed))
        yield from self._wait(self.rng.uniform(6.0, 9.0), orbit_px_per_s=-6.0)
        ex(cmd.ResetCamera())
