"""Every text of the Graph scene fits its panel or button, in every shipped language.

The scene is rendered at 1920x1080 through the real App; every text surface is tagged with
its string, and every panel surface records where texts land on it, so a string that runs
past its panel's edge, or into another text of the panel, is named with its language. Buttons shrink a long label to fit: they
are held to drawing it whole, at no less than 80 % of its size.
"""
import os
import sys
from types import SimpleNamespace

os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")

import numpy as np  # noqa: E402
import pygame  # noqa: E402
import pytest  # noqa: E402

from neuronlab import commands as cmd  # noqa: E402
from neuronlab import strings  # noqa: E402
from neuronlab.app import App  # noqa: E402
from neuronlab.scenes.base import Stage  # noqa: E402
from neuronlab.session import Neuron  # noqa: E402
from neuronlab.ui import text, widgets  # noqa: E402

from helpers import command, reset, switch  # noqa: E402

SIZE = (1920, 1080)
MARGIN = 4        # px kept clear of a panel's 2-px border
MIN_SHRINK = 0.8  # a button label drawn at less than this share of its size is too long
# texts that show the scene's own panels were drawn
SCENE_KEYS = {"graph": ("super.title", "output.title", "known.title"),
              "inspector": ("inspector.title", "inspector.exact", "inspector.up_back"),
              "draw": ("draw.title",),
              "probe": ("probe.title", "output.title")}


class _Text(pygame.Surface):
    label = ""


class _Panel(pygame.Surface):
    """A panel surface that remembers every tagged text blitted onto it."""

    def blit(self, source, dest, area=None, special_flags=0):
        if isinstance(source, _Text):
            rect = pygame.Rect(dest if len(dest) == 4 else (*dest, 0, 0))
            self.texts.append((source.label, pygame.Rect(rect.topleft, source.get_size())))
        return super().blit(source, dest, area, special_flags)


@pytest.fixture(scope="module")
def shared_app(trained_model):
    """One exhibit for the module (a 1920x1080 window is costly to build)."""
    a = App(SIZE, present=False, seed=3, model=trained_model.copy(), run_gradcheck=False)
    yield a
    a.close()


def _fresh(app, lang, traced):
    """The shared exhibit reset for the next visitor in ``lang``, every panel to be drawn
    anew (through the tracing below) rather than taken from the stage's cache; what the
    reset's own frame drew is forgotten, so only this test's frames are looked at."""
    reset(app, lang=lang)
    app.stage.cache.clear()
    traced.clear()
    panels_on_screen[0].clear()
    return app


@pytest.fixture
def traced(monkeypatch):
    panels: list[_Panel] = []
    real_stage_panel = Stage.panel

    def stage_panel(self, name, key, render, pos):
        rect = real_stage_panel(self, name, key, render, pos)
        placed[name] = rect
        return rect

    placed: dict = {}
    panels_on_screen.clear()
    panels_on_screen.append(placed)
    monkeypatch.setattr(Stage, "panel", stage_panel)
    real_render, real_panel = text.render, widgets.panel_surface

    def render(label, px, colour, bold=False):
        plain = real_render(label, px, colour, bold)
        tagged = _Text(plain.get_size(), pygame.SRCALPHA)
        tagged.label = label
        return tagged

    def panel_surface(size, *args, **kw):
        plain = real_panel(size, *args, **kw)
        p = _Panel(plain.get_size(), pygame.SRCALPHA)
        p.texts = []
        panels.append(p)
        return p

    monkeypatch.setattr(text, "render", render)
    for mod in list(sys.modules.values()):
        if (getattr(mod, "__name__", "").startswith("neuronlab")
                and getattr(mod, "panel_surface", None) is real_panel):
            monkeypatch.setattr(mod, "panel_surface", panel_surface)
    return panels


panels_on_screen: list[dict] = []


