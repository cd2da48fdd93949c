"""Graph scene: the network learning, with supervision, the answer neurons and what is
known versus learned beside it. Tapping a ball opens the Inspector on that neuron.

Also the scene's three ways of watching it learn: one plain line of where learning stands
(under the first-layer pictures), the time machine (a slider over the session's snapshots
at the bottom, with "Back to now"), and, while neurons are switched off by a long press,
the per-digit test accuracy without them in place of the known/learned panel.
"""
from __future__ import annotations

import numpy as np
import pygame

from neuronlab.commands import BackToNow, Select, SwitchScene, TimeTravel
from neuronlab.nn.pace import summary
from neuronlab.scenes.base import STATS_PHASE, Scene, Stage
from neuronlab.strings import format_count, format_decimal, format_percent
from neuronlab.scenes.strips import FeatureStrip, strip_rect
from neuronlab.session import Neuron
from neuronlab.ui import panels, text
from neuronlab.ui.widgets import Button, ButtonBar, panel_surface

BACK = "back_to_now"


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
        self.back = Button(pygame.Rect(0, 0, 1, 1), "", BACK)
        self.bar = ButtonBar([self.back])
        self.slider = TimeSlider()
        self._story: tuple | None = None     # ((tick, lang), line, samples seen)

    TIME_H = 132   # design pixels: the time machine's panel (title, a line, the track)

    @staticmethod
    def dock(stage: Stage) -> tuple[pygame.Rect, pygame.Rect]:
        """Where the story line and the time machine stand: at the foot of the scene's
        panel, the time machine lowest, within reach (rectangles: story, time machine)."""
        s, side = stage.s, stage.regions.side
        x, w = side.x, side.w
        if side.w >= int(1000 * s):           # two columns: under the answer bars, on the right
            w = (side.w - int(8 * s)) // 2
            x = side.right - w
        tm = pygame.Rect(x, side.bottom - int(GraphScene.TIME_H * s), w, int(GraphScene.TIME_H * s))
        story_h = int(20 * s) + int(19 * s * 1.3) + int(19 * s * 0.8 * 1.1)
        story = pygame.Rect(x, tm.top - int(8 * s) - story_h, w, story_h)
        return story, tm

    def arrange(self, stage: Stage) -> None:
        s = stage.s
        _, panel = self.dock(stage)
        bw, bh = int(220 * s), int(56 * s)
        self.back.rect = pygame.Rect(panel.right - int(12 * s) - bw, panel.bottom - int(12 * s) - bh, bw, bh)
        self.back.label = stage.tr("time.back")
        self.back.enabled = stage.session.in_past
        self.back.active = stage.session.in_past
        self.back.font_px = int(22 * s)
        track = pygame.Rect(panel.x + int(24 * s), self.back.rect.y, self.back.rect.x - panel.x - int(48 * s), bh)
        if self.dock_hidden(stage):        # the curious layer's numbers stand in its place
            self.back.enabled = False
            self.slider.arrange(pygame.Rect(0, 0, 0, 0), pygame.Rect(0, 0, 0, 0), 0)
            return
        self.slider.arrange(panel, track, len(stage.session.timeline.snapshots))

    @staticmethod
    def dock_hidden(stage: Stage) -> bool:
        """A narrow scene panel in the curious layer shows what is given and learned
        instead of the story line and the time machine."""
        r = stage.regions
        return r.curious and r.side.w < int(1000 * stage.s) and stage.session.knockout_accuracy() is None

    def on_button(self, stage: Stage, button) -> None:
        if button.action == BACK:
            stage.apply(BackToNow())

    def exit(self, stage: Stage) -> None:
        self.slider.finger = None

    def on_pointer(self, stage: Stage, ev) -> bool:
        if self.slider.on_pointer(stage, ev):
            return True
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
        # a trip in time or a neuron switched off changes the answer at once, not next tick
        moment = (tick, ses.input_version, ses.timeline.showing, ses.knockout_version)
        sup = stage.panel("supervision", ("sup", moment, stage.lang, w),
                          lambda: supervision_panel(stage, w), side.topleft)
        p = ses.fw.p
        guess = int(np.argmax(p))
        out_xy = (side.x + w + gap, side.y) if two else (side.x, sup.bottom + gap)
        ko = ses.knockout_accuracy()
        units = tuple(ses.knockout.off_units)

        def show_knockout(xy):
            stage.panel("knockout", ("knockout", units, tuple(ko[0].correct), tuple(ko[1].correct),
                                     stage.lang, w), lambda: knockout_panel(stage, units, ko, w), xy)

        if ko is not None and not two:
            show_knockout(out_xy)      # what each digit loses, in the answer bars' place
            return self._dock_panels(stage)
        out = stage.panel("output", ("out", moment, stage.lang, w),
                          lambda: panels.output_bars(stage.tr, s, p, guess, ses.label, w, stage.lang),
                          out_xy)
        below = (side.x, sup.bottom + gap if two else out.bottom + gap)
        if ko is not None:
            show_knockout(below)
        elif two or self.dock_hidden(stage):
            # what is given and what is learned: beside the rest in a wide panel; in a
            # narrow one it is one touch away, in the curious layer, in the time machine's place
            stage.panel("known", ("known", stage.lang, w), lambda: known_learned_panel(stage, w), below)
            if not two:
                return
        self._dock_panels(stage)

    def _dock_panels(self, stage: Stage) -> None:
        self.story_line(stage)
        self.time_machine(stage)

    def story_line(self, stage: Stage) -> None:
        """Where learning stands in one plain line, under the first-layer pictures."""
        ses, s = stage.session, stage.s
        # sampled like the stats panel (once a tick while training), so the two agree
        sample = (stage.tick_at(8, STATS_PHASE), stage.lang)
        if self._story is None or self._story[0] != sample or not ses.training_active:
            st = ses.trainer.stats
            seen, acc = st.samples_seen, st.test_accuracy
            if ses.in_past:                  # the network on display: the snapshot's figures
                snap = ses.timeline.snapshots[ses.timeline.showing]
                seen, acc = snap.samples_seen, snap.test_accuracy
            self._story = (sample, story_text(stage.tr, stage.lang, seen, acc), st.samples_seen)
        line = self._story[1]
        rect = self.dock(stage)[0]
        key = ("story", line, stage.lang, rect.size)

        def render():
            px, pad = int(19 * s), int(10 * s)
            hint = stage.tr("knock.hint")
            surf = panel_surface(rect.size, radius=int(12 * s))
            room = rect.w - 2 * pad
            main = text.render(line, px, panels.WHITE, bold=True)
            if main.get_width() > room:        # a longer language: a smaller line, never cut
                main = text.render(line, max(8, int(px * room / main.get_width())), panels.WHITE, bold=True)
            surf.blit(main, ((rect.w - main.get_width()) // 2, pad))
            sub = text.render(hint, int(px * 0.8), panels.DIM)
            if sub.get_width() > room:
                sub = text.render(hint, max(8, int(px * 0.8 * room / sub.get_width())), panels.DIM)
            surf.blit(sub, ((rect.w - sub.get_width()) // 2, pad + int(px * 1.35)))
            return surf

        stage.panel("story", key, render, self.dock(stage)[0].topleft)

    def time_machine(self, stage: Stage) -> None:
        ses, sl = stage.session, self.slider
        tl = ses.timeline
        pos = tl.showing if tl.in_past else sl.n
        # now: the count sampled with the stats panel's, so the two say the same
        seen = tl.snapshots[tl.showing].samples_seen if tl.in_past else self._story[2]
        label = stage.tr("time.past" if tl.in_past else "time.now", seen=format_count(stage.lang, seen))
        key = ("time", label, pos, sl.n, tuple(sl.panel), tuple(sl.track), stage.lang)
        stage.panel("timemachine_bg", key, lambda: sl.render(stage, label, pos), sl.panel.topleft)
        stage.buttons("time_back", self.bar)


def story_text(tr, lang: str, samples_seen: int, test_accuracy) -> str:
    """"It has seen 1,200 examples; it gets 4 in 10 right" from the trainer's own figures."""
    sm = summary(samples_seen, test_accuracy)
    seen = format_count(lang, sm.seen)
    if sm.right is None:
        return tr("story.seen", seen=seen)
    return tr("story.summary", seen=seen, right=format_count(lang, sm.right),
              out_of=format_count(lang, sm.out_of))


class TimeSlider:
    """The time machine's slider: positions 0..n-1 are the snapshots (evenly spaced, so
    the dense early learning gets most of the track), position n is now. It owns the
    finger that went down on it; a move that changes the position asks for that network."""

    def __init__(self):
        self.panel = pygame.Rect(0, 0, 0, 0)
        self.track = pygame.Rect(0, 0, 0, 0)
        self.n = 0
        self.finger = None
        self._asked: int | None = None

    def arrange(self, panel: pygame.Rect, track: pygame.Rect, n: int) -> None:
        self.panel, self.track, self.n = panel, track, int(n)

    def x_of(self, pos: int) -> float:
        return self.track.x + self.track.w * pos / max(self.n, 1)

    def position(self, x: float) -> int:
        f = (x - self.track.x) / max(self.track.w, 1)
        return int(round(min(max(f, 0.0), 1.0) * self.n))

    def on_pointer(self, stage: Stage, ev) -> bool:
        if ev.kind == "down":
            if self.n < 1 or not self.track.inflate(0, 0).collidepoint(ev.x, ev.y):
                return False
            self.finger, self._asked = ev.pid, None
        elif ev.pid != self.finger:
            return False
        if ev.kind in ("down", "move", "up"):
            pos = self.position(ev.x)
            if pos != self._asked:
                self._asked = pos
                stage.apply(BackToNow() if pos >= self.n else TimeTravel(pos))
        if ev.kind in ("up", "cancel"):
            self.finger = None
        return True

    def render(self, stage: Stage, label: str, pos: int) -> pygame.Surface:
        s, p = stage.s, self.panel
        surf = panel_surface(p.size, radius=int(12 * s))
        px = int(18 * s)
        title = text.render(stage.tr("time.title"), px, panels.GOLD, bold=True)
        surf.blit(title, (int(14 * s), int(8 * s)))
        t = self.track.move(-p.x, -p.y)
        # the line spans the panel above the track and the button; a longer language wraps
        lpx, room = int(px * 0.85), p.w - 2 * t.x
        text.blit_wrapped(surf, label, (t.x, int(8 * s) + int(px * 1.3)), lpx, room, panels.WHITE,
                          line_gap=1.1)
        y = t.centery + int(8 * s)
        pygame.draw.line(surf, (90, 110, 150), (t.x, y), (t.right, y), max(2, int(6 * s)))
        for k in range(self.n + 1):           # a tick per snapshot, and now at the right end
            x = int(self.x_of(k) - p.x)
            pygame.draw.line(surf, (120, 140, 180), (x, y - int(6 * s)), (x, y + int(6 * s)), 1)
        kx = int(self.x_of(pos) - p.x)
        pygame.draw.line(surf, panels.COOL, (t.x, y), (kx, y), max(2, int(6 * s)))
        pygame.draw.circle(surf, panels.GOLD if pos < self.n else panels.COOL, (kx, y), int(18 * s))
        return surf


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


def knockout_panel(stage: Stage, units, ko, width: int) -> pygame.Surface:
    """Per-digit test accuracy with ``units`` off (bars), each beside its figure with
    every unit on (a tick), and the overall figures."""
    tr, s, lang = stage.tr, stage.s, stage.lang
    off, full = ko
    px, pad = int(17 * s), int(10 * s)
    names = ", ".join(f"{tr('layer.hidden1' if layer == 1 else 'layer.hidden2')} #{i + 1}"
                      for layer, i in units)
    title_lines = text.wrap(tr("knock.title", units=names), px, width - 2 * pad, bold=True)
    overall = tr("knock.overall", acc=format_percent(lang, off.overall, 1),
                 was=format_percent(lang, full.overall, 1))
    explain = text.wrap(tr("knock.explain"), int(px * 0.75), width - 2 * pad)
    row = int(px * 1.05)
    h = 2 * pad + int(px * 1.3) * len(title_lines) + int(px * 1.4) + 10 * row \
        + int(px * 0.95) * len(explain) + int(8 * s)
    surf = panel_surface((width, h))
    y = pad
    for line in title_lines:
        surf.blit(text.render(line, px, panels.BAD, bold=True), (pad, y))
        y += int(px * 1.3)
    surf.blit(text.render(overall, int(px * 0.95), panels.WHITE, bold=True), (pad, y))
    y += int(px * 1.4)
    bar_x = pad + int(px * 1.5)
    pct_w = text.render(format_percent(lang, 1.0, 1), int(px * 0.85), panels.WHITE).get_width()
    bar_w = width - bar_x - pad - pct_w - int(10 * s)
    for d in range(10):
        surf.blit(text.render(str(d), int(px * 0.9), panels.WHITE, bold=True), (pad, y))
        frac, was = float(off.per_digit[d]), float(full.per_digit[d])
        bh = int(px * 0.65)
        by = y + (row - bh) // 2 - int(2 * s)
        pygame.draw.rect(surf, (40, 50, 75), (bar_x, by, bar_w, bh))
        colour = panels.GOOD if frac >= was - 0.02 else panels.WARM if frac >= 0.5 else panels.BAD
        pygame.draw.rect(surf, colour, (bar_x, by, int(bar_w * frac), bh))
        wx = bar_x + int(bar_w * was)
        pygame.draw.line(surf, panels.WHITE, (wx, by - int(3 * s)), (wx, by + bh + int(3 * s)), max(1, int(2 * s)))
        pct = text.render(format_percent(lang, frac, 1), int(px * 0.85), panels.WHITE)
        surf.blit(pct, (width - pad - pct.get_width(), y))
        y += row
    y += int(4 * s)
    for line in explain:
        surf.blit(text.render(line, int(px * 0.75), panels.DIM), (pad, y))
        y += int(px * 0.95)
    return surf
