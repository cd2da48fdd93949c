"""Motion on the graph: the forward sweep and the backward gradient pulses.

Owns two small clocks, advanced by ``update(dt)`` (time is passed in):

* Forward sweep: when the caller says the input changed, a front runs from the input
  sheet to the outputs over ``SWEEP_S`` seconds; elements ahead of the front are dimmed
  to ``SWEEP_FLOOR``, elements at the front glow in the forward colour. A new sweep
  starts at most every ``SWEEP_MIN_INTERVAL`` s, so inputs that change every frame
  (training) cannot make the graph blink faster than 3 Hz.
* Backward pulses: after training steps the caller hands over the gradients; at most
  ``max_waves_per_s`` (< 3) waves are launched, the rest are sampled away. A wave runs
  from the outputs back to the input along the wires with the largest |dL/dw| of each
  matrix, one matrix per third of ``PULSE_S``; a pulse's strength is its |dL/dw| over
  a stable per-matrix scale. Pulses fade in and out along their wire (no flashing).

``apply(arrays, frame, palette)`` folds a frame into GraphArrays for the pass. Pure numpy.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from neuronlab.view.graph import GraphArrays, StableScale
from neuronlab.view.layout import Layout
from neuronlab.view.palette import Palette

SWEEP_S = 0.4
SWEEP_FLOOR = 0.3
SWEEP_MIN_INTERVAL = 0.5
PULSE_S = 0.9
PULSES_PER_MATRIX = (24, 10, 8)  # wires sampled from W1, W2, W3 per wave


@dataclass
class AnimFrame:
    ball_gain: np.ndarray   # (N,) brightness multiplier
    ball_front: np.ndarray  # (N,) 0..1 forward-front glow
    wire_gain: np.ndarray   # (W,) brightness multiplier
    wire_front: np.ndarray  # (W,) 0..1 forward-front tint
    pulse_pos: np.ndarray   # (P, 3) world positions
    pulse_strength: np.ndarray  # (P,) 0..1 including the fade envelope


@dataclass
class _Wave:
    born: float
    wires: np.ndarray     # (K,) wire indices, grouped by matrix
    strength: np.ndarray  # (K,) 0..1
    stage: np.ndarray     # (K,) 0 = W3 (first), 1 = W2, 2 = W1 (last)


class GraphAnim:
    def __init__(self, layout: Layout, max_waves_per_s: float = 2.5):
        if not 0 < max_waves_per_s <= 3:
            raise ValueError("gradient waves must stay at or under 3 per second")
        self.layout = layout
        self.t = 0.0
        self.sweep_start = -1e9
        self.wave_interval = 1.0 / max_waves_per_s
        self.last_wave = -1e9
        self.waves: list[_Wave] = []
        self.grad_scale = StableScale(3)
        # Where each element sits along the sweep, in layer units: balls at L, wires at L-0.5.
        self._ball_c = layout.layer_of.astype(np.float32)
        self._wire_c = layout.wire_layer.astype(np.float32) - 0.5
        self._src = layout.positions[layout.wire_src]  # (W, 3)
        self._dst = layout.positions[layout.wire_dst]

    def on_input_changed(self) -> bool:
        """Start a forward sweep unless one started less than SWEEP_MIN_INTERVAL ago."""
        if self.t - self.sweep_start < SWEEP_MIN_INTERVAL:
            return False
        self.sweep_start = self.t
        return True

    def on_train_steps(self, grads) -> bool:
        """Launch a backward wave from these gradients, if the rate allows one now."""
        if self.t - self.last_wave < self.wave_interval:
            return False
        lay = self.layout
        mats = [np.abs(np.asarray(g, np.float32)).ravel() for g in (grads.dW1, grads.dW2, grads.dW3)]
        scale = self.grad_scale.update(self.t - self.last_wave if self.waves else 0.0,
                                       [m.max(initial=0.0) for m in mats])
        wires, strength, stage = [], [], []
        for L in (3, 2, 1):
            m, k = mats[L - 1], PULSES_PER_MATRIX[L - 1]
            top = np.argpartition(m, -k)[-k:]
            wires.append(lay.wire_offsets[L - 1] + top)
            strength.append(np.clip(m[top] / scale[L - 1], 0, 1) if scale[L - 1] > 0 else m[top] * 0)
            stage.append(np.full(k, 3 - L))
        self.waves.append(_Wave(self.t, np.concatenate(wires), np.concatenate(strength),
                                np.concatenate(stage)))
        self.last_wave = self.t
        return True

    def update(self, dt: float) -> AnimFrame:
        self.t += float(dt)
        u = (self.t - self.sweep_start) / SWEEP_S * 3.6  # front position in layer units
        ball_gain, ball_front = self._sweep(self._ball_c, u)
        wire_gain, wire_front = self._sweep(self._wire_c, u)

        self.waves = [w for w in self.waves if self.t - w.born < PULSE_S]
        pos, amp = [np.zeros((0, 3), np.float32)], [np.zeros(0, np.float32)]
        third = PULSE_S / 3
        for w in self.waves:
            f = (self.t - w.born - w.stage * third) / third  # 0..1 along the wire, dst -> src
            on = (f >= 0) & (f <= 1)
            if not on.any():
                continue
            f, k = f[on][:, None], w.wires[on]
            pos.append((self._dst[k] + (self._src[k] - self._dst[k]) * f).astype(np.float32))
            amp.append((w.strength[on] * np.sin(np.pi * f[:, 0])).astype(np.float32))
        return AnimFrame(ball_gain, ball_front, wire_gain, wire_front,
                         np.concatenate(pos), np.concatenate(amp))

    @staticmethod
    def _sweep(c: np.ndarray, u: float) -> tuple[np.ndarray, np.ndarray]:
        if u >= 4.0:  # no sweep running: everything at full strength
            return np.ones_like(c), np.zeros_like(c)
        s = np.clip((u - c) / 0.35 + 0.5, 0, 1)
        gain = SWEEP_FLOOR + (1 - SWEEP_FLOOR) * s * s * (3 - 2 * s)
        front = np.exp(-((u - c) / 0.3) ** 2)
        return gain.astype(np.float32), front.astype(np.float32)


def apply(arrays: GraphArrays, frame: AnimFrame, palette: Palette) -> GraphArrays:
    """GraphArrays with the sweep and pulses folded in (inputs are not modified)."""
    fwd = np.asarray(palette.forward, np.float32)
    ball_rgb = arrays.ball_rgb * frame.ball_gain[:, None]
    ball_rgb = ball_rgb + (fwd - ball_rgb) * (0.5 * frame.ball_front)[:, None]
    glow = np.maximum(arrays.ball_glow * frame.ball_gain, frame.ball_front * 0.6)
    wire = arrays.wire_rgba.copy()
    wire[:, :3] += (fwd - wire[:, :3]) * (0.6 * frame.wire_front)[:, None]
    wire[:, 3] = np.clip(wire[:, 3] * frame.wire_gain + 0.25 * frame.wire_front * (wire[:, 3] > 0), 0, 1)
    n = len(frame.pulse_strength)
    rgba = np.empty((n, 4), np.float32)
    rgba[:, :3] = palette.pulse
    rgba[:, 3] = frame.pulse_strength
    return replace(arrays, ball_rgb=ball_rgb.astype(np.float32), ball_glow=glow.astype(np.float32),
                   wire_rgba=wire, pulse_pos=frame.pulse_pos, pulse_rgba=rgba,
                   pulse_size=(0.07 + 0.09 * frame.pulse_strength).astype(np.float32))
