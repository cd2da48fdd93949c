"""The input sheet's wires kept in a texture, drawn again only when what they show changed.

The wires from the input sheet to the first hidden layer (4,096 of the 4,408) are most of
what llvmpipe rasterises in a frame, and between frames they change little: the camera
stands still, and while the network trains each wire's a*w drifts slowly. This module
owns two colour textures of the viewport's size -- the front (the complete layer on
display) and the back (the next one, being drawn) -- their framebuffers, and the program
that lays the front over the frame.

Each frame the graph pass hands over the frame's key (matrices, viewport, wire
intensity), the sheet's wire rows, and how soon a change must show (``spread``):

* the key changed since the last frame (the camera is moving, the window was resized),
  or the rows changed and ``spread`` is 0 (a touched wire, an opened neuron): the
  wires are drawn straight onto the frame, as without a cache (a layer drawn and read in
  the same frame would make llvmpipe finish drawing it before the frame goes on);
* the first frame after that: the layer is drawn again, whole, and shown;
* the rows are those on display (each colour within ``DRIFT_TOL``): nothing is drawn;
* otherwise the rows of this moment are drawn into the back texture one slice a frame
  over ``spread`` frames, and front and back swap at the frame after the last slice. The
  slices are drawn in the order a whole redraw draws them, onto the same cleared
  texture, so the layer ends up with the very pixels a whole redraw gives.

Layers are cleared to transparent black and composited premultiplied over whatever the
frame holds: blending "over" is associative, so the composite is the wires drawn straight
onto the frame, up to the rounding of the texture's 8 bits.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import moderngl
import numpy as np

from neuronlab.render import glraw
from neuronlab.render.programs import load_program

DRIFT_TOL = 0.5 / 255   # a wire colour or brightness moved less than this shows no change
END_TOL = 1e-4          # world units: a wire end moved less than this has not moved


@dataclass
class _Build:
    key: tuple
    rows: np.ndarray     # (V, R) the rows being drawn, in drawing order
    per_frame: int       # rows a frame
    frames_left: int
    done: int = 0


def same_rows(a: np.ndarray | None, b: np.ndarray | None, ends: int = 6) -> bool:
    """Whether two sets of wire rows (ends then colour) draw the same picture."""
    if a is None or b is None or a.shape != b.shape:
        return False
    if not len(a):
        return True
    return (float(np.abs(a[:, :ends] - b[:, :ends]).max()) <= END_TOL
            and float(np.abs(a[:, ends:] - b[:, ends:]).max()) <= DRIFT_TOL)


class WireCache:
    def __init__(self, ctx: moderngl.Context):
        self.ctx = ctx
        self.prog = load_program(ctx, "hud", defines=("CACHE",))         # the HUD's fast quad
        self.prog_sweep = load_program(ctx, "hud", defines=("CACHE", "SWEEP"))
        corners = np.array([0, 0, 1, 0, 1, 1, 0, 1], np.float32)   # a fan: llvmpipe's rectangle path
        self.vbo = ctx.buffer(corners.tobytes())
        self.vao = ctx.vertex_array(self.prog, [(self.vbo, "2f", "in_corner")])
        self.vao_sweep = ctx.vertex_array(self.prog_sweep, [(self.vbo, "2f", "in_corner")])
        self.size: tuple[int, int] | None = None
        self._tex: list[moderngl.Texture] = []
        self._fbo: list[moderngl.Framebuffer] = []
        self.key: tuple | None = None        # what the front layer was drawn for
        self.rows: np.ndarray | None = None  # the rows it shows
        self.build: _Build | None = None
        self._ready = False                  # the build is complete: swap at the next frame
        self._last_key: tuple | None = None  # last frame's key: a change means the camera moved
        self.straight = 0  # frames whose layer was drawn straight onto the frame
        self.redraws = 0   # whole redraws so far
        self.slices = 0    # slices of spread redraws so far
        self.swaps = 0     # spread redraws completed

    def _ensure(self, size: tuple[int, int]) -> None:
        if size == self.size:
            return
        self._free_targets()
        for _ in range(2):
            tex = self.ctx.texture(size, 4)
            tex.filter = (moderngl.NEAREST, moderngl.NEAREST)
            tex.repeat_x = tex.repeat_y = False          # clamped: the fast path needs it
            if glraw.available():
                tex.use(0)
                glraw.define_bgra(size)                  # B8G8R8A8: the fast path's layout
            self._tex.append(tex)
            self._fbo.append(self.ctx.framebuffer(color_attachments=[tex]))
        self.size = size
        self.key = self.rows = self.build = None
        self._ready = False

    def update(self, key: tuple, size: tuple[int, int], rows: np.ndarray, spread: int, draw) -> bool:
        """Bring the front layer up to date as the rules above say; True when it is what
        this frame shows (composite it), False when ``rows`` must be drawn straight onto
        the frame instead. ``draw(rows)`` draws wire rows into the bound framebuffer with
        the frame's uniforms already set."""
        size = (int(size[0]), int(size[1]))
        self._ensure(size)
        moving, self._last_key = key != self._last_key, key
        if moving or (spread <= 0 and not same_rows(rows, self.rows)):
            # drawn straight: a layer drawn and read back in the same frame makes llvmpipe
            # finish the drawing before the frame goes on, where straight it overlaps
            self.key = self.rows = self.build = None
            self._ready = False
            self.straight += 1
            return False
        if self._ready:
            self._tex.reverse()
            self._fbo.reverse()
            self.rows, self.build, self._ready = self.build.rows, None, False
            self.swaps += 1
        if self.key is None:
            self._whole(key, rows, draw)
            return True
        if same_rows(rows, self.rows):
            self.build = None
            return True
        b = self.build
        if b is None or b.key != key or spread < b.frames_left:
            b = self.build = _Build(key, rows.copy(), max(1, math.ceil(len(rows) / spread)), spread)
        self._target(1)
        if b.done == 0:
            self.ctx.clear(0.0, 0.0, 0.0, 0.0)
        end = min(len(b.rows), b.done + b.per_frame)
        if end > b.done:
            draw(b.rows[b.done:end])
        b.done, b.frames_left = end, b.frames_left - 1
        self.slices += 1
        # shown from the next frame: read in this one it would wait for its last slice
        self._ready = b.done >= len(b.rows)
        return True

    def _whole(self, key, rows, draw) -> None:
        self._target(0)
        self.ctx.clear(0.0, 0.0, 0.0, 0.0)
        if len(rows):
            draw(rows)
        self.key, self.rows, self.build, self._ready = key, rows.copy(), None, False
        self.redraws += 1

    def _target(self, i: int) -> None:
        fbo = self._fbo[i]
        fbo.use()
        self.ctx.viewport = (0, 0, *self.size)

    def composite(self, rect: tuple[int, int, int, int], sweep=None, forward=(1.0, 1.0, 1.0)) -> None:
        """Lay the front layer's ``rect`` (x, y, w, h in GL px inside the viewport) over the
        bound framebuffer at the same place; ``sweep``: the gains of its light, of a tint
        towards ``forward`` and of its alpha while the forward sweep passes over it."""
        if self.key is None or rect[2] <= 0 or rect[3] <= 0:
            return
        ctx = self.ctx
        prog, vao = (self.prog, self.vao) if sweep is None else (self.prog_sweep, self.vao_sweep)
        prog["u_vp"].value = (float(self.size[0]), float(self.size[1]))
        prog["u_rect"].value = tuple(float(v) for v in rect)
        prog["u_tex"].value = 0
        if sweep is not None:
            prog["u_sweep"].value = tuple(float(v) for v in sweep)
            prog["u_fwd"].value = tuple(float(v) for v in forward)
        ctx.enable_only(moderngl.BLEND)
        ctx.blend_func = moderngl.ONE, moderngl.ONE_MINUS_SRC_ALPHA
        self._tex[0].use(0)
        vao.render(moderngl.TRIANGLE_FAN)

    def front_pixels(self) -> np.ndarray:
        """(H, W, 4) uint8 of the front layer, row 0 at the bottom (for tests)."""
        raw = self._fbo[0].read(components=4, alignment=1)
        return np.frombuffer(raw, np.uint8).reshape(self.size[1], self.size[0], 4)

    def _free_targets(self) -> None:
        if self._fbo:
            (self.ctx.screen or self.ctx.detect_framebuffer(0)).use()   # never delete the bound one
        for obj in (*self._fbo, *self._tex):
            obj.release()
        self._fbo, self._tex = [], []

    def release(self) -> None:
        self._free_targets()
        for obj in (self.vao, self.vao_sweep, self.vbo, self.prog, self.prog_sweep):
            obj.release()
