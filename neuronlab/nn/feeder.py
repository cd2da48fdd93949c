"""The feeder: a second process that draws the generator's new training digits ahead.

Owns that process and the pipes to it. Drawing new digits is the training's dearest part
while the pool fills (a quarter of every batch is new), and inside the exhibit it shares the
main thread with the frame. The feeder draws ``digits.draw_block`` blocks on the other
core with the compiled kernels (``pad.JIT``; numba loads there, not beside the frame), at
a lower priority, and hands them over through a pipe. The generator never waits for it:
new rows wait for its blocks (they are pool picks meanwhile), and when the feeder falls
behind the generator draws a block a batch itself (``stream.DigitGenerator``).

If the process dies or a pipe breaks, the feeder logs one line and goes quiet: the
generator draws everything itself from then on. The process ends when the exhibit
closes it, when the pipe closes (the exhibit has gone), and at interpreter exit (daemon).
Imports numpy and the standard library only.
"""
from __future__ import annotations

import logging
import multiprocessing as mp
import os
import threading
import time

import numpy as np

log = logging.getLogger("neuronlab.feeder")

AHEAD = 16       # blocks asked for and not yet taken
NICE = 10        # the process's lower priority
BLOCK = 64       # smallest block asked for: the compiled path's batch minimum (pad.JIT_MIN)
STALL_S = 120.0  # a block asked for and not come in this long: the process is hung
                 # (generous: the first start on a machine compiles the kernels there)


def _serve(requests, results) -> None:
    """The feeder process: draw the blocks asked for, first asked first, and send them.

    A ``drop`` message takes back a block the generator drew itself (it draws the one asked
    for last, which this process reaches last)."""
    import os

    try:        # idle cycles only: where the cores are busy the frame comes first, and
        os.nice(NICE)   # the generator waits for blocks or draws them itself
    except (AttributeError, OSError):
        pass
    from neuronlab.nn import digits, pad

    pad.JIT = True
    pending: dict[int, tuple] = {}
    try:
        while True:
            while not pending or requests.poll():
                msg = requests.recv()
                if msg is None:
                    os._exit(0)
                if msg[0] == "drop":
                    pending.pop(msg[1], None)
                else:
                    pending[msg[2]] = msg[1:]
            entropy, j, size = pending.pop(min(pending))
            X, y = digits.draw_block(entropy, j, size)
            results.send((j, X, y))
    except (EOFError, OSError, KeyboardInterrupt):   # the exhibit has gone
        pass
    os._exit(0)     # nothing to tear down: a quick, certain exit however busy the cores


def start(ahead: int = AHEAD, block: int = BLOCK) -> "Feeder | None":
    """A running feeder, or None (logged) where a process cannot be started here: the
    exhibit then draws every new digit itself."""
    if mp.parent_process() is not None:
        # a spawned process importing an unguarded script: let it fail as it must
        raise RuntimeError("a feeder is started only by the exhibit's own process")
    try:
        return Feeder(ahead, block)
    except Exception as e:       # no processes, no pipes, a locked-down kiosk account...
        log.warning("no feeder process (%s); new digits are drawn in the exhibit", e)
        return None


class Feeder:
    """Draws blocks ahead in a spawned process; ``take_first`` what has arrived, never waits.

    A reader thread empties the result pipe as blocks come: a block (64 KB per 64 digits)
    fills the pipe's buffer, and a process left waiting to send would stop drawing. The
    request pipe never blocks the exhibit: a full one (a process that stopped reading)
    ends the feeder, as does a block asked for ``STALL_S`` ago and not come."""

    def __init__(self, ahead: int = AHEAD, block: int = BLOCK, clock=time.monotonic):
        self.ahead, self.block, self.clock = int(ahead), int(block), clock
        ctx = mp.get_context("spawn")       # never fork a process that holds a GL context
        req_r, self._requests = ctx.Pipe(duplex=False)
        self._results, res_w = ctx.Pipe(duplex=False)
        self._proc = ctx.Process(target=_serve, args=(req_r, res_w), daemon=True,
                                 name="neuronlab-feeder")
        self._proc.start()
        req_r.close()
        res_w.close()
        os.set_blocking(self._requests.fileno(), False)
        self._ready: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._asked: dict[int, float] = {}   # asked for, not come: when
        self._dropped: set[int] = set()
        self._lock = threading.Lock()
        self._closing = False
        self.alive = True
        self.delivered = 0                  # blocks taken from the process
        self._reader = threading.Thread(target=self._read, name="feeder-reader", daemon=True)
        self._reader.start()

    @property
    def pid(self) -> int | None:
        return self._proc.pid

    def _failed(self, why) -> None:
        """Stop for good: one warning, the process ended, nothing more taken from it."""
        with self._lock:
            was, self.alive = self.alive, False
            self._ready.clear()
        if was and not self._closing:
            log.warning("feeder %s stopped (%s); new digits are drawn in the exhibit",
                        self._proc.pid, why)
            self._proc.terminate()

    def _read(self) -> None:
        """The reader thread: every block that arrives, into ``_ready``."""
        try:
            while True:
                j, X, y = self._results.recv()
                with self._lock:
                    self._asked.pop(j, None)
                    if j not in self._dropped:
                        self._ready[j] = (X, y)
        except EOFError:
            self._failed("the process ended")
        except Exception as e:                  # a garbled message: the same
            self._failed(repr(e))

    def _send(self, msg) -> None:
        try:
            self._requests.send(msg)
        except (OSError, ValueError) as e:     # BlockingIOError: it stopped reading
            self._failed(repr(e))

    def request(self, entropy, j: int, size: int) -> bool:
        """Ask for block ``j`` of ``size``; False once the feeder has stopped."""
        if self.alive:
            with self._lock:
                self._asked[int(j)] = self.clock()
            self._send(("draw", entropy, int(j), int(size)))
        return self.alive

    def take_first(self) -> tuple[int, np.ndarray, np.ndarray] | None:
        """The lowest-numbered block that has arrived, (j, X, y), or None."""
        if not self.alive:
            return None
        with self._lock:
            if not self._ready:
                oldest = min(self._asked.values(), default=None)
                stalled = oldest is not None and self.clock() - oldest > STALL_S
                got = None
            else:
                j = min(self._ready)
                got = (j, *self._ready.pop(j))
                stalled = False
        if stalled:
            self._failed(f"no block for {STALL_S:.0f} s")
        if got is not None:
            self.delivered += 1
        return got

    def arrived(self) -> int:
        """How many blocks wait to be taken."""
        with self._lock:
            return len(self._ready)

    def drop(self, j: int) -> None:
        """Block ``j`` is drawn elsewhere: not to be drawn, or taken if it comes anyway."""
        j = int(j)
        with self._lock:
            # only blocks asked for lately can still come: the set stays small for weeks
            self._dropped = {d for d in self._dropped if d > j - 64 * self.ahead}
            self._dropped.add(j)
            self._ready.pop(j, None)
            self._asked.pop(j, None)
        if self.alive:
            self._send(("drop", j))

    def close(self, timeout: float = 5.0) -> None:
        """End the process (asked first, then told) and the reader thread."""
        self._closing = True
        if self._proc.is_alive():
            try:
                os.set_blocking(self._requests.fileno(), True)
                self._requests.send(None)
            except (OSError, ValueError):
                pass
            self._proc.join(timeout)
            if self._proc.is_alive():
                self._proc.terminate()
                self._proc.join(timeout)
        self._requests.close()
        self._reader.join(timeout)       # the pipe's far end closed with the process
        self._results.close()
        self.alive = False
