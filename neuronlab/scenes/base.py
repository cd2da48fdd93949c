"""Scene: one screen's behaviour (enter / exit / on_pointer / update / panels).

A scene describes its HUD panels and never draws GL. The ``Stage`` it is given is
everything a scene may use: the session, the strings lookup, the UI scale, the screen
regions, ``panel()`` (renders a panel only when its content key changed) and ``apply``
(queues a command for the frame's one point of change). ``arrange`` lays out what both
drawing and touch read; ``on_button`` is reached through a ``SceneButton`` command.

A scene's own button: put it in ``self.bar`` in ``layout`` with a non-tuple action (the
router hit-tests ``scene.bar``; a tap becomes ``SceneButton(scene, action)``) and handle
the action in ``on_button``, which runs at the frame's point of change. A change beyond
the scene goes out as a command (``stage.apply``). A continuous control (a slider) owns
its finger through ``on_pointer`` and emits commands from there.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import pygame

from neuronlab.ui import panels, text
from neuronlab.ui.screen import ScreenLayout
from neuronlab.ui.widgets import Button, ButtonBar, panel_surface


# The live numbers (the stats, the story line) are sampled on ticks half a tick before the
# displayed sample's (the answer bars and the example re-render on ``Stage.tick``): not
# both in one frame.
STATS_PHASE = 0.5

# The screen's regions (graph box, headline, scene panel, curious column, control bar),
# sized in millimetres for any window shape: see neuronlab/ui/screen.py.
Regions = ScreenLayout


@dataclass
class Stage:
    session: object
    tr: Callable[..., str]
    regions: Regions
    palette: object
    show: Callable  # show(name, surface, pos, version)
    # apply(command): how a scene asks for a change beyond itself (another scene, ...);
    # it lands at the frame's one point of change, like every command.
    apply: Callable = lambda command: None
    cache: dict = field(default_factory=dict)
    shown: set = field(default_factory=set)
    placed: dict = field(default_factory=dict)   # name -> its rectangle, as last shown
    tick: int = 0          # eighths of a second of exhibit time: when live numbers are sampled
    clock: float = 0.0     # exhibit time, s

    @property
    def s(self) -> float:
        return self.regions.s

    def tick_at(self, per_s: int, phase: float) -> int:
        """A tick of ``per_s`` a second whose boundaries lie ``phase`` of a tick before the
        plain ones: panels that re-render on ticks of their own are not all re-rendered in
        the same frame (one frame re-rendering all of them took 6-8 ms of HUD at 1080p)."""
        return int(self.clock * per_s + phase)

    def panel(self, name: str, key, render: Callable[[], pygame.Surface], pos) -> pygame.Rect:
        """Show panel ``name``; ``render`` runs only when ``key`` changed. Panels whose
        numbers follow live training put ``tick`` (8 per second) in their key rather than
        the weights' version: readable, and no text is re-rendered 60 times a second.
        ``pos`` is (x, y) or a function of the surface size giving (x, y)."""
        entry = self.cache.get(name)
        if entry is None or entry[0] != key:
            with text.sizes_used() as sizes:
                surf = render()
            # (key, surface, version, the smallest text on it in px or None)
            entry = (key, surf, object(), min(sizes) if sizes else None)
            self.cache[name] = entry
        surf, version = entry[1], entry[2]
        xy = pos(surf.get_size()) if callable(pos) else pos
        self.show(name, surf, xy, version)
        self.shown.add(name)
        rect = pygame.Rect(xy, surf.get_size())
        self.placed[name] = rect
        return rect

    def smallest_text_px(self) -> int | None:
        """The smallest text of every panel on screen now (the layout report's)."""
        sizes = [self.cache[n][3] for n in self.shown if n in self.cache and self.cache[n][3]]
        return min(sizes) if sizes else None

    def buttons(self, name: str, bar: ButtonBar) -> None:
        if not bar.buttons:
            return
        self.panel(name, bar.key(), lambda: bar.render()[0], bar.bounds().topleft)


def titled_background(stage: Stage, title_key: str, width: int, height: int) -> pygame.Surface:
    """The panel behind a scene's tools: a plain panel with the scene's title."""
    s = stage.s
    surf = panel_surface((width, max(height, 10)))
    surf.blit(text.render(stage.tr(title_key), int(24 * s), panels.GOLD, bold=True), (int(16 * s), int(16 * s)))
    return surf


class Scene:
    name = "scene"

    def __init__(self):
        self.bar = ButtonBar()

    def enter(self, stage: Stage) -> None:
        """Called when the scene becomes active."""

    def exit(self, stage: Stage) -> None:
        """Called when another scene takes over."""

    def layout(self, stage: Stage) -> None:
        """(Re)build widgets for the current regions."""

    def arrange(self, stage: Stage) -> None:
        """Compute this frame's rectangles from the session (after the update, before
        drawing): drawing draws them, and the next frame's touches hit-test them."""

    def on_button(self, stage: Stage, button: Button) -> None:
        """A button of this scene was tapped."""

    def on_pointer(self, stage: Stage, ev) -> bool:
        """A pointer event not taken by a button; True if the scene consumed it."""
        return False

    def on_pick(self, stage: Stage, neuron) -> None:
        """A neuron of the 3D graph was tapped (None: empty space)."""

    def update(self, stage: Stage, dt: float) -> None:
        """Advance time-based state by dt seconds."""

    def panels(self, stage: Stage) -> None:
        """Show this scene's HUD panels."""
