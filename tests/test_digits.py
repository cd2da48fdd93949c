"""The procedural digits: shapes, range, determinism, balance, the clean set, the test set."""
import os

import numpy as np
import pytest

from neuronlab.nn import digits, pad, stream


def test_raw_and_network_batches_have_the_agreed_shapes_and_types():
    g = stream.DigitGenerator(3)
    raw, y = g.raw_batch(37)
    assert raw.shape == (37, 16, 16) and raw.dtype == np.float32
    assert y.shape == (37,) and y.dtype == np.int64
    X, y2 = g.batch(25)
    assert X.shape == (25, 256) and X.dtype == np.float32
    assert y2.shape == (25,) and y2.dtype == np.int64
    assert set(np.unique(y).tolist()) <= set(range(10))


def test_images_lie_in_unit_range_and_carry_ink():
    raw, _ = stream.DigitGenerator(4).raw_batch(500)
    assert raw.min() >= 0.0 and raw.max() <= 1.0
    assert np.all(np.isfinite(raw))
    # every drawing has a real stroke: at least 8 cells above half its peak, most reach full ink
    assert np.all((raw > 0.5 * raw.max(axis=(1, 2), keepdims=True)).sum(axis=(1, 2)) >= 8)
    assert np.median(raw.max(axis=(1, 2))) > 0.9
    X, _ = stream.DigitGenerator(4).batch(500)
    assert X.min() >= 0.0 and X.max() <= 1.0
    np.testing.assert_allclose(X.max(axis=1), 1.0, atol=1e-5)


def test_same_seed_same_stream_and_different_seed_different_stream():
    a, b, c = stream.DigitGenerator(7), stream.DigitGenerator(7), stream.DigitGenerator(8)
    for _ in range(3):
        Xa, ya = a.batch(64)
        Xb, yb = b.batch(64)
        Xc, _ = c.batch(64)
        np.testing.assert_array_equal(Xa, Xb)
        np.testing.assert_array_equal(ya, yb)
        assert np.abs(Xa - Xc).mean() > 0.05


def test_every_batch_is_class_balanced_even_across_odd_sizes():
    g = stream.DigitGenerator(0)
    total = np.zeros(10, dtype=int)
    for n in (10, 32, 7, 100, 13, 50):
        _, y = g.batch(n)
        counts = np.bincount(y, minlength=10)
        assert counts.max() - counts.min() <= 1
        total += counts
    assert total.max() - total.min() <= 1      # the label cycle carries over between batches
    _, y = g.raw_batch(1000)
    assert np.all(np.bincount(y, minlength=10) == 100)


def test_the_generator_varies_each_digit():
    raw, y = stream.DigitGenerator(1).raw_batch(200)
    sevens = raw[y == 7]
    # different sizes and places on the pad: bounding-box heights spread over several cells
    heights = [np.ptp(np.flatnonzero((im > 0.3).any(axis=1))) + 1 for im in sevens]
    assert max(heights) - min(heights) >= 4
    centres = [np.flatnonzero((im > 0.3).any(axis=0)).mean() for im in sevens]
    assert np.std(centres) > 0.8


def test_clean_digits_are_distinct_centred_pad_images():
    clean = np.stack([digits.clean_digit(d) for d in range(10)])
    assert clean.shape == (10, 16, 16) and clean.dtype == np.float32
    assert clean.min() >= 0.0 and clean.max() <= 1.0
    yy, xx = np.mgrid[0:16, 0:16] + 0.5
    for im in clean:
        m = im.sum()
        assert abs((im * yy).sum() / m - 8.0) < 1.5
        assert abs((im * xx).sum() / m - 8.0) < 1.5
    flat = clean.reshape(10, -1)
    dist = np.abs(flat[:, None] - flat[None]).sum(axis=2)
    assert dist[~np.eye(10, dtype=bool)].min() > 10.0      # no two digits look alike
    # a copy each time: changing one does not change the next
    a = digits.clean_digit(3)
    a[:] = 0
    assert digits.clean_digit(3).sum() > 10


