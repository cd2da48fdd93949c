"""The 3D graph on screen: view arrays from the session, the animation, the overlays, the
GL pass, the camera's matrices and picking.

One way per frame: ``arrays(dt, session)`` computes the view arrays, folds in the
animation, then paints the overlays last (a touched wire is white at full alpha whatever
the sweep is doing); ``draw`` hands them to the pass, with how soon a change of the input
sheet's cached wires must show (at once for a touched wire or an opened neuron, three
frames for a new input -- a stroke, a cleared pad, a training sample --, more for drift
under training) and, while the sweep passes over that layer, the sheet's wires without it
and the sweep's gain for the whole layer (``render/wire_cache``). ``matrices`` and
``pick`` use the same lens shift, so a tap lands on the ball that is drawn there.
"""
from __future__ import annotations

import copy
from dataclasses import replace

import numpy as np

from neuronlab.math3d import picking
from neuronlab.math3d.camera import project, projection_matrix, target_plane_point, view_matrix
from neuronlab.math3d.fit import fit_into
from neuronlab.render.graph_pass import HALO_SPREAD, LABEL_CELL, LABEL_GAP, WIRE_WIDTH, GraphPass
from neuronlab.session import Neuron
from neuronlab.view import anim as anim_mod
from neuronlab.view.graph import MAX_BALL_SCALE, GraphArrays, GraphView


def paint_overlays(arrays: GraphArrays, highlight, layout, palette) -> GraphArrays:
    """The touched wire and its source neuron, lit over everything (inputs not modified)."""
    if highlight is None:
        return arrays
    layer, i, j = highlight
    wire = arrays.wire_rgba.copy()
    k = layout.wire_index(layer, i, j)
    wire[k] = (1.0, 1.0, 1.0, 1.0)
    src = layout.neuron(layer - 1, i)           # light the wire's source neuron too
    glow, rgb = arrays.ball_glow.copy(), arrays.ball_rgb.copy()
    glow[src] = 1.0
    rgb[src] = palette.ball_hot
    return replace(arrays, wire_rgba=wire, ball_glow=glow, ball_rgb=rgb,
                   overlay_wires=np.array([k], np.int64))


KNOCKED_OUT_RGB = (0.45, 0.45, 0.47)   # flat grey: unlike any live ball's colour


def paint_knockout(arrays: GraphArrays, off_units, layout) -> GraphArrays:
    """Neurons switched off: the ball grey and unlit, every wire into or out of it dark
    (inputs not modified)."""
    if not off_units:
        return arrays
    rgb, glow, wire = arrays.ball_rgb.copy(), arrays.ball_glow.copy(), arrays.wire_rgba.copy()
    for layer, i in off_units:
        k = layout.neuron(layer, i)
        rgb[k] = KNOCKED_OUT_RGB
        glow[k] = 0.0
        wire[(layout.wire_dst == k) | (layout.wire_src == k)] = (0.08, 0.08, 0.1, 0.12)
    return replace(arrays, ball_rgb=rgb, ball_glow=glow, wire_rgba=wire)


def fit_radii(layout) -> np.ndarray:
    """What each ball may cover on screen: its largest drawn radius, and for the answer
    neurons the room their digit labels take beside them."""
    grow = np.where(layout.layer_of == 0, 1.15, 1.4)
    r = layout.base_radius * grow
    return np.where(layout.layer_of == len(layout.sizes) - 1, r * 3.0, r)


SWEEP_FRONT_MIN = 2e-3   # a sweep front this faint tints no wire by a level: no sweep

LABEL_ROOM = 52   # design pixels under the fitted graph for the layers' names


