"""The Inspector's pictures show the model's own numbers: the shares, the balance, the
test digits that make a neuron fire most, and the bars' plain names."""
import os

os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")

import numpy as np
import pygame
import pytest

from neuronlab.scenes import inspector, neuron_view
from neuronlab.session import Neuron
from neuronlab.ui import panels

from helpers import app_fixtures, switch

SIZE = (1920, 1080)

shared_app, app = app_fixtures(SIZE, trained=True, seed=5, run_gradcheck=False)


def open_neuron(app, neuron):
    app.session.set_speed(0)
    switch(app, "graph")
    app.session.select(neuron)
    switch(app, "inspector")
    app.frame(1 / 60, events=[])
    return app.scenes["inspector"]


def test_the_input_picture_colours_each_cell_by_its_exact_share(app):
    insp = open_neuron(app, Neuron(1, 3))
    ses = app.session
    x = np.asarray(ses.x, np.float64)
    shares = ses.contributions(Neuron(1, 3))[0]
    np.testing.assert_allclose(shares, x * ses.model.params["W1"][:, 3], rtol=1e-6, atol=1e-9)
    surf = insp.render(app.stage, app.stage.regions.side.w)
    s, w = app.stage.s, app.stage.regions.side.w
    cell, y0, x0 = inspector.picture_cell(s, w), inspector.sections(s, w, 1)["pictures"], int(16 * s)
    y0 += int(int(21 * s) * 0.85 * 1.5)
    rgb = np.array([surf.get_at((x0 + (i % 16) * cell + cell // 2, y0 + (i // 16) * cell + cell // 2))[:3]
                    for i in range(256)], np.int64)
    np.testing.assert_array_equal(rgb, neuron_view.share_rgb(shares, x))
    strong = np.abs(shares) > 0.2 * np.abs(shares).max()
    assert strong.sum() >= 3
    warm, cool = strong & (shares > 0), strong & (shares < 0)
    assert np.all(rgb[warm, 0] > rgb[warm, 2]) and np.all(rgb[cool, 2] > rgb[cool, 0])
    assert np.all(rgb[x == 0] == neuron_view.GROUND)           # untouched cells have no share
    k = int(np.argmax(np.abs(shares)))
    assert tuple(rgb[k]) == (panels.WARM if shares[k] > 0 else panels.COOL)


@pytest.mark.parametrize("neuron", [Neuron(1, 5), Neuron(2, 4), Neuron(3, 7)])
def test_the_balance_adds_up_to_the_models_sum(app, neuron):
    open_neuron(app, neuron)
    ses = app.session
    contrib, bias, z = ses.contributions(neuron)
    act = ses.activation(neuron)
    bal = neuron_view.balance(contrib, bias, z, act)
    assert bal.push >= 0 >= bal.hold
    assert bal.push + bal.hold == pytest.approx(float(ses.model.forward(ses.x).zs[neuron.layer - 1][neuron.index]),
                                                abs=1e-4)
    assert bal.z == float(z)
    if neuron.layer < 3:
        assert bal.activation == pytest.approx(max(bal.z, 0.0), abs=1e-6)
    else:
        assert bal.activation == pytest.approx(float(ses.fw.p[neuron.index]))
    assert np.sign(bal.tilt) == np.sign(bal.z) and abs(bal.tilt) <= 1


def test_the_balance_tips_toward_the_heavier_side():
    assert neuron_view.balance(np.array([3.0, -1.0]), 0.0, 2.0, 2.0).tilt == pytest.approx(0.5)
    quiet = neuron_view.balance(np.array([1.0, -3.0]), -0.5, -2.5, 0.0)
    assert quiet.hold == pytest.approx(-3.5) and quiet.tilt == pytest.approx(-2.5 / 4.5)


def test_the_top_digits_are_those_with_the_largest_activation(app):
    insp = open_neuron(app, Neuron(1, 9))
    ses = app.session
    a = ses.model.forward(ses.test_X).a1[:, 9]
    idx, acts = insp.top_digits(ses, Neuron(1, 9))
    assert len(idx) == inspector.TOP_K
    np.testing.assert_array_equal(acts, a[idx])
    assert np.all(np.diff(acts) <= 0)
    others = np.delete(a, idx)
    assert acts.min() >= others.max()
    assert acts[0] == a.max() > 0


def test_the_bars_name_their_sources_in_plain_words(app):
    insp = open_neuron(app, Neuron(1, 2))
    names = [name for name, _, src in insp.sums.entries if src is not None]
    assert names == [f"cell row {i // 16}, col {i % 16}" for i in insp.sums.rows.sources]
    insp = open_neuron(app, Neuron(2, 4))
    names = [name for name, _, src in insp.sums.entries if src is not None]
    assert names == [f"Hidden 1 · neuron {i}" for i in insp.sums.rows.sources]
    assert not any(n.startswith("px ") or "H1·" in n for n in names)


def test_the_units_row_colours_each_ball_by_its_share():
    shares = np.array([2.0, -1.0, 0.0, 0.5])
    surf = neuron_view.units_picture(shares, 400, 1.0)
    r = max(4, int(min(100 * 0.42, 20)))
    rgb = [tuple(surf.get_at((int(100 * (i + 0.5)), r))[:3]) for i in range(4)]
    assert rgb[0] == panels.WARM
    assert rgb[1][2] > rgb[1][0] and rgb[3][0] > rgb[3][2]
    assert rgb[2] == neuron_view.GROUND
    assert sum(rgb[3]) < sum(rgb[0])                       # a smaller share is dimmer


@pytest.mark.parametrize("layer,n_sources,max_bars", [(1, 256, 6), (2, 16, 8), (3, 12, 8)])
def test_the_panel_fits_its_column_giving_up_extras_on_short_screens(layer, n_sources, max_bars):
    assert inspector.fitting(1.0, 580, layer, n_sources, max_bars, 924) == (max_bars, True)  # 1920x1080
    room = 330
    bars, top = inspector.fitting(0.5, 290, layer, n_sources, max_bars, room)
    entries = bars + (n_sources > bars) + 1
    assert inspector.panel_height(0.5, 290, layer, entries, top) <= room
    assert 1 <= bars < max_bars
    if top:     # one bar more would not have fitted
        assert inspector.panel_height(0.5, 290, layer, entries + 1, True) > room


@pytest.mark.parametrize("lang", ["en", "de", "es", "fr", "nl"])
def test_the_new_words_fit_beside_the_pictures_in_every_language(lang):
    from neuronlab import strings
    from neuronlab.config import GALLERY_PX_PER_MM
    from neuronlab.ui import text
    text.set_legible_floor(GALLERY_PX_PER_MM)             # as the 1080p panel sets it
    s, width = 1.0, 580                                   # 1920x1080's side column
    pad, small, px = int(16 * s), int(21 * s * 0.85), int(21 * s)
    cell = inspector.picture_cell(s, width)
    x2 = width - pad - 16 * cell                          # where "what it looks for" starts
    t = lambda key, **kw: strings.t(key, lang, **kw)      # noqa: E731
    sees, looks = text.font(small).size(t("inspector.sees"))[0], text.font(small, True).size(t("inspector.looks_for"))[0]
    assert sees <= x2 - pad - int(8 * s)
    assert sees + looks + int(8 * s) <= width - 2 * pad       # the two captions never meet
    for key in ("inspector.up_back", "inspector.quiet", "inspector.fires", "inspector.top",
                "inspector.exact", "inspector.sees_units"):
        assert text.font(small, True).size(t(key) + ": -0.000")[0] <= width - 2 * pad, key
    assert text.font(px, True).size(t("inspector.sum_z") + " = -10.000")[0] <= width - 2 * pad
    hold = text.font(int(15 * s), True).size(t("inspector.hold", value="-10.000"))[0]
    push = text.font(int(15 * s), True).size(t("inspector.push", value="+10.000"))[0]
    assert hold + push + int(20 * s) <= width - 2 * pad


@pytest.mark.parametrize("push,hold", [(4.0, -1.0), (1.0, -4.0)])
def test_the_beam_tips_down_on_the_heavier_side(push, hold):
    bal = neuron_view.balance(np.array([push, hold]), 0.0, push + hold, max(push + hold, 0.0))
    w, h = 500, 100
    surf = neuron_view.balance_picture(bal, w, h, 1.0, "", "")
    px = pygame.surfarray.array3d(surf).transpose(1, 0, 2)          # (h, w, 3)
    white = (px == panels.WHITE).all(axis=2)

    def beam_y(x):
        return float(np.mean(np.flatnonzero(white[:, x])))
    left, right = beam_y(w // 2 - 120), beam_y(w // 2 + 120)
    # screen y grows downwards: the pushes' side lower when it fires
    assert (right > left + 10) if push > -hold else (left > right + 10)
    rgb = [tuple(px[r, c]) for r in range(h) for c in range(w)]
    assert panels.WARM in rgb and panels.COOL in rgb                 # both pans drawn
