"""The panels every scene shares: the stats, the loss/accuracy plot, the legend, and the
common control bars. Only describes them to the ``Stage``; the numbers are the model's own.
"""
from __future__ import annotations

import math

import pygame

from neuronlab import strings
from neuronlab.nn.mlp import N_PARAMS
from neuronlab.scenes.base import STATS_PHASE
from neuronlab.ui import panels, text
from neuronlab.ui.widgets import panel_surface

DASH = "—"


def gradcheck_badge(tr, gc, lang: str = "en") -> tuple[str, tuple]:
    if gc is None:
        return tr("gradcheck.pending"), panels.GOLD
    error = strings.format_scientific(lang, gc.worst_rel_error)
    if gc.worst_rel_error < 1e-6:
        return tr("gradcheck.passed", error=error), panels.GOOD
    return tr("gradcheck.failed", error=error), panels.BAD


def speed_text(tr, ses, lang: str = "en") -> str:
    """Digits a second while training; a dash until the trainer has measured its rate."""
    if not ses.training_active:
        rate = strings.format_count(lang, 0)
    elif ses.trainer.stats.samples_per_sec > 0:
        rate = strings.format_count(lang, ses.trainer.stats.samples_per_sec)
    else:
        return DASH
    return tr("stat.speed_value", rate=rate)


def stats_rows(tr, ses, lang: str = "en") -> list[tuple[str, str]]:
    """The stats panel's (label, value) rows for the session as it is now, in the
    visitor's number format."""
    stats = ses.trainer.stats
    acc = stats.test_accuracy
    return [
        (tr("stat.epoch"), strings.format_count(lang, stats.epoch)),
        (tr("stat.samples"), strings.format_count(lang, stats.samples_seen)),
        (tr("stat.loss"), panels.fmt_num(stats.train_loss, 3, lang)),
        (tr("stat.accuracy"), strings.format_percent(lang, acc, 1) if acc is not None else DASH),
        (tr("stat.parameters"), strings.format_count(lang, N_PARAMS)),
        (tr("stat.status"), tr(f"status.{ses.status}")),
        (tr("stat.speed"), speed_text(tr, ses, lang)),
        (tr("stat.lr"), strings.format_significant(lang, ses.trainer.current_lr, 4)),
        (tr("stat.batch"), strings.format_count(lang, ses.settings.batch)),
    ]


def _nice_ceiling(v: float) -> float:
    """The loss axis' top: the next of 0.5, 1, 1.5, 2, 2.5, 3 ... at or above ``v``."""
    return max(0.5, math.ceil(v * 2.0 - 1e-9) / 2.0)


