"""Probe scene: feed the network a clean digit or a random test image. Training pauses
and the answer is withheld from the network; the panel shows it to the visitor only.

The scene leads with its mistakes: on entering it shows the first test digit the network
gets wrong now (if any), and the strip above lists them, each labelled "it said 2 · it
was 7"; a wrong answer in the panel carries the same label."""
from __future__ import annotations

import numpy as np
import pygame

from neuronlab.nn import digits
from neuronlab.commands import SceneButton
from neuronlab.scenes.base import Scene, Stage, titled_background
from neuronlab.strings import format_decimal
from neuronlab.scenes.strips import MistakeStrip, mistake_label
from neuronlab.ui import panels, text
from neuronlab.ui.widgets import Button, ButtonBar, panel_surface


class ProbeScene(Scene):
    name = "probe"

    def __init__(self, seed: int = 0):
        super().__init__()
        self.rng = np.random.default_rng(seed)
        self.last_digit = 3
        self.mistakes = MistakeStrip()

    def layout(self, stage: Stage) -> None:
        s, side = stage.s, stage.regions.side
        gap = int(8 * s)
        # one row of the ten digits (a keypad, like the Draw scene's answer buttons), then
        # a random test digit; in a wide panel both stay in its left half
        w = self._column_w(stage)
        bw = (w - 2 * int(16 * s) - 9 * gap) // 10
        bh = int(64 * s)
        x0, y0 = side.x + int(16 * s), side.y + int(64 * s)
        buttons = [Button(pygame.Rect(x0 + d * (bw + gap), y0, bw, bh), str(d), f"digit:{d}",
                          font_px=int(30 * s)) for d in range(10)]
        y = y0 + bh + int(10 * s)
        buttons.append(Button(pygame.Rect(x0, y, w - 2 * int(16 * s), bh), stage.tr("probe.random"), "random"))
        self.bar = ButtonBar(buttons)

    @staticmethod
    def _column_w(stage: Stage) -> int:
        """The width the keypad and the result take: half of a wide (portrait) panel."""
        side, s = stage.regions.side, stage.s
        return (side.w - int(12 * s)) // 2 if side.w >= int(1000 * s) else side.w

    def enter(self, stage: Stage) -> None:
        self.layout(stage)
        self.mistakes.refresh(stage)
        if len(self.mistakes.indices):
            self.send_test(stage, int(self.mistakes.indices[0]))
        else:
            self.send(stage, self.last_digit)

    def send_test(self, stage: Stage, idx: int) -> None:
        """Probe with test digit ``idx`` (its answer known, withheld from the network)."""
        ses = stage.session
        ses.probe_network_input(ses.test_X[idx], int(ses.test_y[idx]))

    def send(self, stage: Stage, what) -> None:
        if what == "random":
            # A pad-like test image would need the raw test set; the network-ready test
            # set is what is fixed, so show its input directly as the "image".
            i = int(self.rng.integers(len(stage.session.test_y)))
            x = stage.session.test_X[i]
            stage.session.probe_network_input(x, int(stage.session.test_y[i]))
        else:
            d = int(str(what).removeprefix("digit:"))
            self.last_digit = d
            stage.session.probe(digits.clean_digit(d), d)

    def on_button(self, stage: Stage, button: Button) -> None:
        if isinstance(button.action, tuple) and button.action[0] == "mistake":
            self.send_test(stage, int(button.action[1]))
            return
        self.send(stage, button.action)

    def on_pointer(self, stage: Stage, ev) -> bool:
        idx = self.mistakes.hit(stage, ev.x, ev.y)
        if idx is not None:
            if ev.kind == "down":
                stage.apply(SceneButton(self.name, ("mistake", int(idx))))
            return ev.kind != "hover"
        return stage.regions.side.collidepoint(ev.x, ev.y) and ev.kind != "hover"

    def panels(self, stage: Stage) -> None:
        ses, s, side = stage.session, stage.s, stage.regions.side
        bottom = self.bar.bounds().bottom
        self.mistakes.show(stage)
        w = self._column_w(stage)
        stage.panel("probe_bg", ("pbg", stage.lang, w, bottom),
                    lambda: titled_background(stage, "probe.title", w, bottom - side.y + int(16 * s)), side.topleft)
        stage.buttons("probe_buttons", self.bar)
        y = bottom + int(24 * s)
        res = stage.panel("probe_result", ("pres", ses.input_version, ses.train_version, stage.lang, w),
                          lambda: self._result(stage, w), (side.x, y))
        p = ses.fw.p
        guess = int(np.argmax(p))
        out_xy = (side.right - w, side.y) if w < side.w else (side.x, res.bottom + int(12 * s))
        stage.panel("probe_out", ("pout", ses.input_version, ses.train_version, stage.lang, w),
                    lambda: panels.output_bars(stage.tr, s, p, guess, ses.label, w, stage.lang), out_xy)

    def _result(self, stage: Stage, width: int) -> pygame.Surface:
        ses, tr, s = stage.session, stage.tr, stage.s
        pad, px = int(16 * s), int(22 * s)
        cell = int(9 * s)
        guess = int(np.argmax(ses.fw.p))
        wrong = ses.label is not None and guess != ses.label
        h = pad * 2 + 16 * cell + (int(px * 1.4) if wrong else 0)   # room for the mistake's label
        surf = panel_surface((width, h))
        surf.blit(panels.digit_image(ses.x.reshape(16, 16), cell, grid=False), (pad, pad))
        x0 = pad + 16 * cell + int(20 * s)
        right = panels.GOOD if ses.label is None or guess == ses.label else panels.BAD
        rows = [(tr("super.answer"), str(ses.label) if ses.label is not None else "?", panels.WHITE),
                (tr("super.guess"), str(guess), right)]
        if ses.label is not None:
            rows.append((tr("super.loss"), format_decimal(stage.lang, ses.fw.loss(ses.label), 3), panels.WHITE))
        y = panels.value_rows(surf, rows, x0, width - pad, pad, px)
        if wrong:
            surf.blit(text.render(mistake_label(tr, guess, ses.label), px, panels.BAD, bold=True), (x0, y + 2))
            y += int(px * 1.4)
        text.blit_wrapped(surf, tr("super.withheld"), (x0, y + 4), int(px * 0.75), width - x0 - pad, panels.DIM)
        return surf
