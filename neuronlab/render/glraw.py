"""The few OpenGL calls moderngl does not offer, through ctypes on the system's libGL.

moderngl uploads 4-channel textures as GL_RGBA, so Mesa stores them R8G8B8A8. llvmpipe's
fast path for window-aligned textured quads (a straight copy or an SSE blend) needs
B8G8R8A8 storage, which Mesa picks when an
unsized GL_RGBA texture is specified from GL_BGRA bytes -- exactly pygame's 32-bit
surface layout, so the upload is a plain copy as well.
``define_r8_levels`` uploads a mipmap chain made on the CPU: llvmpipe's own mipmap
generation first compiles its blit shaders, a tenth of a second at start-up.

Every function here acts on the current context; ``available()`` is False where libGL or
a symbol is missing, and callers then use moderngl's own path.
"""
from __future__ import annotations

import ctypes
import ctypes.util

GL_TEXTURE_2D = 0x0DE1
GL_RGBA = 0x1908
GL_BGRA = 0x80E1
GL_UNSIGNED_BYTE = 0x1401
GL_UNPACK_ALIGNMENT = 0x0CF5
GL_UNPACK_ROW_LENGTH = 0x0CF2
GL_RED = 0x1903
GL_R8 = 0x8229

_lib = None
_loaded = False


def _load():
    global _lib, _loaded
    if _loaded:
        return _lib
    _loaded = True
    for name in ("GL", "OpenGL"):
        path = ctypes.util.find_library(name)
        if not path:
            continue
        try:
            lib = ctypes.CDLL(path)
            lib.glTexImage2D.argtypes = [ctypes.c_uint, ctypes.c_int, ctypes.c_int, ctypes.c_int,
                                         ctypes.c_int, ctypes.c_int, ctypes.c_uint, ctypes.c_uint,
                                         ctypes.c_void_p]
            lib.glTexSubImage2D.argtypes = [ctypes.c_uint, ctypes.c_int, ctypes.c_int, ctypes.c_int,
                                            ctypes.c_int, ctypes.c_int, ctypes.c_uint, ctypes.c_uint,
                                            ctypes.c_void_p]
            lib.glPixelStorei.argtypes = [ctypes.c_uint, ctypes.c_int]
        except (OSError, AttributeError):
            continue
        _lib = lib
        break
    return _lib


def available() -> bool:
    return _load() is not None


def define_bgra(size: tuple[int, int]) -> None:
    """(Re)define the texture bound to GL_TEXTURE_2D on the active unit as unsized GL_RGBA
    of ``size`` from GL_BGRA bytes (Mesa then stores it B8G8R8A8), contents undefined."""
    lib = _load()
    lib.glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, int(size[0]), int(size[1]), 0, GL_BGRA,
                     GL_UNSIGNED_BYTE, None)


def write_bgra(size: tuple[int, int], address: int, pitch: int) -> None:
    """Copy rows of B,G,R,A bytes (``pitch`` bytes apart, from ``address``) into the
    whole texture bound to GL_TEXTURE_2D on the active unit."""
    lib = _load()
    lib.glPixelStorei(GL_UNPACK_ALIGNMENT, 4)
    lib.glPixelStorei(GL_UNPACK_ROW_LENGTH, int(pitch) // 4)
    lib.glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, int(size[0]), int(size[1]), GL_BGRA,
                        GL_UNSIGNED_BYTE, ctypes.c_void_p(int(address)))
    lib.glPixelStorei(GL_UNPACK_ROW_LENGTH, 0)


def define_r8_levels(levels) -> None:
    """Define every mipmap level of the texture bound to GL_TEXTURE_2D on the active unit
    as GL_R8 from (h, w) uint8 arrays, level 0 first (rows bottom-up, as GL reads them)."""
    import numpy as np

    lib = _load()
    lib.glPixelStorei(GL_UNPACK_ALIGNMENT, 1)
    for k, lvl in enumerate(levels):
        a = np.ascontiguousarray(lvl, np.uint8)
        lib.glTexImage2D(GL_TEXTURE_2D, k, GL_R8, a.shape[1], a.shape[0], 0, GL_RED,
                         GL_UNSIGNED_BYTE, ctypes.c_void_p(a.ctypes.data))
    lib.glPixelStorei(GL_UNPACK_ALIGNMENT, 4)
