"""The pad -> network path: centring, scaling, upright, blank pads, shapes."""
import numpy as np
import pytest

from neuronlab.nn import pad, stream

YY, XX = np.mgrid[0:16, 0:16] + 0.5


def _com(im):
    m = im.sum()
    return (im * YY).sum() / m, (im * XX).sum() / m


def _bbox(im, t=0.3):
    r = np.flatnonzero((im >= t * im.max()).any(axis=1))
    c = np.flatnonzero((im >= t * im.max()).any(axis=0))
    return r[-1] - r[0] + 1, c[-1] - c[0] + 1


def _ring(cy, cx, r, w=1.0):
    d = np.hypot(YY - cy, XX - cx)
    return np.clip(1.0 - np.abs(d - r) / w, 0, 1).astype(np.float32)


def test_an_off_centre_drawing_is_moved_to_the_centre():
    im = _ring(4.0, 11.5, 2.5)                   # a small "0" in the top-right corner
    assert abs(_com(im)[0] - 4.0) < 0.2 and abs(_com(im)[1] - 11.5) < 0.2
    out = pad.to_network(im).reshape(16, 16)
    cy, cx = _com(out)
    assert abs(cy - 8.0) < 0.35 and abs(cx - 8.0) < 0.35


def test_a_small_drawing_is_scaled_up_to_the_box():
    im = _ring(8.0, 8.0, 2.0)
    h, w = _bbox(im)
    assert h <= 6
    out = pad.to_network(im).reshape(16, 16)
    h2, w2 = _bbox(out)
    assert abs(max(h2, w2) - pad.BOX) <= 1.5
    assert out.max() == np.float32(1.0)


def test_a_tall_thin_one_keeps_its_aspect_ratio():
    im = np.zeros((16, 16), np.float32)
    im[5:11, 3] = 1.0                            # a short bar, 6 tall and 1 wide
    out = pad.to_network(im).reshape(16, 16)
    h, w = _bbox(out)
    assert abs(h - pad.BOX) <= 1.5
    assert w <= 4


def test_a_slanted_stroke_is_stood_upright():
    im = np.zeros((16, 16), np.float32)
    for r in range(2, 14):
        im[r, int(round(11 - 0.5 * (r - 2)))] = 1.0
    out = pad.to_network(im).reshape(16, 16)
    rows = [r for r in range(16) if out[r].sum() > 0.3]
    cols = [(out[r] * XX[0]).sum() / out[r].sum() for r in rows]
    slope = np.polyfit(rows, cols, 1)[0]
    assert abs(slope) < 0.1                      # was -0.5 columns per row


def test_empty_and_faint_pads_map_to_zeros_without_nan():
    out = pad.to_network(np.zeros((16, 16), np.float32))
    assert out.shape == (256,) and out.dtype == np.float32
    assert np.all(out == 0.0)
    batch = np.zeros((3, 16, 16), np.float32)
    batch[1, 7, 7] = 1e-5
    batch[2] = _ring(8, 8, 4)
    outb = pad.to_network(batch)
    assert np.all(np.isfinite(outb))
    assert np.all(outb[0] == 0) and np.all(outb[1] == 0) and outb[2].max() == np.float32(1.0)


def test_one_image_and_a_batch_agree_and_shapes_follow_the_input():
    rng = np.random.default_rng(0)
    imgs = np.stack([_ring(rng.uniform(5, 11), rng.uniform(5, 11), rng.uniform(2, 4))
                     for _ in range(6)])
    b = pad.to_network(imgs)
    assert b.shape == (6, 256)
    for i in range(6):
        np.testing.assert_allclose(pad.to_network(imgs[i]), b[i], atol=1e-5)
    assert pad.to_network(imgs.reshape(2, 3, 16, 16)).shape == (2, 3, 256)
    assert pad.to_network(imgs.astype(np.float64)).dtype == np.float32


