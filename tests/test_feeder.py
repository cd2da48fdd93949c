"""The feeder process: the generator's stream is the same with it, without it, and after
it dies; the process ends when it is closed or its exhibit has gone."""
import logging
import time

import numpy as np
import pytest

from neuronlab.nn import digits, stream
from neuronlab.nn import feeder as feeders
from neuronlab.nn.feeder import Feeder


def _wait_for(cond, seconds=120.0):
    end = time.monotonic() + seconds
    while not (ok := cond()) and time.monotonic() < end:
        time.sleep(0.02)
    return ok


def _arrived(feeder, n):
    return feeder.arrived() >= n or not feeder.alive


def _stream(g, batches, n=256):
    out = [g.batch(n) for _ in range(batches)]
    return np.concatenate([x for x, _ in out]), np.concatenate([y for _, y in out])


def _same_digits(X, Xref):
    """Equal but for the compiled path's float rounding (which may tip an input over to
    the next of the pool's levels), and its rare one-dab shift."""
    d = np.abs(X - Xref).max(axis=1)
    assert (d <= 1e-4 + 1.0 / stream.POOL_LEVELS).mean() >= 0.995
    assert d.max() < 0.1


def test_a_block_is_a_pure_function_of_the_stream_its_number_and_size():
    g = stream.DigitGenerator(4)
    X1, y1 = digits.draw_block(g.entropy, 7, 40)
    X2, y2 = digits.draw_block(g.entropy, 7, 40)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    X3, _ = digits.draw_block(g.entropy, 8, 40)
    assert np.abs(X1 - X3).max() > 0.5                      # the next block is new digits
    # consecutive blocks continue the label cycle: every digit equally often
    ys = np.concatenate([digits.draw_block(g.entropy, j, 64)[1] for j in range(5)])
    assert np.all(np.bincount(ys, minlength=10) == 32)


def test_the_stream_is_the_same_with_a_feeder_as_without():
    # GIVEN two generators of one seed, one with a feeder that has started
    # (half of each batch new while the pool fills: 12 batches need 20-32 blocks)
    plain, fed = stream.DigitGenerator(3, chunk=64, fill=0.5), stream.DigitGenerator(3, chunk=64, fill=0.5)
    feeder = Feeder(ahead=32)
    try:
        fed.attach(feeder)
        assert _wait_for(lambda: _arrived(feeder, 32))       # every block the stream needs
        assert feeder.alive
        # WHEN both serve the same batches while the pool fills
        X, y = _stream(plain, 12)
        Xf, yf = _stream(fed, 12)
        # THEN the labels are the same, the digits equal to rounding, and every block came
        # from the feeder
        np.testing.assert_array_equal(y, yf)
        _same_digits(Xf, X)
        assert fed.blocks_queued == plain.blocks_queued
        assert 20 <= feeder.delivered == fed.blocks_queued <= 32
    finally:
        feeder.close()


def test_a_dead_feeder_is_reported_once_and_the_generator_draws_on(caplog):
    plain, fed = stream.DigitGenerator(6, chunk=64), stream.DigitGenerator(6, chunk=64)
    feeder = Feeder(ahead=12)
    try:
        fed.attach(feeder)
        assert _wait_for(lambda: _arrived(feeder, 12))       # the first batches' blocks
        X0, y0 = _stream(plain, 3)
        Xf0, yf0 = _stream(fed, 3)
        # WHEN the process is killed mid-stream
        feeder._proc.kill()
        feeder._proc.join(10)
        with caplog.at_level(logging.WARNING, logger="neuronlab.feeder"):
            X1, y1 = _stream(plain, 6)
            Xf1, yf1 = _stream(fed, 6)
        # THEN one warning, no error, and the stream goes on unchanged
        assert not feeder.alive
        mine = f"feeder {feeder.pid} stopped"
        assert len([r for r in caplog.records if mine in r.getMessage()]) == 1
        np.testing.assert_array_equal(np.concatenate([y0, y1]), np.concatenate([yf0, yf1]))
        _same_digits(np.concatenate([Xf0, Xf1]), np.concatenate([X0, X1]))
    finally:
        feeder.close()


@pytest.mark.parametrize("how", ["close", "exhibit gone"])
def test_the_process_ends_when_closed_or_when_its_exhibit_has_gone(how):
    feeder = Feeder()
    assert feeder.request(stream.DigitGenerator(0).entropy, 0, 16)
    assert _wait_for(lambda: feeder.arrived() == 1)          # it is up and serving
    proc = feeder._proc
    try:
        if how == "close":
            feeder.close(timeout=30)
        else:                   # the pipe closes as the exhibit's process would at exit
            feeder._closing = True
            feeder._requests.close()
        proc.join(30)
        assert not proc.is_alive()
        assert proc.exitcode == 0
    finally:
        feeder.close(timeout=30)


class _SilentFeeder:
    """A feeder that is alive but has delivered nothing yet (a slow or loading process)."""
    ahead, block, alive = 4, 64, True

    def __init__(self):
        self.dropped = []

    def request(self, entropy, j, size):
        return True

    def take_first(self):
        return None

    def drop(self, j):
        self.dropped.append(j)


