"""The numbers the graph picture is made of, computed from one forward pass.

Owns the per-frame view arrays: what each wire carries (signal a_i*w_ij, weight w_ij,
gradient dL/dw_ij, or the correction: the change dw_ij a lesson on the visitor's own
drawing made), the wire colours, and each ball's colour, size and glow. Also
owns the stable brightness scales that keep those colours from flickering.

Pure numpy. Wire order is the layout's (W1 row-major, then W2, then W3; see
``view/layout.py``), so ``wire_signal[layout.wire_index(L, i, j)] == a_i * W<L>[i, j]``
exactly, with a = x for L = 1, a1 for L = 2, a2 for L = 3.

Colour rule: warm (palette.excite) where the value is > 0, cool (palette.inhibit)
where < 0; alpha = brightness = (|value| / scale) ** WIRE_GAMMA clipped to 0..1, where
scale is one per weight matrix, from a StableScale (a high percentile of |value|,
followed slowly). Renderers lay rgb * alpha onto a dark stage (see the wire shaders).

Focus: while a neuron is open (``selected``), ``focus`` dims every wire and ball but that
neuron, its own wires (in and out) and the neurons at their other ends.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from neuronlab.view.layout import Layout
from neuronlab.view.palette import Palette

MODES = ("signal", "weight", "gradient", "correction")
WIRE_GAMMA = 1.3       # > 1: strong wires stand out of the crowd of weak ones
SCALE_PERCENTILE = 98  # per-matrix reference |value|: strong, but not one outlier wire
# A wire whose brightness is below this adds less than 1.5/255 to any pixel at the
# pass's default wire intensity: invisible on the stage, so the pass may skip it.
# "All wires" never means "all lines": it means every wire that would show.
WIRE_VISIBILITY_FLOOR = 1.5 / 255
FOCUS_WIRE_DIM = 0.2   # brightness the other wires keep while a neuron is open
FOCUS_BALL_DIM = 0.35  # colour and glow the other balls keep
BALL_REST = 0.8          # a silent ball's radius, in base radii...
BALL_GROW = (0.35, 0.6)  # ...and what full activity adds: the input sheet's, the others'
MAX_BALL_SCALE = BALL_REST + max(BALL_GROW)   # the largest a ball is drawn, in base radii


class StableScale:
    """Per-group reference magnitudes that follow their targets smoothly.

    In log space the scale moves a fraction dt/tau of the way to the target each
    update, but never faster than ``rise`` (doublings per second) up or ``fall``
    (halvings per second) down, so one frame never changes it by more than a factor
    2**(rise*dt). Brightness spikes (a new, louder input) saturate for a moment
    instead of dimming the whole picture at once. The first target is taken as is;
    targets that are zero or not finite carry no information and leave it alone.
    """

    def __init__(self, n: int, tau: float = 0.25, rise: float = 3.0, fall: float = 0.5):
        self.value = np.zeros(n, dtype=np.float64)
        self.tau, self.rise, self.fall = float(tau), float(rise), float(fall)

    def update(self, dt: float, target) -> np.ndarray:
        target = np.asarray(target, dtype=np.float64)
        ok = np.isfinite(target) & (target > 1e-12)
        fresh = ok & (self.value <= 0)
        self.value[fresh] = target[fresh]
        move = ok & ~fresh
        if move.any() and dt > 0:
            gap = np.log(target[move] / self.value[move])
            step = gap * min(1.0, dt / self.tau)
            ln2 = np.log(2.0)
            step = np.clip(step, -self.fall * ln2 * dt, self.rise * ln2 * dt)
            self.value[move] *= np.exp(step)
        return self.value


@dataclass
class GraphArrays:
    """Everything the graph pass draws this frame (N neurons, W wires, P pulses)."""

    ball_rgb: np.ndarray      # (N, 3) float32
    ball_radius: np.ndarray   # (N,) float32 world units
    ball_glow: np.ndarray     # (N,) float32 0..1 halo strength
    wire_rgba: np.ndarray     # (W, 4) float32: rgb colour, a = brightness 0..1
    wire_value: np.ndarray    # (W,) float32: the number the wire shows in this mode
    mode: str = "signal"
    highlight: int = -1       # global index of the answer (argmax output) ball
    selected: int = -1        # global index of the inspected neuron, -1 for none
    label_rgb: np.ndarray | None = None  # (10, 3) float32, output digit labels
    pulse_pos: np.ndarray = field(default_factory=lambda: np.zeros((0, 3), np.float32))
    pulse_rgba: np.ndarray = field(default_factory=lambda: np.zeros((0, 4), np.float32))
    pulse_size: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    # wires lit over everything (a touched wire): drawn over the others whatever they do
    overlay_wires: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    # the forward sweep's (gain, front) on the input sheet's wires when wire_rgba holds
    # those wires without it: the pass lays it over that whole layer at once
    sheet_sweep: tuple[float, float] = (1.0, 0.0)


def _one(v: np.ndarray) -> np.ndarray:
    v = np.asarray(v)
    if v.ndim == 2:
        if v.shape[0] != 1:
            raise ValueError(f"the graph shows one image, got a batch of {v.shape[0]}")
        v = v[0]
    return v


def wire_signal(fw, params: dict) -> np.ndarray:
    """(W,) a_i * w_ij for every wire, in wire order."""
    x, a1, a2 = _one(fw.x), _one(fw.a1), _one(fw.a2)
    return np.concatenate([
        (x[:, None] * params["W1"]).ravel(),   # (256, 1) * (256, 16) -> 4096
        (a1[:, None] * params["W2"]).ravel(),  # (16, 1) * (16, 12) -> 192
        (a2[:, None] * params["W3"]).ravel(),  # (12, 1) * (12, 10) -> 120
    ]).astype(np.float32, copy=False)


def wire_weight(params: dict) -> np.ndarray:
    """(W,) w_ij for every wire, in wire order."""
    return np.concatenate([params[k].ravel() for k in ("W1", "W2", "W3")]).astype(np.float32)


def wire_grad(grads) -> np.ndarray:
    """(W,) dL/dw_ij of the last step for every wire, in wire order."""
    return np.concatenate([g.ravel() for g in (grads.dW1, grads.dW2, grads.dW3)]).astype(np.float32)


def wire_correction(delta: dict | None) -> np.ndarray | None:
    """(W,) the change of every wire's weight (after - before a lesson), in wire order."""
    return None if delta is None else wire_weight(delta)


