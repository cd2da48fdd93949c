"""Fonts and text on pygame surfaces: the bundled DejaVu faces, cached by size."""
from __future__ import annotations

import contextlib
import math
from functools import lru_cache

import pygame

from neuronlab.resources import asset_path

REGULAR = asset_path("fonts/DejaVuSans.ttf")
BOLD = asset_path("fonts/DejaVuSans-Bold.ttf")


CAP_HEIGHT = 0.73      # DejaVu Sans: cap height per pixel of nominal size
MIN_PX = 6             # the floor before any screen has set one
_floor = [MIN_PX]      # the smallest size any text is drawn at, for the screen in use


def set_legible_floor(px_per_mm: float, cap_mm: float = 3.0) -> None:
    """No text smaller than ``cap_mm`` of cap height on a screen of ``px_per_mm``: legible
    at arm's length, whatever a panel's design size rounds down to on a small screen."""
    _floor[0] = max(MIN_PX, math.ceil(cap_mm * px_per_mm / CAP_HEIGHT - 1e-6))


def reset_legible_floor() -> None:
    """Back to the floor a fresh process starts with, before any screen set one."""
    _floor[0] = MIN_PX


def font(px: int, bold: bool = False) -> pygame.font.Font:
    """A font whose nominal size is ``px`` pixels (cap height is about 0.73 px), never
    below the legible floor."""
    return _font(max(_floor[0], int(px)), bold)


@lru_cache(maxsize=64)
def _font(px: int, bold: bool) -> pygame.font.Font:
    if not pygame.font.get_init():
        pygame.font.init()
    return pygame.font.Font(str(BOLD if bold else REGULAR), px)


# Lists that ``sizes_used`` is collecting into: the font sizes of every text rendered
# while one is open (the layout report's smallest text).
_recording: list[list[int]] = []


@contextlib.contextmanager
def sizes_used():
    """Collect the pixel size of every text rendered inside the block."""
    sizes: list[int] = []
    _recording.append(sizes)
    try:
        yield sizes
    finally:
        _recording.remove(sizes)


def render(text: str, px: int, colour, bold: bool = False) -> pygame.Surface:
    if text.strip():
        for sizes in _recording:
            sizes.append(max(_floor[0], int(px)))
    return font(px, bold).render(text, True, colour)


def wrap(text: str, px: int, width: int, bold: bool = False) -> list[str]:
    """Greedy word wrap to ``width`` pixels."""
    f = font(px, bold)
    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        for word in para.split(" "):
            trial = word if not line else line + " " + word
            if f.size(trial)[0] <= width or not line:
                line = trial
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return lines


def blit_wrapped(surf: pygame.Surface, text: str, pos, px: int, width: int, colour,
                 bold: bool = False, line_gap: float = 1.25) -> int:
    """Draw wrapped text; returns the y just below the last line."""
    x, y = pos
    step = int(px * line_gap)
    for line in wrap(text, px, width, bold):
        surf.blit(render(line, px, colour, bold), (x, y))
        y += step
    return y
