"""The feeder: a second process that draws the generator's new training digits ahead.

Owns that process and the pipes to it. Drawing new digits is the training's dearest part
while the pool fills (half of every batch is new), and inside the exhibit it shares the
main thread with the frame. The feeder draws ``digits.draw_block`` blocks on the other
core with the compiled kernels (``pad.JIT``; numba loads there, not beside the frame), at
a lower priority, and hands them over through a pipe. The generator never waits for it:
new rows wait for its blocks (they are pool picks meanwhile), and when the feeder falls
behind the generator draws a block a batch itself (``digits.DigitGenerator``).

If the process dies or a pipe breaks, the feeder logs one line and goes quiet: the
generator draws everything itself from then on. The process ends when the exhibit
closes it, when the pipe closes (the exhibit has gone), and at interpreter exit (daemon).
Imports numpy and the standard library only.
"""
from __future__ import annotations

import logging
import multiprocessing as mp

import numpy as np

log = logging.getLogger("neuronlab.feeder")

AHEAD = 16       # blocks asked for and not yet taken
NICE = 10        # the process's lower priority
BLOCK = 64       # smallest block asked for: the compiled path's batch minimum (pad.JIT_MIN)


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
                    return
                if msg[0] == "drop":
                    pending.pop(msg[1], None)
                else:
                    pending[msg[2]] = msg[1:]
            if pending:
                entropy, j, size = pending.pop(min(pending))
                X, y = digits.draw_block(entropy, j, size)
                results.send((j, X, y))
    except (EOFError, OSError, KeyboardInterrupt):   # the exhibit has gone
        return


def start(ahead: int = AHEAD, block: int = BLOCK) -> "Feeder | None":
    """A running feeder, or None (logged) where a process cannot be started here: the
    exhibit then draws every new digit itself."""
    try:
        return Feeder(ahead, block)
    except Exception as e:       # no processes, no pipes, a locked-down kiosk account...
        log.warning("no feeder process (%s); new digits are drawn in the exhibit", e)
        return None


class Feeder:
    """Draws blocks ahead in a spawned process; ``take`` what has arrived, never waits.

    A reader thread empties the result pipe as blocks come: a block (64 KB per 64 digits)
    fills the pipe's buffer, and a process left waiting to send would stop drawing."""

    def __init__(self, ahead: int = AHEAD, block: int = BLOCK):
        import threading

        self.ahead, self.block = int(ahead), int(block)
        ctx = mp.get_context("spawn")       # never fork a process that holds a GL context
        req_r, self._requests = ctx.Pipe(duplex=False)
        self._results, res_w = ctx.Pipe(duplex=False)
        self._proc = ctx.Process(target=_serve, args=(req_r, res_w), daemon=True,
                                 name="neuronlab-feeder")
        self._proc.start()
        req_r.close()
        res_w.close()
        self._ready: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._dropped: set[int] = set()
        self._lock = threading.Lock()
        self.alive = True
        self.delivered = 0                  # blocks taken from the process
        self._reader = threading.Thread(target=self._read, name="feeder-reader", daemon=True)
        self._reader.start()

    @property
    def pid(self) -> int | None:
        return self._proc.pid

    def _failed(self, why: BaseException | str) -> None:
        if self.alive:
            self.alive = False
            log.warning("feeder stopped (%s); new digits are drawn in the exhibit", why)
        with self._lock:
            self._ready.clear()

    def _read(self) -> None:
        """The reader thread: every block that arrives, into ``_ready``."""
        try:
            while True:
                j, X, y = self._results.recv()
                with self._lock:
                    if j not in self._dropped:
                        self._ready[j] = (X, y)
        except (EOFError, OSError, ValueError, TypeError) as e:
            if self.alive and not getattr(self, "_closing", False):
                self._failed(e if str(e) else f"exit code {self._proc.exitcode}")

    def request(self, entropy, j: int, size: int) -> bool:
        """Ask for block ``j`` of ``size``; False once the feeder has stopped."""
        if not self.alive:
            return False
        try:
            self._requests.send(("draw", entropy, int(j), int(size)))
        except (OSError, ValueError) as e:
            self._failed(e)
        return self.alive

    def take_first(self) -> tuple[int, np.ndarray, np.ndarray] | None:
        """The lowest-numbered block that has arrived, (j, X, y), or None."""
        if not self.alive:
            return None
        with self._lock:
            if not self._ready:
                return None
            j = min(self._ready)
            X, y = self._ready.pop(j)
        self.delivered += 1
        return j, X, y

    def arrived(self) -> int:
        """How many blocks wait to be taken."""
        with self._lock:
            return len(self._ready)

    def drop(self, j: int) -> None:
        """Block ``j`` is drawn elsewhere: not to be drawn, or taken if it comes anyway."""
        with self._lock:
            # only blocks asked for recently can still come: the set stays small for weeks
            self._dropped = {d for d in self._dropped if d > j - 4 * self.ahead}
            self._dropped.add(int(j))
            self._ready.pop(int(j), None)
        if self.alive:
            try:
                self._requests.send(("drop", int(j)))
            except (OSError, ValueError) as e:
                self._failed(e)

    def close(self, timeout: float = 2.0) -> None:
        """End the process (asked first, then told) and the reader thread."""
        self._closing = True
        if self._proc.is_alive():
            try:
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
