"""Touch-sized widgets drawn on pygame surfaces: buttons and panel backgrounds.

Widgets know their rectangle in window pixels, draw themselves onto a surface, and say
whether a point hits them. They never touch GL and never import scenes.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pygame

from neuronlab.ui import text


def panel_surface(size, fill=(10, 14, 26, 215), border=(70, 90, 130, 160), radius=18) -> pygame.Surface:
    """A rounded, translucent panel background."""
    surf = pygame.Surface((max(1, int(size[0])), max(1, int(size[1]))), pygame.SRCALPHA)
    rect = surf.get_rect()
    pygame.draw.rect(surf, fill, rect, border_radius=radius)
    pygame.draw.rect(surf, border, rect, width=2, border_radius=radius)
    return surf


@dataclass
class Button:
    """A touch button. ``action`` is a plain value the owning scene interprets."""

    rect: pygame.Rect
    label: str
    action: object
    active: bool = False
    enabled: bool = True
    pressed: bool = False  # a finger is down on it (feedback on the next frame)
    accent: tuple = (90, 200, 255)
    font_px: int = 24
    hold_s: float = 0.0    # > 0: acts only after a press held this long (a ring fills)
    progress: float = 0.0  # how far the hold has come, 0..1 (feedback)

    def hit(self, x: float, y: float) -> bool:
        return self.enabled and self.rect.collidepoint(x, y)

    def key(self) -> tuple:
        return (self.label, self.active, self.enabled, self.pressed, tuple(self.rect),
                round(self.progress, 2))

    def draw(self, surf: pygame.Surface, origin=(0, 0)) -> None:
        r = self.rect.move(-origin[0], -origin[1])
        if self.pressed:
            fill = (*self.accent, 150)
        elif self.active:
            fill = (*self.accent, 90)
        else:
            fill = (30, 38, 60, 220)
        pygame.draw.rect(surf, fill, r, border_radius=14)
        if self.hold_s > 0 and self.progress > 0:
            # the hold fills the button from the left: the visitor sees it must be held
            done = r.copy()
            done.w = max(1, int(r.w * min(1.0, self.progress)))
            pygame.draw.rect(surf, (*self.accent, 200), done, border_radius=14)
        edge = self.accent if (self.active or self.pressed) else (90, 110, 150)
        pygame.draw.rect(surf, edge, r, width=2, border_radius=14)
        colour = (240, 245, 255) if self.enabled else (110, 115, 130)
        label = text.render(self.label, self.font_px, colour, bold=self.active)
        if label.get_width() > r.w - 8:  # shrink a long label rather than overflow
            label = text.render(self.label, max(12, int(self.font_px * (r.w - 8) / label.get_width())),
                                colour, bold=self.active)
        surf.blit(label, label.get_rect(center=r.center))


@dataclass
class ButtonBar:
    """A row of buttons that together form one HUD panel."""

    buttons: list[Button] = field(default_factory=list)

    def hit(self, x: float, y: float) -> Button | None:
        for b in self.buttons:
            if b.hit(x, y):
                return b
        return None

    def bounds(self) -> pygame.Rect | None:
        if not self.buttons:
            return None
        r = self.buttons[0].rect.copy()
        for b in self.buttons[1:]:
            r.union_ip(b.rect)
        return r

    def key(self) -> tuple:
        return tuple(b.key() for b in self.buttons)

    def render(self) -> tuple[pygame.Surface, tuple[int, int]]:
        box = self.bounds()
        surf = pygame.Surface(box.size, pygame.SRCALPHA)
        for b in self.buttons:
            b.draw(surf, box.topleft)
        return surf, box.topleft
