"""HUD panels: pygame Surfaces shown as textured quads over the 3D graph.

Each panel owns one texture sized like its surface; the texture is re-uploaded only
when the caller says the surface changed (a new ``version``), and re-created only when
its size changes. Panel-sized quads cost a fraction of a millisecond on llvmpipe, where
one full-screen HUD texture would cost several.

Textures hold premultiplied alpha in B8G8R8A8 (see ``glraw``), the shader is a bare
texture fetch and blending is (ONE, ONE_MINUS_SRC_ALPHA): llvmpipe's blend fast path.
Each panel is one 4-vertex TRIANGLE_FAN, which llvmpipe bins as a rectangle for its linear
rasteriser. Panels sit on whole pixels, so at the window's size NEAREST sampling gives the
same picture as LINEAR, cheaper; a larger (HiDPI) framebuffer magnifies them with LINEAR.
The figures are in docs/performance.md.
"""
from __future__ import annotations

from dataclasses import dataclass

import moderngl
import numpy as np
import pygame

from neuronlab.render import glraw
from neuronlab.render.programs import load_program


@dataclass
class _Panel:
    texture: moderngl.Texture
    rect: tuple[int, int, int, int]
    version: object
    alpha: float = 1.0


class HudPass:
    def __init__(self, ctx: moderngl.Context, program: moderngl.Program | None = None):
        """``program``: the ``hud`` program (loaded here if not given); its FADE variant,
        for panels shown with alpha < 1, is loaded here."""
        self.ctx = ctx
        self.prog = program if program is not None else load_program(ctx, "hud")
        self.prog_fade = load_program(ctx, "hud", defines=("FADE",))
        corners = np.array([0, 0, 1, 0, 1, 1, 0, 1], dtype="f4")   # a fan: see the docstring
        self.vbo = ctx.buffer(corners.tobytes())
        self.vao = ctx.vertex_array(self.prog, [(self.vbo, "2f", "in_corner")])
        self.vao_fade = ctx.vertex_array(self.prog_fade, [(self.vbo, "2f", "in_corner")])
        self.bgra = glraw.available()   # B8G8R8A8 textures written straight from pygame
        self.panels: dict[str, _Panel] = {}
        self.order: list[str] = []
        self.uploads = 0  # how many texture uploads so far (the benchmark reads it)
        self._scratch = bytearray()   # every upload's premultiplied copy, the largest one's size

    def show(self, name: str, surface: pygame.Surface, pos: tuple[int, int], version: object,
             alpha: float = 1.0) -> None:
        """Place ``surface`` at ``pos`` (top-left, px). Uploads only if ``version`` changed."""
        w, h = surface.get_size()
        panel = self.panels.get(name)
        if panel is not None and panel.texture.size != (w, h):
            panel.texture.release()
            panel = None
        if panel is None:
            tex = self.ctx.texture((w, h), 4)
            tex.repeat_x = tex.repeat_y = False   # clamped: the fast path needs it
            if self.bgra:
                tex.use(0)
                glraw.define_bgra((w, h))
            else:
                tex.swizzle = "BGRA"  # pygame SRCALPHA surfaces are B,G,R,A in memory
            panel = _Panel(tex, (0, 0, w, h), object())
            self.panels[name] = panel
        if panel.version != version:
            if surface.get_bitsize() != 32 or surface.get_masks() != (0xFF0000, 0xFF00, 0xFF, 0xFF000000):
                surface = surface.convert_alpha() if pygame.display.get_surface() else \
                    surface.convert(32, (0xFF0000, 0xFF00, 0xFF, 0xFF000000))
            surface = self._premultiplied(surface)   # the caller's is untouched
            if self.bgra:
                panel.texture.use(0)
                pixels = np.frombuffer(surface.get_view("1"), np.uint8)   # (pitch * h,) B,G,R,A rows
                glraw.write_bgra((w, h), pixels.ctypes.data, surface.get_pitch())
            else:
                panel.texture.write(surface.get_view("1"))
            panel.version = version
            self.uploads += 1
        panel.rect = (int(pos[0]), int(pos[1]), w, h)
        panel.alpha = alpha
        if name not in self.order:
            self.order.append(name)

    def _premultiplied(self, surface: pygame.Surface) -> pygame.Surface:
        """``surface`` premultiplied, in memory kept for every upload: a new surface each
        time is fresh memory, and inside the exhibit the OS's first touch of its pages cost
        more than the premultiplying (docs/performance.md). Valid until the next call."""
        w, h = surface.get_size()
        if len(self._scratch) < w * h * 4:
            self._scratch = bytearray(w * h * 4)
        out = pygame.image.frombuffer(memoryview(self._scratch)[:w * h * 4], (w, h), "BGRA")
        out.fill((0, 0, 0, 0))
        out.blit(surface, (0, 0), special_flags=pygame.BLEND_RGBA_MAX)   # max(0, x): a copy
        out.premul_alpha_ip()
        return out

    def hide(self, name: str) -> None:
        if name in self.order:
            self.order.remove(name)

    def hide_all(self) -> None:
        self.order.clear()

    def draw(self, screen_size: tuple[int, int]) -> None:
        """Draw the shown panels, in order, over the bound framebuffer; ``screen_size`` is
        the window size in the units of the panel positions."""
        ctx = self.ctx
        one_to_one = tuple(ctx.viewport[2:]) == tuple(int(v) for v in screen_size)
        filt = moderngl.NEAREST if one_to_one else moderngl.LINEAR
        ctx.enable_only(moderngl.BLEND)
        ctx.blend_func = moderngl.ONE, moderngl.ONE_MINUS_SRC_ALPHA   # premultiplied
        screen = (float(screen_size[0]), float(screen_size[1]))
        for prog in (self.prog, self.prog_fade):
            prog["u_screen"].value = screen
            prog["u_tex"].value = 0
        for name in self.order:
            p = self.panels[name]
            if p.alpha <= 0.0:
                continue
            fade = p.alpha < 1.0
            prog, vao = (self.prog_fade, self.vao_fade) if fade else (self.prog, self.vao)
            # pygame rows run top-down and texture rows bottom-up: v=0 is the top row here.
            prog["u_rect"].value = tuple(float(v) for v in p.rect)
            if fade:
                prog["u_alpha"].value = p.alpha
            if p.texture.filter[0] != filt:
                p.texture.filter = (filt, filt)
            p.texture.use(0)
            vao.render(moderngl.TRIANGLE_FAN)
        ctx.blend_func = moderngl.SRC_ALPHA, moderngl.ONE_MINUS_SRC_ALPHA

    def release(self) -> None:
        for p in self.panels.values():
            p.texture.release()
        self.panels.clear()
        self.order.clear()
        self.vao.release()
        self.vao_fade.release()
        self.prog_fade.release()
        self.vbo.release()
