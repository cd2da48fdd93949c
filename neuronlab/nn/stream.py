"""The training stream: the generator's digits served to the trainer, batch after batch.

Owns ``DigitGenerator`` -- an endless, seeded, class-balanced stream of network inputs --
and what it serves from: the pool of drawn digits it reuses (kept as 16-bit levels), the
queues of new digits in numbered blocks (``digits.draw_block``), and the realism table.
In the exhibit the whole generator runs in the feeder process (``nn/feeder.py``).

The pool's picks lean towards the digits that look like real hands: a per-digit
logistic model (``realism.txt`` beside this module, fitted by ``bench/realism_fit.py`` to tell
the MNIST dev half's digits from the generator's) gives each pooled digit a realism in
(0, 1], and a pick is kept with that chance, else drawn again (``REALISM_TRIES``); a new
digit is served new with that chance, else it joins the pool unserved. For 1s, 7s and 9s
the real side also holds scikit-learn's European hands, which MNIST's US ones lack.

Imports numpy, the standard library and the drawing (``digits``, ``pad``).
"""
from __future__ import annotations

import io
import logging
import mmap
from functools import lru_cache
from importlib import resources

import numpy as np

from neuronlab.nn import digits
from neuronlab.nn.pad import SIDE, to_network

POOL_SIZE = 60_000           # samples kept for reuse (MNIST's training-set size)
POOL_PREFILL = True          # the whole pool drawn before the first batch: it reads real
                             # hands as well as filling it batch by batch, and the exhibit's
                             # first seconds then cost what the rest do (docs/performance.md)
POOL_FILL = 0.25             # without: the fraction of each batch drawn new while it fills
POOL_FRESH = 1 / 32          # once it is full: the pool turns over every ~2M samples
POOL_LEVELS = 65535          # the pool keeps each input as 16 bits, 0..65535 for 0..1: half of
                             # float32's memory (31 MB), rounding under 1e-5 (8 bits cost real
                             # hands 0.1-0.3 points: docs/performance.md)
QUEUE_CAP = 512              # new samples kept queued per digit at most
REALISM = True               # pool picks weighted by the fitted realism table (if it loads)
REALISM_TRIES = 4            # a pick is drawn again at most this many times in all
REALISM_FILE = "realism.txt"   # beside this module; bench/realism_fit.py writes it
FRESH_CHUNK = 256            # new samples are drawn in blocks of this many: drawing costs
                             # ~1 ms per call before ~13 us per sample, so small draws waste it

_LEVEL = np.float32(1 / POOL_LEVELS)             # one pool level as an input


def _realism_text() -> str:
    return resources.files(__package__).joinpath(REALISM_FILE).read_text()


@lru_cache(maxsize=1)
def realism_table() -> np.ndarray | None:
    """(10, 257) float32: per digit, a logistic model's 256 weights and its bias less the
    median logit of the generator's digits; None when the file is missing or malformed
    (then the picks are even)."""
    try:
        table = np.loadtxt(io.StringIO(_realism_text()), dtype=np.float32, ndmin=2)
    except (OSError, ValueError) as e:
        logging.getLogger("neuronlab.train").warning("realism table unreadable (%s): pool picks even", e)
        return None
    if table.shape != (10, SIDE * SIDE + 1) or not np.isfinite(table).all():
        logging.getLogger("neuronlab.train").warning(
            "realism table of shape %s or not finite: pool picks even", table.shape)
        return None
    table.flags.writeable = False      # one array for every generator
    return table


def small_pages_zeros(shape: tuple[int, ...], dtype=np.uint16) -> np.ndarray:
    """A zeroed array in the OS's small pages. numpy asks for huge pages for arrays of
    4 MB and more, and where a huge page's first touch is dear (on virtual machines, ms
    each) the pool's filling would pay it in the frames; in small pages the first touches
    cost half as much in all and spread evenly (docs/performance.md)."""
    size = int(np.prod(shape)) * np.dtype(dtype).itemsize
    if size == 0 or not hasattr(mmap, "MAP_PRIVATE"):    # (no such maps on Windows)
        return np.zeros(shape, dtype)
    try:
        # private and anonymous: zeroed by the OS, this process's alone (a shared map would
        # be shmem, whose pages follow other rules)
        buf = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE)
    except (OSError, ValueError):         # no anonymous maps here: numpy's own memory
        return np.zeros(shape, dtype)
    if hasattr(mmap, "MADV_NOHUGEPAGE"):
        try:
            buf.madvise(mmap.MADV_NOHUGEPAGE)
        except OSError:                   # a kernel without huge pages: small pages anyway
            pass
    return np.frombuffer(buf, dtype).reshape(shape)


