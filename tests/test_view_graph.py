"""The per-frame view arrays: wire values equal the model's numbers, colours follow sign
and size, scales stay steady, and the animation keeps its rate limits."""
import numpy as np
import pytest

from neuronlab.nn.mlp import MLP
from neuronlab.view import anim
from neuronlab.view.graph import (GraphView, StableScale, visible_wires, wire_colours,
                                  wire_grad, wire_signal, wire_weight)
from neuronlab.view.layout import layout
from neuronlab.view.palette import Palette


def _digit_one():
    img = np.zeros((16, 16), np.float32)
    img[2:14, 7:9] = 1.0
    img[3, 6] = 0.5
    return img.ravel()


@pytest.fixture(scope="module")
def lay():
    return layout()


def test_wire_signal_is_exactly_a_times_w(lay):
    m = MLP(seed=4)
    fw = m.forward(_digit_one())
    sig = wire_signal(fw, m.params)
    assert sig.shape == (4408,)
    for (L, i, j, a) in [(1, 8 * 16 + 7, 5, fw.x), (1, 3 * 16 + 6, 2, fw.x), (1, 0, 0, fw.x),
                         (2, 3, 7, fw.a1), (3, 11, 4, fw.a2)]:
        assert sig[lay.wire_index(L, i, j)] == np.float32(a[i] * m.params[f"W{L}"][i, j])
    assert sig[lay.wire_index(1, 3 * 16 + 6, 2)] == np.float32(0.5 * m.W1[54, 2])
    np.testing.assert_array_equal(wire_weight(m.params)[lay.wire_index(2, 15, 11)], m.W2[15, 11])
    g = m.backward(m.forward(_digit_one()[None]), np.array([1]))
    assert wire_grad(g)[lay.wire_index(3, 2, 9)] == g.dW3[2, 9]


def test_colour_sign_and_brightness_order():
    pal = Palette()
    v = np.array([0.9, -0.9, 0.1, 0.5, -0.3, 0.0], np.float32)
    rgba = wire_colours(v, np.ones(6, np.float32), pal)
    warm, cool = np.asarray(pal.excite, np.float32), np.asarray(pal.inhibit, np.float32)
    np.testing.assert_allclose(rgba[[0, 2, 3], :3], np.tile(warm, (3, 1)))
    np.testing.assert_allclose(rgba[[1, 4], :3], np.tile(cool, (2, 1)))
    assert warm[0] > warm[2] and cool[2] > cool[0]  # warm is red-heavy, cool blue-heavy
    order = np.argsort(np.abs(v), kind="stable")
    assert np.all(np.diff(rgba[order, 3]) >= 0) and rgba[5, 3] == 0 and rgba[0, 3] == rgba[1, 3]


def test_view_update_brightness_follows_abs_signal_within_a_matrix(lay):
    m = MLP(seed=5)
    fw = m.forward(_digit_one())
    out = GraphView(lay).update(1 / 60, fw, m.params)
    block = slice(4096, 4288)  # W2 wires share one scale
    sig, a = np.abs(out.wire_value[block]), out.wire_rgba[block, 3]
    order = np.argsort(sig)
    assert np.all(np.diff(a[order]) >= 0) and a.max() == 1.0
    assert out.highlight == lay.neuron(3, int(np.argmax(fw.p)))
    # input balls show the pixel: lit pixel brighter than an unlit one
    assert out.ball_rgb[lay.neuron(0, 8 * 16 + 7)].sum() > out.ball_rgb[lay.neuron(0, 0)].sum() + 1
    assert len(visible_wires(out.wire_rgba)) < 4408  # blank pixels carry no signal


def test_stable_scale_never_jumps_between_frames():
    s = StableScale(1)
    s.update(1 / 60, [1.0])
    prev = 1.0
    ratios = []
    for k in range(300):  # a target that jumps x10 up and down every frame
        v = s.update(1 / 60, [10.0 if k % 2 else 0.1])[0]
        ratios.append(v / prev)
        prev = v
    assert max(ratios) <= 2 ** (3.0 / 60) + 1e-9 and min(ratios) >= 2 ** (-0.5 / 60) - 1e-9
    s2 = StableScale(1)
    s2.update(1 / 60, [1.0])
    for _ in range(240):  # a steady new level is reached within a few seconds
        s2.update(1 / 60, [4.0])
    assert s2.value[0] == pytest.approx(4.0, rel=1e-3)
    assert s2.update(1 / 60, [0.0])[0] == pytest.approx(4.0, rel=1e-3)  # blank input: kept


def test_view_is_steady_while_inputs_alternate(lay):
    m = MLP(seed=6)
    rng = np.random.default_rng(0)
    imgs = [(rng.random(256) < 0.3).astype(np.float32) * k for k in (1.0, 0.2)]
    view = GraphView(lay)
    scales = []
    for f in range(120):
        view.update(1 / 60, m.forward(imgs[f % 2]), m.params)
        scales.append(view.wire_scales["signal"].value.copy())
    r = np.array(scales[1:]) / np.array(scales[:-1])
    assert np.abs(np.log(r)).max() < 0.06


def test_sweep_and_pulse_rates_stay_under_3_hz(lay):
    m = MLP(seed=7)
    g = m.backward(m.forward(np.tile(_digit_one(), (4, 1))), np.array([1, 1, 1, 1]))
    an = anim.GraphAnim(lay, max_waves_per_s=2.5)
    sweeps = waves = 0
    for _ in range(600):  # 10 s at 60 fps, new input and training every frame
        sweeps += an.on_input_changed()
        waves += an.on_train_steps(g)
        fr = an.update(1 / 60)
    assert sweeps <= 21 and 24 <= waves <= 26
    assert fr.pulse_pos.shape[1] == 3 and np.all((fr.pulse_strength >= 0) & (fr.pulse_strength <= 1))


def test_sweep_reveals_layers_in_order_and_pulses_run_backwards(lay):
    an = anim.GraphAnim(lay)
    an.update(1.0)
    an.on_input_changed()
    fr = an.update(0.1)
    gains = [fr.ball_gain[s].mean() for s in lay.layer_slices]
    assert gains[0] == 1.0 and gains[0] > gains[1] > anim.SWEEP_FLOOR + 0.05
    assert gains[2] == pytest.approx(anim.SWEEP_FLOOR) and gains[3] == pytest.approx(anim.SWEEP_FLOOR)
    assert an.update(0.5).ball_gain.min() == 1.0
    m = MLP(seed=8)
    g = m.backward(m.forward(_digit_one()[None]), np.array([3]))
    an.on_train_steps(g)
    early = an.update(0.1).pulse_pos
    late = an.update(0.6).pulse_pos
    assert early[:, 0].min() > 2.0 and late[:, 0].max() < -2.0  # outputs first, input last
    out = anim.apply(GraphView(lay).update(1 / 60, m.forward(_digit_one()), m.params), fr, Palette())
    assert out.wire_rgba.shape == (4408, 4) and out.pulse_rgba.shape[0] == out.pulse_pos.shape[0]


def test_palette_overrides_by_name():
    p = Palette().with_overrides({"excite": "#ff8000", "accent": [0, 1, 0]})
    assert p.excite == pytest.approx((1.0, 128 / 255, 0.0)) and p.accent == (0.0, 1.0, 0.0)
    with pytest.raises(ValueError, match="no colour 'exite'"):
        Palette().with_overrides({"exite": "#ffffff"})
    with pytest.raises(ValueError, match="inhibit"):
        Palette().with_overrides({"inhibit": (2, 0, 0)})
