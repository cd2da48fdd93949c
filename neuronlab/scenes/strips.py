"""Two strips across the layout's strip region, between the headline and the graph.

* Features: the 16 first-hidden neurons' incoming weights as 16x16 pictures, side by
  side, changing live as the network learns; tap one to open it in the Inspector.
* Mistakes: test digits the network currently gets wrong, each labelled with what it
  said and what the digit was ("it said 2 · it was 7"); tap one to probe it.
"""
from __future__ import annotations

import numpy as np
import pygame

from neuronlab.scenes.base import Stage
from neuronlab.strings import format_count
from neuronlab.ui import panels, text
from neuronlab.ui.widgets import panel_surface


def strip_rect(stage: Stage, n_items: int) -> tuple[pygame.Rect, int]:
    """The strip's rectangle and the size of one item (px) for the current regions."""
    r, s = stage.regions, stage.s
    left, width = r.strip.left, r.strip.w
    gap = max(2, int(6 * s))
    pad = int(10 * s)
    item = max(24, min(int(64 * s), (width - 2 * pad - gap * (n_items - 1)) // n_items))
    w = 2 * pad + n_items * item + (n_items - 1) * gap
    title_h = int(28 * s)
    rect = pygame.Rect(left + (width - w) // 2, r.strip.top, w, min(r.strip.h, pad * 2 + title_h + item))
    return rect, item


def _item_rects(rect: pygame.Rect, item: int, n: int, s: float) -> list[pygame.Rect]:
    gap = max(2, int(6 * s))
    pad = int(10 * s)
    top = rect.top + pad + int(28 * s)
    return [pygame.Rect(rect.left + pad + k * (item + gap), top, item, item) for k in range(n)]


class FeatureStrip:
    """The 16 weight pictures of hidden layer 1."""

    def hit(self, stage: Stage, x: float, y: float) -> int | None:
        rect, item = strip_rect(stage, 16)
        for k, r in enumerate(_item_rects(rect, item, 16, stage.s)):
            if r.collidepoint(x, y):
                return k
        return None

    def show(self, stage: Stage, selected: int | None) -> None:
        rect, item = strip_rect(stage, 16)
        # 4 a second, an eighth of its tick before the others' boundaries
        key = ("features", stage.tick_at(4, 0.125), selected, stage.lang, rect.size)
        stage.panel("features", key, lambda: self.render(stage, rect, item, selected), rect.topleft)

    def render(self, stage: Stage, rect: pygame.Rect, item: int, selected: int | None) -> pygame.Surface:
        s = stage.s
        surf = panel_surface(rect.size, radius=int(12 * s))
        surf.blit(text.render(stage.tr("features.title"), int(18 * s), panels.GOLD, bold=True),
                  (int(10 * s), int(8 * s)))
        W1 = stage.session.model.params["W1"]
        cell = max(1, item // 16)
        for k, r in enumerate(_item_rects(rect, item, 16, s)):
            pic = panels.weight_picture(W1[:, k], cell)
            r = r.move(-rect.left, -rect.top)
            surf.blit(pic, r.topleft)
            if k == selected:
                pygame.draw.rect(surf, panels.GOLD, r.inflate(4, 4), 3)
        return surf


def mistake_label(tr, guess: int, truth: int) -> str:
    """The words under one mistake: what the network said, then what the digit was."""
    return tr("mistakes.label", guess=int(guess), truth=int(truth))


class MistakeStrip:
    """Test digits the network gets wrong now (at most ``n``, as many as fit with their
    labels), refreshed when weights change. Each is labelled "it said 2 · it was 7" so a
    visitor never has to guess which number is the answer."""

    def __init__(self, n: int = 12):
        self.n = n
        self.indices: np.ndarray = np.zeros(0, np.int64)
        self.preds: np.ndarray = np.zeros(0, np.int64)
        self.truths: np.ndarray = np.zeros(0, np.int64)
        self.wrong_total = 0
        self._version = None

    def refresh(self, stage: Stage) -> None:
        ses = stage.session
        if self._version == ses.train_version:
            return
        self._version = ses.train_version
        preds = ses.model.predict(ses.test_X)           # (2000, 256) -> (2000,)
        wrong = np.flatnonzero(preds != ses.test_y)
        self.wrong_total = int(len(wrong))
        self.indices = wrong[: self.n]
        self.preds = preds[self.indices]
        self.truths = np.asarray(ses.test_y)[self.indices].astype(np.int64)

    def labels(self, stage: Stage) -> list[str]:
        """The label of each mistake held, in order."""
        return [mistake_label(stage.tr, g, t) for g, t in zip(self.preds, self.truths)]

    def heading(self, stage: Stage) -> tuple[str, str]:
        """(title, count) across the strip's top."""
        tr = stage.tr
        title = tr("mistakes.title") if len(self.indices) else tr("mistakes.none")
        count = tr("mistakes.count", n=format_count(stage.lang, self.wrong_total),
                   total=format_count(stage.lang, len(stage.session.test_y)))
        return title, count

    def _heading_width(self, stage: Stage) -> int:
        """Px the title and the widest count take side by side (the count measured at its
        widest, every test digit wrong, so the panel does not jump as the count changes)."""
        s = stage.s
        total = format_count(stage.lang, len(stage.session.test_y))
        title, _ = self.heading(stage)
        widest = stage.tr("mistakes.count", n=total, total=total)
        return (text.font(int(18 * s), bold=True).size(title)[0] + int(24 * s)
                + text.font(int(16 * s)).size(widest)[0])

    def _heading_rows(self, stage: Stage, width: int) -> tuple[list[str], bool, int]:
        """(the title's lines, whether the count sits beside it, the heading's height) in a
        panel ``width`` px wide: one row where title and count fit side by side, else the
        title wrapped to the panel and the count on a row of its own below it."""
        s = stage.s
        pad = int(10 * s)
        title, _ = self.heading(stage)
        if 2 * pad + self._heading_width(stage) <= width:
            return [title], True, int(30 * s)
        lines = text.wrap(title, int(18 * s), width - 2 * pad, bold=True)
        return lines, False, int(8 * s) + len(lines) * int(18 * s * 1.25) + int(24 * s)

    def layout(self, stage: Stage) -> tuple[pygame.Rect, list[pygame.Rect], int]:
        """(strip rect, one rect per shown mistake, thumbnail px): each item is as wide as
        its widest label, so only as many mistakes as fit are shown. The panel is wide
        enough for its title and count on one row; where the strip is not, the title wraps
        and the count takes a row of its own."""
        s = stage.s
        label_px = max(10, int(15 * s))
        widest = max([text.font(label_px).size(lab)[0] for lab in self.labels(stage)] or [0])
        r = stage.regions
        left, right = r.strip.left, r.strip.right
        gap, pad = max(4, int(10 * s)), int(10 * s)
        heading_w = 2 * pad + self._heading_width(stage)
        _, _, title_h = self._heading_rows(stage, min(right - left, heading_w))
        label_h = int(label_px * 1.5)
        # the thumbnails take what the strip leaves them
        thumb = max(24, min(int(64 * s), r.strip.h - 2 * pad - title_h - label_h))
        item_w = max(thumb, widest + int(6 * s))
        fit = max(1, (right - left - 2 * pad + gap) // (item_w + gap))
        shown = min(len(self.indices), fit)
        w = 2 * pad + max(1, shown) * item_w + max(0, shown - 1) * gap
        w = max(w, min(right - left, max(heading_w, int(520 * s))))
        rect = pygame.Rect(left + (right - left - w) // 2, r.strip.top, w, pad * 2 + title_h + thumb + label_h)
        x0 = rect.left + (w - (shown * item_w + max(0, shown - 1) * gap)) // 2
        items = [pygame.Rect(x0 + k * (item_w + gap), rect.top + pad + title_h, item_w, thumb + label_h)
                 for k in range(shown)]
        return rect, items, thumb

    def hit(self, stage: Stage, x: float, y: float) -> int | None:
        """The test-set index of the tapped mistake."""
        _, items, _ = self.layout(stage)
        for k, r in enumerate(items):
            if r.collidepoint(x, y):
                return int(self.indices[k])
        return None

    def show(self, stage: Stage) -> None:
        self.refresh(stage)
        rect, items, thumb = self.layout(stage)
        key = ("mistakes", self._version, tuple(self.indices), stage.lang, rect.size, len(items))
        stage.panel("mistakes", key, lambda: self.render(stage, rect, items, thumb), rect.topleft)

    def render(self, stage: Stage, rect: pygame.Rect, items: list[pygame.Rect], thumb: int) -> pygame.Surface:
        s, ses, tr = stage.s, stage.session, stage.tr
        surf = panel_surface(rect.size, radius=int(12 * s))
        _, count = self.heading(stage)
        lines, beside, _ = self._heading_rows(stage, rect.w)
        step = int(18 * s * 1.25)
        for k, line in enumerate(lines):
            surf.blit(text.render(line, int(18 * s), panels.GOLD, bold=True), (int(10 * s), int(8 * s) + k * step))
        count = text.render(count, int(16 * s), panels.DIM)
        if beside:
            surf.blit(count, (rect.w - int(10 * s) - count.get_width(), int(10 * s)))
        else:
            surf.blit(count, (int(10 * s), int(8 * s) + len(lines) * step))
        cell = max(1, thumb // 16)
        label_px = max(10, int(15 * s))
        for k, r in enumerate(items):
            idx = int(self.indices[k])
            r = r.move(-rect.left, -rect.top)
            pic = panels.digit_image(ses.test_X[idx].reshape(16, 16), cell, grid=False)
            surf.blit(pic, (r.centerx - pic.get_width() // 2, r.top))
            lab = text.render(mistake_label(tr, self.preds[k], self.truths[k]), label_px, panels.WHITE)
            surf.blit(lab, (r.centerx - lab.get_width() // 2, r.top + thumb + int(2 * s)))
        return surf
