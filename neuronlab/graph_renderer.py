"""The 3D graph on screen: view arrays from the session, the animation, the overlays, the
GL pass, the camera's matrices and picking.

One way per frame: ``arrays(dt, session)`` computes the view arrays, folds in the
animation, then paints the overlays last (a touched wire is white at full alpha whatever
the sweep is doing); ``draw`` hands them to the pass. ``matrices`` and ``pick`` use the
same lens shift, so a tap lands on the ball that is drawn there.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from neuronlab.math3d import picking
from neuronlab.math3d.camera import projection_matrix, target_plane_point, view_matrix
from neuronlab.render.graph_pass import GraphPass
from neuronlab.session import Neuron
from neuronlab.view import anim as anim_mod
from neuronlab.view.graph import GraphArrays, GraphView


def paint_overlays(arrays: GraphArrays, highlight, layout, palette) -> GraphArrays:
    """The touched wire and its source neuron, lit over everything (inputs not modified)."""
    if highlight is None:
        return arrays
    layer, i, j = highlight
    wire = arrays.wire_rgba.copy()
    wire[layout.wire_index(layer, i, j)] = (1.0, 1.0, 1.0, 1.0)
    src = layout.neuron(layer - 1, i)           # light the wire's source neuron too
    glow, rgb = arrays.ball_glow.copy(), arrays.ball_rgb.copy()
    glow[src] = 1.0
    rgb[src] = palette.ball_hot
    return replace(arrays, wire_rgba=wire, ball_glow=glow, ball_rgb=rgb)


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


def lens_matrices(camera, regions, size, viewport_size):
    """View and projection, the projection shifted to centre the graph in the space left
    of the scene panel."""
    w, h = viewport_size
    view = view_matrix(camera)
    proj = projection_matrix(camera, w / max(1, h)).copy()
    centre_px = (regions.left.right + regions.side.left) / 2
    shift = (centre_px / size[0]) * 2 - 1
    proj[:, 0] += shift * proj[:, 3]
    return view, proj


class GraphRenderer:
    def __init__(self, ctx, layout, palette, px_per_mm: float = 2.71):
        self.layout = layout
        self.palette = palette
        self.px_per_mm = float(px_per_mm)
        self.view = GraphView(layout, palette)
        self.anim = anim_mod.GraphAnim(layout)
        self.graph_pass = GraphPass(ctx, layout, palette)
        self.last_arrays: GraphArrays | None = None
        self._seen_input = -1
        self._seen_train = 0

    def arrays(self, dt: float, ses) -> GraphArrays:
        """This frame's arrays: view, then the animation, then the overlays."""
        sel = -1
        if ses.selected is not None:
            sel = self.layout.neuron(ses.selected.layer, ses.selected.index)
        arrays = self.view.update(dt, ses.fw, ses.model.params, ses.grads, ses.wire_mode, selected=sel)
        if ses.input_version != self._seen_input:
            self._seen_input = ses.input_version
            self.anim.on_input_changed()
        if ses.train_version != self._seen_train:
            self._seen_train = ses.train_version
            if ses.grads is not None and ses.source == "training":
                self.anim.on_train_steps(ses.grads)
        arrays = anim_mod.apply(arrays, self.anim.update(dt), self.palette)
        arrays = paint_knockout(arrays, ses.knockout.off_units, self.layout)
        arrays = paint_overlays(arrays, ses.highlight, self.layout, self.palette)
        self.last_arrays = arrays
        return arrays

    def draw(self, arrays: GraphArrays, view, proj, viewport, clock: float) -> None:
        self.graph_pass.update(arrays)
        self.graph_pass.draw(view, proj, viewport, clock)   # the frame's one clear

    def pick(self, x: float, y: float, view, proj, size) -> Neuron | None:
        radii = self.last_arrays.ball_radius if self.last_arrays is not None else self.layout.base_radius
        k = picking.pick(x, y, self.layout.positions, radii, view, proj, (0, 0, *size),
                         min_hit_px=4.5 * self.px_per_mm)
        if k is None:
            return None
        return Neuron(int(self.layout.layer_of[k]), int(self.layout.index_in_layer[k]))

    @staticmethod
    def zoom_about(camera, x: float, y: float, view, proj, size) -> np.ndarray:
        return target_plane_point(camera, x, y, (0, 0, *size), view, proj)

    def release(self) -> None:
        self.graph_pass.release()
