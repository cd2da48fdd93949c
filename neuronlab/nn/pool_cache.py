"""The drawn pool kept on disk: a start after the first takes it back instead of drawing it.

Owns the pool file. ``DigitGenerator.prefill`` is a pure function of the stream's seed,
the generator's code and the realism table, and costs the feeder process about a second
of its core at every start; ``save`` writes its result (the pool's levels, each slot's
realism, where the stream's blocks go on) and ``load_into`` puts it into a new generator
of the same stream, which then serves exactly the batches it would have after drawing
the pool itself.

A file is taken only when its fingerprint matches the generator's: the stream's seed, the
pool's shape, levels and blocks, the realism table's bytes, the drawing's path (compiled
or numpy's, which agree only to rounding), numpy's and numba's versions, the source of the
modules that draw and keep the pool, and a hash of the stream's first block as this
process draws it (so a changed generator draws its pool anew), and when it reads whole (the archive's own CRC-32 of each array finds a garbled byte). Anything else --
missing, truncated, garbled, another seed -- is a reason (one line) and the pool is drawn
as without a file, then saved over it.
Written as a weights file is (``store.save_npz_atomically``). Imports numpy, the standard
library, ``digits``, ``stream`` and ``store``.
"""
from __future__ import annotations

import glob
import hashlib
import importlib.metadata
import importlib.util
import json
import os
from functools import lru_cache

import numpy as np

from neuronlab.nn import digits, pad, stream
from neuronlab.nn.store import save_npz_atomically

FORMAT = 1
NO_FILE = "no pool file yet"
OTHER = "drawn for another stream or generator"
# the modules whose code decides the pool's contents
_SOURCES = ("digits", "pad", "strokes", "stream", "kernels", "pool_cache")


@lru_cache(maxsize=None)
def _code_hash() -> str:
    h = hashlib.sha256()
    for name in _SOURCES:
        spec = importlib.util.find_spec(f"neuronlab.nn.{name}")   # found, not imported
        with open(spec.origin, "rb") as f:
            h.update(f.read())
    return h.hexdigest()


def _version(dist: str) -> str | None:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def fingerprint(gen: stream.DigitGenerator) -> dict:
    """What a pool file must match to stand for ``gen``'s drawn pool (the first block is
    drawn for it: a few ms)."""
    X, y = digits.draw_block(gen.entropy, 0, gen.chunk)      # as prefill draws it
    drawn = hashlib.sha256(stream.levelled(X).tobytes() + y.tobytes()).hexdigest()
    table = gen._table
    return {"format": FORMAT, "entropy": str(gen.entropy), "pool": list(gen._pool.shape),
            "levels": stream.POOL_LEVELS, "chunk": gen.chunk, "digits": drawn,
            "compiled": pad.kernels() is not None, "code": _code_hash(),
            "numpy": np.__version__, "numba": _version("numba"),
            "realism": None if table is None else hashlib.sha256(table.tobytes()).hexdigest()}


def _stale_temps(path: str) -> None:
    """Temp files a save cut short left beside ``path`` (31 MB each): removed."""
    folder, name = os.path.split(os.path.abspath(path))
    for tmp in glob.glob(os.path.join(glob.escape(folder), "." + glob.escape(name) + ".*.tmp")):
        try:
            os.unlink(tmp)
        except OSError:
            pass


def save(path, gen: stream.DigitGenerator) -> None:
    """Write ``gen``'s pool, drawn whole and nothing served since, to ``path`` atomically.
    Raises OSError where it cannot be written."""
    if not gen.pool_full or gen.batches or int(gen._queued_n.sum()):
        raise ValueError("only a pool just drawn whole, nothing served, is saved")
    os.makedirs(os.path.dirname(os.path.abspath(os.fspath(path))), exist_ok=True)
    _stale_temps(os.fspath(path))
    arrays = {"pool": gen._pool, "keep": gen._keep, "write": gen._write,
              "next_block": np.array(gen._next_block, np.int64)}
    save_npz_atomically(path, {"meta": np.array(json.dumps(fingerprint(gen), sort_keys=True)), **arrays})


def load_into(path, gen: stream.DigitGenerator) -> str | None:
    """Put the pool saved at ``path`` into ``gen`` (new, nothing drawn yet). None when it
    is in; else the reason it is not (one line), ``gen`` left untouched."""
    path = os.fspath(path)
    if gen._next_block or gen.batches or int(gen._count.sum()):
        return "the generator has drawn already"
    if not os.path.exists(path):
        return NO_FILE
    try:
        with np.load(path, allow_pickle=False) as f:
            meta = json.loads(str(f["meta"][()]))
            pool, keep, write, nxt = f["pool"], f["keep"], f["write"], f["next_block"]
    except Exception as e:      # truncated, not an archive, an array missing or garbled
        return f"unreadable ({type(e).__name__}: {' '.join(str(e).split())[:120]})"
    if not isinstance(meta, dict):
        return "unreadable (no fingerprint)"
    want = fingerprint(gen)
    differ = sorted(k for k in want if meta.get(k) != want[k])
    if differ:
        return f"{OTHER} ({', '.join(differ)})"
    if (pool.shape != gen._pool.shape or pool.dtype != gen._pool.dtype or keep.shape != gen._keep.shape
            or keep.dtype != gen._keep.dtype or write.shape != gen._write.shape or nxt.shape != ()
            or write.dtype.kind != "i" or nxt.dtype.kind != "i"):
        return "arrays of the wrong shape"
    cap = gen._pool.shape[1]
    if not (np.all((write >= 0) & (write < max(cap, 1))) and 0 < int(nxt) < 2**40
            and np.isfinite(keep).all() and (keep > 0).all() and (keep <= 1).all()):
        return "values out of range"
    gen._pool[...] = pool
    gen._keep[...] = keep
    gen._write[...] = write
    gen._count[...] = gen._pool.shape[1]
    gen._next_block = gen.blocks_queued = int(nxt)
    return None


def expected(reason: str) -> bool:
    """Whether a reason ``load_into`` gave is a file that is simply not this pool's yet
    (none, or another seed's or generator's), not a damaged one."""
    return reason == NO_FILE or reason.startswith(OTHER)
