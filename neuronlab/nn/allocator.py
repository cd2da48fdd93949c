"""glibc's allocator settings: the one ctypes door to ``mallopt``, and the settings of the
processes that draw training digits (the feeder's, the command line's).

A process drawing digits in blocks makes temporaries of 0.25-2 MB every block. Under
glibc's own thresholds those are mapped and unmapped, or the heap is trimmed under them,
block after block, so their pages fault in again, zeroed, each time: about a third of the
drawing's time (docs/performance.md). ``tune_for_drawing`` keeps them in the heap. The
exhibit's own process sets lower thresholds for weeks of running (``neuronlab.memory``,
through ``mallopt`` here). Everything glibc-specific does nothing elsewhere; no
import-time side effects. Imports the standard library only.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import functools

MB = 2**20

# mallopt parameters (glibc malloc.h)
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
M_ARENA_MAX = -8

DRAWING_MMAP_THRESHOLD = 4 * MB   # above the drawing's largest temporaries (~1.6 MB a block)
DRAWING_TRIM_THRESHOLD = 8 * MB   # and twice that may stay free at the heap's top


@functools.lru_cache(maxsize=1)
def libc():
    """glibc's C library, or None. Its usual name first: a search (``find_library`` runs
    ldconfig) costs ~1.6 ms, and every command asks at start-up."""
    try:
        return ctypes.CDLL("libc.so.6")
    except OSError:
        pass
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name) if name else None
    except OSError:
        return None


def mallopt(settings, lib=None) -> dict[str, bool]:
    """Apply ``settings``, (name, mallopt parameter, value) each, a value of None left
    alone; returns which ones glibc accepted by name (empty without glibc)."""
    lib = lib if lib is not None else libc()
    fn = getattr(lib, "mallopt", None) if lib is not None else None
    if fn is None:
        return {}
    fn.argtypes = [ctypes.c_int, ctypes.c_int]
    fn.restype = ctypes.c_int
    return {name: fn(param, int(value)) == 1 for name, param, value in settings
            if value is not None}


def tune_for_drawing(lib=None) -> dict[str, bool]:
    """The drawing processes' thresholds (fixed, so glibc no longer moves them)."""
    return mallopt((("mmap_threshold", M_MMAP_THRESHOLD, DRAWING_MMAP_THRESHOLD),
                    ("trim_threshold", M_TRIM_THRESHOLD, DRAWING_TRIM_THRESHOLD)), lib)