def test_test_set_is_fixed_balanced_cached_and_disjoint_from_training():
    X, y = digits.test_set()
    assert X.shape == (2000, 256) and X.dtype == np.float32 and y.shape == (2000,)
    assert np.all(np.bincount(y, minlength=10) == 200)
    X2, _ = digits.test_set()
    assert X2 is X                                      # cached
    assert not X.flags.writeable
    # no training stream reproduces it: compare with the generators of nearby seeds
    for seed in (0, 1, 12345):
        Xt, _ = stream.DigitGenerator(seed).batch(200)
        d = np.abs(X[:200, None, :] - Xt[None, :, :]).sum(axis=2)
        assert d.min() > 1.0
    Xs, ys = digits.test_set(300, seed=1)
    assert Xs.shape == (300, 256) and np.abs(Xs[:50] - X[:50]).mean() > 0.05


def test_training_inputs_go_through_the_pad_path():
    g1, g2 = stream.DigitGenerator(11, pool=0), stream.DigitGenerator(11, pool=0)
    for _ in range(2):
        raw, y = g1.raw_batch(40)
        X, y2 = g2.batch(40)
        np.testing.assert_array_equal(y, y2)
        np.testing.assert_allclose(X, pad.to_network(raw), atol=1e-6)


def _pooled_stream(g, n, batches):
    """Batches of ``n`` from ``g``, with whether the pool was full before each."""
    Xs, ys, full = [], [], []
    for _ in range(batches):
        full.append(g.pool_full)
        X, y = g.batch(n)
        Xs.append(X)
        ys.append(y)
    return Xs, ys, full


def test_the_pool_fills_fast_then_draws_a_small_share_new_in_chunks(monkeypatch):
    # GIVEN a pool of 1000 that fills batch by batch (as a generator drawing in the frame
    # does) at half of each batch new, then 1/8 new in chunks of 25 (its picks even: the
    # realism's leaning is tested on its own, below)
    monkeypatch.setattr(stream, "REALISM", False)
    g = stream.DigitGenerator(5, pool=1000, fill=0.5, fresh=0.125, chunk=25, prefill=False)
    Xs, ys, full = _pooled_stream(g, 100, 60)
    X, y = np.concatenate(Xs), np.concatenate(ys)
    assert np.all(np.bincount(y, minlength=10) == 600)
    assert g._count.sum() == 1000 and g.pool_full
    # new rows per batch: distinct rows never served before (a pool pick repeats a row
    # drawn earlier, maybe earlier in the same batch)
    seen, new_per_batch, new_at = set(), [], []
    for Xb in Xs:
        keys = [r.tobytes() for r in Xb]
        fresh = [i for i, k in enumerate(keys) if k not in seen]
        new_per_batch.append(len({keys[i] for i in fresh}))
        new_at.append(fresh)
        seen.update(keys)
    filling = [i for i in range(1, 60) if not full[i]]
    steady = [i for i in range(1, 60) if full[i]]
    # the first batch is all new (an empty pool has nothing to pick), then half of each
    # batch while the pool fills, which takes about pool / fill = 2000 samples
    assert new_per_batch[0] == 100
    assert all(new_per_batch[i] == 50 for i in filling)
    assert 19 <= len(filling) + 1 <= 26
    # once full, 12.5 new rows are owed per batch and drawn 25 at a time: every other batch
    assert len(steady) >= 30
    assert sorted(set(new_per_batch[i] for i in steady)) == [0, 25]
    assert sum(new_per_batch[i] for i in steady) == pytest.approx(12.5 * len(steady), abs=25)
    # new rows land anywhere in the batch, not in a block at its start
    assert not any(set(range(50)) <= set(new_at[i]) for i in filling)
    assert np.mean([np.mean(new_at[i]) for i in filling]) == pytest.approx(49.5, abs=8)
    # a picked row is exactly one of the drawn ones, with its own label
    first_label = {}
    for r, lab in zip(X, y):
        assert first_label.setdefault(r.tobytes(), lab) == lab
    # and the same seed gives the same pooled stream
    g2 = stream.DigitGenerator(5, pool=1000, fill=0.5, fresh=0.125, chunk=25, prefill=False)
    X2s, y2s, _ = _pooled_stream(g2, 100, 60)
    np.testing.assert_array_equal(X, np.concatenate(X2s))
    np.testing.assert_array_equal(y, np.concatenate(y2s))


