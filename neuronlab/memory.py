"""Memory hygiene for weeks of running: hand freed heap pages back to the OS now and then.

Panels are re-rendered as surfaces of many sizes, and glibc's allocator keeps the freed
pieces; over hours the process's resident size creeps up although nothing leaks. Calling
``malloc_trim(0)`` once a minute (a few milliseconds) returns them. Elsewhere than glibc
this does nothing. Time is passed in."""
from __future__ import annotations

import ctypes
import ctypes.util


def _glibc_trim():
    name = ctypes.util.find_library("c")
    try:
        fn = ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        fn = None
    if fn is None:
        return None
    fn.argtypes = [ctypes.c_size_t]
    return lambda: fn(0)


class Trimmer:
    def __init__(self, every_s: float = 60.0, trim=None):
        self.every_s = float(every_s)
        self.trim = trim if trim is not None else _glibc_trim()
        self.next_at = self.every_s
        self.count = 0

    def update(self, now: float) -> bool:
        """Trim if ``every_s`` of exhibit time passed since the last trim."""
        if self.trim is None or now < self.next_at:
            return False
        self.next_at = now + self.every_s
        self.trim()
        self.count += 1
        return True
