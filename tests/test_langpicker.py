"""The language picker: each language by its own name, each a full, separate touch target."""
from __future__ import annotations

import os

import pytest

pygame = pytest.importorskip("pygame")

from neuronlab.ui import text  # noqa: E402
from neuronlab.ui.langpicker import language_picker  # noqa: E402

FIVE = ("en", "de", "es", "fr", "nl")


@pytest.fixture(autouse=True)
def _fonts():
    os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")
    pygame.font.init()


def test_picker_names_each_language_in_its_own_words_and_acts_on_it():
    anchor = pygame.Rect(1500, 990, 170, 72)
    bar = language_picker(anchor, FIVE, "fr", 1.0)
    assert [b.label for b in bar.buttons] == ["English", "Deutsch", "Español", "Français", "Nederlands"]
    assert [b.action for b in bar.buttons] == [("lang", c) for c in FIVE]
    assert [b.active for b in bar.buttons] == [c == "fr" for c in FIVE]
    fr = bar.buttons[3]
    assert bar.hit(*fr.rect.center) is fr


@pytest.mark.parametrize("size, anchor, s", [
    ((1920, 1080), (1500, 990, 170, 72), 1.0),
    ((1024, 768), (800, 700, 91, 45), 0.71),
    ((3840, 2160), (3000, 1980, 340, 144), 2.0),
    ((1280, 300), (1000, 220, 120, 60), 0.5),   # too low for one column: it wraps leftward
])
def test_picker_buttons_are_on_screen_apart_and_their_names_fit(size, anchor, s):
    anchor = pygame.Rect(anchor)
    bar = language_picker(anchor, FIVE, "en", s)
    screen = pygame.Rect((0, 0), size)
    rects = [b.rect for b in bar.buttons]
    for i, r in enumerate(rects):
        assert screen.contains(r), (r, size)
        assert r.bottom <= anchor.top, "covers the language button"
        assert r.h == anchor.h and r.w >= anchor.w
        assert all(not r.colliderect(o) for o in rects[i + 1:])
        b = bar.buttons[i]
        assert text.font(b.font_px, True).size(b.label)[0] <= r.w - 8  # drawn at full size
    if size[1] == 300:
        assert len({r.x for r in rects}) > 1


def test_picker_draws_every_button():
    bar = language_picker(pygame.Rect(1500, 990, 170, 72), FIVE, "de", 1.0)
    surf, origin = bar.render()
    assert origin == bar.bounds().topleft
    alpha = pygame.surfarray.array_alpha(surf)
    for b in bar.buttons:
        r = b.rect.move(-origin[0], -origin[1])
        assert alpha[r.centerx - 5:r.centerx + 5, r.centery - 5:r.centery + 5].min() > 0
