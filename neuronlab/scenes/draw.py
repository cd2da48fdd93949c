"""Draw scene: finger-paint a digit on the 16x16 pad; every change re-fires the graph in
the same frame. Beside the pad: what the network actually receives, and its answer."""
from __future__ import annotations

import numpy as np
import pygame

from neuronlab.scenes.base import Scene, Stage
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
        cell = max(8, int(min((side.w - int(40 * s)) / 16, side.h * 0.55 / 16)))
        return pygame.Rect(side.x + (side.w - 16 * cell) // 2, side.y + int(70 * s), 16 * cell, 16 * cell)

    def layout(self, stage: Stage) -> None:
        s, side = stage.s, stage.regions.side
        pr = self.pad_rect(stage)
        bw, bh, gap = int(190 * s), int(72 * s), int(14 * s)
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
            self.pad.down(ev.pid, *self._cell(stage, ev.x, ev.y))
        elif ev.kind == "move" and ev.pid in self.fingers:
            cx, cy = self._cell(stage, ev.x, ev.y)
            self.pad.move(ev.pid, min(max(cx, -1.0), 17.0), min(max(cy, -1.0), 17.0))
        elif ev.kind in ("up", "cancel") and ev.pid in self.fingers:
            self.fingers.discard(ev.pid)
            self.pad.up(ev.pid)
        else:
            return stage.regions.side.collidepoint(ev.x, ev.y)
        self.feed(stage)  # re-fire the graph in this very frame
        return True

    def feed(self, stage: Stage) -> None:
        if self.pad.version != self._fed_version:
            stage.session.draw(self.pad.image)
            self._fed_version = self.pad.version

    def panels(self, stage: Stage) -> None:
        ses, s, side = stage.session, stage.s, stage.regions.side
        pr = self.pad_rect(stage)
        bar_bottom = self.bar.bounds().bottom if self.bar.buttons else pr.bottom
        stage.panel("draw_bg", ("bg", stage.lang, side.w, pr.size, bar_bottom),
                    lambda: self._background(stage, side.w, bar_bottom - side.y + int(16 * s)), side.topleft)
        cell = pr.w // 16
        stage.panel("pad", ("pad", self.pad.version, pr.size),
                    lambda: panels.digit_image(self.pad.image, cell, grid=True, tint=(255, 236, 200)), pr.topleft)
        stage.buttons("draw_tools", self.bar)
        y = bar_bottom + int(28 * s)
        half = (side.w - int(12 * s)) // 2
        recv = stage.panel("receives", ("recv", ses.input_version, stage.lang, half),
                           lambda: self._receives(stage, half), (side.x, y))
        p = ses.fw.p
        guess = int(np.argmax(p))
        stage.panel("draw_out", ("dout", ses.input_version, ses.train_version, stage.lang, half),
                    lambda: _compact_output(stage, p, guess, half), (side.x + half + int(12 * s), y))
        _ = recv

    def _background(self, stage: Stage, width: int, height: int) -> pygame.Surface:
        s = stage.s
        surf = panel_surface((width, max(height, 10)))
        surf.blit(text.render(stage.tr("draw.title"), int(24 * s), panels.GOLD, bold=True), (int(16 * s), int(16 * s)))
        return surf

    def _receives(self, stage: Stage, width: int) -> pygame.Surface:
        s = stage.s
        pad = int(14 * s)
        cell = max(4, (width - 2 * pad) // 16 - 2)
        h = pad * 3 + int(22 * s) * 2 + 16 * cell
        surf = panel_surface((width, h))
        text.blit_wrapped(surf, stage.tr("draw.receives"), (pad, pad), int(18 * s), width - 2 * pad, panels.DIM)
        surf.blit(panels.digit_image(stage.session.x.reshape(16, 16), cell, grid=False), (pad, pad * 2 + int(44 * s)))
        return surf


def _compact_output(stage: Stage, p: np.ndarray, guess: int, width: int) -> pygame.Surface:
    s = stage.s
    pad, px = int(14 * s), int(18 * s)
    row = int(25 * s)
    h = pad * 2 + int(px * 1.4) * 2 + row * 10
    surf = panel_surface((width, h))
    big = text.render(stage.tr("output.guess", digit=guess), int(px * 1.2), panels.GOOD, bold=True)
    surf.blit(big, (pad, pad))
    y = pad + int(px * 1.9)
    bar_x, bar_w = pad + int(26 * s), width - 2 * pad - int(26 * s) - int(64 * s)
    for d in range(10):
        pr = float(p[d])
        surf.blit(text.render(str(d), px, panels.WHITE, bold=d == guess), (pad, y))
        pygame.draw.rect(surf, (40, 50, 75), (bar_x, y + 3, bar_w, row - 8), border_radius=4)
        pygame.draw.rect(surf, panels.GOOD if d == guess else (120, 140, 190),
                         (bar_x, y + 3, max(2, int(bar_w * pr)), row - 8), border_radius=4)
        v = text.render(f"{pr:.2f}", int(px * 0.85), panels.WHITE)
        surf.blit(v, (width - pad - v.get_width(), y))
        y += row
    surf.blit(text.render(stage.tr("output.sum", total=f"{float(np.sum(p, dtype=np.float64)):.3f}"),
                          int(px * 0.85), panels.DIM), (pad, y + 2))
    return surf
