"""The feeder process: the stream it serves is the generator's own, the exhibit never
waits for it, a dead or hung one is reported once and the exhibit serves on; the process
ends when it is closed or its exhibit has gone, and its shared memory goes with it."""
import contextlib
import logging
import multiprocessing
import os
import platform
import time
from multiprocessing import shared_memory

import numpy as np
import pytest

from neuronlab.nn import digits, stream
from neuronlab.nn import feeder as feeders
from neuronlab.nn.feeder import Feeder
from neuronlab.nn.mlp import MLP
from neuronlab.nn.train import Trainer, TrainSettings
from neuronlab.session import Session


def _wait_for(cond, seconds=120.0):
    end = time.monotonic() + seconds
    while not (ok := cond()) and time.monotonic() < end:
        time.sleep(0.02)
    return ok


def _ring(feeder) -> int:
    """Rows the ring holds ready (not what the local generator may cover)."""
    feeder.available()                     # takes in what has come
    return len(feeder._ready) * feeder.rows - feeder._at if feeder.alive else 0


def _ready(feeder, rows):
    return lambda: not feeder.alive or _ring(feeder) >= rows


@contextlib.contextmanager
def _feeder_on_clock(seed: int):
    """A small feeder whose clock is ``t[0]`` (a test moves it), closed afterwards:
    yields (feeder, t)."""
    t = [0.0]
    feeder = Feeder(seed, jit=False, slots=2, rows=64, clock=lambda: t[0])
    try:
        yield feeder, t
    finally:
        feeder.close(timeout=30)


def _kill_and_see(feeder, caplog):
    """Kill the feeder's process and wait until the feeder has seen it go (its warning
    captured)."""
    with caplog.at_level(logging.WARNING, logger="neuronlab.feeder"):
        feeder._proc.kill()
        assert _wait_for(lambda: feeder.available() > 10**6, 10)


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


