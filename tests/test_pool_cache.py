"""The drawn pool kept on disk (nn/pool_cache.py) and the feeder taking it back."""
import logging
import time

import numpy as np
import pytest

from neuronlab.nn import feeder as feeders
from neuronlab.nn import pool_cache, stream

POOL = 2000


def _drawn(seed=3, pool=POOL):
    g = stream.DigitGenerator(seed, pool=pool)
    g.prefill()
    return g


def _batches(g, k=12, n=100):
    return [g.batch(n) for _ in range(k)]


def test_a_pool_taken_back_serves_the_batches_the_drawn_one_would(tmp_path):
    # GIVEN a pool drawn whole and saved
    path = tmp_path / "state" / "pool.npz"
    pool_cache.save(path, _drawn())
    # WHEN a new generator of the same stream takes it back
    g = stream.DigitGenerator(3, pool=POOL)
    assert pool_cache.load_into(path, g) is None
    # THEN it serves, bit for bit, what a generator that drew its own pool serves
    assert g.pool_full and g.blocks_queued == _drawn().blocks_queued
    mine, theirs = _batches(g), _batches(stream.DigitGenerator(3, pool=POOL))
    for (Xa, ya), (Xb, yb) in zip(mine, theirs):
        np.testing.assert_array_equal(ya, yb)
        np.testing.assert_array_equal(Xa, Xb)
    assert list(tmp_path.joinpath("state").iterdir()) == [path]      # no temp file left


def test_only_a_pool_just_drawn_is_saved(tmp_path):
    g = _drawn()
    g.batch(10)
    with pytest.raises(ValueError):
        pool_cache.save(tmp_path / "pool.npz", g)
    assert not (tmp_path / "pool.npz").exists()


def _flip_bytes(path, at: float):
    data = bytearray(path.read_bytes())
    i = int(len(data) * at)
    data[i:i + 64] = bytes(255 - b for b in data[i:i + 64])
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", ["truncated", "garbled", "empty", "not an archive"])
def test_a_damaged_pool_file_is_refused_with_its_reason_and_nothing_taken(tmp_path, damage):
    path = tmp_path / "pool.npz"
    pool_cache.save(path, _drawn())
    if damage == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif damage == "garbled":
        _flip_bytes(path, 0.5)                 # inside the pool's levels
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        path.write_text("levels = 1, 2, 3\n")
    g = stream.DigitGenerator(3, pool=POOL)
    why = pool_cache.load_into(path, g)
    assert why is not None and not pool_cache.expected(why)
    assert why.startswith("unreadable")
    assert not g.pool_full and g._count.sum() == 0 and g.blocks_queued == 0


@pytest.mark.parametrize("other", ["seed", "pool size", "generator"])
def test_a_pool_file_of_another_stream_or_generator_is_not_taken(tmp_path, monkeypatch, other):
    path = tmp_path / "pool.npz"
    pool_cache.save(path, _drawn())
    if other == "seed":
        g = stream.DigitGenerator(4, pool=POOL)
    elif other == "pool size":
        g = stream.DigitGenerator(3, pool=POOL // 2)
    else:      # the drawing changed: the stream's first digits come out otherwise
        from neuronlab.nn import digits
        real = digits.draw_block
        monkeypatch.setattr(digits, "draw_block", lambda e, j, n: (real(e, j, n)[0] * 0.5, real(e, j, n)[1]))
        g = stream.DigitGenerator(3, pool=POOL)
    why = pool_cache.load_into(path, g)
    assert why is not None and pool_cache.expected(why) and why.startswith(pool_cache.OTHER)
    assert g._count.sum() == 0
    assert pool_cache.load_into(tmp_path / "none.npz", g) == pool_cache.NO_FILE


def _wait_for(cond, timeout=60.0):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if cond():
            return True
        time.sleep(0.01)
    return False


def _feeder_rows(seed, path, batches, caplog):
    """``batches`` batches of 256 rows from a feeder of ``seed`` on the pool file ``path``,
    what it logged in ``caplog``."""
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="neuronlab.feeder"):
        feeder = feeders.Feeder(seed, jit=False, slots=2, rows=256, cache=path)
        try:
            out = []
            for _ in range(batches):
                assert _wait_for(lambda: feeder.available() >= 256)
                out.append(feeder.batch(256))
        finally:
            feeder.close()
    return out


def test_the_feeder_saves_its_pool_then_takes_it_back_and_serves_the_same_stream(tmp_path, caplog):
    # GIVEN no pool file yet WHEN a feeder starts THEN it draws the pool, saves it and says so
    path = tmp_path / "state" / "training-pool.npz"
    first = _feeder_rows(3, path, 3, caplog)
    assert path.exists() and "drawn (no pool file yet) and saved" in caplog.text
    # WHEN a second feeder starts on that file THEN it takes the pool back and its rows are
    # the same stream's, which are the generator's own
    second = _feeder_rows(3, path, 3, caplog)
    assert "taken from" in caplog.text and "drawn" not in caplog.text
    plain = stream.DigitGenerator(3)
    for (Xa, ya), (Xb, yb) in zip(first, second):
        np.testing.assert_array_equal(ya, yb)
        np.testing.assert_array_equal(Xa, Xb)
        Xp, yp = plain.batch(256)
        np.testing.assert_array_equal(yp, ya)
        np.testing.assert_array_equal(Xp, Xa)