def _overflows(panels):
    """Texts past their panel's edge, and pairs of texts that run into each other."""
    bad = []
    for p in panels:
        w, h = p.get_size()
        for i, (label, r) in enumerate(p.texts):
            if r.left < MARGIN or r.right > w - MARGIN or r.top < 0 or r.bottom > h:
                bad.append(("past the edge", label, tuple(r), (w, h)))
            # a glyph box's top and bottom rows are mostly empty: lines may touch there
            core = r.inflate(0, -r.h // 4)
            for other, o in p.texts[i + 1:]:
                if core.colliderect(o.inflate(0, -o.h // 4)) and (other, o) != (label, r):
                    bad.append(("overlap", label, other))
    return bad


@pytest.mark.parametrize("lang", ["en", "de", "es", "fr", "nl"])
@pytest.mark.parametrize("gc_error", [1.234e-9, 3.21e-5])   # the check passed, failed
def test_every_graph_scene_text_fits_its_panel(lang, gc_error, traced, shared_app):
    _check_scene(_fresh(shared_app, lang, traced), "graph", lang, gc_error, traced)


@pytest.mark.parametrize("lang", ["en", "de", "es", "fr", "nl"])
@pytest.mark.parametrize("scene", ["inspector", "draw", "probe"])
def test_every_other_scene_text_fits_its_panel(lang, scene, traced, shared_app):
    _check_scene(_fresh(shared_app, lang, traced), scene, lang, 1.234e-9, traced)


def _check_scene(app, scene, lang, gc_error, traced):
    gradcheck = app.gradcheck
    try:
        app.gradcheck = SimpleNamespace(worst_rel_error=gc_error)
        if scene == "inspector":
            app.session.select(Neuron(2, 4))
        switch(app, scene)
        command(app, cmd.SetCurious(True))      # every panel: the curious layer holds the rest
        for _ in range(2):
            app.frame(1 / 60, events=[])
        command(app, cmd.SetSpeed(0))
        texts = {label for p in traced for label, _ in p.texts}
        # the scene's panels really were drawn, in this language
        for key in ("title", "stat.accuracy", "legend.forward") + SCENE_KEYS[scene]:
            assert strings.t(key, lang) in texts, key
        bad = _overflows(traced)
        assert bad == [], "\n".join(map(str, bad))
        # longer texts make taller panels: none may grow into a neighbour or off the screen
        placed = panels_on_screen[0]
        # a scene's "_bg" panel is the backdrop its other panels are laid on
        shown = [(n, placed[n]) for n in sorted(app.stage.shown) if n in placed]
        screen = pygame.Rect((0, 0), SIZE)
        assert [n for n, r in shown if not screen.contains(r)] == []
        shown = [(n, r) for n, r in shown if not n.endswith("_bg")]
        touching = [(a, b) for i, (a, ra) in enumerate(shown) for b, rb in shown[i + 1:]
                    if ra.colliderect(rb)]
        assert touching == [], (lang, touching)

        buttons = [b for bar in app._bars() if bar is not None for b in bar.buttons]
        assert len(buttons) >= 12
        for b in buttons:
            full = text.font(b.font_px, True).size(b.label)[0]   # active labels are bold
            room = b.rect.w - 8
            assert full * MIN_SHRINK <= room, (lang, b.label, full, room)
            shrunk = max(12, int(b.font_px * room / full)) if full > room else b.font_px
            assert text.font(shrunk, True).size(b.label)[0] <= room, (lang, b.label)
    finally:
        app.gradcheck = gradcheck


def test_the_answer_bars_show_the_networks_own_numbers_in_the_visitors_marks(traced, shared_app):
    app = _fresh(shared_app, "de", traced)
    command(app, cmd.SetSpeed(0))   # what is drawn is what the session holds afterwards
    p = app.session.fw.p.astype(float)
    out = next(q for q in traced if any(t == strings.t("output.title", "de") for t, _ in q.texts))
    shown = [t for t, _ in out.texts]
    for d in range(10):
        assert strings.format_decimal("de", p[d], 3) in shown, d
    assert strings.t("output.sum", "de", total=strings.format_decimal("de", p.sum(), 3)) in shown
    assert any("," in t and "." not in t for t in shown if t[:1].isdigit())


@pytest.mark.parametrize("lang", ["en", "de", "es", "fr", "nl"])
@pytest.mark.parametrize("held", [1, 12])
def test_the_mistakes_title_and_count_fit_however_few_mistakes_are_held(lang, held, traced, shared_app):
    """The strip is as narrow as its mistakes allow; its title and its count, at the widest
    count there is, must still fit beside or under each other."""
    app = _fresh(shared_app, lang, traced)
    command(app, cmd.SetSpeed(0))
    switch(app, "probe")
    strip, stage = app.scenes["probe"].mistakes, app.stage
    strip.refresh(stage)                    # held from here on: the weights do not change
    n_test = len(app.session.test_y)
    strip.indices = np.arange(held)
    strip.preds, strip.truths = np.full(held, 2), np.full(held, 7)
    strip.wrong_total = n_test - 1
    traced.clear()
    rect, items, thumb = strip.layout(stage)
    strip.render(stage, rect, items, thumb)
    drawn = [label for p in traced for label, _ in p.texts]
    assert strings.t("mistakes.title", lang) in drawn
    assert any(strings.format_count(lang, n_test - 1) in t for t in drawn)
    assert _overflows(traced) == []
    assert all(rect.contains(r) for r in items)


@pytest.mark.parametrize("lang", ["en", "de", "es", "fr", "nl"])
def test_every_graph_scene_text_fits_after_weeks_of_training(lang, traced, shared_app):
    """Weeks on the gallery wall put ten-digit counts into the story and the time machine:
    they still fit their panels."""
    app = _fresh(shared_app, lang, traced)
    stats = app.session.trainer.stats
    seen, epoch = stats.samples_seen, stats.epoch
    try:
        stats.samples_seen = 1_987_654_321
        stats.epoch = stats.samples_seen // app.session.trainer.settings.epoch_size
        for _ in range(8):                      # two seconds: the sampled counts move on
            app.frame(0.25, events=[])
        drawn = [label for p in traced for label, _ in p.texts]
        assert any(strings.format_count(lang, 1_987_654_321)[:5] in t for t in drawn), drawn
        _check_scene(app, "graph", lang, 1.234e-9, traced)
    finally:                                    # the module's exhibit goes on from where it was
        stats.samples_seen += seen - 1_987_654_321
        stats.epoch = epoch


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_on_a_narrow_screen_at_a_large_scale_the_mistakes_title_wraps_above_its_count(lang, traced,
                                                                                      shared_app):
    """A portrait screen at ui scale 2.5: the strip is narrower than title and count side by
    side, so the title wraps and the count takes a row of its own, none past the panel."""
    app = _fresh(shared_app, lang, traced)
    scale = app.exhibit.ui_scale
    try:
        app.exhibit.ui_scale = 2.5
        app.resize((720, 1280))
        command(app, cmd.SetSpeed(0))
        switch(app, "probe")
        strip, stage = app.scenes["probe"].mistakes, app.stage
        strip.refresh(stage)
        n_test = len(app.session.test_y)
        strip.indices = np.arange(1)
        strip.preds, strip.truths = np.full(1, 2), np.full(1, 7)
        strip.wrong_total = n_test - 1
        traced.clear()
        rect, items, thumb = strip.layout(stage)
        lines, beside, _ = strip._heading_rows(stage, rect.w)
        assert not beside and rect.w <= stage.regions.strip.w
        strip.render(stage, rect, items, thumb)
        drawn = [(label, r) for p in traced for label, r in p.texts]
        count = [r for label, r in drawn if strings.format_count(lang, n_test - 1) in label]
        title = [r for label, r in drawn if label in lines]
        assert len(count) == 1 and len(title) == len(lines)
        assert count[0].top >= max(r.bottom for r in title) - 2     # below the title's last line
        assert all(count[0].bottom <= it.top - rect.top for it in items)
        assert _overflows(traced) == []
    finally:                                    # the module's exhibit as it was
        app.exhibit.ui_scale = scale
        app.resize(SIZE)
