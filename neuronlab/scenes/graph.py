"""Graph scene: the network learning, with supervision, the answer neurons and what is
known versus learned beside it. Tapping a ball opens the Inspector on that neuron."""
from __future__ import annotations

import numpy as np
import pygame

from neuronlab.commands import Select, SwitchScene
from neuronlab.scenes.base import Scene, Stage
from neuronlab.strings import format_decimal, format_percent
from neuronlab.scenes.strips import FeatureStrip
from neuronlab.session import Neuron
from neuronlab.ui import panels, text
from neuronlab.ui.widgets import panel_surface


def supervision_panel(stage: Stage, width: int) -> pygame.Surface:
    """The image of the moment, its answer, the guess, the loss, the correction sent back."""
    ses, tr, s = stage.session, stage.tr, stage.s
    fw = ses.fw
    px, pad = int(22 * s), int(16 * s)
    h = int(214 * s)
    surf = panel_surface((width, h))
    probing = ses.source != "training"
    y = panels._title(surf, tr("super.title"), pad, pad, px)
    cell = int(10 * s)
    img = ses.pad_image if probing else ses.x.reshape(16, 16)
    surf.blit(panels.digit_image(img, cell, grid=False), (pad, y))
    x0 = pad + 16 * cell + int(20 * s)
    guess = int(np.argmax(fw.p))
    label = ses.label
    W = panels.WHITE
    rows = [
        (tr("super.answer"), str(label) if label is not None else tr("super.withheld"), W),
        (tr("super.guess"), f"{guess}  ({format_percent(stage.lang, float(fw.p[guess]), 0)})", W),
    ]
    if label is not None:
        rows.append((tr("super.loss"), format_decimal(stage.lang, fw.loss(label), 3), W))
    yy = panels.value_rows(surf, rows, x0, width - pad, y, px)
    note = tr("super.correction") if not probing else tr("super.withheld")
    text.blit_wrapped(surf, note, (x0, yy + int(4 * s)), int(px * 0.8), width - x0 - pad, panels.DIM)
    return surf


class GraphScene(Scene):
    name = "graph"

    def __init__(self):
        super().__init__()
        self.features = FeatureStrip()

    def on_pointer(self, stage: Stage, ev) -> bool:
        k = self.features.hit(stage, ev.x, ev.y)
        if k is None:
            return False
        if ev.kind == "down":
            stage.apply(Select(Neuron(1, k)))
            stage.apply(SwitchScene("inspector"))
        return ev.kind != "hover"

    def on_pick(self, stage: Stage, neuron) -> None:
        if neuron is not None:
            stage.session.select(neuron)
            stage.apply(SwitchScene("inspector"))

    def panels(self, stage: Stage) -> None:
        ses, s, side = stage.session, stage.s, stage.regions.side
        gap = int(8 * s)
        # a wide, low panel (portrait) takes two columns: the example and what it means on
        # the left, the answer neurons on the right
        two = side.w >= int(1000 * s)
        w = (side.w - gap) // 2 if two else side.w
        tick = stage.tick
        self.features.show(stage, None)
        sup = stage.panel("supervision", ("sup", tick, ses.input_version, stage.lang, w),
                          lambda: supervision_panel(stage, w), side.topleft)
        p = ses.fw.p
        guess = int(np.argmax(p))
        out_xy = (side.x + w + gap, side.y) if two else (side.x, sup.bottom + gap)
        out = stage.panel("output", ("out", tick, ses.input_version, stage.lang, w),
                          lambda: panels.output_bars(stage.tr, s, p, guess, ses.label, w, stage.lang),
                          out_xy)
        known_y = sup.bottom + gap if two else out.bottom + gap
        stage.panel("known", ("known", stage.lang, w),
                    lambda: known_learned_panel(stage, w), (side.x, known_y))


def known_learned_panel(stage: Stage, width: int) -> pygame.Surface:
    tr, s = stage.tr, stage.s
    px, pad = int(18 * s), int(12 * s)
    rows = [("input", panels.GOOD), ("hidden1", panels.WARM),
            ("hidden2", panels.WARM), ("output", panels.GOLD)]
    body = tr("known.explain")
    desc_x = pad + int(140 * s)
    wrapped = [text.wrap(tr("known." + key), int(px * 0.9), width - desc_x - pad) for key, _ in rows]
    lines = text.wrap(body, int(px * 0.9), width - 2 * pad)
    n_desc = sum(len(w) for w in wrapped)
    h = pad * 2 + int(px * 1.5) + int(px * 1.15) * n_desc + int(6 * s) * len(rows) \
        + int(px * 1.15) * len(lines) + int(14 * s)
    surf = panel_surface((width, h))
    y = panels._title(surf, tr("known.title"), pad, pad, px)
    for (key, colour), desc in zip(rows, wrapped):
        surf.blit(text.render(tr("layer." + key), px, colour, bold=True), (pad, y))
        for line in desc:
            surf.blit(text.render(line, int(px * 0.9), panels.WHITE), (desc_x, y + 1))
            y += int(px * 1.15)
        y += int(6 * s)
    text.blit_wrapped(surf, body, (pad, y + int(6 * s)), int(px * 0.9), width - 2 * pad, panels.DIM,
                      line_gap=1.25)
    return surf
