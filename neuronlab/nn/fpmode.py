"""The process's floating-point mode: subnormal floats flushed to zero.

Owns ``flush_subnormals()``, called once at the start of every process that draws or
trains (the command line, the feeder process, the benches, the tests). Intel cores
handle a float below the smallest normal (1.2e-38 in float32) in microcode, about a
hundred times slower than a normal one, and the training digits make many: the far
tails of the blur's Gaussians (figures: docs/performance.md). Flushed, the stream of
training digits comes out the same bit for bit.

x86-64 Linux (glibc) only: it sets the SSE unit's flush-to-zero and denormals-are-zero
bits through glibc's ``fesetenv``. Elsewhere it leaves the mode as it is.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import logging
import platform

import numpy as np

log = logging.getLogger("neuronlab.nn.fpmode")

_FTZ_DAZ = 0x8040           # MXCSR bits 15 (flush to zero) and 6 (denormals are zero)
_MXCSR_OFFSET = 28          # glibc's x86-64 fenv_t: the x87 state (28 bytes), then MXCSR
_MASKS = 0x1F80             # MXCSR's exception masks, all set unless a program cleared them


def _libm():
    if platform.system() != "Linux" or platform.machine() != "x86_64":
        return None
    if platform.libc_ver()[0] != "glibc":
        return None
    try:
        return ctypes.CDLL("libm.so.6")    # glibc's name for it: no search at start-up
    except OSError:
        name = ctypes.util.find_library("m")   # (runs ldconfig: a few ms)
        return ctypes.CDLL(name) if name else None


def _mxcsr(libm) -> tuple[ctypes.Array, ctypes.c_uint32] | None:
    env = (ctypes.c_uint8 * 64)()          # fenv_t is 32 bytes here; room to spare
    if libm.fegetenv(env) != 0:
        return None
    word = ctypes.c_uint32.from_buffer(env, _MXCSR_OFFSET)
    if word.value & _MASKS != _MASKS:      # not the MXCSR we expect: leave the mode alone
        return None
    return env, word


def flush_subnormals() -> bool:
    """Flush subnormal floats to zero in this thread and the threads it starts from now
    on. True where that is set (or already was), False where it cannot be here."""
    # numpy's finfo, first asked under the flush, would warn that the smallest subnormal
    # is zero: compute and cache it now
    np.finfo(np.float32), np.finfo(np.float64)
    try:
        libm = _libm()
        got = _mxcsr(libm) if libm is not None else None
        if got is None:
            return False
        env, word = got
        word.value |= _FTZ_DAZ
        if libm.fesetenv(env) != 0:
            return False
    except (OSError, AttributeError, ValueError) as e:   # no libm, or no such functions
        log.info("subnormal floats left as they are (%s)", e)
        return False
    return flushed()


def flushed() -> bool:
    """Whether subnormal floats are flushed to zero in this thread."""
    tiny = np.float32(np.finfo(np.float32).tiny)
    with np.errstate(under="ignore"):
        return bool(tiny * np.float32(0.5) == 0)