def test_the_first_batch_draws_the_whole_pool_then_a_small_share_is_new(monkeypatch):
    # GIVEN a pool of 1000 drawn whole before the first batch (the default), then 1/8 of
    # each batch new in chunks of 25 (its picks even)
    monkeypatch.setattr(stream, "REALISM", False)
    g = stream.DigitGenerator(5, pool=1000, fresh=0.125, chunk=25)
    assert not g.pool_full and g.prefills
    X0, y0 = g.batch(100)
    # THEN after the first batch the pool is full, every digit's share holding the stream's
    # first blocks in order (40 of 25: the label cycle gives each digit 100), none dropped
    assert g.pool_full and g._count.sum() == 1000 and g.blocks_queued == 40
    blocks = [digits.draw_block(g.entropy, j, 25) for j in range(40)]
    bx, by = np.concatenate([b[0] for b in blocks]), np.concatenate([b[1] for b in blocks])
    for d in range(10):
        np.testing.assert_array_equal(g.pooled(d), stream.levelled(bx[by == d]))
    # AND the batches after it pick from that pool, with 12.5 new rows owed a batch and
    # drawn 25 at a time (every other batch), numbered on from the pool's blocks
    pool_rows = {r.tobytes(): d for d in range(10) for r in g.pooled(d)}
    Xs, ys, _ = _pooled_stream(g, 100, 40)
    new = []
    for Xb, yb in zip([X0] + Xs, [y0] + ys):
        new.append(len({r.tobytes() for r in Xb if r.tobytes() not in pool_rows}))
        for r, lab in zip(Xb, yb):           # a row keeps its label whenever it comes again
            assert pool_rows.setdefault(r.tobytes(), lab) == lab
    assert sorted(set(new)) == [0, 25] and sum(new) == pytest.approx(12.5 * 41, abs=25)
    assert g.blocks_queued * 25 - int(g._queued_n.sum()) == 1000 + sum(new)   # none lost
    assert np.all(np.bincount(np.concatenate([y0] + ys), minlength=10) == 410)
    # AND the same seed gives the same stream
    g2 = stream.DigitGenerator(5, pool=1000, fresh=0.125, chunk=25)
    np.testing.assert_array_equal(g2.batch(100)[0], X0)
    np.testing.assert_array_equal(np.concatenate(_pooled_stream(g2, 100, 40)[0]), np.concatenate(Xs))


def test_a_drawn_whole_pool_holds_each_digits_realism_for_its_picks():
    g = stream.DigitGenerator(6, pool=2000)
    g.batch(64)
    assert g._table is not None and g.pool_full
    for d in range(10):
        want = stream.realism(g.pooled(d), np.full(200, d), g._table)
        np.testing.assert_allclose(g._keep[d], want, rtol=1e-5)
        assert 0.3 < want.mean() < 0.95 and want.min() < 0.5       # not all kept alike


def test_a_generator_drawing_in_the_frame_fills_its_pool_batch_by_batch():
    # the exhibit's own generators (no feeder, a feeder's cover) must not stop a frame to
    # draw a whole pool: their first batch draws only its own share
    for g in (stream.DigitGenerator(3, prefill=False), stream.DigitGenerator(0, pool=0)):
        g.batch(32)
        assert not g.prefills and g._count.sum() <= 32


def _vm_flags_at(address: int) -> list[str] | None:
    """The kernel's flags of the memory mapping holding ``address`` (Linux), else None."""
    import re
    try:
        lines = open("/proc/self/smaps").read().splitlines()
    except OSError:
        return None
    inside = False
    for line in lines:
        m = re.match(r"^([0-9a-f]+)-([0-9a-f]+) ", line)
        if m:
            inside = int(m.group(1), 16) <= address < int(m.group(2), 16)
        elif inside and line.startswith("VmFlags:"):
            return line.split()[1:]
    return None


