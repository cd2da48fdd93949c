"""HUD panel pictures: plain functions from numbers to pygame Surfaces.

Every function takes the values it shows (never the session), so what a panel says is
exactly what it was given, and a test can call it with known numbers. ``tr`` is the
strings lookup of the current language; ``s`` the UI scale (1.0 at 1080 px high).
"""
from __future__ import annotations

import math

import numpy as np
import pygame

from neuronlab.strings import format_decimal
from neuronlab.ui import text
from neuronlab.ui.widgets import panel_surface

WHITE = (236, 242, 255)
DIM = (150, 165, 195)
WARM = (255, 150, 60)
COOL = (70, 170, 255)
GOOD = (90, 230, 140)
BAD = (255, 90, 90)
GOLD = (255, 210, 90)


def fmt_num(v: float, digits: int = 3, lang: str = "en") -> str:
    """A number as the HUD prints it, in ``lang``'s marks; never 'nan' (callers guard, this
    is the last line)."""
    return format_decimal(lang, v, digits)


def _title(surf, label, x, y, px, colour=GOLD) -> int:
    surf.blit(text.render(label, px, colour, bold=True), (x, y))
    return y + int(px * 1.45)


def value_rows(surf: pygame.Surface, rows, x: int, right: int, y: int, px: int) -> int:
    """Label on the left, value right-aligned at ``right``; rows are (label, value, colour).
    Returns the y below the last row."""
    for label, value, colour in rows:
        surf.blit(text.render(label, int(px * 0.9), DIM), (x, y))
        v = text.render(value, px, colour, bold=True)
        surf.blit(v, (right - v.get_width(), y))
        y += int(px * 1.45)
    return y


def stats_panel(tr, s: float, rows: list[tuple[str, str]], badge: tuple[str, tuple],
                width: int | None = None) -> pygame.Surface:
    """Title, the stats grid and the gradient-check badge."""
    w = int(420 * s) if width is None else int(width)
    px, pad = int(20 * s), int(16 * s)
    h = pad * 2 + int(48 * s) + int(px * 1.28) * len(rows) + int(px * 2.2)
    surf = panel_surface((w, h))
    y = pad
    surf.blit(text.render(tr("title"), int(40 * s), WHITE, bold=True), (pad, y))
    y += int(52 * s)
    for label, value in rows:
        surf.blit(text.render(label, px, DIM), (pad, y))
        v = text.render(value, px, WHITE, bold=True)
        surf.blit(v, (w - pad - v.get_width(), y))
        y += int(px * 1.28)
    label, colour = badge
    b = text.render(label, int(px * 0.9), colour, bold=True)
    r = b.get_rect(topleft=(pad, y + int(6 * s))).inflate(int(16 * s), int(8 * s))
    pygame.draw.rect(surf, (*colour, 50), r, border_radius=int(10 * s))
    pygame.draw.rect(surf, colour, r, width=2, border_radius=int(10 * s))
    surf.blit(b, (pad, y + int(6 * s)))
    return surf


def legend_panel(tr, s: float, palette, width: int | None = None) -> pygame.Surface:
    w, px, pad = int(420 * s) if width is None else int(width), int(19 * s), int(14 * s)
    items = [
        (tr("legend.forward"), palette.forward, "line"),
        (tr("legend.excite"), palette.excite, "line"),
        (tr("legend.inhibit"), palette.inhibit, "line"),
        (tr("legend.backward"), palette.gradient, "line"),
        (tr("legend.pulse"), palette.pulse, "dot"),
    ]
    notes = [line for note in (tr("legend.lines"), tr("legend.balls")) for line in text.wrap(note, px, w - 2 * pad)]
    h = pad * 2 + int(px * 1.45) * (len(items) + len(notes))
    surf = panel_surface((w, h))
    y = pad
    for label, colour, kind in items:
        c = tuple(int(255 * min(1.0, max(0.0, v))) for v in colour[:3])
        cy = y + px // 2 + 2
        if kind == "line":
            pygame.draw.line(surf, c, (pad, cy), (pad + int(44 * s), cy), max(2, int(4 * s)))
        else:
            pygame.draw.circle(surf, c, (pad + int(22 * s), cy), int(7 * s))
        surf.blit(text.render(label, px, WHITE), (pad + int(60 * s), y))
        y += int(px * 1.45)
    for note in notes:
        surf.blit(text.render(note, px, DIM), (pad, y))
        y += int(px * 1.45)
    return surf


