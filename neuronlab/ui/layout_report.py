"""The layout report: every rectangle a frame put on screen, as plain data.

Owns the JSON that ``neuronlab shot --layout FILE.json`` writes and the rules it is held
to: panels and buttons with their screen rectangles (buttons with their action, such as
``scene:draw`` or ``answer:7``), the pad, each neuron's projected centre and radius and
whether a panel covers it, the graph's box, and the smallest text in pixels and
millimetres. Tests hold the layout rules with it; an outside script finds what to tap.
Pure: it is given rectangles and points, it draws nothing.
"""
from __future__ import annotations

import itertools
import json
import math
import os
import tempfile

CAP_HEIGHT = 0.73    # DejaVu Sans: cap height per pixel of nominal font size
ROW_OF_DIGITS = ("answer:", "digit:")


def _rect(r) -> list[int]:
    return [int(r[0]), int(r[1]), int(r[2]), int(r[3])]


def action_name(action) -> str:
    """A button's action as one string: ("scene", "draw") -> "scene:draw"."""
    if isinstance(action, tuple):
        return ":".join(str(a) for a in action)
    return str(action)


def _circle_meets_rect(cx, cy, radius, r) -> bool:
    x, y, w, h = r
    nx, ny = min(max(cx, x), x + w), min(max(cy, y), y + h)
    return (cx - nx) ** 2 + (cy - ny) ** 2 < radius ** 2


def build(size, px_per_mm: float, scale: float, graph_box, panels: dict, buttons: list,
          pad, neurons: list, min_text_px: float | None, scene: str = "",
          layer_name: str = "visitor", regions: dict | None = None,
          answer_px: float | None = None) -> dict:
    """panels: name -> rect; buttons: (rect, action, label); neurons: (layer, index, x, y,
    radius_px, depth); regions: the layout's regions, name -> rect (panels lie inside
    them); rects are (x, y, w, h) in window pixels."""
    w, h = int(size[0]), int(size[1])
    out_neurons = []
    for layer, index, x, y, radius, depth in neurons:
        on = depth > 0 and radius <= x <= w - radius and radius <= y <= h - radius
        cover = [name for name, r in panels.items() if _circle_meets_rect(x, y, radius, r)]
        out_neurons.append({"layer": int(layer), "index": int(index), "x": round(float(x), 1),
                            "y": round(float(y), 1), "radius": round(float(radius), 2),
                            "on_screen": bool(on), "covered_by": cover})
    text_px = None if min_text_px is None else float(min_text_px)
    # the touch targets a visitor chooses among, beside the pad and the rows of ten digits
    # (the Draw scene's answers, the Test scene's keypad), which each read as one control
    targets = [a for _, a, _ in buttons if not action_name(a).startswith(ROW_OF_DIGITS)]
    return {
        "size": [w, h], "scene": scene, "layer": layer_name,
        "px_per_mm": round(float(px_per_mm), 4), "scale": round(float(scale), 4),
        "graph": {"rect": _rect(graph_box), "share": round(graph_box[2] * graph_box[3] / (w * h), 4)},
        "regions": [{"name": n, "rect": _rect(r)} for n, r in (regions or {}).items()],
        "panels": [{"name": n, "rect": _rect(r)} for n, r in panels.items()],
        "buttons": [{"action": action_name(a), "label": str(lbl), "rect": _rect(r),
                     "mm": [round(r[2] / px_per_mm, 1), round(r[3] / px_per_mm, 1)]}
                    for r, a, lbl in buttons],
        "pad": None if pad is None else _rect(pad),
        "targets": len(targets),
        "answer": None if answer_px is None else {
            "px": float(answer_px), "cap_mm": round(float(answer_px) * CAP_HEIGHT / px_per_mm, 2)},
        "neurons": out_neurons,
        "text": {"smallest_px": text_px,
                 "smallest_cap_mm": None if text_px is None else round(text_px * CAP_HEIGHT / px_per_mm, 2)},
    }


def problems(report: dict, min_touch_mm: float = 9.0, min_share: float = 0.35,
             min_cap_mm: float = 3.0, max_targets: int | None = None,
             min_answer_mm: float = 12.0) -> list[str]:
    """Every rule the report breaks, in words (empty: the layout is sound). The layout's
    regions and the graph's box never overlap; each panel lies inside a region; panels
    never overlap one another, except a backdrop (a name ending in ``_bg``) that the panels
    of its scene lie on."""
    bad = []
    w, h = report["size"]
    regions = {p["name"]: p["rect"] for p in report.get("regions", [])}
    regions["graph"] = report["graph"]["rect"]
    panels = {p["name"]: p["rect"] for p in report["panels"]}
    for name, (x, y, rw, rh) in {**regions, **panels}.items():
        if x < 0 or y < 0 or x + rw > w or y + rh > h:
            bad.append(f"{name} leaves the screen")
    for (a, ra), (b, rb) in itertools.combinations(regions.items(), 2):
        if _overlap(ra, rb):
            bad.append(f"{a} overlaps {b}")
    if len(regions) > 1:
        for name, r in panels.items():
            # the graph's own labels lie in its box; every other panel in a region beside it
            if not any(_inside(r, reg) for n, reg in regions.items()
                       if (n == "graph") == name.startswith("graph_")):
                bad.append(f"panel {name} is not inside one region")
    plain = {n: r for n, r in panels.items() if not n.endswith("_bg")}
    for (a, ra), (b, rb) in itertools.combinations(plain.items(), 2):
        if _overlap(ra, rb):
            bad.append(f"{a} overlaps {b}")
    if report["graph"]["share"] < min_share:
        bad.append(f"graph has {report['graph']['share']:.0%} of the screen")
    for n in report["neurons"]:
        if not n["on_screen"] or n["covered_by"]:
            bad.append(f"neuron {n['layer']}.{n['index']} off screen or covered by {n['covered_by']}")
    for b in report["buttons"]:
        if min(b["mm"]) < min_touch_mm:
            bad.append(f"button {b['action']} is {min(b['mm'])} mm")
    if max_targets is not None and report.get("targets", 0) > max_targets:
        bad.append(f"{report['targets']} touch targets besides the pad and the digit rows")
    answer = report.get("answer")
    if answer is not None and answer["cap_mm"] < min_answer_mm:
        bad.append(f"the answer is {answer['cap_mm']} mm tall")
    cap = report["text"]["smallest_cap_mm"]
    if cap is not None and cap < min_cap_mm:
        bad.append(f"smallest text has a {cap} mm cap height")
    return bad


def _inside(a, b) -> bool:
    return a[0] >= b[0] and a[1] >= b[1] and a[0] + a[2] <= b[0] + b[2] and a[1] + a[3] <= b[1] + b[3]


def _overlap(a, b) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def write(report: dict, path) -> None:
    """Atomically: a half-written report is never read by a script."""
    path = os.fspath(path)
    d = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=d, prefix=".layout-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=1)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def cap_mm(px: float, px_per_mm: float) -> float:
    return px * CAP_HEIGHT / px_per_mm if px_per_mm > 0 and math.isfinite(px) else float("nan")