def test_new_rows_wait_for_the_feeder_then_the_generator_draws_them_itself():
    # GIVEN a generator whose pool holds every digit, with a feeder that delivers nothing
    g = stream.DigitGenerator(2, pool=2000, fill=0.5, chunk=64)
    g.batch(640)
    feeder = _SilentFeeder()
    g.attach(feeder)
    drawn, debt = g.blocks_queued, g._debt
    pooled = {r.tobytes() for d in range(10) for r in g.pooled(d)}
    # WHEN batches come due: 64 new rows owed per batch of 128
    X = g.batch(128)[0]
    # THEN nothing is drawn on this side yet, the batch is pool picks, the rows stay owed
    assert g.blocks_queued == drawn
    assert g._debt == pytest.approx(debt + 64)
    assert all(r.tobytes() in pooled for r in X)
    # AND once FEEDER_SLACK chunks are owed, the generator draws one block a batch itself,
    # the one asked for last, which it takes back from the feeder
    for _ in range(stream.FEEDER_SLACK + 2):
        before = g.blocks_queued
        g.batch(128)
        assert g.blocks_queued - before <= 1
    assert g.blocks_queued > drawn
    assert feeder.dropped and all(b > a for a, b in zip(feeder.dropped, feeder.dropped[1:]))
    assert g._debt < (stream.FEEDER_SLACK + 2) * 64


def test_where_no_process_can_start_the_exhibit_goes_on_without_one(monkeypatch, caplog):
    def refuse(*a, **k):
        raise OSError("processes are not allowed here")
    monkeypatch.setattr(feeders.mp, "get_context", refuse)
    with caplog.at_level(logging.WARNING, logger="neuronlab.feeder"):
        assert feeders.start() is None
    assert any("processes are not allowed here" in r.getMessage() for r in caplog.records)
    g = stream.DigitGenerator(1, chunk=64)
    g.attach(None)
    X, y = g.batch(128)                                       # drawn here, as without one
    assert X.shape == (128, 256) and g.blocks_queued >= 1


def test_the_exhibit_trains_from_its_feeder_and_ends_it_when_it_closes():
    from neuronlab.app import App

    app = App((640, 360), present=False, run_gradcheck=False, iters_per_frame=16, feeder=True)
    try:
        gen = app.session.generator
        feeder = gen.feeder
        assert feeder is not None and feeder.alive
        proc = feeder._proc
        # the frames train while the pool fills, on digits the feeder drew
        end = time.monotonic() + 60
        while feeder.delivered == 0 and time.monotonic() < end:
            app.frame(1 / 60, events=[])
        assert feeder.delivered > 0
        assert app.session.trainer.stats.samples_seen > 0
    finally:
        app.close()
    proc.join(10)
    assert not proc.is_alive() and proc.exitcode == 0
    assert app.session.generator.feeder is None


def test_the_queues_of_new_digits_stay_bounded_over_a_long_run(monkeypatch):
    """Batches take each digit's new rows in varying numbers: without a bound, a digit's
    surplus would drift up for weeks."""
    def cheap_block(entropy, j, size):
        y = (int(j) * int(size) + np.arange(int(size))) % 10
        return np.full((int(size), 256), float(j % 7) / 7, np.float32), y
    monkeypatch.setattr(digits, "draw_block", cheap_block)
    g = stream.DigitGenerator(8, pool=500, fill=0.5, fresh=0.5, chunk=64)
    most = 0
    for _ in range(20_000):      # unbounded, one digit's queue passes 700 rows by the end
        g.batch(128)
        most = max(most, int(g._queued_n.max()))
    assert g.pool_full
    assert most <= stream.QUEUE_CAP + 64
    assert all(n == sum(len(a) for a in q) for n, q in zip(g._queued_n, g._queued))


def test_a_feeder_whose_blocks_do_not_come_is_ended():
    t = [0.0]
    feeder = Feeder(ahead=2, clock=lambda: t[0])
    try:
        assert feeder.request(stream.DigitGenerator(0).entropy, 0, 64)
        t[0] += feeders.STALL_S + 1          # long before its first block can come
        assert feeder.take_first() is None
        assert not feeder.alive
        feeder._proc.join(30)
        assert not feeder._proc.is_alive()
    finally:
        feeder.close(timeout=30)


def test_a_process_that_stops_reading_cannot_freeze_the_exhibit():
    import os
    import signal

    feeder = Feeder(ahead=2)
    try:
        os.kill(feeder.pid, signal.SIGSTOP)          # it will never read again
        entropy = stream.DigitGenerator(0).entropy
        sent = 0
        while feeder.request(entropy, sent, 64) and sent < 200_000:
            sent += 1                                # each send returns at once, or fails
        assert not feeder.alive and sent < 200_000
        os.kill(feeder.pid, signal.SIGCONT)
        feeder._proc.join(30)
        assert not feeder._proc.is_alive()
    finally:
        feeder.close(timeout=30)
