"""The Draw scene's visitor layer: where everything stands, and the pictures of the answer,
the answer bars, "what the network sees" with why it answered, and a lesson's outcome.

``draw_layout`` is a pure function of the side panel's rectangle, the UI scale and the
answer's font size: drawing and touch both read the ``DrawLayout`` it returns. The
renderers are plain functions of the numbers they show (never the session), so a test
can hand them known numbers and compare what they were given with the model.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pygame

from neuronlab.strings import format_count, format_decimal, format_percent
from neuronlab.ui import panels, text
from neuronlab.ui.layout_report import CAP_HEIGHT
from neuronlab.ui.widgets import panel_surface

ANSWER_MM = 12.0          # the answer's cap height on the glass, at least
GHOST = (200, 205, 225)   # the bars' values before a lesson, outlined
INSET = 6                 # px between a borderless picture's edge and its text


def _clear_surface(width: int, height: int) -> pygame.Surface:
    """A borderless, see-through picture (a panel with neither fill nor frame)."""
    return panel_surface((width, height), fill=(0, 0, 0, 0), border=(0, 0, 0, 0))


def answer_font_px(s: float, px_per_mm: float) -> int:
    """The answer's font size: the design size, or larger where that is under ANSWER_MM."""
    return max(int(48 * s), math.ceil(ANSWER_MM * px_per_mm / CAP_HEIGHT))


@dataclass(frozen=True)
class DrawLayout:
    """The Draw scene's rectangles, in window pixels."""

    pad: pygame.Rect
    tools: tuple[pygame.Rect, ...]      # paint, eraser, clear (beside the pad)
    sees: pygame.Rect                   # "what the network sees" and why it answered
    answer: pygame.Rect                 # "I think it's a 7"
    prompt: pygame.Rect                 # "Was I right? It is a …"
    answers: tuple[pygame.Rect, ...]    # the ten answer buttons 0-9
    bars: pygame.Rect                   # the ten answer bars, one under each button
    columns: tuple[int, ...]            # each bar's centre x, in window pixels
    fool: pygame.Rect                   # "Can you fool it?"
    mind: pygame.Rect                   # the "Change its mind" button
    message: pygame.Rect                # what happened: the why legend, or a lesson's outcome
    bottom: int                         # lowest pixel used (the background ends here)