def test_the_pool_sits_in_small_pages_zeroed_and_writable():
    # a huge page's first touch costs milliseconds on some hosts: the pool opts out of them
    g = stream.DigitGenerator(5, prefill=False)
    pool = g._pool
    assert pool.shape == (10, 6000, 256) and pool.dtype == np.uint16
    assert pool.flags.writeable and pool.flags.c_contiguous and not pool.any()
    middle = pool.__array_interface__["data"][0] + pool.nbytes // 2
    flags = _vm_flags_at(middle)
    if flags is None or not os.path.isdir("/sys/kernel/mm/transparent_hugepage"):
        pytest.skip("no /proc/self/smaps or no huge pages here")
    # private memory (a shared map would be shmem), advised against huge pages
    assert "nh" in flags and "hg" not in flags and "sh" not in flags
    X = np.empty((256, 256), np.float32)
    y = g.batch_into(X)                          # the first batch: all new, into the pool
    for d in range(10):
        np.testing.assert_array_equal(g.pooled(d), X[y == d])


def test_without_anonymous_maps_the_pool_is_numpys_own(monkeypatch):
    def refuse(*a, **k):
        raise OSError("no maps for this account")
    monkeypatch.setattr(stream.mmap, "mmap", refuse)
    a = stream.small_pages_zeros((3, 5, 7))
    assert a.shape == (3, 5, 7) and a.dtype == np.uint16 and not a.any() and a.flags.writeable
    g = stream.DigitGenerator(5, pool=100)
    assert g.batch(50)[0].shape == (50, 256) and g._count.sum() == 100 and g.pool_full


def test_a_batch_smaller_than_a_chunk_gets_its_new_rows_whole():
    # GIVEN a full pool and batches of 10 against chunks of 256, WHEN 1/4 is owed,
    # THEN every fourth batch or so is drawn whole, the others come from the pool
    g = stream.DigitGenerator(2, pool=100, fill=1.0, fresh=0.25, chunk=256)
    while not g.pool_full:
        g.batch(10)
    before = g._pool.copy()
    changed = []
    for _ in range(40):
        g.batch(10)
        changed.append(int((g._pool != before).any(axis=2).sum()))
        before = g._pool.copy()
    assert set(changed) == {0, 10} and sum(changed) == 100


def test_blocky_drawings_look_like_coarse_scans():
    # GIVEN a coarse grid of 2 cells per pixel: a one-cell dot spreads over ~3-4 cells
    M = digits._coarse_matrices(np.array([2.0], np.float32), np.zeros((2, 1), np.float32))
    im = np.zeros((16, 16), np.float32)
    im[8, 8] = 1.0
    out = M[0, 0] @ im @ M[1, 0].T
    assert out.sum() == np.float32(out.sum()) and abs(out.sum() - 1.0) < 0.15   # ink is kept
    assert 3 <= (out > 0.02).sum(axis=1).max() <= 4
    # a flat field stays flat away from the edges
    flat = M[0, 0] @ np.ones((16, 16), np.float32) @ M[1, 0].T
    np.testing.assert_allclose(flat[3:13, 3:13], 1.0, atol=1e-5)


def test_elastic_distortion_bends_training_digits_but_never_the_test_set(monkeypatch):
    # GIVEN the same seed, WHEN the elastic field is switched off, THEN training drawings
    # change (the field moves their strokes) while the fixed test set stays what it was
    assert digits.ELASTIC > 0 and not digits.ELASTIC_IN_TEST
    bent, y = stream.DigitGenerator(5, pool=0).raw_batch(200)
    X_bent = digits.test_set(500, 7)[0]
    monkeypatch.setattr(digits, "ELASTIC", 0.0)
    digits._test_set.cache_clear()
    straight, y2 = stream.DigitGenerator(5, pool=0).raw_batch(200)
    X_straight = digits.test_set(500, 7)[0]
    digits._test_set.cache_clear()
    np.testing.assert_array_equal(y, y2)
    assert np.abs(bent - straight).mean() > 0.02
    np.testing.assert_array_equal(X_bent, X_straight)


def _reference():
    """bench/reference_draw.py: the draw path before its vectorisation, same parameters."""
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from bench import reference_draw
    return reference_draw


