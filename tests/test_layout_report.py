"""The layout report's rules catch what they name: overlaps, covered neurons, small targets,
small text; and the report is written atomically as JSON."""
from __future__ import annotations

import json

from neuronlab.ui import layout_report


def _report(**over):
    args = dict(size=(1000, 800), px_per_mm=2.0, scale=1.0, graph_box=(0, 0, 600, 600),
                regions={"side": (610, 0, 390, 700), "bottom": (0, 705, 1000, 90)},
                panels={"answer": (620, 320, 300, 200), "draw_bg": (610, 0, 390, 700)},
                buttons=[((610, 710, 100, 60), ("scene", "draw"), "Draw")],
                pad=(620, 10, 300, 300),
                neurons=[(0, 0, 300.0, 300.0, 10.0, 5.0)], min_text_px=20)
    args.update(over)
    return layout_report.build(**args)


def test_a_sound_layout_has_no_problems_and_names_actions():
    rep = _report()
    assert layout_report.problems(rep) == []
    assert rep["buttons"][0]["action"] == "scene:draw"
    assert rep["buttons"][0]["mm"] == [50.0, 30.0]
    assert rep["graph"]["share"] == 0.45
    assert rep["text"]["smallest_cap_mm"] == round(20 * 0.73 / 2.0, 2)


def test_each_rule_is_caught():
    bad = layout_report.problems(_report(regions={"side": (590, 0, 390, 700)}))
    assert "side overlaps graph" in bad
    # a backdrop holds its scene's panels; two plain panels may not meet
    bad = layout_report.problems(_report(panels={"answer": (620, 320, 300, 200),
                                                 "bars": (620, 500, 300, 100)}))
    assert bad == ["answer overlaps bars"]
    bad = layout_report.problems(_report(panels={"answer": (620, 600, 300, 200)}))
    assert "panel answer is not inside one region" in bad
    bad = layout_report.problems(_report(neurons=[(2, 5, 615.0, 330.0, 10.0, 5.0)]))
    assert any(b.startswith("neuron 2.5") for b in bad)
    bad = layout_report.problems(_report(neurons=[(3, 1, 300.0, -4.0, 10.0, 5.0)]))
    assert any("off screen" in b for b in bad)
    bad = layout_report.problems(_report(buttons=[((610, 710, 100, 16), ("speed", 16), "x16")]))
    assert bad == ["button speed:16 is 8.0 mm"]
    bad = layout_report.problems(_report(min_text_px=7))
    assert bad == ["smallest text has a 2.55 mm cap height"]
    bad = layout_report.problems(_report(graph_box=(0, 0, 500, 500)))
    assert bad == ["graph has 31% of the screen"]


def test_written_atomically_as_json(tmp_path):
    path = tmp_path / "layout.json"
    layout_report.write(_report(), path)
    assert json.loads(path.read_text())["pad"] == [620, 10, 300, 300]
    assert [p.name for p in tmp_path.iterdir()] == ["layout.json"]
