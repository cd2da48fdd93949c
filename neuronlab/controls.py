"""The common controls: where the bottom bar's and the left column's buttons stand, and
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
from neuronlab.ui.widgets import Button, ButtonBar

SCENES = ("graph", "inspector", "draw", "probe")
SCENE_LABEL = {"graph": "scene.graph", "inspector": "scene.inspect", "draw": "scene.draw",
               "probe": "scene.probe"}
WIRE_MODES = (("signal", "wires.signal"), ("weight", "wires.weight"), ("gradient", "wires.gradient"))


@dataclass(frozen=True)
class Controls:
    bar: ButtonBar        # scenes, speeds, language, start over (the bottom bar)
    wires: ButtonBar      # what the wires carry (left column, under the legend)
    view: ButtonBar       # the camera's home button

    @property
    def bars(self) -> tuple[ButtonBar, ...]:
        return (self.bar, self.wires, self.view)


def layout_key(regions, snap, speeds) -> tuple:
    """Everything ``layout_controls`` reads: the layout is rebuilt only when this changes."""
    return (regions.size, snap.lang, snap.scene, snap.paused, snap.iters_per_frame, snap.wire_mode,
            tuple(speeds))


def layout_controls(regions, snap, tr, speeds) -> Controls:
    r, s = regions, regions.s
    bh, gap = r.bottom.h, int(12 * s)
    x, y = r.bottom.x, r.bottom.y
    bar = []
    for name in SCENES:
        bar.append(Button(pygame.Rect(x, y, int(170 * s), bh), tr(SCENE_LABEL[name]), ("scene", name),
                          active=name == snap.scene, font_px=int(26 * s)))
        x += int(170 * s) + gap
    x += gap * 2
    speed_buttons = [("speed.pause", 0), ("speed.step", "step")] + [(None, k) for k in speeds if k > 0]
    for key, value in speed_buttons:
        label = tr(key) if key else tr("speed.level", n=value)
        w = int(150 * s) if key else int(92 * s)
        active = (value == 0 and snap.paused) or (value == snap.iters_per_frame and not snap.paused
                                                  and isinstance(value, int) and value > 0)
        bar.append(Button(pygame.Rect(x, y, w, bh), label, ("speed", value), active=active,
                          font_px=int(24 * s)))
        x += w + gap
    right = r.bottom.right
    for key, action, w in (("language.switch", ("lang",), 170), ("reset.button", ("reset",), 200)):
        right -= int(w * s)
        bar.append(Button(pygame.Rect(right, y, int(w * s), bh), tr(key), action, font_px=int(24 * s)))
        right -= gap
    # Wire mode and view reset live under the legend in the left column.
    wy = r.bottom.top - int(72 * s) - gap
    wx = r.left.x
    modes = []
    for mode, key in WIRE_MODES:
        modes.append(Button(pygame.Rect(wx, wy, int(134 * s), int(64 * s)), tr(key), ("wires", mode),
                            active=snap.wire_mode == mode, font_px=int(21 * s)))
        wx += int(134 * s) + int(9 * s)
    view = [Button(pygame.Rect(r.left.x, wy - int(56 * s) - gap, int(420 * s), int(56 * s)),
                   tr("camera.reset"), ("camera",), font_px=int(21 * s))]
    return Controls(ButtonBar(bar), ButtonBar(modes), ButtonBar(view))


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
        return [cmd.SetLanguage(None)]
    if kind == "reset":
        return [cmd.Reset()] + leave
    if kind == "wires":
        return [cmd.SetWiresMode(action[1])]
    if kind == "camera":
        return [cmd.ResetCamera()]
    return []
