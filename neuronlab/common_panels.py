"""The panels every scene shares: the stats, the loss/accuracy plot, the legend, and the
common control bars. Only describes them to the ``Stage``; the numbers are the model's own.
"""
from __future__ import annotations

import pygame

from neuronlab import strings
from neuronlab.nn.mlp import N_PARAMS
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


def plot_surface(tr, s: float, history, width: int, h: int | None = None) -> pygame.Surface:
    h = int(120 * s) if h is None else int(h)
    surf = panel_surface((width, h))
    pad = int(14 * s)
    surf.blit(text.render(tr("stat.loss"), int(18 * s), panels.WARM, bold=True), (pad, pad))
    lbl = text.render(tr("stat.accuracy"), int(18 * s), panels.GOOD, bold=True)
    surf.blit(lbl, (width - pad - lbl.get_width(), pad))
    area = (width - 2 * pad, h - 3 * pad - int(18 * s))
    top = pad * 2 + int(18 * s)
    surf.blit(panels.line_plot(history.loss, area, panels.WARM, lo=0.0), (pad, top))
    surf.blit(panels.line_plot(history.acc, area, panels.GOOD, lo=0.0, hi=1.0), (pad, top))
    return surf


def headline_surface(tr, s: float, scene: str, size) -> pygame.Surface:
    """The scene's one headline in plain words and its one invitation, large."""
    w, h = size
    surf = pygame.Surface((max(1, w), max(1, h)), pygame.SRCALPHA)
    big, small = int(44 * s), int(26 * s)
    head = text.render(tr(f"headline.{scene}"), big, panels.WHITE, bold=True)
    if head.get_width() > w:
        head = text.render(tr(f"headline.{scene}"), max(12, int(big * w / head.get_width())),
                           panels.WHITE, bold=True)
    surf.blit(head, (0, 0))
    invite = text.render(tr(f"invite.{scene}"), small, panels.GOLD)
    if invite.get_width() > w:
        invite = text.render(tr(f"invite.{scene}"), max(12, int(small * w / invite.get_width())),
                             panels.GOLD)
    surf.blit(invite, (0, head.get_height() + int(4 * s)))
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
        sample = (stage.tick, lang)
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
        if plot_h >= int(70 * s):
            stage.panel("plot", ("plot", len(history), stage.tick // 4, lang, sub_w, plot_h),
                        lambda: plot_surface(tr, s, history, sub_w, plot_h), (plot_x, plot_top))
