"""Inspector scene: inside one neuron, in pictures first, then the exact weighted sum.

First the pictures (``scenes/neuron_view.py``): the neuron's inputs coloured by their
shares a_i * w_ij (on the visitor's digit for a Hidden 1 neuron, beside "what it looks
for", its weight picture), and the sum as a balance that tips it into firing. Then the
exact bars: every incoming contribution a_i * w_ij is a bar, largest magnitude first;
those that do not fit are summed into one labelled bar so the total stays exact; then
the bias, z, and the activation (ReLU for hidden neurons, the softmax probability for
outputs). Touching a bar lights that exact wire in 3D (``session.highlight``). On a
short screen the panel keeps fewer bars, then leaves out the top digits (``fitting``).

Last, the test digits that make it fire most. Plain words come first, the technical
word after in brackets ("Its sum (z)").

``arrange`` lays the bars out once a frame (``SumLayout``); the panel draws that layout
and touches hit-test its rectangles, so drawing never decides what input hits.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pygame

from neuronlab.commands import Highlight, Select
from neuronlab.scenes import neuron_view
from neuronlab.scenes.base import Scene, Stage
from neuronlab.strings import format_decimal
from neuronlab.scenes.strips import FeatureStrip
from neuronlab.session import Neuron
from neuronlab.ui import panels, text
from neuronlab.ui.widgets import panel_surface

LAYER_KEYS = ("layer.input", "layer.hidden1", "layer.hidden2", "layer.output")


@dataclass
class SumRows:
    """The rows the Inspector shows for one neuron, as numbers."""

    sources: list[int]          # source neuron index of each shown bar
    values: list[float]         # a_i * w_ij of each shown bar
    rest_count: int             # how many contributions are summed in the rest bar
    rest_value: float           # their sum
    bias: float
    z: float
    activation: float


def sum_rows(contrib: np.ndarray, bias: float, z: float, activation: float, max_bars: int) -> SumRows:
    """Split contributions into the largest ``max_bars`` and one exact remainder."""
    order = np.argsort(-np.abs(contrib), kind="stable")
    shown = order[:max_bars]
    rest = order[max_bars:]
    contrib64 = contrib.astype(np.float64)
    return SumRows([int(i) for i in shown], [float(contrib64[i]) for i in shown], int(len(rest)),
                   float(contrib64[rest].sum()) if len(rest) else 0.0, float(bias), float(z), float(activation))


@dataclass(frozen=True)
class SumLayout:
    """Where the Inspector's rows go, in panel pixels, and the bars' rectangles on screen."""

    rows: SumRows
    entries: tuple               # (label, value, source index or None) per drawn row
    top: int                     # y of the first row inside the panel
    row_h: int
    label_w: int
    bar_x: int
    bar_w: int
    rects: tuple                 # (pygame.Rect in window px, source index) per touchable bar


def sum_layout(tr, s: float, contrib, bias, z, act, layer: int, max_bars: int, width: int,
               origin: tuple[int, int]) -> SumLayout:
    """Rows and rectangles for a non-input neuron's weighted sum in a panel ``width`` wide
    at ``origin`` (window px)."""
    px, pad = int(21 * s), int(16 * s)
    rows = sum_rows(contrib, bias, z, act, max_bars)
    entries = [(source_name(tr, layer, i), v, i) for i, v in zip(rows.sources, rows.values)]
    if rows.rest_count:
        entries.append((tr("inspector.rest", n=rows.rest_count), rows.rest_value, None))
    entries.append((tr("inspector.bias"), rows.bias, None))
    small = int(px * 0.85)
    # the bars start clear of the widest label (so no bar runs over one), at most 45 % in
    widest = max(text.font(small).size(name)[0] for name, _, _ in entries)
    label_w = min(max(int(120 * s), widest + int(10 * s)), int(0.45 * width))
    bar_x = pad + label_w
    bar_w = width - bar_x - pad - int(110 * s)
    top = sections(s, width, layer)["bars"]
    row_h = int(27 * s)
    rects = tuple((pygame.Rect(origin[0], origin[1] + top + k * row_h, width, row_h), src)
                  for k, (_, _, src) in enumerate(entries) if src is not None)
    return SumLayout(rows, tuple(entries), top, row_h, label_w, bar_x, bar_w, rects)


def source_name(tr, layer: int, i: int) -> str:
    """A bar's source in plain words: "cell row 11, col 9" or "Hidden 1 · neuron 3"."""
    if layer == 1:
        return tr("inspector.cell", row=i // 16, col=i % 16)
    return tr("inspector.neuron", layer=tr(LAYER_KEYS[layer - 1]), index=i)


def picture_cell(s: float, width: int) -> int:
    """Cell px of the two 16x16 pictures of a Hidden 1 neuron, side by side."""
    return max(3, min(int(11 * s), (width - int(16 * s) * 3) // 32))


def sections(s: float, width: int, layer: int) -> dict:
    """The y (panel px) where each part of a non-input neuron's panel starts, so that
    drawing (``render``) and touch (``sum_layout``'s rectangles) read one layout."""
    px, pad = int(21 * s), int(16 * s)
    small = int(px * 0.85)
    y = pad + int(px * 1.45) + int(px * 1.8)          # below the title and the neuron's name
    out = {"pictures": y}
    if layer == 1:
        y += int(small * 1.5) + 16 * picture_cell(s, width)
    else:
        y += int(small * 1.5) + 2 * max(4, int(20 * s)) + int(max(9, int(13 * s)) * 1.4)
    y += int(small * 1.6)                              # the warm / cool legend
    out["balance"] = y
    y += balance_height(s) + int(px * 1.4) + int(small * 1.7)   # the beam, its sum, what it does
    out["exact"] = y
    out["bars"] = y + int(small * 1.6)
    return out


def balance_height(s: float) -> int:
    return int(100 * s)


TOP_K = 5


def panel_height(s: float, width: int, layer: int, n_entries: int, show_top: bool) -> int:
    """The whole panel's height for a non-input neuron with ``n_entries`` bar rows."""
    px, pad = int(21 * s), int(16 * s)
    small = int(px * 0.85)
    h = sections(s, width, layer)["bars"] + n_entries * int(27 * s) + int(12 * s) + int(px * 1.6) * 2 + pad
    if layer == 3:
        h += int(px * 1.4)                           # the right answer and the error
    if show_top:
        h += int(small * 1.5) + 16 * max(2, int(4 * s)) + int(12 * s)
    return h


def fitting(s: float, width: int, layer: int, n_sources: int, max_bars: int, room: int) -> tuple[int, bool]:
    """(bars, show the top digits) for a panel that fits ``room`` px: on a short screen
    the bars go down to 3, then the top digits go, then bars down to 1."""
    def entries(k):
        return k + (1 if n_sources > k else 0) + 1    # the shown bars, the rest, the bias
    k = min(max_bars, n_sources)
    while k > 3 and panel_height(s, width, layer, entries(k), True) > room:
        k -= 1
    if panel_height(s, width, layer, entries(k), True) <= room:
        return k, True
    while k > 1 and panel_height(s, width, layer, entries(k), False) > room:
        k -= 1
    return k, False


def _column(stage) -> pygame.Rect:
    """The part of the scene panel the neuron's panel takes: all of it, or in a wide panel
    (portrait) a column of the usual width on its left, so the pictures keep their size."""
    side, s = stage.regions.side, stage.s
    return pygame.Rect(side.x, side.y, min(side.w, int(640 * s)), side.h)


class InspectorScene(Scene):
    name = "inspector"

    def __init__(self):
        super().__init__()
        self.max_bars = 8
        self.max_bars_h1 = 6        # Hidden 1's pictures carry the rest of its 256 inputs
        self._top = (None, None)    # ((neuron, train_version), (indices, activations))
        self.show_top = True        # the top digits fit under the bars (see ``fitting``)
        self.sums: SumLayout | None = None   # this frame's rows, from ``arrange``
        self._sums_key = None
        self.features = FeatureStrip()

    @property
    def bar_rects(self) -> tuple:
        """(rect in window px, source index) of each touchable bar on screen."""
        return self.sums.rects if self.sums is not None else ()

    def arrange(self, stage: Stage) -> None:
        ses, side = stage.session, _column(stage)
        n = ses.selected
        key = (n, stage.tick, ses.input_version, ses.train_version, stage.lang, side.topleft, side.size)
        if key == self._sums_key:
            return
        self._sums_key = key
        if n is None or n.layer == 0:
            self.sums = None
            return
        contrib, bias, z = ses.contributions(n)
        bars, self.show_top = fitting(stage.s, side.w, n.layer, len(contrib), self.bars_for(n.layer),
                                       side.h - int(24 * stage.s))   # text drawn at the legible floor may run taller
        self.sums = sum_layout(stage.tr, stage.s, contrib, bias, z, ses.activation(n), n.layer,
                               bars, side.w, side.topleft)

    def bars_for(self, layer: int) -> int:
        return self.max_bars_h1 if layer == 1 else self.max_bars

    def top_digits(self, ses, n) -> tuple[np.ndarray, np.ndarray]:
        """The test digits that make ``n`` fire most, recomputed when the weights change."""
        key = (n, ses.train_version)
        if self._top[0] != key:
            self._top = (key, neuron_view.top_firing(ses.model, ses.test_X, n.layer, n.index, TOP_K))
        return self._top[1]

    def on_pick(self, stage: Stage, neuron) -> None:
        if neuron is not None:
            stage.session.select(neuron)
            stage.session.highlight = None

    def exit(self, stage: Stage) -> None:
        stage.session.highlight = None

    def _bar_at(self, x, y):
        for rect, src in self.bar_rects:
            if rect.collidepoint(x, y):
                return src
        return None

    def on_pointer(self, stage: Stage, ev) -> bool:
        ses = stage.session
        k = self.features.hit(stage, ev.x, ev.y)
        if k is not None:
            if ev.kind == "down":
                stage.apply(Select(Neuron(1, k)))
                stage.apply(Highlight(None))
            return ev.kind != "hover"
        if ses.selected is None or ses.selected.layer == 0:
            return False
        side = stage.regions.side
        if ev.kind in ("down", "move", "hover") and side.collidepoint(ev.x, ev.y):
            src = self._bar_at(ev.x, ev.y)
            stage.apply(Highlight((ses.selected.layer, src, ses.selected.index) if src is not None else None))
            return ev.kind != "hover"
        if ev.kind in ("up", "cancel"):
            stage.apply(Highlight(None))
        return side.collidepoint(ev.x, ev.y)

    def panels(self, stage: Stage) -> None:
        ses, s, side = stage.session, stage.s, _column(stage)
        n = ses.selected
        self.features.show(stage, n.index if n is not None and n.layer == 1 else None)
        key = ("insp", n, stage.tick, ses.input_version, stage.lang, side.w,
               ses.highlight)
        box = stage.panel("inspector", key, lambda: self.render(stage, side.w), side.topleft)
        full = stage.regions.side
        if full.w - side.w >= int(400 * s):   # a wide panel: why a line is bright, beside it
            w = full.right - side.right - int(12 * s)
            stage.panel("why", ("why", stage.lang, w),
                        lambda: panels.text_panel(stage.tr("bright.title"), stage.tr("bright.body"), s, w),
                        (side.right + int(12 * s), side.y))
            return
        if side.bottom - box.bottom < int(200 * s):
            return                  # the pictures took the room: the bars' own colours explain
        stage.panel("why", ("why", stage.lang, side.w),
                    lambda: panels.text_panel(stage.tr("bright.title"), stage.tr("bright.body"), s, side.w),
                    lambda size: (side.x, min(box.bottom + int(12 * s), side.bottom - size[1])))

    def render(self, stage: Stage, width: int) -> pygame.Surface:
        ses, tr, s = stage.session, stage.tr, stage.s
        side = stage.regions.side

        def num(x: float, signed: bool = False, digits: int = 3) -> str:
            return format_decimal(stage.lang, x, digits, signed)

        px, pad = int(21 * s), int(16 * s)
        small = int(px * 0.85)
        n = ses.selected
        if n is None:
            return panels.text_panel(tr("inspector.title"), tr("inspector.pick"), s, width)
        if n.layer == 0:
            return self._render_input(stage, width, num)
        lay = self.sums if self.sums is not None else sum_layout(
            tr, s, *ses.contributions(n), ses.activation(n), n.layer, self.bars_for(n.layer), width, side.topleft)
        rows, entries, row_h = lay.rows, lay.entries, lay.row_h
        z, act, bias = rows.z, rows.activation, rows.bias
        contrib = ses.contributions(n)[0]
        at = sections(s, width, n.layer)
        height = panel_height(s, width, n.layer, len(entries), self.show_top)
        surf = panel_surface((width, height))
        y = panels._title(surf, tr("inspector.title"), pad, pad, px)
        head = f"{tr(LAYER_KEYS[n.layer])} · #{n.index}"
        surf.blit(text.render(head, int(px * 1.2), panels.WHITE, bold=True), (pad, y))

        # 1. its inputs, coloured by their shares
        y = at["pictures"]
        if n.layer == 1:
            cell = picture_cell(s, width)
            x2 = width - pad - 16 * cell
            surf.blit(text.render(tr("inspector.sees"), small, panels.DIM), (pad, y))
            looks = text.render(tr("inspector.looks_for"), small, panels.GOLD, bold=True)
            surf.blit(looks, (min(x2, width - pad - looks.get_width()), y))
            y += int(small * 1.5)
            surf.blit(neuron_view.input_picture(contrib, ses.x, cell), (pad, y))
            surf.blit(panels.weight_picture(ses.model.params["W1"][:, n.index], cell), (x2, y))
            y += 16 * cell
        else:
            surf.blit(text.render(tr("inspector.sees_units"), small, panels.DIM), (pad, y))
            y += int(small * 1.5)
            row = neuron_view.units_picture(contrib, width - 2 * pad, s)
            surf.blit(row, (pad, y))
            y += row.get_height()
        surf.blit(text.render(tr("inspector.up_back"), small, panels.DIM), (pad, y + int(4 * s)))

        # 2. the balance, then its sum in words and numbers
        y = at["balance"]
        bal = neuron_view.balance(contrib, bias, z, act)
        surf.blit(neuron_view.balance_picture(
            bal, width - 2 * pad, balance_height(s), s,
            tr("inspector.hold", value=num(bal.hold, True)), tr("inspector.push", value=num(bal.push, True))),
            (pad, y))
        y += balance_height(s)
        if n.layer == 3:
            then = f"{tr('inspector.chance')}: {num(act)}"
        else:
            then = f"{tr('inspector.fires' if z > 0 else 'inspector.quiet')}: {num(act)}"
        surf.blit(text.render(f"{tr('inspector.sum_z')} = {num(z, True)}", px, panels.WHITE, bold=True), (pad, y))
        y += int(px * 1.4)
        surf.blit(text.render(then, small, panels.GOOD if act > 0 else panels.DIM, bold=True), (pad, y))

        # 3. the exact bars
        y = at["exact"]
        surf.blit(text.render(tr("inspector.exact"), small, panels.GOLD), (pad, y))
        total = sum(rows.values) + rows.rest_value + rows.bias
        scale = max([abs(v) for v in rows.values] + [abs(rows.rest_value), abs(bias), abs(z), 1e-6])
        bar_w = lay.bar_w
        mid = lay.bar_x + bar_w // 2
        y = lay.top
        for name, v, src in entries:
            lit = ses.highlight is not None and src is not None and ses.highlight[1] == src
            surf.blit(text.render(name, small, panels.GOLD if lit else panels.DIM), (pad, y + 2))
            length = int(abs(v) / scale * (bar_w // 2))
            colour = panels.WARM if v > 0 else panels.COOL
            rect = pygame.Rect(mid if v > 0 else mid - length, y + 4, max(1, length), row_h - 10)
            pygame.draw.rect(surf, colour if not lit else (255, 255, 255), rect, border_radius=4)
            val = text.render(num(v, True), small, panels.WHITE)
            surf.blit(val, (width - pad - val.get_width(), y + 2))
            y += row_h
        pygame.draw.line(surf, (120, 130, 160), (mid, y - row_h * len(entries)), (mid, y), 1)
        pygame.draw.line(surf, (120, 130, 160), (pad, y + 4), (width - pad, y + 4), 2)
        y += int(12 * s)
        surf.blit(text.render(f"{tr('inspector.sum_z')} = {num(z, True)}", small, panels.WHITE, bold=True), (pad, y))
        check = text.render(tr("inspector.check", value=num(total, True)), small, panels.DIM)
        surf.blit(check, (width - pad - check.get_width(), y + 3))
        y += int(px * 1.6)
        exact = f"p = {num(act)}" if n.layer == 3 else f"a = ReLU({num(z, True)}) = {num(act)}"
        surf.blit(text.render(exact, small, panels.GOOD, bold=True), (pad, y))
        y += int(px * 1.6)
        if n.layer == 3 and ses.label is not None and ses.source == "training":
            target = 1.0 if ses.label == n.index else 0.0
            # y is this neuron's target: 1 if the right answer is its digit, else 0.
            line = (f"{tr('inspector.target')}: {ses.label}  ·  y = {target:.0f}  ·  "
                    f"{tr('inspector.error')}: p − y = {num(act - target, True)}")
            surf.blit(text.render(line, small, panels.GOLD), (pad, y))
            y += int(px * 1.4)

        # 4. the test digits that make it fire most
        if not self.show_top:
            return surf
        surf.blit(text.render(tr("inspector.top"), small, panels.GOLD), (pad, y))
        y += int(small * 1.5)
        idx, acts = self.top_digits(ses, n)
        cell = max(2, int(4 * s))
        step = (width - 2 * pad) // TOP_K
        for k, (i, a) in enumerate(zip(idx, acts)):
            x = pad + k * step
            surf.blit(panels.digit_image(ses.test_X[int(i)].reshape(16, 16), cell, grid=False), (x, y))
            v = text.render(num(float(a), False, 2), small, panels.WHITE)
            surf.blit(v, (x + 16 * cell + int(6 * s), y + 16 * cell - v.get_height()))
        return surf

    def _render_input(self, stage: Stage, width: int, num) -> pygame.Surface:
        ses, tr, s = stage.session, stage.tr, stage.s
        px, pad = int(21 * s), int(16 * s)
        n = ses.selected
        cell = int(14 * s)
        surf = panel_surface((width, int(130 * s) + 16 * cell))
        y = panels._title(surf, tr("inspector.title"), pad, pad, px)
        surf.blit(text.render(f"{tr(LAYER_KEYS[0])} · #{n.index}", int(px * 1.2), panels.WHITE, bold=True), (pad, y))
        y += int(px * 1.8)
        r, c = divmod(n.index, 16)
        surf.blit(text.render(tr("inspector.pixel", row=r, col=c) + f" = {num(float(ses.x[n.index]))}", px,
                              panels.WHITE), (pad, y))
        y += int(px * 1.6)
        pic = panels.digit_image(ses.x.reshape(16, 16).copy(), cell, grid=False)
        pygame.draw.rect(pic, panels.GOLD, (c * cell, r * cell, cell, cell), 3)
        surf.blit(pic, (pad, y))
        return surf
