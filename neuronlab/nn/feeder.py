"""The feeder: a second process owns the training stream and hands its batches over.

Owns that process, the ring of ready batches it fills in shared memory, and ``Feeder``,
the trainer's source on the exhibit's side. The whole
``stream.DigitGenerator`` -- the pool, the realism picks, new digits drawn with the
compiled kernels (``pad.JIT``; numba loads there, not beside the frame) -- runs in that
process, on the other core, which also compiles the training step for the exhibit's
cache. The exhibit's main thread only copies ready rows, where serving the pool itself
cost it about as much as the training step (docs/performance.md).

While one process serves, the rows are exactly ``DigitGenerator(seed)``'s batches of
``rows``, in order, as drawn with ``pad.JIT`` set to ``jit`` (the exhibit's: on; the numpy
path in this process gives the same digits to float rounding). The exhibit never waits for them: ``available()`` says
how many are ready, the session trains only the iterations they cover
(``Trainer.ready_iterations``), and a call for more than is ready (a lesson's replay or
the step button before the first batch) takes the rest from a generator in this process,
made when first needed; it also covers for a process whose batches stop coming for
``GAP_GRACE_S``, or whose first batch has not come in ``FIRST_GRACE_S`` (a machine's first
start compiles the kernels there, ~6 s, then draws the pool, ~1 s: the frames do not pay
for drawing here meanwhile).
If the process dies, a pipe breaks or garbles, or no batch comes for ``STALL_S`` while one
is owed, one warning is logged, that generator serves everything, and a new process is
started after ``RESTART_S`` (doubling, ``MAX_RESTARTS`` times at most), with a pool of its
own.

The process ends when the exhibit closes the stream, when the pipe closes (the exhibit
has gone) and at interpreter exit (daemon). The first process takes its pool back from
the exhibit's pool file where that holds this stream's (``pool_cache``), else draws it and
writes the file; what happened reaches the exhibit's log over the results pipe. Imports
numpy, the standard library, ``stream`` and (in the process) ``allocator``, ``fpmode``,
``pad`` and ``pool_cache``.
"""
from __future__ import annotations

import collections
import logging
import multiprocessing as mp
import os
import sys
import time
from multiprocessing import shared_memory

import numpy as np

from neuronlab.nn import stream
from neuronlab.nn.pad import SIDE

log = logging.getLogger("neuronlab.feeder")

SLOTS = 4         # batches in the ring at least: the process fills the free ones ahead
MAX_SLOTS = 32    # ...and at most (33 MB), however fast the fastest speed asks for rows
ROWS = 1024       # rows a batch: the trainer's prefetch (TrainSettings.prefetch)
NICE = 10         # the process's lower priority: the frame comes first (0 and 4 fed the
                  # trainer no better, and slowed the frames while it starts)
GAP_GRACE_S = 3.0     # no batch come this long after the last: the local generator serves
FIRST_GRACE_S = 15.0  # ...or none since the process started (a machine's first start
                      # compiles the kernels there in 6-10 s and draws the pool in ~1 s;
                      # covering it drew digits in the frame: p99 28.7 ms against 18.5-19.7)
STALL_S = 120.0   # a batch owed and not come in this long: the process is hung
RESTART_S = 30.0  # a failed process is started again after this, doubling each time,
MAX_RESTARTS = 6  # this many times at most (30 s ... 16 min) in a row:
HEALTHY_S = 600.0  # a process that served this long before failing starts the count over
WIDTH = SIDE * SIDE


def _views(buf, slots: int, rows: int) -> tuple[np.ndarray, np.ndarray]:
    """The ring in ``buf``: inputs (slots, rows, 256) float32, then labels (slots, rows) int64."""
    X = np.ndarray((slots, rows, WIDTH), np.float32, buffer=buf)
    Y = np.ndarray((slots, rows), np.int64, buffer=buf, offset=X.nbytes)
    return X, Y


def _ring_bytes(slots: int, rows: int) -> int:
    return slots * rows * (WIDTH * 4 + 8)


