"""Where everything goes on a screen of any shape, sized in millimetres on the glass.

Owns the division of the window into regions: the 3D graph's box, the headline above it,
the scene's panel, the "for the curious" column and the control bar. Pure: a function of
the window size, the screen's pixel density and the UI scale, so it is tested at every
shape a gallery buys without opening a window.

Landscape puts the scene's panel on the right and the curious column (when open) on the
left, the graph between them. Portrait puts the graph at the top, where it is looked at,
and the panels and controls below, where a standing visitor reaches them.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import pygame

# The density the HUD's sizes were drawn for: a 32-inch 1920x1080 panel. A design length
# of n pixels is n / REF_PX_PER_MM millimetres on any screen.
REF_PX_PER_MM = 2.71
# "auto" density: assume the screen's short side is that of a 32-inch 16:9 panel.
AUTO_SHORT_SIDE_MM = 398.0
GRAPH_SHARE = 0.37       # the scale shrinks until the graph gets at least this share
MIN_SCALE = 0.45         # ...but never below this (text would fall under 3 mm cap height)
# With the curious column open beside the scene's panel, the graph keeps at least this
# share; where three columns leave it less, the column takes the panel's place instead.
CURIOUS_GRAPH_SHARE = 0.27
# Portrait: the graph's share, just over the rule's 35 %, so the panels below keep room
PORTRAIT_GRAPH_SHARE = 0.355

# Design sizes, in reference pixels.
MARGIN = 20
BAR_H = 96
SIDE_W = 580
LEFT_W = 420
HEADLINE_H = 92
STRIP_H = 128            # a strip of small pictures under the headline (features, mistakes)


def auto_px_per_mm(size: tuple[int, int]) -> float:
    """A density for a screen whose size nobody configured (displays report wrong DPIs)."""
    return min(size) / AUTO_SHORT_SIDE_MM


def density_in_window(px_per_mm: float | None, mode: tuple[int, int] | None,
                      got: tuple[int, int]) -> float | None:
    """The configured density, set for the display ``mode`` asked, in the window ``got``:
    scaled by their widths when the display gave another size (a refused mode falls back
    to its own pixels, or SDL took the nearest). None (auto) and no mode pass through."""
    if not px_per_mm or not mode or min(mode) <= 0 or int(got[0]) == int(mode[0]):
        return px_per_mm
    return float(px_per_mm) * int(got[0]) / int(mode[0])


@dataclass(frozen=True)
class ScreenLayout:
    """Screen rectangles in window pixels, and the scale that sizes what is inside them."""

    size: tuple[int, int]
    px_per_mm: float
    s: float                    # HUD scale: design pixels -> window pixels
    portrait: bool
    curious: bool               # the "for the curious" column is open
    side_hidden: bool           # ...in the scene panel's place (no room for both)
    bottom: pygame.Rect         # the control bar
    side: pygame.Rect           # the scene's panel
    left: pygame.Rect           # the curious column (zero-sized when closed)
    headline: pygame.Rect       # the scene's headline and invitation, above the graph
    strip: pygame.Rect          # a row of small pictures between the headline and the graph
    graph: pygame.Rect          # the 3D graph's box: no panel covers it

    def mm(self, millimetres: float) -> int:
        """A length on the glass in window pixels."""
        return int(round(millimetres * self.px_per_mm))

    def to_mm(self, pixels: float) -> float:
        return pixels / self.px_per_mm

    def graph_share(self) -> float:
        w, h = self.size
        return self.graph.w * self.graph.h / float(w * h)

    def panels(self) -> dict[str, pygame.Rect]:
        """Every region that holds panels, by name (for the layout report and its tests)."""
        out = {"bottom": self.bottom, "headline": self.headline, "strip": self.strip}
        if not self.side_hidden:
            out["side"] = self.side
        if self.curious:
            out["left"] = self.left
        return out


def _landscape(size, ppm, s, curious) -> ScreenLayout:
    w, h = size
    m, bar_h = int(MARGIN * s), int(BAR_H * s)
    bottom = pygame.Rect(m, h - bar_h - m, w - 2 * m, bar_h)
    top, low = m, bottom.top - m
    side = pygame.Rect(w - int(SIDE_W * s) - m, top, int(SIDE_W * s), low - top)
    left = pygame.Rect(m, top, int(LEFT_W * s), low - top) if curious else pygame.Rect(m, top, 0, 0)
    gx = left.right + m if curious else m
    headline = pygame.Rect(gx, top, side.left - m - gx, int(HEADLINE_H * s))
    strip = pygame.Rect(gx, headline.bottom + m // 2, headline.w, int(STRIP_H * s))
    graph = pygame.Rect(gx, strip.bottom + m // 2, headline.w, low - strip.bottom - m // 2)
    return ScreenLayout((w, h), ppm, s, False, curious, False, bottom, side, left, headline, strip, graph)


def _portrait(size, ppm, s, curious) -> ScreenLayout:
    w, h = size
    m, bar_h = int(MARGIN * s), int(BAR_H * s)
    bottom = pygame.Rect(m, h - bar_h - m, w - 2 * m, bar_h)
    headline = pygame.Rect(m, m, w - 2 * m, int(HEADLINE_H * s))
    strip = pygame.Rect(m, headline.bottom + m // 2, w - 2 * m, int(STRIP_H * s))
    # The graph takes the upper part, to be looked at, as much as its share asks; what is
    # touched sits below it.
    graph_h = math.ceil(PORTRAIT_GRAPH_SHARE * w * h / (w - 2 * m)) + 1
    graph = pygame.Rect(m, strip.bottom + m // 2, w - 2 * m, graph_h)
    top, low = graph.bottom + m, bottom.top - m
    side = pygame.Rect(m, top, w - 2 * m, low - top)
    # Below a portrait graph there is room for one panel: the curious column, when open,
    # stands in the scene panel's place.
    left = pygame.Rect(side) if curious else pygame.Rect(m, top, 0, 0)
    return ScreenLayout((w, h), ppm, s, True, curious, curious, bottom, side, left, headline, strip, graph)


def screen_layout(size: tuple[int, int], px_per_mm: float | None = None, ui_scale: float = 1.0,
                  curious: bool = False) -> ScreenLayout:
    """The layout of a window of ``size`` pixels on a screen of ``px_per_mm`` (None: auto).

    The scale follows the density (the same millimetres on every screen) and shrinks only
    as far as the graph needs to keep its share; opening the curious column never changes
    it, so no text changes size."""
    w, h = int(size[0]), int(size[1])
    if w <= 0 or h <= 0:
        raise ValueError(f"window size must be positive, got {w}x{h}")
    ppm = float(px_per_mm) if px_per_mm else auto_px_per_mm((w, h))
    if not (math.isfinite(ppm) and ppm > 0):
        raise ValueError(f"px_per_mm must be a positive number, got {px_per_mm!r}")
    make = _portrait if h > w else _landscape
    s = ppm * float(ui_scale) / REF_PX_PER_MM
    # Largest scale <= s at which the graph keeps its share (bisection: the share falls
    # as the scale grows).
    # (portrait gives the graph its share whatever the scale: the panels take the rest)
    share = PORTRAIT_GRAPH_SHARE - 1e-9 if h > w else GRAPH_SHARE
    if make((w, h), ppm, s, False).graph_share() < share:
        lo, hi = MIN_SCALE, s
        for _ in range(24):
            mid = (lo + hi) / 2
            if make((w, h), ppm, mid, False).graph_share() >= share:
                lo = mid
            else:
                hi = mid
        s = lo
    s = max(MIN_SCALE, s)
    out = make((w, h), ppm, s, curious)
    if curious and out.graph_share() < CURIOUS_GRAPH_SHARE:
        base = make((w, h), ppm, s, False)
        out = ScreenLayout(base.size, ppm, s, base.portrait, True, True, base.bottom, base.side,
                           pygame.Rect(base.side), base.headline, base.strip, base.graph)
    return out
