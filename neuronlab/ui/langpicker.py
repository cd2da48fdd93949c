"""The language picker: one button per offered language, each named in its own words.

With more than two languages on offer the language button opens this picker instead of
toggling. ``language_picker`` lays the buttons out above the language button and returns them
as a ``ButtonBar``: its buttons carry their rectangles and ``("lang", code)`` actions, and
``render()`` draws them, so the bottom bar can place, draw and hit-test it like any other.
"""
from __future__ import annotations

import math

import pygame

from neuronlab import strings
from neuronlab.ui import text
from neuronlab.ui.widgets import Button, ButtonBar

# Label padding inside a button, in UI-scale units: the names never need shrinking.
PAD = 24


def language_picker(anchor: pygame.Rect, offered: tuple[str, ...], current: str, s: float,
                    font_px: int | None = None, gap: int | None = None) -> ButtonBar:
    """Buttons for ``offered``, stacked upward from ``anchor``'s top edge (the language
    button), right-aligned with it, as many columns leftward as the height above needs.
    Each is as tall as ``anchor``, and as wide as the longest own name needs (at least
    ``anchor``'s width); ``current`` is shown active."""
    font_px = font_px or int(24 * s)
    gap = int(10 * s) if gap is None else gap
    names = [strings.language_name(code) for code in offered]
    widest = max((text.font(font_px, True).size(n)[0] for n in names), default=0)
    w = max(anchor.w, widest + int(PAD * s) * 2)
    h = anchor.h
    rows = max(1, (anchor.top - gap) // (h + gap))
    cols = math.ceil(len(offered) / rows) if offered else 0
    rows = math.ceil(len(offered) / cols) if cols else 0  # balance the columns
    buttons = []
    for i, (code, name) in enumerate(zip(offered, names)):
        col, row = divmod(i, rows)
        x = anchor.right - w - col * (w + gap)
        y = anchor.top - gap - (row + 1) * h - row * gap
        buttons.append(Button(pygame.Rect(x, y, w, h), name, ("lang", code), active=code == current,
                              font_px=font_px))
    return ButtonBar(buttons)