def test_the_elastic_field_equals_the_reference_formula():
    rng = np.random.default_rng(5)
    x, y = (rng.random((2, 300, 80), dtype=np.float32) - 0.5) * 1.2
    c = rng.standard_normal((2, 300, 3, 3), dtype=np.float32) * 0.08
    g = np.array([-0.5, 0.0, 0.5], np.float32)
    s2 = np.float32(-0.5 / digits.ELASTIC_SCALE ** 2)
    kx = np.exp((x[..., None] - g) ** 2 * s2)
    ky = np.exp((y[..., None] - g) ** 2 * s2)
    want_x = np.einsum("npi,npi->np", ky, kx @ c[0].transpose(0, 2, 1))
    want_y = np.einsum("npi,npi->np", ky, kx @ c[1].transpose(0, 2, 1))
    dx, dy = digits._elastic_field(x, y, c)
    assert np.abs(want_x).max() > 0.05                     # a real displacement was compared
    np.testing.assert_allclose(dx, want_x, rtol=0, atol=1e-7)
    np.testing.assert_allclose(dy, want_y, rtol=0, atol=1e-7)


@pytest.mark.parametrize("compiled", [False, True])
@pytest.mark.parametrize("seed", [0, 1])
def test_the_draw_path_equals_the_reference_for_a_fixed_seed(seed, compiled, monkeypatch):
    # the same random stream and styles. The numpy path (JIT off, the default) keeps the
    # arithmetic but for float32 summation order in the elastic field: a point on a
    # 1/8-cell rounding edge may land one step over, so a rare image differs by one dab's
    # shift and every other one is bit-identical. The compiled path (numba, a dependency)
    # sums in another order still: images agree to float32 rounding, with the same rare
    # one-dab shift. The reference predates the fingertip brush (its random draws come
    # last, so with none of it the stream is the reference's)
    monkeypatch.setattr(pad, "JIT", compiled)
    monkeypatch.setattr(digits, "HARD_FRACTION", 0.0)
    assert (pad.kernels() is not None) == compiled
    ref = _reference()
    y = np.random.default_rng(seed).permutation(np.arange(4000) % 10)
    want, want_style = ref._draw_styled(np.random.default_rng(seed), y)
    got, style = digits._draw_styled(np.random.default_rng(seed), y)
    np.testing.assert_array_equal(style, want_style)
    d = np.abs(got - want).reshape(len(y), -1).max(axis=1)
    assert (d <= (1e-5 if compiled else 0.0)).mean() >= 0.998
    assert d.max() < 0.05
    assert np.abs(got - want).mean() < 1e-6


@pytest.mark.parametrize("setting", [{}, {"TAPER": 0.0, "WIDTH_VARY": 0.0}, {"ELASTIC": 0.0},
                                     {"BLUR_FRACTION": 1.0, "BLOCKY_FRACTION": 1.0}])
def test_the_compiled_and_numpy_draw_paths_agree_whatever_the_settings(setting, monkeypatch):
    # each branch of the compiled path (no taper, no elastic field, every image blurred
    # and blocky) against the numpy one, same seed
    for name, value in setting.items():
        monkeypatch.setattr(digits, name, value)
    monkeypatch.setattr(pad, "JIT", True)
    y = np.random.default_rng(3).permutation(np.arange(600) % 10)
    got, style = digits._draw_styled(np.random.default_rng(7), y)
    monkeypatch.setattr(pad, "JIT", False)
    want, want_style = digits._draw_styled(np.random.default_rng(7), y)
    np.testing.assert_array_equal(style, want_style)
    d = np.abs(got - want).reshape(len(y), -1).max(axis=1)
    assert want.max() > 0.9                                 # real drawings were compared
    assert (d < 1e-5).mean() >= 0.99 and d.max() < 0.05


def test_only_large_batches_with_jit_on_take_the_compiled_path(monkeypatch):
    calls = []
    monkeypatch.setattr(digits, "_draw_compiled", lambda *a: calls.append(len(a[1])) or np.zeros((len(a[1]), 16, 16)))
    digits.draw_pads(np.random.default_rng(0), np.arange(2 * pad.JIT_MIN) % 10)
    assert calls == []                                      # JIT off: the default
    monkeypatch.setattr(pad, "JIT", True)
    digits.draw_pads(np.random.default_rng(0), np.arange(pad.JIT_MIN - 1) % 10)
    assert calls == []
    digits.draw_pads(np.random.default_rng(0), np.arange(pad.JIT_MIN) % 10)
    assert calls == [pad.JIT_MIN]


