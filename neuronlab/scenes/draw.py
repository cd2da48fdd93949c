"""Draw scene: finger-paint a digit on the 16x16 pad; every change re-fires the graph in
the same frame. Beside the pad: what the network actually receives, coloured by why it
answered; below: its answer, large, then "Was I right?" and ten answer buttons
(``answer:<d>``) that teach it the drawing, the answer bars (touch one to explain that
answer), "Change its mind", and what happened. Rectangles: ``teach_panel.draw_layout``."""
from __future__ import annotations

import numpy as np
import pygame

from neuronlab.commands import Pen, SceneButton, Teach
from neuronlab.nn import digits
from neuronlab.nn.explain import MindChange, change_its_mind, explain
from neuronlab.scenes import teach_panel
from neuronlab.scenes.base import Scene, Stage
from neuronlab.strings import format_percent
from neuronlab.ui import panels, text
from neuronlab.ui.paintpad import PaintPad
from neuronlab.ui.widgets import Button, ButtonBar, panel_surface


class DrawScene(Scene):
    name = "draw"

    def __init__(self):
        super().__init__()
        self.pad = PaintPad()
        self.fingers: set = set()
        self._fed_version = -1
        self.why: int | None = None          # the answer the overlay explains (None: its own)
        self.mind: MindChange | None = None  # "Change its mind", for the input it was found on
        self._mind_key = None
        self._explained = (None, None)       # (key, Shares) last computed
        self.shown: dict = {}                # what each panel was last given (tests read it)
        self._lines = 1
        self._had_ink = False
        self._bars: tuple = ()

    # ------------------------------------------------------------------ layout
    def rects(self, stage: Stage) -> teach_panel.DrawLayout:
        px = teach_panel.answer_font_px(stage.s, stage.regions.px_per_mm)
        return teach_panel.draw_layout(stage.regions.side, stage.s, px, self._lines)

    def pad_rect(self, stage: Stage) -> pygame.Rect:
        return self.rects(stage).pad

    def layout(self, stage: Stage) -> None:
        s = stage.s
        px = teach_panel.answer_font_px(s, stage.regions.px_per_mm)
        width = stage.regions.side.w - 2 * int(16 * s)
        # the answer's row is as tall as its longest wording in this language needs
        self._lines = max(len(text.wrap(words, px, width, bold=True))
                          for words in (stage.tr("draw.answer", digit=0), stage.tr("draw.title")))
        r = self.rects(stage)
        ink = bool(self.pad.image.any())
        t = getattr(stage, "teaching", None)
        taught = t.label if t is not None else None
        # one toggle for the eraser (lit while it erases; painting is the rest state) and
        # Clear: two targets, so the visitor layer stays at ten outside the pad and answers
        tools = [Button(r.tools[0].union(r.tools[1]), stage.tr("draw.eraser"), "eraser",
                        active=self.pad.eraser, font_px=int(22 * s)),
                 Button(r.tools[2], stage.tr("draw.clear"), "clear", font_px=int(22 * s))]
        answers = [Button(rect, str(d), f"answer:{d}", active=d == taught, enabled=ink,
                          accent=panels.GOLD, font_px=int(30 * s)) for d, rect in enumerate(r.answers)]
        mind = Button(r.mind, stage.tr("draw.mind"), "mind", enabled=ink, font_px=int(21 * s))
        # one bar for touch; drawn as three panels, so no panel spans the others
        self.bar = ButtonBar(tools + answers + [mind])
        self._bars = (("draw_tools", ButtonBar(tools)), ("draw_answers", ButtonBar(answers)),
                      ("draw_mind", ButtonBar([mind])))

    def enter(self, stage: Stage) -> None:
        self._had_ink = bool(self.pad.image.any())
        self.layout(stage)
        stage.session.draw(self.pad.image)
        self._fed_version = self.pad.version

    def exit(self, stage: Stage) -> None:
        self.fingers.clear()
        for pid in list(self.pad._last):
            self.pad.up(pid)

    def reset(self) -> None:
        self.pad.clear()
        self.pad.eraser = False
        self.fingers.clear()
        self.why = None
        self.mind = None

    def answer_px(self, stage: Stage) -> int | None:
        """The size the answer was drawn at in the last frame (the layout report's)."""
        shown = self.shown.get("answer")
        return None if shown is None else int(shown[1])

    def on_button(self, stage: Stage, button: Button) -> None:
        action = str(button.action)
        if action.startswith("answer:"):
            self.mind = None
            stage.apply(Teach(int(action.split(":")[1])))
            return
        if action.startswith("why:"):
            self.why = int(action.split(":")[1])
            return
        if action == "mind":
            ses = stage.session
            self.mind = change_its_mind(ses.model, ses.x)
            self._mind_key = (ses.input_version, ses.train_version)
            return
        if action == "clear":
            self.pad.clear()
        elif action == "eraser":
            self.pad.eraser = not self.pad.eraser
        self.feed(stage)

    def _cell(self, stage: Stage, x: float, y: float) -> tuple[float, float]:
        pr = self.pad_rect(stage)
        return (x - pr.x) / pr.w * 16.0, (y - pr.y) / pr.h * 16.0

    def on_pointer(self, stage: Stage, ev) -> bool:
        r = self.rects(stage)
        pr = r.pad
        if ev.kind == "down" and pr.collidepoint(ev.x, ev.y):
            self.fingers.add(ev.pid)  # this finger belongs to the pad until it lifts
            stage.apply(Pen(ev.pid, "down", *self._cell(stage, ev.x, ev.y)))
        elif ev.kind == "down" and teach_panel.bar_at(r, ev.x, ev.y) is not None:
            # touching an answer bar explains that answer (at the frame's point of change)
            stage.apply(SceneButton(self.name, f"why:{teach_panel.bar_at(r, ev.x, ev.y)}"))
        elif ev.kind == "move" and ev.pid in self.fingers:
            cx, cy = self._cell(stage, ev.x, ev.y)
            stage.apply(Pen(ev.pid, "move", min(max(cx, -1.0), 17.0), min(max(cy, -1.0), 17.0)))
        elif ev.kind in ("up", "cancel") and ev.pid in self.fingers:
            self.fingers.discard(ev.pid)
            stage.apply(Pen(ev.pid, "up"))
        else:
            return stage.regions.side.collidepoint(ev.x, ev.y)
        return True

    def pen(self, stage: Stage, pen) -> None:
        """A ``Pen`` command: ink at a cell, and the graph re-fired in this very frame."""
        if pen.kind == "down":
            self.pad.down(pen.pid, pen.x, pen.y)
        elif pen.kind == "move":
            if pen.pid not in self.pad._last:   # its stroke ended (the scene was left): no new ink
                return
            self.pad.move(pen.pid, pen.x, pen.y)
        else:
            self.pad.up(pen.pid)
        self.feed(stage)

    def feed(self, stage: Stage) -> None:
        if self.pad.version != self._fed_version:
            had_ink = self._had_ink
            self._had_ink = bool(self.pad.image.any())
            stage.session.draw(self.pad.image)
            self._fed_version = self.pad.version
            self.why = None
            self.mind = None
            if had_ink != self._had_ink:
                self.layout(stage)          # the answer buttons wake or sleep with the ink

    # ------------------------------------------------------------------ what it shows
    def explained(self, stage: Stage):
        """The exact shares of the drawing's cells in the explained answer's score."""
        ses = stage.session
        key = (ses.input_version, ses.train_version, self.why)
        if self._explained[0] != key:
            self._explained = (key, explain(ses.model, ses.x, self.why))
        return self._explained[1]

    def panels(self, stage: Stage) -> None:
        ses, s, side, lang = stage.session, stage.s, stage.regions.side, stage.lang
        r = self.rects(stage)
        bottom = r.bottom + int(8 * s)
        stage.panel("draw_bg", ("bg", side.w, bottom),
                    lambda: panel_surface((side.w, bottom - side.y)), side.topleft)
        cell = r.pad.w // 16
        stage.panel("pad", ("pad", self.pad.version, r.pad.size),
                    lambda: panels.digit_image(self.pad.image, cell, grid=True, tint=(255, 236, 200)), r.pad.topleft)
        for name, bar in self._bars:
            stage.buttons(name, bar)
        ink = bool(self.pad.image.any())
        p = ses.fw.p
        guess = int(np.argmax(p))
        t = getattr(stage, "teaching", None)
        sh = self.explained(stage) if ink else None
        if self.mind is not None and self._mind_key != (ses.input_version, ses.train_version):
            self.mind = None                  # found for other weights: no longer true
        erase = self.mind.cells if self.mind is not None else ()
        self.shown["sees"] = (ses.x.copy(), None if sh is None else sh.cells, erase)
        stage.panel("receives", ("recv", ses.input_version, ses.train_version, self.why, erase, lang, r.sees.size),
                    lambda: teach_panel.sees_picture(stage.tr("draw.receives"), ses.x,
                                                     None if sh is None else sh.cells, erase, s,
                                                     r.sees.w, r.sees.h, stage.palette), r.sees.topleft)
        # the answer, large, and the next step
        words = stage.tr("draw.answer", digit=guess) if ink else stage.tr("draw.title")
        px = teach_panel.answer_font_px(s, stage.regions.px_per_mm)
        self.shown["answer"] = (words, px)
        stage.panel("draw_answer", ("ans", words, px, r.answer.size),
                    lambda: teach_panel.answer_picture(words, px, r.answer.w, r.answer.h, panels.GOOD),
                    r.answer.topleft)
        prompt = stage.tr("draw.right") if ink else ""
        stage.panel("draw_prompt", ("prompt", prompt, r.prompt.size),
                    lambda: teach_panel.answer_picture(prompt, max(10, int(21 * s)), r.prompt.w, r.prompt.h,
                                                       panels.GOLD), r.prompt.topleft)
        ghost = t.p_before if t is not None else None
        why = sh.answer if sh is not None else -1
        cols = tuple(c - r.bars.x for c in r.columns)
        self.shown["bars"] = (p.copy(), None if ghost is None else ghost.copy())
        stage.panel("draw_out", ("dout", ses.input_version, ses.train_version, why, ghost is not None, lang, r.bars.size),
                    lambda: teach_panel.bars_picture(lang, s, p, ghost, guess, why, cols, r.bars.w, r.bars.h),
                    r.bars.topleft)
        fool = stage.tr("draw.fool") if ink else ""
        stage.panel("draw_fool", ("fool", fool, r.fool.size),
                    lambda: teach_panel.answer_picture(fool, max(10, int(22 * s)), r.fool.w, r.fool.h - int(12 * s),
                                                       panels.WHITE), (r.fool.x, r.fool.y + int(12 * s)))
        lines, strip = self._message(stage, t, sh, p)
        self.shown["message"] = (lines, strip)
        stage.panel("draw_message", ("msg", tuple(lines), t is not None and not t.learning, r.message.size),
                    lambda: teach_panel.lines_picture(lines, s, r.message.w, r.message.h, strip),
                    r.message.topleft)

    def _message(self, stage: Stage, t, sh, p) -> tuple[list, list | None]:
        """What happened, in a few lines: a lesson's outcome, or why it answered."""
        tr, lang = stage.tr, stage.lang
        if t is not None:
            label = t.label
            now = p if t.learning or t.result is None else t.result.p_after
            pct = dict(before=format_percent(lang, float(t.p_before[label]), 0),
                       after=format_percent(lang, float(now[label]), 0))
            reads = int(np.argmax(now))
            if t.learning:
                head = tr("teach.learning", digit=label, **pct)
            elif reads == label:
                head = tr("teach.now", digit=label, **pct)
            else:
                head = tr("teach.not_yet", digit=label, **pct)
            lines = [(head, panels.GOLD)]
            if t.learning or t.result is None:
                return lines + [(tr("teach.wires"), panels.DIM)], None
            res = t.result
            strip = [(digits.clean_digit(d), int(res.clean_before[d]), int(res.clean_after[d])) for d in range(10)]
            lines.append((teach_panel.accuracy_line(tr, lang, res.test_before, res.test_after), panels.WHITE))
            lines.append((tr("teach.wires"), panels.DIM))
            return lines, strip
        if sh is None:
            return [(tr("draw.step1"), panels.DIM)], None
        lines = []
        if self.mind is not None:
            m = self.mind
            if not m.changed:
                head = tr("draw.mind_none", n=len(m.cells))
            elif len(m.cells) == 1:
                head = tr("draw.mind_one", digit=m.new_answer)
            else:
                head = tr("draw.mind_result", n=len(m.cells), digit=m.new_answer)
            lines.append((head, panels.GOLD))
        lines.append((tr("draw.why", digit=sh.answer), panels.WHITE))
        lines.append((teach_panel.share_sum_line(tr, lang, sh.cells, sh.bias, sh.z, sh.answer), panels.DIM))
        if self.mind is None:
            lines.append((tr("draw.why_touch"), panels.DIM))
        return lines, None