def draw_layout(side: pygame.Rect, s: float, answer_px: int, answer_lines: int = 1) -> DrawLayout:
    """Everything from the top of the side panel down; the pad takes what is left."""
    m = int(16 * s)
    g = int(8 * s)
    answer_h = max(int(58 * s), int(answer_px * 1.18) * answer_lines + g)
    rows = [answer_h, int(26 * s), int(56 * s), int(124 * s), int(52 * s), int(150 * s)]
    if side.w >= int(1000 * s):
        return _wide(side, s, rows, m, g)
    top = side.y + m
    fixed = sum(rows) + g * (len(rows) + 1)
    column = int(180 * s)
    cell = max(6, int(min((side.w - 3 * m - column) / 16, (side.bottom - top - fixed) / 16)))
    pad = pygame.Rect(side.x + m, top, 16 * cell, 16 * cell)
    cx = pad.right + m
    cw = side.right - m - cx
    # the column beside the pad: what the network sees (as wide as the column), then the tools
    th = max(int(34 * s), min(int(40 * s), (pad.h - 2 * g) // 7))
    tools_top = pad.bottom - 3 * th - 2 * g
    tools = tuple(pygame.Rect(cx, tools_top + k * (th + g), cw, th) for k in range(3))
    sees = pygame.Rect(cx, top, cw, max(10, tools_top - g - top))
    return DrawLayout(pad, tools, sees, *_rows(side.x + m, side.w - 2 * m, pad.bottom + g, side.bottom,
                                               s, rows, g))


def _wide(side: pygame.Rect, s: float, rows: list[int], m: int, g: int) -> DrawLayout:
    """A wide, low panel (portrait screens): the pad and its tools on the left, what the
    network sees and the answer's rows on the right."""
    top = side.y + m
    half = (side.w - 3 * m) // 2
    th = int(48 * s)
    cell = max(6, int(min(half / 16, (side.bottom - m - top - th - g) / 16)))
    pad = pygame.Rect(side.x + m, top, 16 * cell, 16 * cell)
    tw = (pad.w - 2 * g) // 3
    tools = tuple(pygame.Rect(pad.x + k * (tw + g), pad.bottom + g, tw, th) for k in range(3))
    rx = side.x + 2 * m + half
    rw = side.right - m - rx
    fixed = sum(rows) + g * (len(rows) + 1)
    sees = pygame.Rect(rx, top, rw, max(int(100 * s), side.bottom - top - fixed))
    return DrawLayout(pad, tools, sees, *_rows(rx, rw, sees.bottom + g, side.bottom, s, rows, g))


def _rows(x: int, w: int, y: int, bottom: int, s: float, rows: list[int], g: int) -> tuple:
    """The answer, the prompt, the ten answer buttons, their bars, the challenge and the
    message, stacked down from ``y`` in a column ``x``..``x + w``."""
    answer = pygame.Rect(x, y, w, rows[0])
    y = answer.bottom + g
    prompt = pygame.Rect(x, y, w, rows[1])
    y = prompt.bottom + g // 2
    gap = int(6 * s)
    bw = (w - 9 * gap) // 10
    x0 = x + (w - 10 * bw - 9 * gap) // 2
    answers = tuple(pygame.Rect(x0 + d * (bw + gap), y, bw, rows[2]) for d in range(10))
    y = answers[0].bottom + g
    bars = pygame.Rect(x, y, w, rows[3])
    columns = tuple(r.centerx for r in answers)
    y = bars.bottom + g
    mind_w = int(230 * s)
    mind = pygame.Rect(x + w - mind_w, y, mind_w, rows[4])
    fool = pygame.Rect(x, y, mind.x - g - x, rows[4])
    y = mind.bottom + g
    message = pygame.Rect(x, y, w, max(10, min(rows[5], bottom - g - y)))
    return answer, prompt, answers, bars, columns, fool, mind, message, message.bottom


def bar_at(layout: DrawLayout, x: float, y: float) -> int | None:
    """The answer bar under a touch (its column), or None."""
    if not layout.bars.collidepoint(x, y):
        return None
    return int(np.argmin([abs(x - c) for c in layout.columns]))


# ---------------------------------------------------------------------- pictures

def answer_picture(words: str, px: int, width: int, height: int, colour) -> pygame.Surface:
    """The answer in large type, wrapped to the width (never shrunk below ``px``)."""
    surf = _clear_surface(width, height)
    y = 0
    for line in text.wrap(words, px, width - 2 * INSET, bold=True):
        surf.blit(text.render(line, px, colour, bold=True), (INSET, y))
        y += int(px * 1.18)
    return surf


def bars_picture(lang: str, s: float, p: np.ndarray, ghost: np.ndarray | None, guess: int,
                 why: int, columns: tuple[int, ...], width: int, height: int) -> pygame.Surface:
    """The ten answer neurons as upright bars under their buttons: ``p`` now, ``ghost`` (the
    values before a lesson) outlined, the answer green, the bar the overlay explains framed.
    ``columns`` are the bars' centres in panel pixels."""
    px = max(10, int(17 * s))
    surf = panel_surface((width, height), radius=int(12 * s))
    top = int(8 * s) + px + int(4 * s)
    bottom = height - int(8 * s)
    bar_w = max(4, int(30 * s))
    for d in range(10):
        x = columns[d] - bar_w // 2
        full = bottom - top
        if d == why:
            pygame.draw.rect(surf, panels.GOLD, (x - int(5 * s), int(4 * s), bar_w + int(10 * s),
                                                 height - int(8 * s)), width=max(1, int(2 * s)),
                             border_radius=int(6 * s))
        pygame.draw.rect(surf, (40, 50, 75), (x, top, bar_w, full), border_radius=int(4 * s))
        hgt = max(2, int(full * float(p[d])))
        pygame.draw.rect(surf, panels.GOOD if d == guess else (120, 140, 190),
                         (x, bottom - hgt, bar_w, hgt), border_radius=int(4 * s))
        if ghost is not None and abs(float(ghost[d]) - float(p[d])) >= 0.005:
            # the value before the lesson: an outline to its old height
            gh = max(3, int(full * float(ghost[d])))
            pygame.draw.rect(surf, GHOST, (x - 3, bottom - gh, bar_w + 6, gh), width=max(1, int(2 * s)),
                             border_radius=int(4 * s))
        v = text.render(format_percent(lang, float(p[d]), 0), px, panels.WHITE, bold=d == guess)
        edge = int(6 * s)       # a wide figure ("49 %") under the first or last bar stays inside
        vx = min(max(columns[d] - v.get_width() // 2, edge), width - edge - v.get_width())
        surf.blit(v, (vx, int(8 * s)))
    return surf


def sees_picture(caption: str, x: np.ndarray, cells: np.ndarray | None, erase: tuple[int, ...],
                 s: float, width: int, height: int, palette) -> pygame.Surface:
    """The network's input, and where ``cells`` (each cell's share in one answer's score) is
    given, coloured by it: warm pushed that answer up, cool held it back, brighter is more.
    ``erase``: the cells "Change its mind" would erase, framed."""
    surf = _clear_surface(width, height)
    px = max(10, int(15 * s))
    y = text.blit_wrapped(surf, caption, (INSET, 0), px, width - 2 * INSET, panels.DIM, line_gap=1.1)
    cell = max(2, min(width // 16, (height - y - 2) // 16))
    v = np.clip(np.asarray(x, np.float64).reshape(16, 16), 0, 1)
    rgb = 14 + 120 * v[..., None] * np.ones(3)              # the input as grey
    if cells is not None:
        share = np.asarray(cells, np.float64).reshape(16, 16)
        top = float(np.max(np.abs(share))) or 1.0
        t = np.sqrt(np.abs(share) / top)[..., None]         # sqrt: weak shares stay visible
        warm = 255 * np.asarray(palette.excite, np.float64)
        cool = 255 * np.asarray(palette.inhibit, np.float64)
        rgb = rgb * (1 - t) + np.where(share[..., None] >= 0, warm, cool) * t
    img = panels._cells(np.clip(rgb, 0, 255).astype(np.uint8), cell)
    for i in erase:
        r, c = divmod(int(i), 16)
        pygame.draw.rect(img, (255, 255, 255), (c * cell, r * cell, cell, cell), width=max(1, cell // 5))
    surf.blit(img, ((width - img.get_width()) // 2, y + 2))
    return surf


def lines_picture(lines: list[tuple[str, tuple]], s: float, width: int, height: int,
                  strip: list | None = None) -> pygame.Surface:
    """A panel of short lines (text, colour); ``strip``: the ten clean digits as
    (image16, before, after) drawn after the first line, each with "before → after".
    Lines after the first that find no room are left out (``lines_that_fit``)."""
    surf = panel_surface((width, height), radius=int(12 * s))
    pad, px = int(12 * s), _lines_px(s)
    y = pad
    for k, (line, colour) in enumerate(lines[:lines_that_fit(lines, s, width, height, strip)]):
        y = text.blit_wrapped(surf, line, (pad, y), px, width - 2 * pad, colour, line_gap=1.2)
        if k == 0 and strip:
            y = _strip(surf, strip, s, pad, y + int(2 * s), width - 2 * pad, px)
    return surf


def _lines_px(s: float) -> int:
    return max(10, int(17 * s))


def lines_that_fit(lines, s: float, width: int, height: int, strip: list | None = None) -> int:
    """How many of ``lines`` the message panel draws whole (the first always)."""
    pad, px = int(12 * s), _lines_px(s)
    step = int(px * 1.2)
    y = pad
    for k, (line, _) in enumerate(lines):
        n = len(text.wrap(line, px, width - 2 * pad))
        if k and y + step * (n - 1) + px > height - pad // 2:
            return k
        y += step * n
        if k == 0 and strip:
            y += int(2 * s) + _strip_height(s, width - 2 * pad, px)
    return len(lines)


def _strip_cell(s: float, width: int) -> int:
    return max(1, int(min(width / 10 * 0.7, 34 * s) / 16))


def _strip_height(s: float, width: int, px: int) -> int:
    return 16 * _strip_cell(s, width) + max(9, int(px * 0.8)) + int(6 * s)


def _strip(surf, strip, s, x0, y, width, px) -> int:
    slot = width / 10
    cell = _strip_cell(s, width)
    small = max(9, int(px * 0.8))
    for d, (img16, before, after) in enumerate(strip):
        img = panels.digit_image(img16, cell, grid=False)
        cx = int(x0 + d * slot + slot / 2)
        surf.blit(img, (cx - img.get_width() // 2, y))
        ok = after == d
        lab = text.render(f"{before}→{after}", small, panels.GOOD if ok else panels.BAD, bold=not ok)
        surf.blit(lab, (cx - lab.get_width() // 2, y + img.get_height() + 1))
    return y + _strip_height(s, width, px)


def share_sum_line(tr, lang: str, cells: np.ndarray, bias: float, z: float, digit: int) -> str:
    """The exact maths under the overlay: the cells' shares, the bias, and the score z."""
    return tr("draw.why_sum", digit=digit, cells=format_decimal(lang, float(np.sum(cells)), 3),
              bias=format_decimal(lang, bias, 3, signed=True), z=format_decimal(lang, z, 3))


def accuracy_line(tr, lang: str, before, after) -> str:
    """Test accuracy before and after, exact: percentages to 0.01 and the counts."""
    return tr("teach.test", before=format_percent(lang, before.fraction, 2),
              after=format_percent(lang, after.fraction, 2), cb=format_count(lang, before.correct),
              ca=format_count(lang, after.correct), n=format_count(lang, after.total))