class GraphFit:
    """View and projection for the window as it is: the projection zoomed and shifted so
    the home view's every neuron lies inside the layout's graph box (``math3d.fit``).
    Camera moves act on the fitted picture. The fit depends only on the window and the
    box, so it is computed again only when they change."""

    def __init__(self, layout):
        self.positions = layout.positions
        self.radii = fit_radii(layout)
        self._key = None
        self._fit = None

    def matrices(self, camera, regions, size, viewport_size):
        w, h = viewport_size
        aspect = w / max(1, h)
        # the layers' names stand under the graph, inside its box: leave them their room
        g = regions.graph
        box = (g.x, g.y, g.w, g.h - int(LABEL_ROOM * regions.s))
        key = (tuple(size), box, round(aspect, 6))
        if key != self._key:
            home = copy.deepcopy(camera)
            home.home()
            self._fit = fit_into(box, self.positions, self.radii, view_matrix(home),
                                 projection_matrix(home, aspect), size, margin_px=regions.mm(3.0))
            self._key = key
        return view_matrix(camera), self._fit.apply(projection_matrix(camera, aspect))


# How many frames a change of the input sheet's wires may take to show (render/wire_cache):
# the weights drifting under training, and a new input (the training sample of the moment,
# a stroke on the pad, another test digit: the forward sweep dims that layer meanwhile).
# A stroke drawn straight onto the frame cost painting frames a third of their CPU, and
# the balls show the stroke at once anyway. Anything else a visitor did (a tap on a neuron,
# another wire mode, another scene's input) shows in the very frame.
DRIFT_FRAMES = 16         # about 1/4 s at 60 fps
SAMPLE_FRAMES = 3


