"""The common controls: where the visitor's bar and the curious layer's buttons stand, and
which commands a tap on each one makes.

``layout_controls`` is a pure function of the screen regions and the exhibit's snapshot;
drawing (``Stage.buttons``) and hit-testing (the pointer router) both read what it
returns. ``commands_for`` turns a tapped button into typed commands (``commands.py``).

A new common control: a command in ``commands.py`` and its handling in ``Exhibit._do``;
a ``Button`` here with a tuple action (``("kind", value)``), its ``active`` state read
from the snapshot (a field ``layout_key`` includes, so the bar is rebuilt when it
changes); and its branch in ``commands_for``.
"""
from __future__ import annotations

from dataclasses import dataclass

import pygame

from neuronlab import commands as cmd
from neuronlab import strings
from neuronlab.ui.langpicker import language_picker
from neuronlab.ui.widgets import Button, ButtonBar

SCENES = ("graph", "inspector", "draw", "probe")
SCENE_LABEL = {"graph": "scene.graph", "inspector": "scene.inspect", "draw": "scene.draw",
               "probe": "scene.probe"}
WIRE_MODES = (("signal", "wires.signal"), ("weight", "wires.weight"), ("gradient", "wires.gradient"))


HOLD_S = 1.5   # Start over throws away what was learned: it needs a deliberate press


@dataclass(frozen=True)
class Controls:
    bar: ButtonBar        # the visitor's bar: scenes, pause/play, the curious layer, language
    curious: ButtonBar    # the curious layer's: speeds, what the wires carry, view, start over
    picker: ButtonBar     # the languages on offer, while the picker is open

    @property
    def bars(self) -> tuple[ButtonBar, ...]:
        return (self.picker, self.bar, self.curious)   # the picker lies over the rest


def layout_key(regions, snap, speeds, languages=strings.DEFAULT_OFFER) -> tuple:
    """Everything ``layout_controls`` reads: the layout is rebuilt only when this changes."""
    return (regions.size, regions.curious, regions.s, snap.lang, snap.scene, snap.paused,
            snap.iters_per_frame, snap.wire_mode, tuple(speeds), snap.picker_open, tuple(languages))


def _row(rect: pygame.Rect, n: int, gap: int, weights=None) -> list[pygame.Rect]:
    """``n`` rectangles side by side filling ``rect``, widths in proportion to ``weights``."""
    weights = weights or [1.0] * n
    room = rect.w - gap * (n - 1)
    out, x = [], rect.x
    for i, wgt in enumerate(weights):
        w = int(room * wgt / sum(weights)) if i < n - 1 else rect.right - x
        out.append(pygame.Rect(x, rect.y, w, rect.h))
        x += w + gap
    return out


def layout_controls(regions, snap, tr, speeds, languages=strings.DEFAULT_OFFER) -> Controls:
    """The visitor's bar (at most seven targets: four scenes, pause or play, the curious
    layer, the language) along the bottom, and the curious layer's buttons at the foot of
    its column. Every button keeps the bar's height or ``CURIOUS_ROW_H``; widths share
    the room, so nothing overlaps on a narrow screen."""
    r, s = regions, regions.s
    gap = int(12 * s)
    bar = r.bottom
    scenes_w = min(int(170 * s) * 4 + 3 * gap, int(bar.w * 0.52))
    tabs = _row(pygame.Rect(bar.x, bar.y, scenes_w, bar.h), 4, gap)
    buttons = [Button(rect, tr(SCENE_LABEL[name]), ("scene", name), active=name == snap.scene,
                      font_px=int(26 * s)) for rect, name in zip(tabs, SCENES)]
    right_w = min(int((150 + 270 + 170) * s) + 2 * gap, bar.right - tabs[-1].right - 2 * gap)
    play, curious, lang = _row(pygame.Rect(bar.right - right_w, bar.y, right_w, bar.h), 3, gap,
                               [150, 270, 170])
    resume = snap.iters_per_frame if snap.iters_per_frame > 0 else 4
    buttons.append(Button(play, tr("speed.play") if snap.paused else tr("speed.pause"),
                          ("speed", resume if snap.paused else 0), font_px=int(24 * s)))
    buttons.append(Button(curious, tr("curious.close") if r.curious else tr("curious.open"),
                          ("curious",), active=r.curious, font_px=int(24 * s)))
    buttons.append(Button(lang, strings.switch_label(snap.lang, tuple(languages)), ("lang",),
                          active=snap.picker_open, font_px=int(24 * s)))
    picker = (language_picker(lang, tuple(languages), snap.lang, s) if snap.picker_open
              else ButtonBar())
    extra = []
    if r.curious:
        col = r.left
        row_h = int(CURIOUS_ROW_H * s)
        y = col.bottom - row_h
        view, reset = _row(pygame.Rect(col.x, y, col.w, row_h), 2, gap)
        extra.append(Button(view, tr("camera.reset"), ("camera",), font_px=int(21 * s)))
        extra.append(Button(reset, tr("reset.hold"), ("reset",), font_px=int(21 * s), hold_s=HOLD_S,
                            accent=(255, 120, 90)))
        y -= row_h + gap
        for rect, (mode, key) in zip(_row(pygame.Rect(col.x, y, col.w, row_h), 3, gap), WIRE_MODES):
            extra.append(Button(rect, tr(key), ("wires", mode), active=snap.wire_mode == mode,
                                font_px=int(21 * s)))
        y -= row_h + gap
        steps = [("speed.step", "step")] + [(None, k) for k in speeds if k > 0]
        for rect, (key, value) in zip(_row(pygame.Rect(col.x, y, col.w, row_h), len(steps), gap,
                                           [2.2] + [1.0] * (len(steps) - 1)), steps):
            label = tr(key) if key else tr("speed.level", n=value)
            active = value == snap.iters_per_frame and not snap.paused
            extra.append(Button(rect, label, ("speed", value), active=active, font_px=int(21 * s)))
    return Controls(ButtonBar(buttons), ButtonBar(extra), picker)


CURIOUS_ROW_H = 56     # design pixels: a button row of the curious column (21 mm on the glass)


def commands_for(action, scene: str) -> list:
    """The commands a tap on a common control with ``action`` makes, in ``scene``.

    Training is watched in the graph: the speeds, the step and start over leave Draw and
    Probe (where training is paused) for it."""
    kind = action[0]
    leave = [cmd.SwitchScene("graph")] if scene in ("draw", "probe") else []
    if kind == "scene":
        return [cmd.SwitchScene(action[1])]
    if kind == "speed":
        if action[1] == "step":
            return leave + [cmd.Step()]
        return (leave if action[1] else []) + [cmd.SetSpeed(int(action[1]))]
    if kind == "lang":
        return [cmd.SetLanguage(action[1] if len(action) > 1 else None)]
    if kind == "reset":
        return [cmd.Reset()] + leave
    if kind == "wires":
        return [cmd.SetWiresMode(action[1])]
    if kind == "camera":
        return [cmd.ResetCamera()]
    if kind == "curious":
        return [cmd.SetCurious(None)]
    return []