def test_the_rows_served_are_the_generators_own_stream():
    # GIVEN a feeder (the numpy path, as this process draws) and a generator of one seed
    feeder = Feeder(3, jit=False, slots=3, rows=256)
    plain = stream.DigitGenerator(3)
    try:
        # WHEN rows are taken in sizes that cross the slots' edges, while the pool fills
        sizes = [100, 256, 7, 300, 1, 256, 104]
        got = []
        for n in sizes:
            assert _wait_for(_ready(feeder, n))
            got.append(feeder.batch(n))
        # THEN every row and label is the generator's, in its batches of the ring's rows,
        # bit for bit, and none came from elsewhere
        want = [plain.batch(256) for _ in range(sum(sizes) // 256)]
        np.testing.assert_array_equal(np.concatenate([y for _, y in got]),
                                      np.concatenate([y for _, y in want]))
        np.testing.assert_array_equal(np.concatenate([x for x, _ in got]),
                                      np.concatenate([x for x, _ in want]))
        assert feeder.alive and feeder.local is None
        assert feeder.served == sum(sizes) // 256
    finally:
        feeder.close()


def _minor_faults(pid: int) -> int:
    return int(open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[7])


@pytest.mark.skipif(not os.path.exists("/proc/self/stat") or platform.libc_ver()[0] != "glibc",
                    reason="Linux glibc only")
def test_the_process_keeps_its_drawings_temporaries_instead_of_faulting_them_in_again():
    # GIVEN a feeder serving slots of 1,024 rows, its pool full after the first (32 new
    # digits a slot, drawn a block of 256 every eighth) WHEN sixteen slots are drawn after
    # the first few THEN its pages fault in a few hundred times at most: under glibc's own
    # thresholds each block's temporaries faulted in again, about a thousand pages a block
    feeder = Feeder(5, jit=False, slots=2, rows=1024)
    try:
        def take(slots):
            for _ in range(slots):
                assert _wait_for(_ready(feeder, 1024)) and feeder.alive
                feeder.batch(1024)
        take(4)
        assert _wait_for(_ready(feeder, 2048))      # the ring full: the process waits
        assert feeder._pool_full
        before = _minor_faults(feeder.pid)
        take(16)
        assert _wait_for(_ready(feeder, 2048))
        assert _minor_faults(feeder.pid) - before < 400
    finally:
        feeder.close()


class _SlowSource:
    """A source with ``ready`` rows at hand: what a feeder still loading offers."""

    fresh = fill = 1.0
    pool_full = True

    def __init__(self, ready: int):
        self.ready = ready
        self.chunk = 16
        self.gen = stream.DigitGenerator(1, pool=0)

    def available(self) -> int:
        return self.ready

    def batch(self, n: int):
        assert n <= self.ready, "asked for rows that were not ready"
        self.ready -= n
        return self.gen.batch(n)


def test_the_trainer_runs_only_the_iterations_its_ready_rows_cover():
    src = _SlowSource(0)
    t = Trainer(MLP(seed=0), src, TrainSettings(batch=32, prefetch=128, test_every=10**9))
    assert t.ready_iterations(16) == 0
    src.ready = 200                    # one chunk of 128 and a part of the next
    assert t.ready_iterations(16) == 4
    assert t.run(t.ready_iterations(16)) == 4
    assert t.stats.samples_seen == 128 and src.ready == 72
    assert t.ready_iterations(16) == 0


def test_the_session_waits_for_rows_instead_of_the_frame():
    # GIVEN a session whose source has nothing ready (a feeder still starting)
    src = _SlowSource(0)
    ses = Session(TrainSettings(test_every=10**9), seed=0, source=src, iters_per_frame=16)
    ses.pace.stop()
    # THEN its frames train nothing, and take nothing
    assert ses.update(0.0) == 0 and ses.update(1 / 60) == 0
    assert ses.trainer.stats.samples_seen == 0
    # WHEN a chunk comes, the frame trains what it covers, and the next frames the rest
    src.ready = ses.settings.prefetch
    assert ses.update(2 / 60) == 16
    assert ses.update(3 / 60) == 16
    assert ses.update(4 / 60) == 0
    assert ses.trainer.stats.samples_seen == ses.settings.prefetch


def test_what_the_ring_does_not_hold_comes_from_this_process():
    feeder = Feeder(5, jit=False, slots=2, rows=64)
    try:
        assert _wait_for(_ready(feeder, 128))
        X, y = feeder.batch(200)                   # more than the ring holds
        assert X.shape == (200, 256) and np.isfinite(X).all()
        assert feeder.local is not None            # 72 rows drawn here
        # a stream of its own: the rows drawn here are not the process's next ones
        assert _wait_for(_ready(feeder, 64))
        X2, _ = feeder.batch(64)
        assert not any(np.array_equal(a, b) for a in X[128:] for b in X2[:8])
        assert np.all(np.bincount(y, minlength=10) >= 18)
    finally:
        feeder.close()


def test_a_dead_feeder_is_reported_once_and_the_exhibit_serves_on(caplog):
    feeder = Feeder(6, jit=False, slots=2, rows=128)
    try:
        assert _wait_for(_ready(feeder, 256))
        feeder.batch(128)
        # WHEN the process is killed mid-stream
        feeder._proc.kill()
        feeder._proc.join(10)
        with caplog.at_level(logging.WARNING, logger="neuronlab.feeder"):
            assert _wait_for(lambda: feeder.available() > 10**6, 10)   # seen as gone
            batches = [feeder.batch(300) for _ in range(3)]
        # THEN one warning, no error, and rows go on coming, from this process
        mine = f"feeder {feeder.pid} stopped"
        assert len([r for r in caplog.records if mine in r.getMessage()]) == 1
        assert feeder.available() > 10**6          # nothing to wait for any more
        assert all(X.shape == (300, 256) and np.isfinite(X).all() for X, _ in batches)
        assert feeder.local is not None and feeder.pool_full == feeder.local.pool_full
    finally:
        feeder.close()


def test_a_garbled_message_ends_the_feeder(caplog):
    feeder = Feeder(0, jit=False, slots=2, rows=64)
    try:
        r, w = multiprocessing.Pipe(duplex=False)
        feeder._results.close()
        feeder._results = r                        # what comes is no slot number
        w.send(("not", "a", "slot"))
        with caplog.at_level(logging.WARNING, logger="neuronlab.feeder"):
            assert feeder.available() > 10**6
        assert not feeder.alive
        assert any("stopped" in rec.getMessage() for rec in caplog.records)
    finally:
        w.close()
        feeder.close()


@pytest.mark.parametrize("how", ["close", "exhibit gone"])
def test_the_process_ends_when_closed_or_when_its_exhibit_has_gone(how):
    feeder = Feeder(0, jit=False, slots=2, rows=64)
    assert _wait_for(_ready(feeder, 64)) and feeder.alive    # it is up and serving
    proc, name = feeder._proc, feeder._shm.name
    try:
        if how == "close":
            feeder.close(timeout=30)
            with pytest.raises(FileNotFoundError):             # the ring is freed
                shared_memory.SharedMemory(name=name)
        else:                   # the pipe closes as the exhibit's process would at exit
            feeder._closing = True
            feeder._requests.close()
            feeder._results.close()
        proc.join(30)
        assert not proc.is_alive()
        assert proc.exitcode == 0
    finally:
        feeder.close(timeout=30)


def test_where_no_process_can_start_the_exhibit_goes_on_without_one(monkeypatch, caplog):
    def refuse(*a, **k):
        raise OSError("processes are not allowed here")
    monkeypatch.setattr(feeders.mp, "get_context", refuse)
    with caplog.at_level(logging.WARNING, logger="neuronlab.feeder"):
        assert feeders.start() is None
    assert any("processes are not allowed here" in r.getMessage() for r in caplog.records)
    ses = Session(seed=1, source=None, iters_per_frame=4)      # its own generator
    ses.pace.stop()
    assert ses.update(0.0) == 4


def test_the_exhibit_trains_from_its_feeder_and_ends_it_when_it_closes():
    from neuronlab.app import App

    app = App((640, 360), present=False, run_gradcheck=False, iters_per_frame=16, feeder=True)
    try:
        feeder = app.session.generator
        assert isinstance(feeder, Feeder) and feeder.alive
        proc = feeder._proc
        # the frames train on the rows it serves
        end = time.monotonic() + 120
        while feeder.served == 0 and time.monotonic() < end:
            app.frame(1 / 60, events=[])
        assert feeder.served > 0 and not feeder._bridging    # (a slow start may have been covered for)
        assert app.session.trainer.stats.samples_seen > 0
    finally:
        app.close()
    proc.join(10)
    assert not proc.is_alive() and proc.exitcode == 0
    assert not feeder.alive


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


def test_a_feeder_whose_batches_do_not_come_is_ended():
    with _feeder_on_clock(0) as (feeder, t):
        t[0] += feeders.STALL_S + 1          # long before its first batch can come
        feeder._results.poll = lambda *a: False
        assert feeder.available() > 10**6
        assert not feeder.alive
        feeder._proc.join(30)
        assert not feeder._proc.is_alive()


def test_a_process_that_stops_reading_cannot_freeze_the_exhibit():
    import os
    import signal

    feeder = Feeder(0, jit=False, slots=2, rows=64)
    proc = feeder._proc
    try:
        assert _wait_for(_ready(feeder, 128))
        os.kill(proc.pid, signal.SIGSTOP)            # it will never read again
        sent = 0
        while feeder.alive and sent < 200_000:
            feeder._send(0)                          # each send returns at once, or fails
            sent += 1
        # THEN the feeder ends, and the stopped process with it (a kill, which it takes)
        assert not feeder.alive and sent < 200_000
        assert not proc.is_alive()
        X, _ = feeder.batch(100)                     # and rows come from this process
        assert X.shape == (100, 256)
    finally:
        if proc.is_alive():
            os.kill(proc.pid, signal.SIGCONT)
        feeder.close(timeout=30)


def test_the_ring_holds_two_frames_of_the_fastest_speed():
    assert feeders.slots_for(0) == feeders.SLOTS
    assert feeders.slots_for(64 * 32) == feeders.SLOTS + 1          # the defaults: 2,048 rows
    assert feeders.slots_for(64 * 128) * feeders.ROWS >= 2 * 64 * 128
    assert feeders.slots_for(64 * 1024) == feeders.MAX_SLOTS


def test_a_feeder_that_delivers_nothing_for_a_while_is_covered_for():
    with _feeder_on_clock(2) as (feeder, t):
        # GIVEN a process that has delivered nothing (its poll says so) past the grace
        feeder._results.poll = lambda *a: False
        assert feeder.available() == 0              # within the grace: the frame waits
        t[0] += feeders.GAP_GRACE_S + 0.1
        assert feeder.available() == 0              # a first batch is waited for longer
        t[0] += feeders.FIRST_GRACE_S - feeders.GAP_GRACE_S
        # THEN the local generator covers: rows at once, the process still trusted
        assert feeder.available() > 10**6
        X, y = feeder.batch(64)
        assert X.shape == (64, 256) and feeder.local is not None and feeder.alive
        # WHEN its batches come after all, they serve again
        del feeder._results.poll
        assert _wait_for(lambda: feeder.available() < 10**6)
        assert feeder.alive and not feeder._bridging
        assert _wait_for(_ready(feeder, 64))
        local_drawn = feeder.local.blocks_queued
        feeder.batch(64)
        assert feeder.local.blocks_queued == local_drawn        # from the ring, not drawn here
        # AND a second cover goes on with the same local stream: not a fresh one, which
        # would serve its first digits again (the ring's ready rows taken first, so the
        # cover serves every row asked)
        local = feeder.local
        feeder._results.poll = lambda *a: False
        feeder.batch(feeder.available())
        t[0] += feeders.GAP_GRACE_S + 0.1       # once it has served, a gap is covered sooner
        assert feeder.available() > 10**6
        X2, _ = feeder.batch(64)
        assert feeder.local is local
        fresh = stream.DigitGenerator([2, 1], prefill=False)
        fresh.chunk = feeder.chunk
        first = fresh.batch(64)[0]
        assert np.array_equal(X, first)          # the first cover: a fresh local stream
        assert not np.array_equal(X2, first)


def test_a_failed_feeder_is_started_again_later_with_a_stream_of_its_own(caplog):
    with _feeder_on_clock(7) as (feeder, t):
        assert _wait_for(_ready(feeder, 64))
        first, pid = feeder.batch(64)[0], feeder.pid
        _kill_and_see(feeder, caplog)
        assert "a new feeder in 30 s" in caplog.text
        feeder.batch(64)                             # served here meanwhile
        t[0] += feeders.RESTART_S - 1
        assert feeder.available() > 10**6 and feeder.pid == pid      # not yet
        t[0] += 2
        feeder.available()                           # due: a new process
        assert feeder.alive and feeder.restarts == 1 and feeder.pid != pid
        assert _wait_for(_ready(feeder, 64)) and not feeder._bridging
        again = feeder.batch(64)[0]
        assert not any(np.array_equal(a, b) for a in again[:8] for b in first)


def test_the_restart_waits_start_over_after_a_long_healthy_run(caplog):
    with _feeder_on_clock(8) as (feeder, t):
        feeder.restarts = feeders.MAX_RESTARTS        # as if it had failed often in a row
        assert _wait_for(_ready(feeder, 64))
        t[0] += feeders.HEALTHY_S + 1                 # then served for a long while
        _kill_and_see(feeder, caplog)
        assert feeder.restarts == 0 and "a new feeder in 30 s" in caplog.text