class GraphRenderer:
    def __init__(self, ctx, layout, palette, min_touch_mm: float = 9.0):
        self.layout = layout
        self.palette = palette
        self.min_touch_mm = float(min_touch_mm)
        self.fit = GraphFit(layout)
        self.view = GraphView(layout, palette)
        self.anim = anim_mod.GraphAnim(layout)
        self.graph_pass = GraphPass(ctx, layout, palette)
        self.last_arrays: GraphArrays | None = None
        self._seen_input = -1
        self._seen_train = 0
        self._in_sheet = layout.wire_layer == 1
        self._state = None          # what a visitor set last frame (see _spread)
        self._sample_left = 0       # frames a new input's quicker redraw still applies
        self._drawn = None          # (arrays to draw, the arrays returned, spread) this frame

    def arrays(self, dt: float, ses) -> GraphArrays:
        """This frame's arrays: view, then the animation, then the overlays."""
        sel = -1
        if ses.selected is not None:
            sel = self.layout.neuron(ses.selected.layer, ses.selected.index)
        arrays = self.view.update(dt, ses.fw, ses.model.params, ses.grads, ses.wire_mode, selected=sel,
                                  correction=getattr(ses, "correction", None))
        spread = self._spread(ses)
        if ses.input_version != self._seen_input:
            self._seen_input = ses.input_version
            self.anim.on_input_changed()
        if ses.train_version != self._seen_train:
            self._seen_train = ses.train_version
            if ses.grads is not None and ses.source == "training":
                self.anim.on_train_steps(ses.grads)
        frame = self.anim.update(dt)
        full = self._finish(anim_mod.apply(arrays, frame, self.palette), ses)
        self.last_arrays = full
        # The input sheet's wires are drawn from a cache (render/wire_cache): while the
        # sweep passes over them it is laid over that whole layer at once, so the layer
        # need not be drawn again each frame of it.
        sheet = self._in_sheet
        g, f = float(frame.wire_gain[sheet][0]), float(frame.wire_front[sheet][0])
        drawn = full
        if g != 1.0 or f >= SWEEP_FRONT_MIN:
            gain, front = frame.wire_gain.copy(), frame.wire_front.copy()
            gain[sheet], front[sheet] = 1.0, 0.0
            drawn = self._finish(anim_mod.apply(arrays, replace(frame, wire_gain=gain, wire_front=front),
                                                self.palette), ses)
            drawn = replace(drawn, sheet_sweep=(g, f))
        self._drawn = (drawn, full, spread)
        return full

    def _finish(self, arrays: GraphArrays, ses) -> GraphArrays:
        arrays = paint_knockout(arrays, ses.knockout.off_units, self.layout)
        return paint_overlays(arrays, ses.highlight, self.layout, self.palette)

    def _spread(self, ses) -> int:
        """How many frames this frame's change of the sheet's wires may take to show."""
        state = (ses.source, ses.input_version if ses.source != "training" else None, ses.highlight,
                 ses.selected, ses.wire_mode, ses.knockout_version, id(getattr(ses, "correction", None)))
        was, self._state = self._state, state
        if state != was and not (was is not None and state[0] == was[0] and state[2:] == was[2:]):
            return 0           # more than the input changed: show it now
        if ses.input_version != self._seen_input:
            # a visitor's redraw under way may hold an older stroke: the next one is as quick
            # (training's samples come seldom enough to drift in at the slower pace)
            self._sample_left = 2 * SAMPLE_FRAMES if ses.source != "training" else 0
            return SAMPLE_FRAMES
        if self._sample_left > 0:
            self._sample_left -= 1
            return SAMPLE_FRAMES
        return DRIFT_FRAMES

    def draw(self, arrays: GraphArrays, view, proj, viewport, clock: float) -> None:
        spread = 0
        if self._drawn is not None and arrays is self._drawn[1]:
            arrays, spread = self._drawn[0], self._drawn[2]
        self.graph_pass.update(arrays)
        self.graph_pass.draw(view, proj, viewport, clock, spread=spread)   # the frame's one clear

    def screen_extent(self, view, proj, size) -> tuple[int, int, int, int] | None:
        """(x, y, w, h) in window px, y down: a rectangle the graph this frame draws
        inside, whatever lights it (balls with their halos and rings, wires, pulses, the
        output's digit labels), or None when a neuron is near or behind the eye (then
        anywhere)."""
        W, H = float(size[0]), float(size[1])
        # the largest a ball grows, so the rectangle moves with the camera only, not with
        # every activation
        radii = self.layout.base_radius * MAX_BALL_SCALE
        if self.last_arrays is not None:
            radii = np.maximum(radii, self.last_arrays.ball_radius)
        xy, depth = project(self.layout.positions, view, proj, (0, 0, W, H))
        if (depth < 0.05).any():
            return None
        focal = float(np.asarray(proj)[1, 1]) * H / 2                # px per world unit at depth 1
        reach = np.asarray(radii, np.float64) * HALO_SPREAD           # world units
        # a digit label sits LABEL_GAP beside its output ball, a glyph cell wide and tall
        out = self.layout.layer_of == self.layout.layer_of.max()
        reach = np.where(out, np.maximum(reach, LABEL_GAP + 2 * max(LABEL_CELL)), reach)
        # wires run between the balls: their width, and every edge's smoothing
        r_px = reach * focal / depth + sum(WIRE_WIDTH) + 2.0
        lo = np.floor((xy - r_px[:, None]).min(axis=0))
        hi = np.ceil((xy + r_px[:, None]).max(axis=0))
        return int(lo[0]), int(lo[1]), int(hi[0] - lo[0]), int(hi[1] - lo[1])

    def pick(self, x: float, y: float, view, proj, size, px_per_mm: float) -> Neuron | None:
        """The neuron under a finger; a ball drawn small is still a ``min_touch_mm`` target."""
        radii = self.last_arrays.ball_radius if self.last_arrays is not None else self.layout.base_radius
        k = picking.pick(x, y, self.layout.positions, radii, view, proj, (0, 0, *size),
                         min_hit_px=self.min_touch_mm / 2 * px_per_mm)
        if k is None:
            return None
        return Neuron(int(self.layout.layer_of[k]), int(self.layout.index_in_layer[k]))

    @staticmethod
    def zoom_about(camera, x: float, y: float, view, proj, size) -> np.ndarray:
        return target_plane_point(camera, x, y, (0, 0, *size), view, proj)

    def release(self) -> None:
        self.graph_pass.release()