def test_a_feeder_with_a_damaged_pool_file_warns_draws_it_and_writes_it_again(tmp_path, caplog):
    path = tmp_path / "training-pool.npz"
    path.write_bytes(b"PK\x03\x04 not really")
    _feeder_rows(5, path, 1, caplog)
    warned = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warned) == 1 and "unreadable" in warned[0].getMessage()
    assert pool_cache.load_into(path, stream.DigitGenerator(5)) is None      # whole again


def test_a_feeder_that_cannot_write_its_pool_file_warns_and_serves(tmp_path, caplog):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the state folder should be")
    rows = _feeder_rows(2, blocker / "training-pool.npz", 1, caplog)
    assert rows[0][0].shape == (256, 256)
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warned) == 1 and "not saved" in warned[0]


def test_a_pool_file_whose_arrays_do_not_fit_is_refused(tmp_path):
    # GIVEN a file with this stream's fingerprint but a pool of the wrong shape
    import json
    g = stream.DigitGenerator(3, pool=POOL)
    meta = np.array(json.dumps(pool_cache.fingerprint(g), sort_keys=True))
    path = tmp_path / "pool.npz"
    np.savez(path, meta=meta, pool=np.zeros((10, 5, 256), np.uint16), keep=g._keep,
             write=g._write, next_block=np.array(3))
    # THEN it is not taken
    assert pool_cache.load_into(path, g) == "arrays of the wrong shape"
    assert g._count.sum() == 0 and g._next_block == 0


def test_a_file_drawn_on_the_compiled_path_is_not_taken_on_numpys(tmp_path, monkeypatch):
    from neuronlab.nn import pad
    if pad._load_kernels() is None:
        pytest.skip("numba is not installed here")
    # GIVEN a pool drawn and saved on the compiled path (the two agree only to rounding)
    monkeypatch.setattr(pad, "JIT", True)
    path = tmp_path / "pool.npz"
    pool_cache.save(path, _drawn())
    assert pool_cache.load_into(path, stream.DigitGenerator(3, pool=POOL)) is None
    # WHEN a generator on numpy's path looks at it THEN it is another generator's
    monkeypatch.setattr(pad, "JIT", False)
    why = pool_cache.load_into(path, stream.DigitGenerator(3, pool=POOL))
    assert why is not None and why.startswith(pool_cache.OTHER) and "compiled" in why


def test_a_save_clears_the_temp_files_of_saves_cut_short(tmp_path):
    left = tmp_path / ".pool.npz.k2j4.tmp"
    left.write_bytes(b"x" * 1000)
    other = tmp_path / ".weights.npz.k2j4.tmp"          # not this file's
    other.write_bytes(b"x")
    pool_cache.save(tmp_path / "pool.npz", _drawn())
    assert not left.exists() and other.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".weights.npz.k2j4.tmp", "pool.npz"]


def test_a_pool_file_with_values_out_of_range_is_refused(tmp_path):
    import json
    g = stream.DigitGenerator(3, pool=POOL)
    meta = np.array(json.dumps(pool_cache.fingerprint(g), sort_keys=True))
    path = tmp_path / "pool.npz"
    np.savez(path, meta=meta, pool=g._pool, keep=g._keep, write=g._write + 10**6,
             next_block=np.array(80))
    assert pool_cache.load_into(path, g) == "values out of range"
    assert g._count.sum() == 0


def test_a_restarted_feeder_neither_takes_nor_writes_the_first_ones_pool_file(tmp_path, caplog):
    path = tmp_path / "training-pool.npz"
    t = [0.0]
    with caplog.at_level(logging.INFO, logger="neuronlab.feeder"):
        feeder = feeders.Feeder(7, jit=False, slots=2, rows=64, clock=lambda: t[0], cache=path)
        try:
            assert _wait_for(lambda: feeder.available() >= 64)
            saved = path.read_bytes()
            feeder._proc.kill()
            assert _wait_for(lambda: feeder.available() > 10**6, 10)
            caplog.clear()
            t[0] += feeders.RESTART_S + 1
            feeder.available()                           # due: a new process, its own stream
            assert feeder.alive and feeder.restarts == 1
            assert _wait_for(lambda: feeder.available() >= 64 and not feeder._bridging)
        finally:
            feeder.close(timeout=30)
    assert "training pool" not in caplog.text            # no file looked at, none written
    assert path.read_bytes() == saved
