"""The GL context and framebuffers: the only place the app makes a window context.

``create_window_context`` asks SDL (pygame-ce) for an OpenGL 3.3 core window and wraps it
in a moderngl context: fullscreen at a display mode of the technician's choosing (asked
again at the display's own size if refused; SDL_VIDEO_MINIMIZE_ON_FOCUS_LOSS is set to 0 for
the process unless set, so a pop-up does not minimise it), else a resizable window. Under
``SDL_VIDEODRIVER=offscreen`` this is a real window through EGL on a machine with no screen
(the path tests and screenshots use). ``software_renderer_advice`` is the log line for a
CPU rasteriser asked for more than 1920x1080's pixels. ``create_offscreen_framebuffer`` and
``read_rgb`` / ``save_png`` serve headless pictures.
"""
from __future__ import annotations

import logging
import os

import moderngl
import numpy as np
import pygame

log = logging.getLogger("neuronlab")


def display_mode(mode) -> tuple[int, int] | None:
    """The display mode a ``[window] fullscreen_size`` asks for, or None: the display's own
    (a missing value or a zero in it)."""
    return (int(mode[0]), int(mode[1])) if mode and min(mode) > 0 else None


def create_window_context(size: tuple[int, int], fullscreen: bool = False,
                          vsync: bool = True, mode: tuple[int, int] | None = None
                          ) -> tuple[pygame.Surface, moderngl.Context]:
    """Open the window (set_mode is called here only, once unless refused) and return
    (surface, ctx).
    Fullscreen takes the display's own size, or with ``mode`` switches the display to that
    mode (SDL picks the nearest it offers)."""
    if fullscreen:
        # SDL minimises a fullscreen window that loses focus (and puts an asked display
        # mode back): on a kiosk a stray pop-up would leave the desktop showing
        os.environ.setdefault("SDL_VIDEO_MINIMIZE_ON_FOCUS_LOSS", "0")
    pygame.display.init()
    pygame.display.gl_set_attribute(pygame.GL_CONTEXT_MAJOR_VERSION, 3)
    pygame.display.gl_set_attribute(pygame.GL_CONTEXT_MINOR_VERSION, 3)
    pygame.display.gl_set_attribute(pygame.GL_CONTEXT_PROFILE_MASK,
                                    pygame.GL_CONTEXT_PROFILE_CORE)
    # No depth or stencil buffer: the graph is drawn in painter's order, and llvmpipe only
    # permits its fast path for the HUD's textured quads on a framebuffer without one.
    pygame.display.gl_set_attribute(pygame.GL_DEPTH_SIZE, 0)
    pygame.display.gl_set_attribute(pygame.GL_STENCIL_SIZE, 0)
    pygame.display.gl_set_attribute(pygame.GL_DOUBLEBUFFER, 1)
    flags = pygame.OPENGL | pygame.DOUBLEBUF | (pygame.FULLSCREEN if fullscreen else pygame.RESIZABLE)
    if fullscreen:
        size = display_mode(mode) or (0, 0)
    else:
        size = (int(size[0]), int(size[1]))
    try:
        surface = _set_mode(size, flags, vsync)
    except pygame.error as err:
        if not fullscreen or size == (0, 0):
            raise
        # a mode the display will not take must not leave the gallery a black screen
        log.warning("display mode %dx%d refused (%s): fullscreen at the display's own size",
                    size[0], size[1], err)
        surface = _set_mode((0, 0), flags, vsync)
    ctx = moderngl.create_context(require=330)
    ctx.enable(moderngl.BLEND)
    ctx.blend_func = moderngl.SRC_ALPHA, moderngl.ONE_MINUS_SRC_ALPHA
    return surface, ctx


def _set_mode(size: tuple[int, int], flags: int, vsync: bool) -> pygame.Surface:
    try:
        return pygame.display.set_mode(size, flags, vsync=1 if vsync else 0)
    except pygame.error:
        # vsync can be refused by the driver; a window without it beats no window
        return pygame.display.set_mode(size, flags)


# Renderers that rasterise on the CPU: their cost grows with the pixels drawn.
SOFTWARE_RENDERERS = ("llvmpipe", "softpipe", "swrast")
FULL_HD = 1920 * 1080


def software_renderer_advice(renderer: str, size: tuple[int, int]) -> str | None:
    """One line for the log when a software renderer draws more pixels than 1920x1080
    (a 4K panel without a GPU: about 37 fps at 3840x2160 on a 2-core host, against 86-92
    at 1920x1080, docs/performance.md); None otherwise."""
    if not any(name in renderer.lower() for name in SOFTWARE_RENDERERS):
        return None
    w, h = int(size[0]), int(size[1])
    if w * h <= FULL_HD * 1.2:
        return None
    return (f"software renderer ({renderer.split(' (')[0]}) at {w}x{h}: {w * h / FULL_HD:.1f} times "
            "1920x1080's pixels, and its frames cost about as many times more. Without a GPU, "
            "[window] fullscreen_size = [1920, 1080] lets the panel scale the picture up (docs/kiosk.md)")


def create_offscreen_framebuffer(ctx: moderngl.Context, size: tuple[int, int]) -> moderngl.Framebuffer:
    """An RGBA8 colour framebuffer like the window's (no depth buffer); release its
    attachments with :func:`release_framebuffer`."""
    color = ctx.renderbuffer(tuple(size), 4)
    return ctx.framebuffer(color_attachments=[color])


def release_framebuffer(fbo: moderngl.Framebuffer) -> None:
    attachments = list(fbo.color_attachments) + ([fbo.depth_attachment] if fbo.depth_attachment else [])
    # Unbind first: Mesa then rejects the next buffer write (GL_INVALID_OPERATION) if the
    # deleted framebuffer was the bound one.
    ctx = fbo.ctx
    (ctx.screen or ctx.detect_framebuffer(0)).use()
    fbo.release()
    for a in attachments:
        a.release()


def read_rgb(fbo: moderngl.Framebuffer, viewport=None) -> np.ndarray:
    """(H, W, 3) uint8, row 0 at the top (GL's rows start at the bottom)."""
    vp = tuple(viewport or fbo.viewport)
    ctx = fbo.ctx
    default = getattr(fbo, "glo", None) == 0   # the window's own framebuffer
    before = ctx.error if default else "GL_NO_ERROR"
    raw = fbo.read(viewport=vp, components=3, alignment=1)
    if default:
        # moderngl selects GL_COLOR_ATTACHMENT0 as the read buffer even for the default
        # framebuffer, which GL flags as INVALID_OPERATION while the read itself still
        # comes from the back buffer. Swallow only that flag, keep any earlier error.
        _ = ctx.error
        if before != "GL_NO_ERROR":
            log.warning("GL error before reading pixels: %s", before)
    img = np.frombuffer(raw, np.uint8).reshape(vp[3], vp[2], 3)  # bottom row first
    return img[::-1].copy()


def save_png(fbo: moderngl.Framebuffer, path: str, viewport=None) -> None:
    """Write the framebuffer (``ctx.screen`` or an fbo) to a PNG the right way up."""
    img = read_rgb(fbo, viewport)
    surf = pygame.image.frombuffer(img.tobytes(), (img.shape[1], img.shape[0]), "RGB")
    pygame.image.save(surf, str(path))