def test_the_speed_bench_times_every_stage_against_the_reference(capsys):
    _reference()                       # puts the repository root on the import path
    from bench import gen_speed
    assert gen_speed.main(["--batch", "24", "--runs", "1", "--seconds", "0.01"]) == 0
    out = capsys.readouterr().out
    assert "load average" in out.splitlines()[0]
    rows = [line.split() for line in out.splitlines()[2:]]
    assert [r[0] for r in rows] == ["draw", "to_network", "whole"]
    for r in rows:
        assert r[1] == "24"
        live, numpy_path, ref = (float(v.split("-")[0].replace(",", "")) for v in (r[2], r[3], r[4]))
        assert live > 0 and numpy_path > 0 and ref > 0
        assert r[5].endswith("x")


def test_style_families_are_fixed_varied_and_inside_the_writing_box():
    from neuronlab.nn import strokes
    a, b = strokes.families(), strokes.families()
    assert sorted(a) == sorted(strokes.FAMILY_SHARE)
    for d, variants in a.items():
        assert len(variants) == strokes.FAMILY_SIZE
        # drawn from a fixed seed: the same variants every time
        for va, vb in zip(variants, b[d]):
            assert all(np.array_equal(p, q) for p, q in zip(va, vb))
        pts = [np.concatenate(v) for v in variants]
        every = np.concatenate(pts)
        assert every.min() >= -0.1 and every.max() <= 1.1, d
        # continuous parameters: no two variants alike, widths spread widely
        widths = np.array([np.ptp(p[:, 0]) for p in pts])
        heights = np.array([np.ptp(p[:, 1]) for p in pts])
        assert len({(w, h) for w, h in zip(widths.round(6), heights.round(6))}) == len(pts), d
        assert np.ptp(widths) > 0.1, d
        assert np.ptp(heights) < 0.4 < heights.min(), d     # every variant stands a digit tall


def test_a_family_takes_its_share_against_the_hand_made_styles():
    from neuronlab.nn import strokes
    shares = strokes.style_shares()
    styles = strokes.styles()
    for d, share in strokes.FAMILY_SHARE.items():
        k = len(styles[d]) - strokes.FAMILY_SIZE
        assert sum(shares[d][k:]) == pytest.approx(share * sum(shares[d][:k]))
    # and the generator draws them that often
    _, _, _, t_lab, _, t_share = strokes.templates(digits.N_POINTS)
    first, count, _ = digits._style_table()
    rng = np.random.default_rng(3)
    _, style = digits._draw_styled(rng, np.full(20_000, 6))
    k = len(styles[6]) - strokes.FAMILY_SIZE
    drawn = np.mean(style - first[6] >= k)
    expected = t_share[first[6] + k:first[6] + count[6]].sum()
    assert abs(drawn - expected) < 0.02 and 0.5 < expected < 0.95


def _stroke_width_and_core(monkeypatch, hard: bool, height: float) -> tuple[float, float]:
    """Median stroke width (cells: ink over half the outline, the pad path's own measure)
    and mean share of inked pixels at full ink, of 400 raw drawings of one height."""
    monkeypatch.setattr(digits, "HARD_FRACTION", 1.0 if hard else 0.0)
    monkeypatch.setattr(digits, "HEIGHT", (height, height * 1.001))
    monkeypatch.setattr(digits, "BLUR_FRACTION", 0.0)
    monkeypatch.setattr(digits, "BLOCKY_FRACTION", 0.0)
    img = digits.draw_pads(np.random.default_rng(3), np.arange(400) % 10)
    ink = np.where(img >= 0.3, img, 0.0)                    # the faint noise is no stroke
    outline = np.abs(np.diff(ink, axis=1)).sum(axis=(1, 2)) + np.abs(np.diff(ink, axis=2)).sum(axis=(1, 2))
    inked = img >= 0.5
    core = ((img >= 0.95) & inked).sum(axis=(1, 2)) / inked.sum(axis=(1, 2))
    return float(np.median(ink.sum(axis=(1, 2)) / (outline / 2))), float(core.mean())