def group_percentile(values: np.ndarray, offsets, q: float = SCALE_PERCENTILE) -> np.ndarray:
    """(3,) the q-th percentile of |value| in each weight matrix's block of wires."""
    out = np.empty(len(offsets) - 1)
    for g in range(len(offsets) - 1):
        block = np.abs(values[offsets[g]:offsets[g + 1]])
        k = min(len(block) - 1, int(q / 100.0 * len(block)))
        out[g] = np.partition(block, k)[k]
    return out


def wire_colours(values: np.ndarray, scale_per_wire: np.ndarray, palette: Palette,
                 gamma: float = WIRE_GAMMA) -> np.ndarray:
    """(W, 4) warm for > 0, cool for < 0; alpha = (|v| / scale) ** gamma in 0..1."""
    rgba = np.empty((values.shape[0], 4), np.float32)
    rgba[:, :3] = np.where((values < 0)[:, None], np.asarray(palette.inhibit, np.float32),
                           np.asarray(palette.excite, np.float32))
    with np.errstate(divide="ignore", invalid="ignore"):
        b = np.abs(values) / scale_per_wire
    rgba[:, 3] = np.clip(np.nan_to_num(b, nan=0.0, posinf=1.0), 0.0, 1.0) ** gamma
    return rgba


def _mix(a, b, t: np.ndarray) -> np.ndarray:
    a, b = np.asarray(a, np.float32), np.asarray(b, np.float32)
    return a + (b - a) * t[:, None]  # (n, 1) * (3,) -> (n, 3)