def test_one_image_and_a_batch_agree_with_the_blur_on(monkeypatch):
    # GIVEN a blur folded into the resampling, THEN one drawing and a batch still agree,
    # and a thin ring comes out wider and softer: more pixels carry some ink
    monkeypatch.setattr(pad, "BLUR", 0.6)
    monkeypatch.setattr(pad, "STROKE", 0.0)
    rng = np.random.default_rng(1)
    imgs = np.stack([_ring(rng.uniform(5, 11), rng.uniform(5, 11), rng.uniform(2, 4))
                     for _ in range(4)])
    b = pad.to_network(imgs)
    for i in range(4):
        np.testing.assert_allclose(pad.to_network(imgs[i]), b[i], atol=1e-5)
    ring = _ring(8.0, 8.0, 4.5, w=0.7)
    soft = pad.to_network(ring)
    monkeypatch.setattr(pad, "BLUR", 0.0)
    plain = pad.to_network(ring)
    assert (soft > 0.05).sum() >= (plain > 0.05).sum() + 16


def test_place_puts_an_image_where_asked():
    src = np.ones((8, 4))                        # a 2:1 block
    im = pad.place(src, size=10, centre=(5.0, 9.0))
    h, w = _bbox(im, t=0.5)
    assert abs(h - 10) <= 1 and abs(w - 5) <= 1
    cy, cx = _com(im)
    assert abs(cy - 9.0) < 0.3 and abs(cx - 5.0) < 0.3


def test_strokes_are_brought_to_a_common_width():
    # GIVEN the same ring drawn with a thin and a thick pen
    thin = _ring(8.0, 8.0, 4.5, w=0.7)
    thick = _ring(8.0, 8.0, 4.5, w=2.6)
    a = pad.to_network(thin).reshape(16, 16)
    b = pad.to_network(thick).reshape(16, 16)
    raw_ratio = thick.sum() / thin.sum()
    assert raw_ratio > 3.0
    # THEN their ink differs far less after the pad path, and both keep full ink
    assert b.sum() / a.sum() < 1.6
    assert a.max() == np.float32(1.0) and b.max() == np.float32(1.0)
    # the ring's hole stays open
    assert b[8, 8] < 0.2 and a[8, 8] < 0.2


# ---------------------------------------------------------------- the finger brush

from neuronlab.ui.paintpad import SUB, PaintPad  # noqa: E402


def _circle(p: PaintPad, cx: float, cy: float, r: float) -> None:
    t = np.linspace(0, 2 * np.pi, 60)
    p.down(1, cx + r, cy)
    for a in t[1:]:
        p.move(1, cx + r * np.cos(a), cy + r * np.sin(a))
    p.up(1)


def test_the_cells_are_the_area_average_of_the_brush_canvas():
    p = PaintPad()
    p.down(1, 3.3, 4.1)
    p.move(1, 12.7, 9.6)
    p.up(1)
    p.down(2, 8.0, 2.0)
    p.move(2, 8.2, 14.0)
    means = p.canvas.reshape(16, SUB, 16, SUB).mean(axis=(1, 3))
    np.testing.assert_allclose(p.image, means, atol=1e-6)
    # a stroke only partly over a cell inks it only partly
    assert 0.05 < p.image[5, 5] < 0.95 or 0.05 < p.image[6, 6] < 0.95


def test_a_small_finger_drawn_loop_stays_open():
    # an 8's lower loop or a 9's head drawn small: 4 cells across
    p = PaintPad()
    _circle(p, 8.0, 8.0, 2.0)
    assert p.image.max() == pytest.approx(1.0, abs=0.05)
    assert p.image[7:9, 7:9].max() < 0.1      # the hole is still a hole
    x = pad.to_network(p.image).reshape(16, 16)
    assert x[7:9, 7:9].max() < 0.2            # and so it reaches the network


def test_the_eraser_and_set_image_work_on_the_canvas_too():
    p = PaintPad()
    p.down(1, 2.0, 8.0)
    p.move(1, 14.0, 8.0)
    p.up(1)
    assert p.image[8, 8] > 0.6
    p.eraser = True
    p.down(1, 8.5, 4.0)            # down the middle of column 8
    p.move(1, 8.5, 12.0)
    p.up(1)
    assert p.image[7:10, 8].max() < 0.05 and p.image[8, 3] > 0.6
    p.eraser = False
    img = np.zeros((16, 16), np.float32)
    img[4, 5] = 0.7
    p.set_image(img)
    np.testing.assert_array_equal(p.image, img)
    p.down(1, 12.5, 12.5)          # painting on adds to what was set
    assert p.image[4, 5] == pytest.approx(0.7) and p.image[12, 12] > 0.6