def _serve(name: str, slots: int, rows: int, seed, jit: bool, requests, results,
           cache: str | None = None) -> None:
    """The serving process: fill each free slot with the stream's next batch, in order,
    and say so; a slot comes back free when the exhibit has taken all its rows. The pool
    comes from the file ``cache`` where it holds this stream's, else is drawn and saved."""
    try:
        os.nice(NICE)
    except (AttributeError, OSError):
        pass
    from neuronlab.nn import allocator, fpmode
    from neuronlab.nn import pad

    fpmode.flush_subnormals()       # as the exhibit's own process runs
    allocator.tune_for_drawing()    # its blocks' temporaries kept in the heap
    pad.JIT = bool(jit)
    if jit:
        _warm_step()
    try:
        shm = shared_memory.SharedMemory(name=name)
        X, Y = _views(shm.buf, slots, rows)
        gen = stream.DigitGenerator(seed)
        if cache and gen.prefills:
            _pool_from_file(gen, cache, results)
        free = collections.deque(range(slots))
        while True:
            while not free or requests.poll():
                msg = requests.recv()
                if msg is None:
                    os._exit(0)
                free.append(int(msg))
            j = free.popleft()
            Y[j] = gen.batch_into(X[j])
            results.send((j, gen.pool_full))
    except (EOFError, OSError, KeyboardInterrupt):   # the exhibit has gone
        pass
    os._exit(0)     # nothing to tear down: a quick, certain exit however busy the cores


def _pool_from_file(gen: stream.DigitGenerator, path: str, results) -> None:
    """The pool taken from ``path``, or drawn and saved there; what happened is sent to
    the exhibit's log (this process logs nowhere)."""
    from neuronlab.nn import pool_cache

    try:
        why = pool_cache.load_into(path, gen)
    except Exception as e:         # never the batches' end: the pool is drawn as without one
        why = f"not read ({type(e).__name__}: {e})"
    if why is None:
        results.send(("log", logging.INFO, f"training pool taken from {path}"))
        return
    gen.prefill()
    level = logging.INFO if pool_cache.expected(why) else logging.WARNING
    try:
        pool_cache.save(path, gen)
        note = f"training pool drawn ({why}) and saved to {path}"
    except (OSError, ValueError) as e:
        level, note = logging.WARNING, f"training pool drawn ({why}), not saved to {path}: {e}"
    results.send(("log", level, note))


def _warm_step() -> None:
    """The training step compiled here, on this core, before the first batch: numba's
    cache then holds it when the exhibit loads it beside its frames (step_kernels.py)."""
    from neuronlab.nn import pad, step_kernels

    try:
        k = pad.kernels()
        if k is not None:
            step_kernels.warm(k)
    except Exception:       # the exhibit's own check decides; the batches matter here
        pass