class GraphView:
    """Turns (forward pass, parameters, gradients) into GraphArrays, frame after frame.

    Holds the only state: one StableScale per wire mode (3 matrices each) and one for
    the hidden activations, so switching modes is instant and nothing flickers.
    """

    def __init__(self, layout: Layout, palette: Palette | None = None):
        self.layout = layout
        self.palette = palette or Palette()
        self.wire_scales = {m: StableScale(3) for m in MODES}
        self.act_scale = StableScale(2)
        counts = np.diff(layout.wire_offsets)
        self._wire_group = np.repeat(np.arange(3), counts)  # (W,) matrix of each wire

    def update(self, dt: float, fw, params: dict, grads=None, mode: str = "signal",
               selected: int = -1, correction: dict | None = None) -> GraphArrays:
        """``correction``: a lesson's dW per parameter (after - before), for that mode."""
        if mode not in MODES:
            raise ValueError(f"wires show one of {MODES}, not {mode!r}")
        lay, pal = self.layout, self.palette
        if mode == "signal":
            values = wire_signal(fw, params)
        elif mode == "weight":
            values = wire_weight(params)
        elif mode == "correction":
            dw = wire_correction(correction)
            values = dw if dw is not None else np.zeros(lay.n_wires, np.float32)
        elif grads is not None:
            values = wire_grad(grads)
        else:
            values = np.zeros(lay.n_wires, np.float32)
        scale = self.wire_scales[mode].update(dt, group_percentile(values, lay.wire_offsets))
        safe = np.where(scale > 0, scale, np.inf)  # no scale yet: nothing lit
        rgba = wire_colours(values, safe[self._wire_group].astype(np.float32), pal)

        x, a1, a2, p = (_one(v) for v in (fw.x, fw.a1, fw.a2, fw.p))
        hs = self.act_scale.update(dt, [a1.max(initial=0.0), a2.max(initial=0.0)])
        with np.errstate(divide="ignore", invalid="ignore"):
            t1 = np.clip(np.nan_to_num(a1 / hs[0]), 0, 1) if hs[0] > 0 else np.zeros_like(a1)
            t2 = np.clip(np.nan_to_num(a2 / hs[1]), 0, 1) if hs[1] > 0 else np.zeros_like(a2)
        tin = np.clip(x, 0, 1).astype(np.float32)
        tout = np.clip(p, 0, 1).astype(np.float32)
        t = np.concatenate([tin, t1, t2, tout]).astype(np.float32)  # (N,) 0..1 activity

        rgb = np.empty((lay.n_neurons, 3), np.float32)
        s0 = lay.layer_slices[0]
        rgb[s0] = _mix(pal.input_off, pal.input_on, tin)
        rest = slice(s0.stop, lay.n_neurons)
        rgb[rest] = _mix(pal.ball_base, pal.ball_hot, t[rest])
        grow = np.where(lay.layer_of == 0, *BALL_GROW).astype(np.float32)
        radius = lay.base_radius * (BALL_REST + grow * t)
        glow = np.where(lay.layer_of == 0, 0.3 * t, t).astype(np.float32)

        so = lay.layer_slices[3]
        win = int(np.argmax(p))
        label = _mix(pal.text, pal.ball_hot, tout) * (0.55 + 0.45 * np.sqrt(tout))[:, None]
        label[win] = pal.accent
        return focus(GraphArrays(rgb, radius.astype(np.float32), glow, rgba, values, mode,
                                 highlight=so.start + win, selected=int(selected),
                                 label_rgb=label.astype(np.float32)), lay)


def focus(arrays: GraphArrays, layout: Layout, wire_dim: float = FOCUS_WIRE_DIM,
          ball_dim: float = FOCUS_BALL_DIM) -> GraphArrays:
    """With a neuron open, everything else dimmed: its own wires (into and out of it) and
    the neurons they join keep their light; the rest keeps ``wire_dim`` of its wires'
    brightness and ``ball_dim`` of its balls' colour and glow. Nothing open: unchanged."""
    sel = arrays.selected
    if sel < 0:
        return arrays
    own = (layout.wire_dst == sel) | (layout.wire_src == sel)               # (W,)
    keep = np.zeros(layout.n_neurons, bool)
    keep[layout.wire_src[own]] = keep[layout.wire_dst[own]] = True
    keep[sel] = True
    rgba = arrays.wire_rgba.copy()
    rgba[~own, 3] *= wire_dim
    fade = np.where(keep, 1.0, ball_dim).astype(np.float32)                  # (N,)
    return replace(arrays, wire_rgba=rgba, ball_rgb=arrays.ball_rgb * fade[:, None],
                   ball_glow=arrays.ball_glow * fade)


def visible_wires(wire_rgba: np.ndarray, floor: float = WIRE_VISIBILITY_FLOOR) -> np.ndarray:
    """Indices of the wires bright enough to change a pixel (see WIRE_VISIBILITY_FLOOR)."""
    return np.flatnonzero(wire_rgba[:, 3] * wire_rgba[:, :3].max(axis=1) >= floor)