def plot_surface(tr, s: float, history, width: int, h: int | None = None,
                 lang: str = "en") -> pygame.Surface:
    """Loss (left scale) and test accuracy (right scale, 0-100 %) against samples seen,
    from the run's first point to its last, each line's last value written above it."""
    h = int(128 * s) if h is None else int(h)
    surf = panel_surface((width, h))
    pad, px, tick_px = int(10 * s), int(16 * s), int(12 * s)
    last_loss = history.loss[-1] if len(history) else None
    last_acc = history.acc[-1] if len(history) else None
    loss_s = f"{tr('stat.loss')}  {panels.fmt_num(last_loss, 3, lang) if _finite(last_loss) else DASH}"
    acc_s = f"{tr('stat.accuracy')}  {strings.format_percent(lang, last_acc, 1) if _finite(last_acc) else DASH}"
    room = width - 4 * pad
    need = sum(text.font(px, True).size(t)[0] for t in (loss_s, acc_s))
    one_row = need * 0.75 <= room
    if one_row and need > room:            # a longer language: a slightly smaller line
        px = int(px * room / need)
    head_l = text.render(loss_s, px, panels.WARM, bold=True)
    head_r = text.render(acc_s, px, panels.GOOD, bold=True)
    surf.blit(head_l, (pad, pad))
    # much longer: the accuracy goes under the loss, and the plot gives up the row
    head_h = int(px * 1.5) if one_row else int(px * 1.2) + int(px * 1.5)
    surf.blit(head_r, (width - pad - head_r.get_width(), pad) if one_row else (pad, pad + int(px * 1.25)))
    finite_loss = [v for v in history.loss if _finite(v)]
    loss_hi = _nice_ceiling(max(finite_loss)) if finite_loss else 2.5
    left_w = text.render(panels.fmt_num(loss_hi, 1, lang), tick_px, panels.DIM).get_width() + int(6 * s)
    right_w = text.render(strings.format_percent(lang, 1.0, 0), tick_px, panels.DIM).get_width() + int(6 * s)
    area = pygame.Rect(pad + left_w, pad + head_h, 0, 0)
    area.w = width - pad - right_w - area.x
    area.h = h - area.y - pad - int(tick_px * 1.5)
    # the grid: the scales' ticks (a short plot keeps room for its two ends only)
    ticks = (0.0, 0.5, 1.0) if area.h >= 3 * int(tick_px * 1.25) else (0.0, 1.0)
    for f in ticks:
        y = int(area.bottom - f * area.h)
        pygame.draw.line(surf, (60, 72, 100), (area.x, y), (area.right, y), 1)
        lt = text.render(panels.fmt_num(f * loss_hi, 1, lang), tick_px, panels.WARM)
        surf.blit(lt, (area.x - lt.get_width() - int(4 * s), y - lt.get_height() // 2))
        rt = text.render(strings.format_percent(lang, f, 0), tick_px, panels.GOOD)
        surf.blit(rt, (area.right + int(4 * s), y - rt.get_height() // 2))
    x0 = history.samples[0] if len(history) else 0
    x1 = max(history.samples[-1], x0 + 1) if len(history) else 1
    ty = area.bottom + int(3 * s)
    lo_t = text.render(strings.format_count(lang, x0), tick_px, panels.DIM)
    hi_t = text.render(strings.format_count(lang, x1 if len(history) else 0), tick_px, panels.DIM)
    surf.blit(lo_t, (area.x, ty))
    surf.blit(hi_t, (area.right - hi_t.get_width(), ty))
    unit = text.render(tr("plot.samples"), tick_px, panels.DIM)
    gap_l, gap_r = area.x + lo_t.get_width(), area.right - hi_t.get_width()
    if unit.get_width() + int(8 * s) <= gap_r - gap_l:
        surf.blit(unit, ((gap_l + gap_r - unit.get_width()) // 2, ty))
    for series, colour, hi in ((history.loss, panels.WARM, loss_hi), (history.acc, panels.GOOD, 1.0)):
        pts = [(area.x + (n - x0) / (x1 - x0) * area.w, area.bottom - min(max(v / hi, 0.0), 1.0) * area.h)
               for n, v in zip(history.samples, series) if _finite(v)]
        if len(pts) >= 2:
            pygame.draw.lines(surf, colour, False, pts, max(2, int(3 * s)))
    return surf


def headline_surface(tr, s: float, scene: str, size) -> pygame.Surface:
    """The scene's one headline in plain words and its one invitation, large."""
    w, h = size
    big, small = int(44 * s), int(26 * s)
    head = text.render(tr(f"headline.{scene}"), big, panels.WHITE, bold=True)
    if head.get_width() > w:
        head = text.render(tr(f"headline.{scene}"), max(12, int(big * w / head.get_width())),
                           panels.WHITE, bold=True)
    invite = text.render(tr(f"invite.{scene}"), small, panels.GOLD)
    if invite.get_width() > w:
        invite = text.render(tr(f"invite.{scene}"), max(12, int(small * w / invite.get_width())),
                             panels.GOLD)
    # only as large as its text: a transparent texture still costs a software renderer
    # its blending over every pixel it covers
    gap = int(4 * s)
    surf = pygame.Surface((max(head.get_width(), invite.get_width()),
                           min(h, head.get_height() + gap + invite.get_height())), pygame.SRCALPHA)
    surf.blit(head, (0, 0))
    surf.blit(invite, (0, head.get_height() + gap))
    return surf


LAYER_WORDS = ("graphlabel.input", "graphlabel.hidden1", "graphlabel.hidden2", "graphlabel.output")
LAYER_TERMS = ("layer.input", "layer.hidden1", "layer.hidden2", "layer.output")


def graph_label_surface(tr, s: float, layer: int) -> pygame.Surface:
    """One layer's name on the graph: the plain words, then the technical one, smaller."""
    plain = text.render(tr(LAYER_WORDS[layer]), int(22 * s), panels.WHITE, bold=True)
    term = text.render(tr(LAYER_TERMS[layer]), int(16 * s), panels.DIM)
    w = max(plain.get_width(), term.get_width())
    surf = pygame.Surface((w, plain.get_height() + term.get_height()), pygame.SRCALPHA)
    surf.blit(plain, ((w - plain.get_width()) // 2, 0))
    surf.blit(term, ((w - term.get_width()) // 2, plain.get_height()))
    return surf


def show_graph_labels(stage, anchors) -> None:
    """The four layers named under the graph at the home view: ``anchors`` holds, per
    layer, the window point (x, y) just below its lowest ball (the label's top centre)."""
    s, tr, box = stage.s, stage.tr, stage.regions.graph
    for layer, (x, y) in enumerate(anchors):
        def place(size, x=x, y=y):
            lx = min(max(int(x - size[0] / 2), box.left), box.right - size[0])
            return lx, min(int(y), box.bottom - size[1])
        stage.panel(f"graph_label{layer}", ("glabel", layer, stage.lang, s),
                    lambda layer=layer: graph_label_surface(tr, s, layer), place)


def _finite(v) -> bool:
    return v is not None and math.isfinite(v)


class CommonPanels:
    def __init__(self):
        self._stats = None   # ((tick, lang), rows): sampled 8 times a second

    def show(self, stage, ses, history, controls, gradcheck, scene: str = "graph") -> None:
        """The headline and the visitor's bar always; the curious column when it is open."""
        s, r, tr, lang = stage.s, stage.regions, stage.tr, stage.lang
        hl = r.headline
        stage.panel("headline", ("headline", scene, lang, hl.size),
                    lambda: headline_surface(tr, s, scene, hl.size), hl.topleft)
        stage.buttons("controls", controls.bar)
        if controls.picker.buttons:
            stage.buttons("languages", controls.picker)
        if not r.curious:
            return
        badge = gradcheck_badge(tr, gradcheck, lang)
        # live numbers are sampled once per tick (8 a second), so the panel is re-rendered
        # and re-uploaded at most that often while training changes them every frame
        sample = (stage.tick_at(8, STATS_PHASE), lang)
        if self._stats is None or self._stats[0] != sample or not ses.training_active:
            self._stats = (sample, tuple(stats_rows(tr, ses, lang)))
        rows = self._stats[1]
        col = r.left
        gap = int(12 * s)
        stage.buttons("curious", controls.curious)
        top = controls.curious.bounds().top if controls.curious.buttons else col.bottom
        # a wide column (portrait) puts the stats beside the legend and the plot
        wide = col.w >= int(2 * 420 * s) + gap
        sub_w = (col.w - gap) // 2 if wide else col.w
        box = stage.panel("stats", ("stats", rows, badge, lang, sub_w),
                          lambda: panels.stats_panel(tr, s, rows, badge, sub_w), col.topleft)
        if wide:
            x2 = col.x + sub_w + gap
            legend = stage.panel("legend", ("legend", lang, sub_w),
                                 lambda: panels.legend_panel(tr, s, stage.palette, sub_w), (x2, col.y))
            plot_top, plot_bottom, plot_x = legend.bottom + gap, top - gap, x2
        else:
            legend = stage.panel("legend", ("legend", lang, sub_w),
                                 lambda: panels.legend_panel(tr, s, stage.palette, sub_w),
                                 lambda size: (col.x, top - gap - size[1]))
            plot_top, plot_bottom, plot_x = box.bottom + gap, legend.top - gap, col.x
        # the plot takes what is left
        plot_h = min(int(160 * s), plot_bottom - plot_top)
        if plot_h >= int(90 * s):
            last = history.samples[-1] if len(history) else None
            stage.panel("plot", ("plot", len(history), last, lang, sub_w, plot_h),
                        lambda: plot_surface(tr, s, history, sub_w, plot_h, lang), (plot_x, plot_top))
