"""Every screen a gallery buys, through the real exhibit: the layout report of each shape
shows no overlap, every neuron on screen and uncovered, the graph's share, touch targets
of at least 9 mm and text of at least 3 mm cap height; a resize keeps the visitor's state."""
from __future__ import annotations

import numpy as np
import pytest

from neuronlab import commands as cmd
from neuronlab.app import App
from neuronlab.nn import digits
from neuronlab.session import Neuron
from neuronlab.ui import layout_report

from helpers import command, frames

SHAPES = [(1024, 768), (1280, 800), (1920, 1080), (1080, 1920), (1200, 1920), (3840, 2160)]
MIN_TOUCH_MM = 9.0


@pytest.fixture(scope="module")
def app():
    a = App((640, 360), present=False, run_gradcheck=False)
    yield a
    a.close()


def _report(app, size, scene="graph", curious=False):
    app.resize(size)
    command(app, cmd.SwitchScene(scene), cmd.SetCurious(curious))
    frames(app, 2)
    return app.layout_report()


@pytest.mark.parametrize("size", SHAPES)
@pytest.mark.parametrize("curious", [False, True])
def test_the_graph_scene_fits_every_shape(app, size, curious):
    rep = _report(app, size, curious=curious)
    assert rep["size"] == list(size) and rep["layer"] == ("curious" if curious else "visitor")
    share = 0.35 if not curious else 0.25
    assert layout_report.problems(rep, MIN_TOUCH_MM, min_share=share) == []
    assert len(rep["neurons"]) == 294
    # the report's neuron centres are the real projection: all inside the graph's box
    gx, gy, gw, gh = rep["graph"]["rect"]
    xs = np.array([n["x"] for n in rep["neurons"]])
    ys = np.array([n["y"] for n in rep["neurons"]])
    assert xs.min() >= gx and xs.max() <= gx + gw and ys.min() >= gy and ys.max() <= gy + gh


@pytest.mark.parametrize("size", SHAPES)
def test_the_visitor_layer_offers_few_targets_and_the_rest_one_touch_away(app, size):
    visitor = _report(app, size)
    actions = [b["action"] for b in visitor["buttons"]]
    assert len(actions) <= 10
    assert "curious" in actions and "lang" in actions and "reset" not in actions
    curious = _report(app, size, curious=True)
    more = {b["action"] for b in curious["buttons"]}
    assert {"reset", "speed:step", "speed:64", "wires:weight", "camera"} <= more
    assert {"stats", "legend"} <= {p["name"] for p in curious["panels"]}


@pytest.mark.parametrize("size", SHAPES)
@pytest.mark.parametrize("scene", ["inspector", "draw", "probe"])
def test_every_scene_fits_every_shape_with_few_targets(app, size, scene):
    command(app, cmd.Select(Neuron(1, 3)))
    if scene == "draw":
        command(app, cmd.SetPad(digits.clean_digit(7)))
    rep = _report(app, size, scene)
    assert layout_report.problems(rep, MIN_TOUCH_MM, max_targets=10) == []
    if scene == "draw":
        assert rep["pad"] is not None and rep["answer"]["cap_mm"] >= 12.0
        assert sum(b["action"].startswith("answer:") for b in rep["buttons"]) == 10
    curious = _report(app, size, scene, curious=True)
    assert layout_report.problems(curious, MIN_TOUCH_MM, min_share=0.25) == []


SEED_PANELS = {"stats", "plot", "legend", "supervision", "output", "known", "features"}


def test_every_seed_panel_is_on_screen_or_one_touch_away(app):
    """The seed exhibit's panels, at 1920x1080: each in the visitor layer of some scene or
    in its curious layer (the button "Show the numbers")."""
    seen = set()
    for scene in ("graph", "inspector", "draw", "probe"):
        for curious in (False, True):
            seen |= {p["name"] for p in _report(app, (1920, 1080), scene, curious)["panels"]}
    assert SEED_PANELS <= seen


def test_a_resize_lays_everything_out_again_and_keeps_the_visitors_state(app):
    app.resize((1920, 1080))
    command(app, cmd.SetCurious(False), cmd.SwitchScene("draw"), cmd.SetPad(digits.clean_digit(3)))
    command(app, cmd.Select(Neuron(2, 3)))
    pad_before = app.scenes["draw"].pad.image.copy()
    wide = app.layout_report()
    app.resize((1080, 1920))              # the technician turns the screen
    frames(app, 1)
    tall = app.layout_report()
    assert tall["size"] == [1080, 1920] and tall["pad"] != wide["pad"]
    assert tall["pad"][1] > 1920 / 3                          # the pad within reach, below the graph
    np.testing.assert_array_equal(app.scenes["draw"].pad.image, pad_before)
    assert app.scene_name == "draw" and app.session.selected == Neuron(2, 3)
    assert layout_report.problems(tall, MIN_TOUCH_MM, min_cap_mm=2.5) == []
