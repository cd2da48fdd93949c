"""Where every neuron sits in the 3D graph, and which wire is which weight.

Owns the static geometry of the network picture: one position per neuron and one
(source, target) pair per wire. Pure numpy; computed once from the layer sizes.

Space (pyrr convention, y up, right-handed): layers run along x from -6 (input) to
+6 (output).

* Input: a 16x16 sheet in the y-z plane at x = -6. Pixel (row r, column c) of the
  image (flat index r*16 + c) sits at y = +(7.5 - r)*s (row 0 at the top) and
  z = (c - 7.5)*s. Seen from the input side (any camera with x < 0 looking towards
  +x, which is where the home camera sits) +z is screen-right, so the sheet reads
  like the picture, not mirrored.
* Hidden layers: rings in the y-z plane (neuron 0 at the top, going round towards +z).
* Output: a column at x = +6, digit 0 at the top down to 9 at the bottom.

Wire numbering (the mapping every per-wire array uses):

    wire k = offset[L-1] + i * n_out + j   for weight W<L>[i, j]   (L = 1, 2, 3)

that is, W1 flattened row-major (4096 wires), then W2 (192), then W3 (120), so
``np.concatenate([W1.ravel(), W2.ravel(), W3.ravel()])`` is already in wire order.
Wire k goes from neuron i of layer L-1 to neuron j of layer L.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

INPUT_SPACING = 0.3      # world units between input pixels: a 4.5-unit-wide sheet
HIDDEN_RADII = (2.0, 1.6)  # ring radius per hidden layer
OUTPUT_SPACING = 0.52    # world units between output balls
LAYER_X = (-6.0, -2.0, 2.0, 6.0)
SHEET_TURN_DEG = 28.0    # the input sheet's turn about its vertical axis, towards the home view
# Drawn ball radius per layer (world units): small pixels, bigger thinking neurons.
BALL_RADIUS = (0.12, 0.26, 0.26, 0.24)


@dataclass(frozen=True)
class Layout:
    sizes: tuple[int, ...]
    positions: np.ndarray       # (N, 3) float32, N = sum(sizes) = 294
    layer_of: np.ndarray        # (N,) int32, 0 = input .. 3 = output
    index_in_layer: np.ndarray  # (N,) int32
    layer_slices: tuple[slice, ...]  # global neuron range of each layer
    base_radius: np.ndarray     # (N,) float32, drawn radius before activation scaling
    wire_src: np.ndarray        # (W,) int32 global neuron index, W = 4408
    wire_dst: np.ndarray        # (W,) int32
    wire_layer: np.ndarray      # (W,) int8, L = 1, 2, 3: the weight matrix W<L>
    wire_offsets: tuple[int, ...]  # first wire of W1, W2, W3, and the total

    @property
    def n_neurons(self) -> int:
        return int(self.positions.shape[0])

    @property
    def n_wires(self) -> int:
        return int(self.wire_src.shape[0])

    def neuron(self, layer: int, i: int) -> int:
        """Global index of neuron ``i`` of ``layer`` (0 = input)."""
        if not 0 <= i < self.sizes[layer]:
            raise IndexError(f"layer {layer} has {self.sizes[layer]} neurons, not index {i}")
        return self.layer_slices[layer].start + i

    def wire_index(self, layer: int, i: int, j: int) -> int:
        """Wire of weight W<layer>[i, j] (layer 1..3), see the module docstring."""
        if not 1 <= layer < len(self.sizes):
            raise IndexError(f"weight layers are 1..{len(self.sizes) - 1}, not {layer}")
        n_in, n_out = self.sizes[layer - 1], self.sizes[layer]
        if not (0 <= i < n_in and 0 <= j < n_out):
            raise IndexError(f"W{layer} is {n_in}x{n_out}, not [{i}, {j}]")
        return self.wire_offsets[layer - 1] + i * n_out + j

    def wire_entry(self, k: int) -> tuple[int, int, int]:
        """Inverse of :meth:`wire_index`: wire k -> (layer, i, j)."""
        layer = int(np.searchsorted(self.wire_offsets, k, side="right"))
        if not 1 <= layer < len(self.sizes):
            raise IndexError(f"there are {self.n_wires} wires, not index {k}")
        i, j = divmod(k - self.wire_offsets[layer - 1], self.sizes[layer])
        return layer, int(i), int(j)


def _input_sheet(n: int, x: float) -> np.ndarray:
    side = int(round(np.sqrt(n)))
    if side * side != n:
        raise ValueError(f"the input layer must be square, got {n}")
    r, c = np.divmod(np.arange(n), side)
    mid = (side - 1) / 2
    # turned about its vertical axis towards the home view, so a visitor sees the drawing
    # in it rather than the sheet's edge
    u = (c - mid) * INPUT_SPACING
    turn = np.radians(SHEET_TURN_DEG)
    return np.stack([x + np.sin(turn) * u, (mid - r) * INPUT_SPACING, np.cos(turn) * u], axis=1)


def _ring(n: int, x: float, radius: float) -> np.ndarray:
    t = 2 * np.pi * np.arange(n) / n
    return np.stack([np.full(n, x), radius * np.cos(t), radius * np.sin(t)], axis=1)


def _column(n: int, x: float) -> np.ndarray:
    k = np.arange(n)
    return np.stack([np.full(n, x), ((n - 1) / 2 - k) * OUTPUT_SPACING, np.zeros(n)], axis=1)


def layout(sizes: tuple[int, ...] = (256, 16, 12, 10)) -> Layout:
    """Positions and wires for a 4-layer network (input sheet, two rings, output column)."""
    sizes = tuple(int(s) for s in sizes)
    if len(sizes) != 4:
        raise ValueError(f"the graph draws exactly 4 layers, got sizes {sizes}")
    parts = [_input_sheet(sizes[0], LAYER_X[0]),
             _ring(sizes[1], LAYER_X[1], HIDDEN_RADII[0]),
             _ring(sizes[2], LAYER_X[2], HIDDEN_RADII[1]),
             _column(sizes[3], LAYER_X[3])]
    positions = np.concatenate(parts).astype(np.float32)
    starts = np.concatenate([[0], np.cumsum(sizes)])
    slices = tuple(slice(int(a), int(b)) for a, b in zip(starts[:-1], starts[1:]))
    layer_of = np.repeat(np.arange(4, dtype=np.int32), sizes)
    index_in_layer = np.concatenate([np.arange(s, dtype=np.int32) for s in sizes])
    base_radius = np.repeat(np.asarray(BALL_RADIUS, np.float32), sizes)

    src, dst, wl = [], [], []
    for L in range(1, 4):
        n_in, n_out = sizes[L - 1], sizes[L]
        i, j = np.divmod(np.arange(n_in * n_out), n_out)  # row-major over W<L>[i, j]
        src.append(starts[L - 1] + i)
        dst.append(starts[L] + j)
        wl.append(np.full(n_in * n_out, L))
    n_w = [sizes[L - 1] * sizes[L] for L in range(1, 4)]
    offsets = tuple(int(v) for v in np.concatenate([[0], np.cumsum(n_w)]))
    return Layout(sizes, positions, layer_of, index_in_layer, slices, base_radius,
                  np.concatenate(src).astype(np.int32), np.concatenate(dst).astype(np.int32),
                  np.concatenate(wl).astype(np.int8), offsets)