def output_bars(tr, s: float, p: np.ndarray, guess: int, label: int | None, width: int,
                lang: str = "en") -> pygame.Surface:
    """The 10 softmax probabilities as bars, their sum, the guess highlighted; numbers in
    ``lang``'s marks."""
    px, pad = int(22 * s), int(14 * s)
    row = int(30 * s)
    h = pad * 2 + int(px * 1.5) + row * 10 + int(px * 1.6)
    surf = panel_surface((width, h))
    y = _title(surf, tr("output.title"), pad, pad, px)
    bar_x = pad + int(40 * s)
    bar_w = width - bar_x - pad - int(96 * s)
    for d in range(10):
        prob = float(p[d])
        colour = GOOD if d == guess else (120, 140, 190)
        surf.blit(text.render(str(d), px, GOLD if d == label else WHITE, bold=True), (pad, y))
        pygame.draw.rect(surf, (40, 50, 75), (bar_x, y + 4, bar_w, row - 10), border_radius=6)
        pygame.draw.rect(surf, colour, (bar_x, y + 4, max(2, int(bar_w * prob)), row - 10), border_radius=6)
        v = text.render(format_decimal(lang, prob, 3), int(px * 0.9), WHITE)
        surf.blit(v, (width - pad - v.get_width(), y + 2))
        y += row
    total = float(np.sum(p, dtype=np.float64))
    surf.blit(text.render(tr("output.sum", total=format_decimal(lang, total, 3)), int(px * 0.9), DIM), (pad, y + 4))
    return surf


def _cells(rgb16: np.ndarray, cell: int) -> pygame.Surface:
    """A (16, 16, 3) uint8 picture (row 0 at top) as an opaque SRCALPHA surface of
    ``cell`` x ``cell`` squares. Made at 16 x 16 and scaled up by whole cells in C (the same
    pixels as repeating in numpy, ~20x cheaper: the Draw pad re-renders every stroke)."""
    small = pygame.Surface((16, 16), pygame.SRCALPHA)
    pygame.surfarray.blit_array(small, np.ascontiguousarray(rgb16.transpose(1, 0, 2)))  # surfarray is (x, y)
    pygame.surfarray.pixels_alpha(small)[:] = 255
    return pygame.transform.scale(small, (16 * cell, 16 * cell))


def digit_image(img16: np.ndarray, cell: int, grid: bool = True, tint=(255, 255, 255)) -> pygame.Surface:
    """A 16x16 image (row 0 at top, 0..1) as square cells."""
    img = np.clip(np.asarray(img16, np.float32).reshape(16, 16), 0, 1).astype(np.float64)
    # a cell of value v is 18 + (tint - 18) v (truncated), cells of v <= 0.002 the ground
    rgb = (18 + (np.asarray(tint, np.float64) - 18) * img[..., None]).astype(np.int64)
    rgb[img <= 0.002] = (8, 10, 18)
    surf = _cells(rgb.astype(np.uint8), cell)
    if grid and cell >= 8:
        for i in range(17):
            pygame.draw.line(surf, (40, 48, 70), (i * cell, 0), (i * cell, 16 * cell - 1))
            pygame.draw.line(surf, (40, 48, 70), (0, i * cell), (16 * cell - 1, i * cell))
    return surf


def weight_picture(w256: np.ndarray, cell: int) -> pygame.Surface:
    """A first-hidden neuron's 256 incoming weights as a 16x16 picture: warm +, cool −."""
    w = np.asarray(w256, np.float32).reshape(16, 16).astype(np.float64)
    m = float(np.max(np.abs(w))) or 1.0
    v = w / m
    base = np.where(v[..., None] > 0, np.asarray(WARM, np.float64), np.asarray(COOL, np.float64))
    rgb = (12 + (base - 12) * np.abs(v)[..., None]).astype(np.int64)  # (16, 16, 3), truncated
    return _cells(rgb.astype(np.uint8), cell)


def line_plot(values: list[float], size, colour, lo=None, hi=None) -> pygame.Surface:
    w, h = size
    surf = pygame.Surface((w, h), pygame.SRCALPHA)
    vals = [v for v in values if v is not None and math.isfinite(v)]
    if len(vals) < 2:
        return surf
    lo = min(vals) if lo is None else lo
    hi = max(vals) if hi is None else hi
    span = (hi - lo) or 1.0
    pts = [(int(i * (w - 1) / (len(vals) - 1)), int(h - 1 - (v - lo) / span * (h - 1))) for i, v in enumerate(vals)]
    pygame.draw.lines(surf, colour, False, pts, 3)
    return surf


def text_panel(title: str, body: str, s: float, width: int, px: int | None = None) -> pygame.Surface:
    px = px or int(21 * s)
    pad = int(16 * s)
    lines = text.wrap(body, px, width - 2 * pad)
    h = pad * 2 + int(px * 1.5) + int(px * 1.3) * len(lines)
    surf = panel_surface((width, h))
    y = _title(surf, title, pad, pad, int(px * 1.05))
    text.blit_wrapped(surf, body, (pad, y), px, width - 2 * pad, WHITE, line_gap=1.3)
    return surf