def slots_for(rows_per_frame: int, rows: int = ROWS) -> int:
    """Ring slots for a frame that may take ``rows_per_frame`` rows (the fastest speed's
    iterations times the batch): two frames' worth and one being filled, within bounds."""
    return int(min(MAX_SLOTS, max(SLOTS, -(-2 * int(rows_per_frame) // rows) + 1)))


def start(seed: int = 0, jit: bool = True, slots: int = SLOTS,
          rows: int = ROWS, cache=None) -> "Feeder | None":
    """A running feeder, or None (logged) where a process or shared memory cannot
    be had here: the exhibit then draws and serves its training digits itself.
    ``cache``: the pool file (``pool_cache``), or None to draw the pool at every start."""
    if mp.parent_process() is not None:
        # a spawned process importing an unguarded script: let it fail as it must
        raise RuntimeError("a feeder is started only by the exhibit's own process")
    try:
        return Feeder(seed, jit=jit, slots=slots, rows=rows, cache=cache)
    except Exception as e:       # no processes, no shared memory, a locked-down account...
        log.warning("no feeder process (%s); training digits are served in the exhibit", e)
        return None


class Feeder:
    """The trainer's source over the ring: ``batch_into``/``batch`` take ready rows in
    order and never wait; ``available()`` counts them. ``local`` is the generator in this
    process that covers what the ring cannot (None until it is first needed; then kept,
    so a second cover goes on with its stream and its pool)."""

    def __init__(self, seed: int = 0, jit: bool = True, slots: int = SLOTS, rows: int = ROWS,
                 clock=time.monotonic, cache=None):
        self.seed, self.rows, self.jit, self.clock = int(seed), int(rows), bool(jit), clock
        self.cache = os.fspath(cache) if cache else None
        self._shm = shared_memory.SharedMemory(create=True, size=_ring_bytes(slots, rows))
        self._X, self._Y = _views(self._shm.buf, slots, rows)
        self._ready: collections.deque[int] = collections.deque()   # filled slots, in order
        self._at = 0                      # rows taken from the first ready slot
        self._pool_full = False
        self._chunk = stream.FRESH_CHUNK
        self._closing = False
        self._bridging = False            # the local generator covers an empty ring
        self._restart_at: float | None = None
        self.restarts = 0                 # in a row (HEALTHY_S starts the count over)
        self.spawns = 0                   # processes started after the first, in all
        self.served = 0                   # batches taken from the process(es)
        self.local: stream.DigitGenerator | None = None
        self._proc = None
        try:
            self._spawn(self.seed)
        except BaseException:
            self._free_memory()
            raise

    def _spawn(self, seed) -> None:
        """A new process on the ring, every slot free, its generator drawn from ``seed``."""
        ctx = mp.get_context("spawn")       # never fork a process that holds a GL context
        ends, proc = [], None
        try:
            req_r, requests = ctx.Pipe(duplex=False)
            ends += [req_r, requests]
            results, res_w = ctx.Pipe(duplex=False)
            ends += [results, res_w]
            os.set_blocking(requests.fileno(), False)
            # the pool file is the first process's: a restart's stream is its own
            proc = ctx.Process(target=_serve, daemon=True, name="neuronlab-feeder",
                               args=(self._shm.name, len(self._X), self.rows, seed, self.jit,
                                     req_r, res_w, None if self.spawns else self.cache))
            proc.start()
        except BaseException:
            for end in ends:
                end.close()
            if proc is not None and proc.is_alive():
                proc.kill()
            raise
        req_r.close()
        res_w.close()
        self._proc, self._requests, self._results = proc, requests, results
        self._ready.clear()
        self._at = 0
        self._pool_full = False
        self._spawned_at = self.clock()
        self._waiting_since: float | None = self._spawned_at   # owed a batch since (None: one is ready)
        self._delivered = False           # this process has sent a batch
        self.alive = True

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    # -- what the session reads and sets, of whichever generator serves ---------------------
    @property
    def pool_full(self) -> bool:
        return self.local.pool_full if self._local_serves() else self._pool_full

    @property
    def fresh(self) -> float:
        return self.local.fresh if self._local_serves() else stream.POOL_FRESH

    @property
    def fill(self) -> float:
        return self.local.fill if self._local_serves() else stream.POOL_FILL

    @property
    def chunk(self) -> int:
        return self._chunk

    @chunk.setter
    def chunk(self, value: int) -> None:
        """New digits drawn a block: the local generator's, drawn in the frame (the
        process draws whole batches, out of the frame, at its own chunk)."""
        self._chunk = int(value)
        if self.local is not None:
            self.local.chunk = self._chunk

    def _local_serves(self) -> bool:
        return (self._bridging or not self.alive) and self.local is not None

    # -- the rows ------------------------------------------------------------------------
    def available(self) -> int:
        """Rows ready to take now (while the local generator covers: any number)."""
        self._take_arrived()
        if self._bridging or not self.alive:
            return sys.maxsize
        return len(self._ready) * self.rows - self._at

    def batch(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        X = np.empty((n, WIDTH), np.float32)
        return X, self.batch_into(X)

    def batch_into(self, X: np.ndarray) -> np.ndarray:
        """The next ``len(X)`` rows into X (n, 256) float32, C-contiguous; returns the
        labels. Rows the ring does not hold come from the local generator."""
        n = len(X)
        y = np.empty(n, np.int64)
        self._take_arrived()
        done = 0
        while done < n and self._ready:
            j = self._ready[0]
            m = min(n - done, self.rows - self._at)
            X[done:done + m] = self._X[j, self._at:self._at + m]
            y[done:done + m] = self._Y[j, self._at:self._at + m]
            done += m
            self._at += m
            if self._at == self.rows:      # all taken: the slot goes back to be filled
                self._ready.popleft()
                self._at = 0
                self.served += 1
                self._send(j)
                if not self._ready:
                    self._waiting_since = self.clock()
        if done < n:
            y[done:] = self._local().batch_into(X[done:])
        return y

    def _local(self) -> stream.DigitGenerator:
        if self.local is None:
            # a stream of its own, so it never repeats the process's digits; drawn in the
            # frame, so its pool fills as it serves (drawn whole, it would stop a frame)
            self.local = stream.DigitGenerator([self.seed, 1], prefill=False)
            self.local.chunk = self._chunk
        return self.local

    # -- the process ---------------------------------------------------------------------
    def _take_arrived(self) -> None:
        """The slots the process has filled since, in order; a dead or hung one ends it,
        a late one has the local generator cover for it, a failed one is started again
        when its time comes."""
        if not self.alive:
            if self._restart_at is not None and self.clock() >= self._restart_at and not self._closing:
                self._restart()
            return
        try:
            while self._results.poll():
                msg = self._results.recv()
                if isinstance(msg, tuple) and len(msg) == 3 and msg[0] == "log":
                    log.log(int(msg[1]), "feeder: %s", str(msg[2]))
                    continue
                j, full = msg
                if not 0 <= int(j) < len(self._X):
                    raise ValueError(f"slot {j!r}")
                self._ready.append(int(j))
                self._pool_full = bool(full)
                self._waiting_since = None
                self._delivered = True
                self._bridging = False    # it serves again (the local generator is kept:
                                          # its stream goes on, and its pool is full or filling)
        except EOFError:
            self._failed("the process ended")
            return
        except Exception as e:                  # a garbled message or a broken pipe
            self._failed(repr(e))
            return
        if not self._ready and self._waiting_since is not None:
            waited = self.clock() - self._waiting_since
            if waited > STALL_S:
                self._failed(f"no batch for {STALL_S:.0f} s")
            elif waited > (GAP_GRACE_S if self._delivered else FIRST_GRACE_S):
                self._bridging = True

    def _restart(self) -> None:
        if self._proc.is_alive():          # the old one not gone yet: never two on the ring
            self._proc.kill()
            self._proc.join(0.1)
            if self._proc.is_alive():
                self._restart_at = self.clock() + RESTART_S
                return
        self.restarts += 1
        self.spawns += 1
        self._restart_at = None
        try:
            # a stream of its own again: a new pool, never the digits served before
            self._spawn([self.seed, 1 + self.spawns])
        except Exception as e:
            log.warning("feeder not started again (%s); training digits stay in the exhibit", e)
            return
        log.info("feeder started again (pid %s, restart %d)", self._proc.pid, self.restarts)

    def _send(self, msg) -> None:
        try:
            self._requests.send(msg)
        except (OSError, ValueError) as e:     # BlockingIOError: it stopped reading
            self._failed(repr(e))

    def _failed(self, why) -> None:
        """This process is done: one warning, the process ended, the local generator
        serves, and a new process is due later (``RESTART_S``, doubling)."""
        was, self.alive = self.alive, False
        self._ready.clear()
        self._at = 0
        self._bridging = True
        if not was or self._closing:
            return
        pid = self._proc.pid
        self._proc.kill()                  # a stopped or hung one too; it has nothing to save
        self._proc.join(0.2)               # reaped at once, as a rule (else before a restart)
        for end in (self._requests, self._results):
            end.close()
        if self.clock() - self._spawned_at > HEALTHY_S:
            self.restarts = 0              # a long healthy run: the waits start over
        later = ""
        if self.restarts < MAX_RESTARTS:
            wait = RESTART_S * 2 ** self.restarts
            self._restart_at = self.clock() + wait
            later = f"; a new feeder in {wait:.0f} s"
        log.warning("feeder %s stopped (%s); training digits are served in the exhibit%s",
                    pid, why, later)

    def _end_process(self, timeout: float) -> bool:
        """Told, then killed (a stopped process takes only that); True once it is gone."""
        proc = self._proc
        for stop in (proc.terminate, proc.kill):
            if not proc.is_alive():
                break
            stop()
            proc.join(timeout)
        return not proc.is_alive()

    def close(self, timeout: float = 5.0) -> None:
        """End the process (asked first, then told) and free the ring."""
        self._closing = True
        self._restart_at = None
        if self._proc is not None and self._proc.is_alive():
            if self.alive:
                try:
                    self._requests.send(None)     # never blocks: a full pipe goes on below
                except (OSError, ValueError):
                    pass
                self._proc.join(timeout)
            self._end_process(timeout)
        self._requests.close()            # (closing twice does nothing)
        self._results.close()
        self.alive = False
        self._ready.clear()
        self._free_memory()

    def _free_memory(self) -> None:
        self._X = self._Y = None
        try:
            self._shm.close()
        except BufferError:      # a view still held somewhere: the OS frees it at exit
            pass
        try:
            self._shm.unlink()
        except FileNotFoundError:
            pass