def test_the_fingertip_brush_keeps_its_width_whatever_the_digit_size(monkeypatch):
    # GIVEN digits 9 and 15 cells tall: the fingertip brush's line stays as wide (a finger
    # does not shrink for a small digit), inside HARD_WIDTH, while the soft brush's grows
    small, _ = _stroke_width_and_core(monkeypatch, True, 9.0)
    large, _ = _stroke_width_and_core(monkeypatch, True, 15.0)
    assert abs(large / small - 1.0) < 0.1
    assert digits.HARD_WIDTH[0] - 0.1 < small < digits.HARD_WIDTH[1] + 0.2
    soft_small, _ = _stroke_width_and_core(monkeypatch, False, 9.0)
    soft_large, _ = _stroke_width_and_core(monkeypatch, False, 15.0)
    assert soft_large / soft_small > 1.3


def test_the_fingertip_brush_paints_a_full_ink_core_with_a_sharp_edge(monkeypatch):
    # the pad's brush leaves most of a line at full ink; the soft brush shades it
    _, hard = _stroke_width_and_core(monkeypatch, True, 12.0)
    _, soft = _stroke_width_and_core(monkeypatch, False, 12.0)
    assert hard > 0.45 and hard > 1.6 * soft


def test_fingertip_drawings_are_never_blurred_or_blocky(monkeypatch):
    # GIVEN every drawing due a blur and a coarse grid: only the soft-brush ones get them
    monkeypatch.setattr(digits, "BLUR_FRACTION", 1.0)
    monkeypatch.setattr(digits, "BLOCKY_FRACTION", 1.0)
    r = digits._randoms(np.random.default_rng(4), 4000, digits.ELASTIC)
    hard = r["hard"]
    assert abs(hard.mean() - digits.HARD_FRACTION) < 0.03
    np.testing.assert_array_equal(r["soft"], np.flatnonzero(~hard))
    np.testing.assert_array_equal(r["blocky"], np.flatnonzero(~hard))
    assert len(r["blur"]) == len(r["soft"]) and len(r["pixels"]) == r["grid_phase"].shape[1] == len(r["blocky"])


def test_the_share_fit_can_fit_the_fingertip_brush_to_finger_drawn_digits(monkeypatch, capsys):
    """bench/style_shares.py --real finger --hard: the generated digits all in the fingertip
    brush, the real ones drawn through the pad's brush (a few per class, to stay quick)."""
    _reference()                       # puts the repository root on the import path
    from bench import real_sets, style_shares
    from neuronlab.nn import strokes
    for name in ("_SHARES", "_FAMILY_WEIGHTS", "FAMILY_SHARE"):   # the fit replaces these
        monkeypatch.setattr(strokes, name, getattr(strokes, name))
    monkeypatch.setattr(digits, "HARD_FRACTION", digits.HARD_FRACTION)
    X, y = real_sets.mnist_split("dev")
    few = np.concatenate([np.flatnonzero(y == d)[:3] for d in range(10)])
    monkeypatch.setattr(real_sets, "mnist_split", lambda part: (X[few], y[few]))
    calls, hard = [], []
    for fn in ("finger_pads", "placed_pads"):
        orig = getattr(real_sets, fn)
        monkeypatch.setattr(real_sets, fn, lambda *a, _f=orig, _n=fn, **k: calls.append(_n) or _f(*a, **k))
    randoms = digits._randoms
    monkeypatch.setattr(digits, "_randoms", lambda *a, **k: hard.append(randoms(*a, **k)) or hard[-1])
    try:
        style_shares.main(["--per-class", "20", "--real", "finger", "--hard"])
        assert calls == ["finger_pads"]
        assert len(hard) == 1 and hard[0]["hard"].all() and len(hard[0]["hard"]) == 200
        out = capsys.readouterr().out
        shares = eval(out.strip().splitlines()[-1])     # the printed literal
        assert sorted(shares) == list(range(10))
        assert all(min(v.values()) >= 0.25 for v in shares.values())
        hard.clear()
        monkeypatch.setattr(digits, "HARD_FRACTION", 0.5)   # --hard set it for the process
        style_shares.main(["--per-class", "20"])        # the default: placed, both brushes
        assert calls[-1] == "placed_pads"
        assert 0 < hard[0]["hard"].mean() < 1
    finally:
        monkeypatch.undo()
        digits.clear_style_caches()     # nothing the fit's styles computed outlives it