def levelled(X: np.ndarray) -> np.ndarray:
    """Network inputs (m, 256) rounded to the pool's levels (float32, in [0, 1])."""
    return np.rint(np.clip(X, 0.0, 1.0) * POOL_LEVELS).astype(np.float32) * _LEVEL


def realism(X: np.ndarray, y: np.ndarray, table: np.ndarray) -> np.ndarray:
    """(m,) chance in (0, 1] that a pick of each network input X (m, 256) of digit y is
    kept: exp(logit - median), capped at 1, so the more a digit looks like the real ones
    the likelier it is trained on."""
    W = table[y]                                                   # (m, 257)
    z = np.einsum("ij,ij->i", X, W[:, :-1]) + W[:, -1]
    return np.maximum(np.exp(np.minimum(z, 0.0)), 1e-6).astype(np.float32)   # never 0: (0, 1]


class DigitGenerator:
    """An endless, seeded, class-balanced stream of training digits.

    Every batch holds each digit ``n // 10`` or ``n // 10 + 1`` times, in shuffled order,
    and the label cycle carries over between batches.

    ``batch`` serves network-ready samples from a pool, MNIST's way of reusing data (MNIST
    itself reuses one fixed set of 60 000 for ever): a fraction of every batch is newly
    drawn and joins the pool, replacing its oldest sample of that digit once the pool holds
    ``pool`` samples; the rest are picked at random from the pool. With ``prefill`` (the
    default, ``POOL_PREFILL``) the first batch first draws the whole pool (``prefill``:
    about 1 s on the compiled path, 2 s on numpy's) and the fraction is ``fresh`` from the
    start; without (a generator drawing in the exhibit's frame, which must not stop for
    that long) it is ``fill`` while the pool fills (so it is full after ``pool / fill``
    samples) and ``fresh`` once it is full, when new data costs little. With the realism table on, a
    new row is served new with its realism (else the digit joins the pool unserved and the
    row is a pick), and a pick is kept with the picked digit's (``_picks``). New samples are taken
    ``chunk`` at a time (or a whole smaller batch) as they come due, at random places in
    the batch; they are drawn in numbered blocks of that size (``draw_block``) and queued
    per digit until a batch takes them. Drawing and normalising cost far more than a
    gather, so the stream is many times faster while every sample is still one the
    generator drew. The pool keeps inputs as 16-bit levels (``POOL_LEVELS``), and new digits are
    rounded to those levels when queued, so a pick equals the row first served.
    ``pool=0`` draws every sample fresh, unrounded. Same seed, same stream.
    """

    def __init__(self, seed: int | None = 0, pool: int = POOL_SIZE, fresh: float = POOL_FRESH,
                 fill: float = POOL_FILL, chunk: int = FRESH_CHUNK, prefill: bool | None = None):
        ss = np.random.SeedSequence(seed, spawn_key=(digits.TRAIN_STREAM,))
        self.rng = np.random.default_rng(ss)
        self.entropy = ss.entropy                      # what draw_block needs to match this stream
        self._next_label = 0    # where the label cycle resumes, so odd batch sizes stay fair
        self.fresh = float(fresh) if pool > 0 else 1.0
        self.fill = max(float(fill), self.fresh) if pool > 0 else 1.0
        self.chunk = max(1, int(chunk))
        self.prefills = bool(POOL_PREFILL if prefill is None else prefill) and self.fresh < 1.0
        cap = -(-int(pool) // 10)                                   # slots per digit
        self._pool = small_pages_zeros((10, cap, SIDE * SIDE))      # (digit, slot, 256) levels
        self._pool_rows = self._pool.reshape(-1, SIDE * SIDE)       # a view: row d * cap + slot
        self._gathered = np.empty((0, SIDE * SIDE), np.uint16)      # picks' rows, kept between batches
        self._count = np.zeros(10, np.int64)                        # slots filled per digit
        self._write = np.zeros(10, np.int64)                        # next slot to replace
        self._table = realism_table() if REALISM else None
        self._keep = np.ones((10, cap), np.float32)                 # each slot's realism
        self._width = SIDE * SIDE + (self._table is not None)       # a queued row: input, realism
        self._debt = 0.0                                            # fresh samples owed
        self._queued: list[list[np.ndarray]] = [[] for _ in range(10)]   # drawn, not yet served
        self._queued_n = np.zeros(10, np.int64)
        self._next_block = 0               # the next block number not yet drawn
        self.blocks_queued = 0
        self.batches = 0                   # batches served

    @property
    def pool_full(self) -> bool:
        """True once every digit's share of the pool holds a sample."""
        return bool(np.all(self._count == self._pool.shape[1]))

    def _labels(self, n: int) -> np.ndarray:
        labels = (self._next_label + np.arange(n)) % 10
        self._next_label = int((self._next_label + n) % 10)
        return self.rng.permutation(labels).astype(np.int64)

    def raw_batch(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Freshly drawn pad-like images (n, 16, 16) float32 in [0, 1] and labels (n,) int64."""
        y = self._labels(n)
        return digits.draw_pads(self.rng, y), y

    def batch(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Network-ready inputs (n, 256) float32 (through ``pad.to_network``) and labels (n,)."""
        X = np.empty((n, SIDE * SIDE), np.float32)
        return X, self.batch_into(X)

    def batch_into(self, X: np.ndarray) -> np.ndarray:
        """``batch`` written into ``X`` (n, 256) float32, C-contiguous; returns the labels.
        The trainer passes the same array every time: a new one each batch would be fresh
        memory, and the OS's first touch of its pages cost as much as the gather."""
        n = len(X)
        if self.prefills and not self.pool_full:
            self.prefill()
        self.batches += 1
        y = self._labels(n)
        if self.fresh >= 1.0:
            X[...] = to_network(digits.draw_pads(self.rng, y))
            return y
        # fresh rows: the owed share once a chunk (or the whole batch) is due, plus any
        # digit the pool has none of yet
        self._debt += n * (self.fresh if self.pool_full else self.fill)
        k = min(n, int(self._debt)) if self._debt >= min(self.chunk, n) else 0
        self._debt -= k
        new = np.zeros(n, bool)
        if k:
            new[self.rng.permutation(n)[:k] if k < n else slice(None)] = True
        must = self._count[y] == 0
        new |= must
        # the picks' uniforms for every row, drawn now: how many rows are picks depends on
        # realism tests that the last float bits of a digit can flip, and the stream must not
        tries = self.rng.random((REALISM_TRIES, n)) if self._table is not None else None
        fi = np.flatnonzero(new)
        if len(fi):
            K = np.ones(n, np.float32)   # the new rows' realism
            held = []                    # new digits that join the pool unserved
            for d in np.unique(y[fi]):
                rows = fi[y[fi] == d]
                got = self._take_fresh(int(d), len(rows), len(fi))
                got, keep = got[:, :SIDE * SIDE], got[:, SIDE * SIDE:].ravel()
                if len(keep) and not must[rows].any():
                    # served with their realism, as a pick is kept (no extra digit is drawn):
                    # the others join the pool, and their rows are picks
                    served = self.rng.random(len(got)) < keep
                    if not served.all():
                        held.append((int(d), got[~served], keep[~served]))
                        got, keep = got[served], keep[served]
                X[rows[:len(got)]] = got
                if len(keep):
                    K[rows[:len(got)]] = keep
                new[rows[len(got):]] = False  # rows of the held digits are pool picks
            fi = np.flatnonzero(new)
            # one store for the batch: the served and the held
            Xs, ys, ks = [X[fi]], [y[fi]], [K[fi]]
            for d, rows, keep in held:
                Xs.append(rows)
                ys.append(np.full(len(rows), d))
                ks.append(keep)
            self._store(np.concatenate(Xs), np.concatenate(ys),
                        np.concatenate(ks) if self._table is not None else None)
            self._trim_queues()
        oi = np.flatnonzero(~new)
        if len(oi):
            d = y[oi]
            u = tries[:, oi] if tries is not None else None
            # every row gathered and converted in one pass into X (a scatter of the picks
            # alone would want a batch-sized array of fresh memory), the served ones put back
            rows = np.zeros(n, np.int64)                            # rows of _pool_rows
            rows[oi] = d * self._pool.shape[1] + self._picks(d, u)
            served = X[fi].copy()
            if len(self._gathered) != n:
                self._gathered = np.empty((n, SIDE * SIDE), np.uint16)
            np.take(self._pool_rows, rows, axis=0, out=self._gathered)
            np.multiply(self._gathered, _LEVEL, out=X)
            X[fi] = served
        return y

    def prefill(self) -> None:
        """Draw new blocks straight into the pool, none served, until every digit's share
        is full (blocks of ``chunk``, numbered on from the stream's last)."""
        while not self.pool_full:
            X, y = digits.draw_block(self.entropy, self._new_block_id(), self.chunk)
            X = levelled(X)
            keep = realism(X, y, self._table) if self._table is not None else None
            full = self._count[y] == self._pool.shape[1]
            if full.any():           # a digit already full keeps its first rows
                X, y = X[~full], y[~full]
                keep = keep[~full] if keep is not None else None
            self._store(X, y, keep)
            self.blocks_queued += 1

    def pooled(self, d: int) -> np.ndarray:
        """The network inputs (m, 256) the pool holds for digit ``d``, as picks serve them."""
        return self._pool[d, :self._count[d]] * _LEVEL

    def _picks(self, d: np.ndarray, u: np.ndarray | None = None) -> np.ndarray:
        """Pool slots for one pick of each digit in d (m,): even, or kept with each slot's
        realism and else drawn again, the last try kept whatever it is. ``u``: the tries'
        uniforms (REALISM_TRIES, m), else drawn here."""
        m = len(d)
        if self._table is None:
            return (self.rng.random(m) * self._count[d]).astype(np.int64)
        # one uniform a try: its whole part (times the count) is the slot, and what is left
        # over, itself uniform, decides whether the slot is kept
        u = (self.rng.random((REALISM_TRIES, m)) if u is None else u) * self._count[d]
        tries = u.astype(np.int64)
        kept = (u - tries) < self._keep[d, tries]
        kept[-1] = True
        return tries[kept.argmax(axis=0), np.arange(m)]

    def _take_fresh(self, d: int, c: int, want: int) -> np.ndarray:
        """The next ``c`` fresh samples (c, 256) of digit ``d``, each with its realism after
        it when the table is on (c, 257); blocks are drawn as needed (``want``: the batch's
        new rows, so a small batch draws a small block)."""
        while self._queued_n[d] < c:
            size = max(10, min(self.chunk, want))
            self._queue(*digits.draw_block(self.entropy, self._new_block_id(), size))
        q, parts, need = self._queued[d], [], c
        while need:
            if len(q[0]) <= need:
                parts.append(q.pop(0))
                need -= len(parts[-1])
            else:
                parts.append(q[0][:need])
                q[0] = q[0][need:]
                need = 0
        self._queued_n[d] -= c
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    def _new_block_id(self) -> int:
        j = self._next_block
        self._next_block += 1
        return j

    def _queue(self, X: np.ndarray, y: np.ndarray) -> None:
        """A block's digits into the per-digit queues (each row with its realism after
        it, when the table is on)."""
        X = levelled(X)       # on the pool's levels: a row served new equals its later picks
        if self._table is not None:
            X = np.concatenate([X, realism(X, y, self._table)[:, None]], axis=1)
        for d in range(10):
            rows = X[y == d]
            if len(rows):
                self._queued[d].append(rows)
                self._queued_n[d] += len(rows)
        self.blocks_queued += 1

    def _trim_queues(self) -> None:
        """Batches take each digit's new rows in varying numbers, so a queue's surplus would
        drift up for ever: past ``QUEUE_CAP`` its oldest rows are let go."""
        for d, q in enumerate(self._queued):
            while q and self._queued_n[d] - len(q[0]) >= QUEUE_CAP:
                self._queued_n[d] -= len(q.pop(0))

    def _store(self, X: np.ndarray, y: np.ndarray, keep: np.ndarray | None = None) -> None:
        """Put fresh samples (m, 256) of digits y (m,), of realism ``keep`` (m,), into the
        pool, oldest replaced first."""
        cap = self._pool.shape[1]
        if cap == 0:
            return
        for d in np.unique(y):
            rows = X[y == d][-cap:]
            slots = (self._write[d] + np.arange(len(rows))) % cap
            self._pool[d, slots] = rows * POOL_LEVELS + 0.5     # levels already: exact
            if keep is not None:
                self._keep[d, slots] = keep[y == d][-cap:]
            self._write[d] = (self._write[d] + len(rows)) % cap
            self._count[d] = min(cap, self._count[d] + len(rows))