def _reference():
    """bench/reference_draw.py: the draw path and to_network before their vectorisation."""
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from bench import reference_draw
    return reference_draw


@pytest.mark.parametrize("compiled", [True, False])
@pytest.mark.parametrize("seed", [0, 1])
def test_to_network_equals_the_reference_path_on_generated_digits(seed, compiled, monkeypatch):
    # the reference ran the deskew shear and the tone curve in float64 (an integer index
    # promoted them); both are float32 now, in numpy and compiled (numba), so they agree
    # to float32 rounding
    monkeypatch.setattr(pad, "JIT", compiled)
    assert (pad.kernels() is not None) == compiled
    ref = _reference()
    y = np.random.default_rng(seed).permutation(np.arange(3000) % 10)
    raw = ref._draw_styled(np.random.default_rng(seed), y)[0]
    want, got = ref.to_network(raw), pad.to_network(raw)
    assert got.dtype == np.float32 and got.shape == want.shape == (3000, 256)
    np.testing.assert_allclose(got, want, rtol=0, atol=2e-5)
    assert np.abs(got - want).mean() < 1e-6


def test_any_memory_layout_gives_the_same_network_input():
    # GIVEN pads held column-major or as a transposed view (as image libraries hand them over)
    imgs = stream.DigitGenerator(2, pool=0).raw_batch(20)[0]
    fortran = np.asfortranarray(imgs)
    view = np.ascontiguousarray(imgs.transpose(0, 2, 1)).transpose(0, 2, 1)
    # THEN each reaches the network exactly as the C-ordered copy does
    want = pad.to_network(imgs)
    np.testing.assert_array_equal(pad.to_network(fortran), want)
    np.testing.assert_array_equal(pad.to_network(view), want)


def _odd_pads() -> np.ndarray:
    """Pads at the edges of the path: blank, faint, one dot, a full pad, a thin ring, a
    fat blob, ink against every border, random noise."""
    rng = np.random.default_rng(2)
    pads = [np.zeros((16, 16)), np.full((16, 16), 5e-4), np.ones((16, 16))]
    dot = np.zeros((16, 16))
    dot[3, 12] = 0.8
    pads.append(dot)
    pads += [_ring(8, 8, 6, w=0.4), _ring(7, 9, 2.5, w=3.0), _ring(0.5, 15.5, 5, w=1.0)]
    pads += list(rng.random((25, 16, 16)))
    pads += [_ring(rng.uniform(3, 13), rng.uniform(3, 13), rng.uniform(1, 6), w=rng.uniform(0.3, 3))
             for _ in range(40)]
    return np.stack(pads).astype(np.float32)


@pytest.mark.parametrize("setting", [{}, {"DESKEW": False}, {"STROKE": 0.0}, {"STROKE": 2.5}, {"BOX": 9.0}])
def test_the_compiled_and_numpy_paths_agree_on_odd_pads(setting, monkeypatch):
    for name, value in setting.items():
        monkeypatch.setattr(pad, name, value)
    monkeypatch.setattr(pad, "JIT", True)
    pads = _odd_pads()
    assert len(pads) >= pad.JIT_MIN
    got = pad.to_network(pads)
    monkeypatch.setattr(pad, "JIT", False)
    want = pad.to_network(pads)
    assert np.all(got[:2] == 0) and np.all(want[:2] == 0)          # blank and faint pads
    assert np.all(np.isfinite(got)) and got.max() == np.float32(1.0)
    np.testing.assert_allclose(got, want, rtol=0, atol=2e-5)


def test_a_batch_with_the_blur_on_takes_the_numpy_path(monkeypatch):
    # the compiled path has no blur in its resampling: a blur setting must not be ignored
    monkeypatch.setattr(pad, "JIT", True)
    pads = _odd_pads()
    plain = pad.to_network(pads)
    monkeypatch.setattr(pad, "BLUR", 0.6)
    soft = pad.to_network(pads)
    monkeypatch.setattr(pad, "JIT", False)
    np.testing.assert_allclose(soft, pad.to_network(pads), rtol=0, atol=1e-6)
    assert np.abs(soft - plain).max() > 0.1
