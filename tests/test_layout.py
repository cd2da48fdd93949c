"""The graph's geometry: neuron counts, positions, and wire k <-> weight entry."""
import numpy as np
import pytest

from neuronlab.nn.mlp import MLP
from neuronlab.view.layout import SHEET_TURN_DEG, layout


def test_counts_slices_and_wire_blocks():
    lay = layout()
    assert lay.positions.shape == (294, 3) and lay.positions.dtype == np.float32
    assert lay.n_wires == 4408 and lay.wire_offsets == (0, 4096, 4288, 4408)
    assert [s.stop - s.start for s in lay.layer_slices] == [256, 16, 12, 10]
    assert np.bincount(lay.layer_of).tolist() == [256, 16, 12, 10]
    assert lay.index_in_layer[lay.neuron(2, 5)] == 5 and lay.layer_of[lay.neuron(2, 5)] == 2


def test_layers_run_along_x_and_the_input_sheet_reads_like_the_image():
    lay = layout()
    xs = [float(lay.positions[s, 0].mean()) for s in lay.layer_slices]
    assert xs == pytest.approx([-6, -2, 2, 6])
    p = lay.positions
    # pixel (row 0, col 0) is top-left seen from the input side (-x looking +x: +z is right)
    assert p[lay.neuron(0, 0), 1] > p[lay.neuron(0, 16), 1]        # row 0 above row 1
    assert p[lay.neuron(0, 1), 2] > p[lay.neuron(0, 0), 2]         # column 1 right of column 0
    sheet = p[:256] - p[:256].mean(axis=0)
    assert np.linalg.svd(sheet, compute_uv=False)[2] < 1e-4        # a flat sheet...
    assert np.ptp(p[:256, 1]) == pytest.approx(15 * 0.3)           # ...upright, 16 rows tall,
    row = p[lay.neuron(0, 15)] - p[lay.neuron(0, 0)]               # turned towards the home view
    assert np.degrees(np.arctan2(row[0], row[2])) == pytest.approx(SHEET_TURN_DEG)
    out = p[lay.layer_slices[3]]
    assert np.all(np.diff(out[:, 1]) < 0)                           # outputs 0 (top) .. 9


def test_wire_k_is_the_weight_entry_and_its_ends():
    lay = layout()
    m = MLP(seed=3)
    flat = np.concatenate([m.W1.ravel(), m.W2.ravel(), m.W3.ravel()])
    for (L, i, j) in [(1, 0, 0), (1, 37, 11), (1, 255, 15), (2, 4, 9), (3, 11, 9), (3, 0, 3)]:
        k = lay.wire_index(L, i, j)
        assert flat[k] == m.params[f"W{L}"][i, j]
        assert lay.wire_entry(k) == (L, i, j)
        assert lay.wire_src[k] == lay.neuron(L - 1, i) and lay.wire_dst[k] == lay.neuron(L, j)
        assert lay.wire_layer[k] == L
    assert lay.wire_index(2, 0, 0) == 4096 and lay.wire_index(3, 0, 0) == 4288
    with pytest.raises(IndexError):
        lay.wire_index(1, 256, 0)
    # every wire links consecutive layers
    assert np.all(lay.layer_of[lay.wire_dst] == lay.layer_of[lay.wire_src] + 1)