def test_the_realism_table_fits_the_generator():
    # GIVEN the shipped table and the generator's own fresh digits
    table = stream.realism_table()
    assert table is not None and table.shape == (10, 257)
    X, y = stream.DigitGenerator(21, pool=0).batch(3000)
    keep = stream.realism(X, y, table)
    # THEN every chance lies in (0, 1]
    assert np.all((keep > 0) & (keep <= 1))
    # AND for every digit the table still fits the generator: its bias is the median logit,
    # so about half are kept for sure and the rest lean away (a stale table drifts)
    for d in range(10):
        k = keep[y == d]
        assert 0.3 <= np.mean(k == 1) <= 0.7, d
        assert 0.5 <= k.mean() <= 0.9 and np.quantile(k, 0.1) < 0.6, d


def test_pool_picks_are_kept_with_their_realism():
    # GIVEN a full pool whose even slots are real-looking (1) and odd ones not (0.1)
    g = stream.DigitGenerator(8, pool=2000, fill=1.0, fresh=0.01)
    while not g.pool_full:
        g.batch(500)
    assert g._table is not None
    g._keep[:] = np.where(np.arange(g._keep.shape[1]) % 2 == 0, 1.0, 0.1)
    # WHEN 200,000 picks are made
    d = np.tile(np.arange(10), 20_000)
    slots = g._picks(d)
    # THEN each slot is picked in proportion to its realism, up to the last try's fallback:
    # P(s) ~ a_s * sum_{k < T-1} (1 - mean a)^k + (1 - mean a)^(T-1)
    T, miss = stream.REALISM_TRIES, 1 - 0.55
    hit = sum(miss ** k for k in range(T - 1))
    expected = (1.0 * hit + miss ** (T - 1)) / (0.1 * hit + miss ** (T - 1))
    even = np.mean(slots % 2 == 0)
    assert even / (1 - even) == pytest.approx(expected, rel=0.05)
    assert np.all(slots < g._count[d])


@pytest.mark.parametrize("content", [None, "this is no table", "1 2 3\n4 5 6\n", ("nan " * 257 + "\n") * 10])
def test_a_missing_or_garbled_realism_table_leaves_the_picks_even(monkeypatch, caplog, content):
    # GIVEN a table file that is missing, not numbers, the wrong shape or not finite
    def text():
        if content is None:
            raise FileNotFoundError(stream.REALISM_FILE)
        return content
    monkeypatch.setattr(stream, "_realism_text", text)
    stream.realism_table.cache_clear()          # cleared again below, for the other tests
    try:
        with caplog.at_level("WARNING", logger="neuronlab.train"):
            g = stream.DigitGenerator(3, pool=500, fill=0.5)
            X, y = g.batch(200)
        # THEN it says so, and the generator serves its digits as without a table
        assert g._table is None and "realism table" in caplog.text
        assert g._width == 256                  # queued rows carry no realism
        assert X.shape == (200, 256) and np.isfinite(X).all()
    finally:
        stream.realism_table.cache_clear()


def test_with_realism_every_new_digit_joins_the_pool_and_is_served_with_its_chance():
    # GIVEN a generator whose pool fills batch by batch at half of each new, the table on
    g = stream.DigitGenerator(6, pool=6000, fill=0.5, chunk=64, prefill=False)
    assert g._table is not None
    picks, pick = [], g._picks
    g._picks = lambda d, u=None: (picks.append(len(d)), pick(d, u))[1]   # rows that are picks
    for _ in range(20):                         # 5,120 samples: the pool is still filling
        g.batch(256)
    served_new = 20 * 256 - sum(picks)
    # THEN every digit drawn and taken from the queues is in the pool, none dropped (the
    # first batch is all new: an empty pool has nothing to pick; then half of each)...
    taken = g.blocks_queued * 64 - int(g._queued_n.sum())
    assert not g.pool_full and int(g._count.sum()) == taken == 256 + 19 * 128
    # ...and after the first batch about mean(realism) of them were served new: the rest
    # only wait in the pool
    filled = np.arange(g._keep.shape[1])[None, :] < g._count[:, None]
    kept = g._keep[filled]
    assert 0.5 < kept.mean() < 0.95
    assert served_new - 256 == pytest.approx((taken - 256) * kept.mean(), rel=0.1)
    assert served_new - 256 < 0.97 * (taken - 256)
