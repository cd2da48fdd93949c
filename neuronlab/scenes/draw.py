"""Draw scene: finger-paint a digit on the 16x16 pad; every change re-fires the graph in
the same frame. Beside the pad: what the network actually receives, and its answer."""
from __future__ import annotations

import numpy as np
import pygame

from neuronlab.commands import Pen
from neuronlab.scenes.base import Scene, Stage, titled_background
from neuronlab.strings import format_decimal
from neuronlab.ui import panels, text
from neuronlab.ui.paintpad import PaintPad
from neuronlab.ui.widgets import Button, ButtonBar, panel_surface


class DrawScene(Scene):
    name = "draw"

    def __init__(self):
        super().__init__()
        self.pad = PaintPad()
        self.fingers: set = set()
        self._fed_version = -1

    def pad_rect(self, stage: Stage) -> pygame.Rect:
        side, s = stage.regions.side, stage.s
        # What is left for the pad once the title, the tools and the answer row are placed.
        room = side.h - int(64 * s) - int(110 * s) - self.answer_height(stage) - int(16 * s)
        cell = max(8, int(min((side.w - int(40 * s)) / 16, room / 16)))
        return pygame.Rect(side.x + (side.w - 16 * cell) // 2, side.y + int(70 * s), 16 * cell, 16 * cell)

    @staticmethod
    def answer_height(stage: Stage) -> int:
        return int(190 * stage.s)

    def layout(self, stage: Stage) -> None:
        s, side = stage.s, stage.regions.side
        pr = self.pad_rect(stage)
        gap, bh = int(14 * s), int(72 * s)
        bw = (side.w - 2 * int(16 * s) - 2 * gap) // 3
        y = pr.bottom + int(16 * s)
        x = side.x + (side.w - 3 * bw - 2 * gap) // 2
        self.bar = ButtonBar([
            Button(pygame.Rect(x, y, bw, bh), stage.tr("draw.paint"), "brush", active=not self.pad.eraser),
            Button(pygame.Rect(x + bw + gap, y, bw, bh), stage.tr("draw.eraser"), "eraser", active=self.pad.eraser),
            Button(pygame.Rect(x + 2 * (bw + gap), y, bw, bh), stage.tr("draw.clear"), "clear"),
        ])

    def enter(self, stage: Stage) -> None:
        self.layout(stage)
        stage.session.draw(self.pad.image)
        self._fed_version = self.pad.version

    def exit(self, stage: Stage) -> None:
        self.fingers.clear()
        for pid in list(self.pad._last):
            self.pad.up(pid)

    def reset(self) -> None:
        self.pad.clear()
        self.pad.eraser = False
        self.fingers.clear()

    def on_button(self, stage: Stage, button: Button) -> None:
        if button.action == "clear":
            self.pad.clear()
        else:
            self.pad.eraser = button.action == "eraser"
        self.layout(stage)
        self.feed(stage)

    def _cell(self, stage: Stage, x: float, y: float) -> tuple[float, float]:
        pr = self.pad_rect(stage)
        return (x - pr.x) / pr.w * 16.0, (y - pr.y) / pr.h * 16.0

    def on_pointer(self, stage: Stage, ev) -> bool:
        pr = self.pad_rect(stage)
        if ev.kind == "down" and pr.collidepoint(ev.x, ev.y):
            self.fingers.add(ev.pid)  # this finger belongs to the pad until it lifts
            stage.apply(Pen(ev.pid, "down", *self._cell(stage, ev.x, ev.y)))
        elif ev.kind == "move" and ev.pid in self.fingers:
            cx, cy = self._cell(stage, ev.x, ev.y)
            stage.apply(Pen(ev.pid, "move", min(max(cx, -1.0), 17.0), min(max(cy, -1.0), 17.0)))
        elif ev.kind in ("up", "cancel") and ev.pid in self.fingers:
            self.fingers.discard(ev.pid)
            stage.apply(Pen(ev.pid, "up"))
        else:
            return stage.regions.side.collidepoint(ev.x, ev.y)
        return True

    def pen(self, stage: Stage, pen) -> None:
        """A ``Pen`` command: ink at a cell, and the graph re-fired in this very frame."""
        if pen.kind == "down":
            self.pad.down(pen.pid, pen.x, pen.y)
        elif pen.kind == "move":
            if pen.pid not in self.pad._last:   # its stroke ended (the scene was left): no new ink
                return
            self.pad.move(pen.pid, pen.x, pen.y)
        else:
            self.pad.up(pen.pid)
        self.feed(stage)

    def feed(self, stage: Stage) -> None:
        if self.pad.version != self._fed_version:
            stage.session.draw(self.pad.image)
            self._fed_version = self.pad.version

    def panels(self, stage: Stage) -> None:
        ses, s, side = stage.session, stage.s, stage.regions.side
        pr = self.pad_rect(stage)
        bar_bottom = self.bar.bounds().bottom if self.bar.buttons else pr.bottom
        stage.panel("draw_bg", ("bg", stage.lang, side.w, pr.size, bar_bottom),
                    lambda: titled_background(stage, "draw.title", side.w, bar_bottom - side.y + int(16 * s)), side.topleft)
        cell = pr.w // 16
        stage.panel("pad", ("pad", self.pad.version, pr.size),
                    lambda: panels.digit_image(self.pad.image, cell, grid=True, tint=(255, 236, 200)), pr.topleft)
        stage.buttons("draw_tools", self.bar)
        h = self.answer_height(stage)
        y = side.bottom - h
        recv_w = int(150 * s)
        stage.panel("receives", ("recv", ses.input_version, stage.lang, recv_w, h),
                    lambda: self._receives(stage, recv_w, h), (side.x, y))
        p = ses.fw.p
        guess = int(np.argmax(p))
        out_w = side.w - recv_w - int(10 * s)
        stage.panel("draw_out", ("dout", ses.input_version, ses.train_version, stage.lang, out_w, h),
                    lambda: _compact_output(stage, p, guess, out_w, h), (side.x + recv_w + int(10 * s), y))

    def _receives(self, stage: Stage, width: int, height: int) -> pygame.Surface:
        """The network's true input (after the pad-to-network path)."""
        s = stage.s
        pad = int(10 * s)
        surf = panel_surface((width, height))
        y = text.blit_wrapped(surf, stage.tr("draw.receives"), (pad, pad), int(15 * s), width - 2 * pad,
                              panels.DIM, line_gap=1.15)
        cell = max(2, min((width - 2 * pad) // 16, (height - y - pad) // 16))
        img = panels.digit_image(stage.session.x.reshape(16, 16), cell, grid=False)
        surf.blit(img, ((width - img.get_width()) // 2, y + 2))
        return surf


def _compact_output(stage: Stage, p: np.ndarray, guess: int, width: int, height: int) -> pygame.Surface:
    """The 10 answer neurons as upright bars in one row, the guess highlighted, and their sum."""
    s = stage.s
    pad, px = int(12 * s), int(18 * s)
    surf = panel_surface((width, height))
    big = text.render(stage.tr("output.guess", digit=guess), int(px * 1.15), panels.GOOD, bold=True)
    surf.blit(big, (pad, pad))
    total = text.render(stage.tr("output.sum", total=format_decimal(stage.lang, float(np.sum(p, dtype=np.float64)), 3)),
                        int(px * 0.8), panels.DIM)
    surf.blit(total, (width - pad - total.get_width(), pad + int(4 * s)))
    top = pad + int(px * 1.6) + int(px * 0.9)
    bottom = height - pad - int(px * 1.2)
    slot = (width - 2 * pad) / 10
    bar_w = int(slot * 0.6)
    for d in range(10):
        pr = float(p[d])
        x = int(pad + d * slot + (slot - bar_w) / 2)
        pygame.draw.rect(surf, (40, 50, 75), (x, top, bar_w, bottom - top), border_radius=4)
        hgt = max(2, int((bottom - top) * pr))
        pygame.draw.rect(surf, panels.GOOD if d == guess else (120, 140, 190),
                         (x, bottom - hgt, bar_w, hgt), border_radius=4)
        v = text.render(format_decimal(stage.lang, pr, 2), int(px * 0.62), panels.WHITE)
        surf.blit(v, (x + bar_w // 2 - v.get_width() // 2, top - v.get_height()))
        lab = text.render(str(d), px, panels.WHITE, bold=d == guess)
        surf.blit(lab, (x + bar_w // 2 - lab.get_width() // 2, bottom + 2))
    return surf
