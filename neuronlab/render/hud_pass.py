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
A panel that lies clear of the graph and of every panel drawn before it has only the flat
background behind it: there it is drawn without blending, from a copy composited over that
background once per version (the same pixels, up to rounding; llvmpipe skips reading the
framebuffer). The figures are in docs/performance.md.
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
    surface: pygame.Surface | None = None          # the version shown
    texture_version: object = None                 # the version the texture holds
    opaque: moderngl.Texture | None = None         # composited over the background
    opaque_version: object = None
    was_opaque: bool = False                       # drawn opaque last frame


class HudPass:
    def __init__(self, ctx: moderngl.Context, program: moderngl.Program | None = None,
                 background: tuple[float, float, float] | None = None):
        """``program``: the ``hud`` program (loaded here if not given); its FADE variant,
        for panels shown with alpha < 1, is loaded here. ``background``: the colour the
        frame is cleared to (0..1), under which panels clear of the graph are drawn
        opaque; None: every panel blended."""
        self.ctx = ctx
        self.background = None if background is None else tuple(
            int(round(min(max(float(c), 0.0), 1.0) * 255)) for c in background)
        self.opaque_draws = 0   # panels drawn without blending so far (the tests read it)
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
        self._flat_scratch = bytearray()   # every opaque copy, the same way

    def show(self, name: str, surface: pygame.Surface, pos: tuple[int, int], version: object,
             alpha: float = 1.0) -> None:
        """Place ``surface`` at ``pos`` (top-left, px). Uploads only if ``version`` changed,
        and only the copy the panel was drawn from last frame (premultiplied, or opaque over
        the background): uploads go before the frame's drawing, where nothing waits for them;
        the other copy is made in ``draw`` when it is needed."""
        w, h = surface.get_size()
        panel = self.panels.get(name)
        if panel is not None and panel.texture.size != (w, h):
            self._release_panel(panel)
            panel = None
        if panel is None:
            panel = _Panel(self._texture((w, h)), (0, 0, w, h), object())
            self.panels[name] = panel
        if panel.version != version:
            if surface.get_bitsize() != 32 or surface.get_masks() != (0xFF0000, 0xFF00, 0xFF, 0xFF000000):
                surface = surface.convert_alpha() if pygame.display.get_surface() else \
                    surface.convert(32, (0xFF0000, 0xFF00, 0xFF, 0xFF000000))
            panel.surface, panel.version = surface, version
            if panel.was_opaque and self.background is not None:
                self._opaque(panel)
            else:
                self._blended(panel)
        panel.rect = (int(pos[0]), int(pos[1]), w, h)
        panel.alpha = alpha
        if name not in self.order:
            self.order.append(name)

    def _texture(self, size: tuple[int, int]) -> moderngl.Texture:
        tex = self.ctx.texture(size, 4)
        tex.repeat_x = tex.repeat_y = False   # clamped: the fast path needs it
        if self.bgra:
            tex.use(0)
            glraw.define_bgra(size)
        else:
            tex.swizzle = "BGRA"  # pygame SRCALPHA surfaces are B,G,R,A in memory
        return tex

    def _write(self, tex: moderngl.Texture, surface: pygame.Surface) -> None:
        """A B,G,R,A surface of the texture's size into the texture."""
        if self.bgra:
            tex.use(0)
            pixels = np.frombuffer(surface.get_view("1"), np.uint8)   # (pitch * h,) B,G,R,A rows
            glraw.write_bgra(tex.size, pixels.ctypes.data, surface.get_pitch())
        else:
            tex.write(surface.get_view("1"))

    def _blended(self, p: _Panel) -> moderngl.Texture:
        """The panel's version premultiplied, for blending."""
        if p.texture_version != p.version:
            self._write(p.texture, self._premultiplied(p.surface))   # the caller's is untouched
            p.texture_version = p.version
            self.uploads += 1
        return p.texture

    def _opaque(self, p: _Panel) -> moderngl.Texture:
        """The panel's version composited over the background (alpha 255 everywhere)."""
        if p.opaque is None:
            p.opaque = self._texture(p.texture.size)
        if p.opaque_version != p.version:
            w, h = p.texture.size
            if len(self._flat_scratch) < w * h * 4:
                self._flat_scratch = bytearray(w * h * 4)
            # in memory kept between uploads, as the premultiplied copy is (fresh pages cost)
            flat = pygame.image.frombuffer(memoryview(self._flat_scratch)[:w * h * 4], (w, h), "BGRA")
            flat.fill((*self.background, 255))
            flat.blit(p.surface, (0, 0))            # straight alpha over the opaque background
            self._write(p.opaque, flat)
            p.opaque_version = p.version
            self.uploads += 1
        return p.opaque

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

    def draw(self, screen_size: tuple[int, int], graph: tuple[int, int, int, int] | None = None) -> None:
        """Draw the shown panels, in order, over the bound framebuffer; ``screen_size`` is
        the window size in the units of the panel positions. ``graph``: the rectangle (x,
        y, w, h, y down) the graph drew inside this frame (None: anywhere); a panel clear of
        it and of the panels before it is drawn opaque, over the background it would show."""
        ctx = self.ctx
        one_to_one = tuple(ctx.viewport[2:]) == tuple(int(v) for v in screen_size)
        filt = moderngl.NEAREST if one_to_one else moderngl.LINEAR
        # the graph's rectangle, and each panel drawn, cover what is behind the next ones
        covered = [pygame.Rect(graph)] if graph is not None else None
        opaque_ok = one_to_one and self.background is not None and covered is not None
        blending = True
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
            rect = pygame.Rect(p.rect)
            opaque = opaque_ok and not fade and rect.collidelist(covered) < 0
            if covered is not None:
                covered.append(rect)
            if opaque != (not blending):
                blending = not opaque
                ctx.enable_only(moderngl.BLEND if blending else moderngl.NOTHING)
            prog, vao = (self.prog_fade, self.vao_fade) if fade else (self.prog, self.vao)
            # pygame rows run top-down and texture rows bottom-up: v=0 is the top row here.
            prog["u_rect"].value = tuple(float(v) for v in p.rect)
            if fade:
                prog["u_alpha"].value = p.alpha
            tex = self._opaque(p) if opaque else self._blended(p)
            p.was_opaque = opaque
            if tex.filter[0] != filt:
                tex.filter = (filt, filt)
            tex.use(0)
            vao.render(moderngl.TRIANGLE_FAN)
            self.opaque_draws += opaque
        ctx.enable_only(moderngl.BLEND)
        ctx.blend_func = moderngl.SRC_ALPHA, moderngl.ONE_MINUS_SRC_ALPHA

    def _release_panel(self, p: _Panel) -> None:
        p.texture.release()
        if p.opaque is not None:
            p.opaque.release()

    def release(self) -> None:
        for p in self.panels.values():
            self._release_panel(p)
        self.panels.clear()
        self.order.clear()
        self.vao.release()
        self.vao_fade.release()
        self.prog_fade.release()
        self.vbo.release()
