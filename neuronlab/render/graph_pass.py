"""The 3D graph pass: balls, halos, wires, gradient pulses and output labels.

Owns every GL object the graph needs, made once in ``__init__`` (the wire cache's two
textures at the first frame of a viewport size) and freed in ``release()``; nothing is
created per frame. ``update(arrays)`` writes the per-instance buffers from a
``view.graph.GraphArrays``; ``draw(view, proj, viewport, time, spread=0)`` draws them:

1. wires: the input sheet's (4,096 of the 4,408) from a cached layer, drawn again only
   when they changed (``render/wire_cache``; ``spread`` says how soon a change must show)
   and laid over the frame every frame; then the other layers' wires, and any wire lit
   over everything, straight over it. A wire is one smoothed screen-space quad if bright,
   blended premultiplied "over" with alpha = the light's largest channel (a lone wire
   adds its light; a pile tends to its wires' own hue rather than clipping to white); the
   faint ones (brightness below ``LINE_MAX_ALPHA``, about 1 px wide as quads) are plain
   1-px lines carrying the same light per unit length: on llvmpipe a line is one
   primitive where a quad is two long triangles;
2. neurons: one point sprite each -- lit sphere, halo and answer/selection ring --
   sorted back to front every frame and blended premultiplied (the sphere opaque, the
   glow added), so a neuron hides the wires and neurons behind it. Balls with no ring
   are drawn by a program built without the ring's light (see ``ball_order``);
3. gradient pulses: additive point sprites;
4. the digit labels 0-9 beside the outputs, from a glyph atlas rendered once.

No depth buffer: painter's order does its work, and llvmpipe permits its "linear" fast
path for the HUD's quads only without one. The one approximation: a wire passing in front
of a neuron is covered by it.

Wires below ``view.graph.WIRE_VISIBILITY_FLOOR`` (scaled by the wire intensity) would
change no pixel by more than about 1.5/255, so they are not submitted at all; that
keeps llvmpipe at frame rate when a digit lights only a part of the 4408 wires. No
MSAA: edges are smoothed in the fragment shaders. Depth cue: everything dims with
eye distance (fog towards the stage colour, which is near black).

``draw`` leaves the context with ordinary alpha blending on.
"""
from __future__ import annotations

from pathlib import Path

import moderngl
import numpy as np
import pygame

from neuronlab.render import glraw
from neuronlab.render.programs import load_program
from neuronlab.render.wire_cache import WireCache
from neuronlab.resources import asset_path
from neuronlab.view.graph import WIRE_VISIBILITY_FLOOR, GraphArrays, visible_wires
from neuronlab.view.layout import Layout
from neuronlab.view.palette import Palette

FONT_PATH = asset_path("fonts/DejaVuSans-Bold.ttf")
MAX_PULSES = 1024
HALO_SPREAD = 2.0          # halo radius in ball radii
WIRE_WIDTH = (1.1, 2.6)    # px: every wire, plus this much for the strongest
LINE_MAX_ALPHA = 0.5       # wires fainter than this (quad width <= 1.75 px) are drawn as lines
WIRE_TRIM = 0.85          # wires end this far into each ball's radius (see update)
LINE_GAIN = 0.76           # a line's pixel value per unit of quad light: same light on the display
LABEL_CELL = (0.26, 0.40)  # world units, one glyph
LABEL_GAP = 0.5           # world units from the output ball's centre (clear of the biggest ball)


def glyph_atlas(font_path: Path = FONT_PATH, px: int = 96) -> tuple[np.ndarray, tuple[int, int]]:
    """(H, 10*W) uint8 coverage of the digits 0..9 in equal cells, row 0 at the top."""
    if not pygame.font.get_init():
        pygame.font.init()
    font = pygame.font.Font(str(font_path), px)
    glyphs = [font.render(str(d), True, (255, 255, 255)) for d in range(10)]
    cw = max(g.get_width() for g in glyphs) + 4
    ch = max(g.get_height() for g in glyphs)
    atlas = np.zeros((ch, cw * 10), np.uint8)
    for d, g in enumerate(glyphs):
        a = pygame.surfarray.array_alpha(g).T  # (w, h) -> (h, w): antialiased text keeps coverage in alpha
        x0 = d * cw + (cw - a.shape[1]) // 2
        atlas[:a.shape[0], x0:x0 + a.shape[1]] = a
    return atlas, (cw, ch)


def mip_chain(img: np.ndarray) -> list[np.ndarray]:
    """(H, W) uint8 and every mipmap level below it down to 1x1, each the 2x2 box mean of
    the one above (a side of 1 is doubled first)."""
    levels = [np.asarray(img, np.uint8)]
    a = levels[0].astype(np.float32)
    while max(a.shape) > 1:
        if a.shape[0] == 1:
            a = np.repeat(a, 2, axis=0)
        if a.shape[1] == 1:
            a = np.repeat(a, 2, axis=1)
        h, w = a.shape[0] // 2, a.shape[1] // 2
        a = a[:2 * h, :2 * w].reshape(h, 2, w, 2).mean(axis=(1, 3))
        levels.append(np.rint(a).astype(np.uint8))
    return levels


def _line_vertices(lines: np.ndarray) -> np.ndarray:
    """(L, 2, 11) vertices of 1-px lines from (L, 10) wire rows. One plain draw of 2
    vertices a line, not an instance a line: llvmpipe's vertex stage runs 8 vertices at a
    time, so 2-vertex instances waste most of it."""
    verts = np.empty((len(lines), 2, 11), np.float32)   # (L, end, 1 + 6 ends + 4 colour)
    verts[:, 0, 0], verts[:, 1, 0] = 0.0, 1.0
    verts[:, :, 1:] = lines[:, None, :]
    return verts


def sweep_gain(gain: float, front: float) -> tuple[float, float, float]:
    """The cached input-sheet layer's gains while the forward sweep passes over it: of
    its light, of its tint towards the sweep's colour, of its alpha. Dimmed to ``gain``
    ahead of the front, brightened and turned towards the sweep's colour at it: the
    per-wire rule of ``view.anim.apply`` for a whole layer of light at once."""
    lift = gain + 0.75 * front      # a*g + 0.25*front for the typical lit wire (a ~ 1/3)
    return lift * (1.0 - 0.6 * front), lift * 0.6 * front, min(1.0, lift)


def sweep_rows(rows: np.ndarray, gain: float, front: float, forward) -> np.ndarray:
    """Wire rows (ends then rgba) with the forward sweep applied as ``view.anim.apply``
    does it for each wire (for the sheet's wires drawn straight)."""
    out = rows.copy()
    out[:, 6:9] += (np.asarray(forward, np.float32) - out[:, 6:9]) * np.float32(0.6 * front)
    a = out[:, 9]
    out[:, 9] = np.clip(a * gain + 0.25 * front * (a > 0), 0.0, 1.0)
    return out


def ball_order(rows: np.ndarray, V: np.ndarray) -> tuple[np.ndarray, int]:
    """The order the balls are drawn in, farthest first (eye z is row . V[:, 2], pyrr's
    row-vector matrices), the ringed ones (the answer, the selected neuron) last: their rings
    lie over close neighbours. Returns the order and how many ringed balls end it.
    ``rows``: (N, 9) ball rows (position, radius, rgb, glow, ring)."""
    eye_z = rows[:, :3] @ V[:3, 2] + V[3, 2]              # (N,), more negative = farther
    order = np.argsort(eye_z, kind="stable")
    ringed = rows[order, 8] > 0
    return np.concatenate([order[~ringed], order[ringed]]), int(ringed.sum())


class GraphPass:
    def __init__(self, ctx: moderngl.Context, layout: Layout, palette: Palette | None = None,
                 wire_intensity: float = 1.0):
        self.ctx = ctx
        self.layout = layout
        self.palette = palette or Palette()
        self.wire_intensity = float(wire_intensity)
        n, w = layout.n_neurons, layout.n_wires
        self.prog_neuron = load_program(ctx, "graph_neuron")
        self.prog_ball_plain = load_program(ctx, "graph_neuron", defines=("NO_RING",))
        self.prog_wire = load_program(ctx, "graph_wire")
        self.prog_line = load_program(ctx, "graph_line")
        self.prog_spark = load_program(ctx, "graph_spark")
        self.prog_label = load_program(ctx, "graph_label")

        # per-vertex rows: neuron (pos 3, radius 1, rgb 3, glow 1, ring 1), line (end 1, p0 3,
        # p1 3, rgba 4); per-instance rows: wire quad (p0 3, p1 3, rgba 4), pulse (pos 3,
        # size 1, rgba 4), label (anchor 3, rgb 3, digit 1)
        self.ball_buf = ctx.buffer(reserve=n * 9 * 4, dynamic=True)
        self.wire_buf = ctx.buffer(reserve=w * 10 * 4, dynamic=True)
        self.line_buf = ctx.buffer(reserve=w * 2 * 11 * 4, dynamic=True)   # 2 vertices a line
        self.pulse_buf = ctx.buffer(reserve=MAX_PULSES * 8 * 4, dynamic=True)
        self.label_buf = ctx.buffer(reserve=10 * 7 * 4, dynamic=True)
        strip = np.array([0, -1, 1, -1, 0, 1, 1, 1], np.float32)  # (x along, y across)
        quad = np.array([0, 0, 1, 0, 0, 1, 1, 1], np.float32)
        self.strip_buf = ctx.buffer(strip.tobytes())
        self.quad_buf = ctx.buffer(quad.tobytes())
        ball_format = [(self.ball_buf, "3f 1f 3f 1f 1f", "in_pos", "in_radius", "in_color", "in_glow",
                        "in_ring")]
        self.vao_neuron = ctx.vertex_array(self.prog_neuron, ball_format)
        self.vao_ball_plain = ctx.vertex_array(self.prog_ball_plain, ball_format)
        self.n_ringed = 0   # this frame's ringed balls, drawn last by the full program
        self.vao_wire = ctx.vertex_array(self.prog_wire, [
            (self.strip_buf, "2f", "in_corner"),
            (self.wire_buf, "3f 3f 4f/i", "in_p0", "in_p1", "in_rgba")])
        self.vao_line = ctx.vertex_array(self.prog_line, [
            (self.line_buf, "1f 3f 3f 4f", "in_end", "in_p0", "in_p1", "in_rgba")])
        # the input sheet's wires have their own buffers: drawn into the cache (see draw)
        # in the same frame as the other wires, and a buffer written twice in a frame waits
        self.sheet_wire_buf = ctx.buffer(reserve=w * 10 * 4, dynamic=True)
        self.sheet_line_buf = ctx.buffer(reserve=w * 2 * 11 * 4, dynamic=True)
        self.vao_sheet_wire = ctx.vertex_array(self.prog_wire, [
            (self.strip_buf, "2f", "in_corner"),
            (self.sheet_wire_buf, "3f 3f 4f/i", "in_p0", "in_p1", "in_rgba")])
        self.vao_sheet_line = ctx.vertex_array(self.prog_line, [
            (self.sheet_line_buf, "1f 3f 3f 4f", "in_end", "in_p0", "in_p1", "in_rgba")])
        self.cache = WireCache(ctx)
        self.vao_spark = ctx.vertex_array(self.prog_spark, [
            (self.pulse_buf, "3f 1f 4f/i", "in_pos", "in_size", "in_rgba")])
        self.vao_label = ctx.vertex_array(self.prog_label, [
            (self.quad_buf, "2f", "in_corner"),
            (self.label_buf, "3f 3f 1f/i", "in_anchor", "in_rgb", "in_digit")])

        atlas, _ = glyph_atlas()
        self.atlas = ctx.texture((atlas.shape[1], atlas.shape[0]), 1, atlas.tobytes(), alignment=1)
        if glraw.available():
            self.atlas.use(0)
            glraw.define_r8_levels(mip_chain(atlas))   # see glraw: no blit shaders to compile
        else:
            self.atlas.build_mipmaps()
        self.atlas.filter = (moderngl.LINEAR_MIPMAP_LINEAR, moderngl.LINEAR)
        self.atlas.repeat_x = self.atlas.repeat_y = False

        # wire endpoints never move: (W, 6) p0, p1
        self._wire_ends = np.concatenate([layout.positions[layout.wire_src],
                                          layout.positions[layout.wire_dst]], axis=1)
        span = layout.positions[layout.wire_dst] - layout.positions[layout.wire_src]   # (W, 3)
        self._wire_dir = (span / np.linalg.norm(span, axis=1, keepdims=True)).astype(np.float32)
        self._in_sheet = layout.wire_layer == 1          # (W,) the cached layer's wires
        # the cached layer lies inside its wires' ends: the input sheet and the first hidden layer
        self._sheet_ends = layout.positions[(layout.layer_of == 0) | (layout.layer_of == 1)]
        self._sheet_rows = np.zeros((0, 10), np.float32)  # quads first, then lines
        self._sheet_sweep = None   # (gain, front) of the forward sweep on the sheet's wires
        self._rect_key = None
        self._rect = (0, 0, 0, 0)
        self._ball_rows = np.zeros((n, 9), np.float32)
        self._ring_base = np.where(layout.layer_of == 0, -1.0, 0.0).astype(np.float32)  # (N,)
        self._ball_rows[:, :3] = layout.positions
        self._label_rows = np.zeros((10, 7), np.float32)
        self._label_rows[:, :3] = layout.positions[layout.layer_slices[3]]
        self._label_rows[:, 6] = np.arange(10)
        self.n_wires_drawn = 0     # all wires drawn this frame: quads + lines
        self.n_wire_lines = 0      # of which drawn as 1-px lines
        self.n_pulses = 0
        self.highlight = -1
        self.selected = -1
        self._empty = True
        # llvmpipe compiles a program's code at its first draw (~5-10 ms each, in the draw
        # call): the pulses and the sweep's composite first draw once training runs, so
        # each is drawn once before, invisibly, and that frame does not pay for them
        self._warm = {"pulses": True, "sweep": True}

    # -- per frame ----------------------------------------------------------
    def update(self, arrays: GraphArrays) -> None:
        """Write this frame's instance data (one buffer write per kind; the neurons' in
        ``draw``, which sorts them for its view)."""
        rows = self._ball_rows
        rows[:, 3] = arrays.ball_radius
        rows[:, 4:7] = arrays.ball_rgb
        rows[:, 7] = arrays.ball_glow
        # ring column: 0 none, 1 answer, 2 selected, -1 no halo (the input sheet: its balls sit
        # so close that their neighbours hide a halo, which would cost a quarter of the pass)
        rows[:, 8] = self._ring_base
        if arrays.highlight >= 0:
            rows[arrays.highlight, 8] = 1.0
        if arrays.selected >= 0:
            rows[arrays.selected, 8] = 2.0

        vis = visible_wires(arrays.wire_rgba, WIRE_VISIBILITY_FLOOR / max(self.wire_intensity, 1e-6))
        wires = np.empty((len(vis), 10), np.float32)  # (V, 6) ends + (V, 4) colour
        # Each wire runs from sphere edge to sphere edge: the part inside a ball is hidden
        # by it and costs llvmpipe raster time. WIRE_TRIM < 1 keeps the ends under the rims.
        ends, d = self._wire_ends[vis], self._wire_dir[vis]                    # (V, 6), (V, 3)
        r = arrays.ball_radius * WIRE_TRIM                                      # (N,)
        wires[:, 0:3] = ends[:, 0:3] + d * r[self.layout.wire_src[vis], None]
        wires[:, 3:6] = ends[:, 3:6] - d * r[self.layout.wire_dst[vis], None]
        wires[:, 6:] = arrays.wire_rgba[vis]
        # the input sheet's wires go to the cache (drawn when they change, see draw); the
        # rest, and any wire lit over everything, straight onto the frame
        sheet = self._in_sheet[vis]
        if len(arrays.overlay_wires):
            sheet &= ~np.isin(vis, arrays.overlay_wires)
        a, rest = wires[sheet], wires[~sheet]
        thin = a[:, 9] < LINE_MAX_ALPHA
        self._sheet_rows = np.concatenate([a[~thin], a[thin]])   # the order a redraw draws them in
        thin = rest[:, 9] < LINE_MAX_ALPHA             # (V,) faint: a plain line will do
        lines, quads = rest[thin], rest[~thin]
        if len(quads):
            self.wire_buf.write(quads.tobytes())
        if len(lines):
            self.line_buf.write(_line_vertices(lines).tobytes())
        self.n_wires_drawn = len(vis)
        self.n_wire_lines = int((a[:, 9] < LINE_MAX_ALPHA).sum()) + len(lines)
        self._n_quads, self._n_lines = len(quads), len(lines)
        self._sheet_sweep = None if tuple(arrays.sheet_sweep) == (1.0, 0.0) else tuple(arrays.sheet_sweep)

        n = min(len(arrays.pulse_size), MAX_PULSES)
        if n:
            pulses = np.empty((n, 8), np.float32)
            pulses[:, :3] = arrays.pulse_pos[:n]
            pulses[:, 3] = arrays.pulse_size[:n]
            pulses[:, 4:] = arrays.pulse_rgba[:n]
            self.pulse_buf.write(pulses.tobytes())
        self.n_pulses = n

        if arrays.label_rgb is not None:
            self._label_rows[:, 3:6] = arrays.label_rgb
        else:
            self._label_rows[:, 3:6] = self.palette.text
        self.label_buf.write(self._label_rows.tobytes())
        self.highlight, self.selected = arrays.highlight, arrays.selected
        self._empty = False

    def draw(self, view: np.ndarray, proj: np.ndarray, viewport: tuple[int, int, int, int],
             time: float = 0.0, clear: bool = True, spread: int = 0) -> None:
        """Draw into the bound framebuffer's ``viewport`` (x, y, w, h in GL pixels,
        origin bottom-left). ``time`` drives the slow breathing of the answer ring.
        ``spread``: how many frames a change of the input sheet's wires may take to show
        (0: this frame; see ``wire_cache``); the camera moving always shows at once."""
        ctx = self.ctx
        target = ctx.fbo
        V = np.asarray(view, np.float32)
        viewport = tuple(int(v) for v in viewport)
        if not self._empty:
            # Written before this frame queues any GL work: on llvmpipe, writing a buffer an
            # earlier frame drew from waits for whatever is already queued to be rasterised.
            order, self.n_ringed = ball_order(self._ball_rows, V)
            self.ball_buf.write(self._ball_rows[order].tobytes())
        if self._empty:
            ctx.viewport = viewport
            if clear:
                ctx.clear(*self.palette.background, 1.0, viewport=ctx.viewport)
            return
        vw, vh = float(viewport[2]), float(viewport[3])
        v = V.tobytes()
        p = np.asarray(proj, np.float32).tobytes()
        # fog range around the graph's centre depth: the far side dims, the near side is full
        centre_eye = np.append(self.layout.positions.mean(axis=0), 1.0) @ np.asarray(view, np.float64)
        d = -float(centre_eye[2])
        fog = (d - 3.0, d + 9.0)
        balls = (self.prog_ball_plain, self.prog_neuron)
        for prog in (*balls, self.prog_wire, self.prog_line, self.prog_spark, self.prog_label):
            prog["u_view"].write(v)
            prog["u_proj"].write(p)
        for prog in (*balls, self.prog_spark):
            prog["u_vp_h"].value = vh
        for prog in (*balls, self.prog_wire, self.prog_line):
            prog["u_fog"].value = fog
        for prog in (self.prog_wire, self.prog_line):
            prog["u_vp"].value = (vw, vh)
            prog["u_width"].value = WIRE_WIDTH
            prog["u_intensity"].value = self.wire_intensity
        self.prog_line["u_gain"].value = LINE_GAIN

        # 1. wires: light that saturates in hue (see the wire shaders). The input sheet's
        # come from the cache, drawn again there only when they changed; the others are
        # few and drawn straight over it.
        key = (v, p, viewport[2:], self.wire_intensity)
        cached = self.cache.update(key, viewport[2:], self._sheet_rows, spread, self._draw_sheet)
        target.use()
        ctx.viewport = viewport
        if clear:
            ctx.clear(*self.palette.background, 1.0, viewport=ctx.viewport)
        sweep = self._sheet_sweep
        if cached:
            rect = self._sheet_rect(key, V, np.asarray(proj, np.float32), vw, vh)
            self.cache.composite(rect, sweep and sweep_gain(*sweep), self.palette.forward)
            if self._warm["sweep"] and rect[2] > 0 and rect[3] > 0:
                self._warm["sweep"] = False
                if sweep is None:        # all gains 0: it adds nothing under "over"
                    self.cache.composite(rect, (0.0, 0.0, 0.0), self.palette.forward)
        elif sweep is None:
            self._draw_sheet(self._sheet_rows)
        else:
            self._draw_sheet(sweep_rows(self._sheet_rows, *sweep, self.palette.forward))
        ctx.enable_only(moderngl.BLEND | moderngl.PROGRAM_POINT_SIZE)
        ctx.blend_func = moderngl.ONE, moderngl.ONE_MINUS_SRC_ALPHA
        if self._n_quads:
            self.vao_wire.render(moderngl.TRIANGLE_STRIP, vertices=4, instances=self._n_quads)
        if self._n_lines:
            self.vao_line.render(moderngl.LINES, vertices=2 * self._n_lines)

        # 2. neurons, farthest first in each group (sorted above)
        ctx.blend_func = moderngl.ONE, moderngl.ONE_MINUS_SRC_ALPHA
        for prog in balls:
            prog["u_rim"].value = self.palette.inhibit
            prog["u_spread"].value = HALO_SPREAD
        pn = self.prog_neuron
        breathe = 0.8 + 0.2 * np.sin(2 * np.pi * 0.5 * time)  # 0.5 Hz: calm, never a flash
        pn["u_accent"].value = tuple(c * breathe for c in self.palette.accent)
        pn["u_select"].value = self.palette.text
        n_plain = self.layout.n_neurons - self.n_ringed
        if n_plain:
            self.vao_ball_plain.render(moderngl.POINTS, vertices=n_plain)
        if self.n_ringed:
            self.vao_neuron.render(moderngl.POINTS, vertices=self.n_ringed, first=n_plain)

        # 3. gradient pulses: additive, over everything
        if self.n_pulses:
            ctx.blend_func = moderngl.ONE, moderngl.ONE
            self.vao_spark.render(moderngl.POINTS, vertices=1, instances=self.n_pulses)
        elif self._warm["pulses"]:      # one pulse of alpha 0: it adds nothing
            ctx.blend_func = moderngl.ONE, moderngl.ONE
            self.pulse_buf.write(np.zeros(8, np.float32).tobytes())
            self.vao_spark.render(moderngl.POINTS, vertices=1, instances=1)
        self._warm["pulses"] = False

        # 4. labels: ordinary blending, in front of wires
        ctx.blend_func = moderngl.SRC_ALPHA, moderngl.ONE_MINUS_SRC_ALPHA
        self.atlas.use(0)
        self.prog_label["u_atlas"].value = 0
        self.prog_label["u_cell"].value = LABEL_CELL
        self.prog_label["u_gap"].value = LABEL_GAP
        self.vao_label.render(moderngl.TRIANGLE_STRIP, vertices=4, instances=10)
        ctx.enable_only(moderngl.BLEND)

    def _draw_sheet(self, rows: np.ndarray) -> None:
        """Draw input-sheet wire rows (quads first, then lines) into the bound framebuffer."""
        thin = rows[:, 9] < LINE_MAX_ALPHA
        quads, lines = rows[~thin], rows[thin]
        if len(quads):
            self.sheet_wire_buf.write(quads.tobytes())
        if len(lines):
            self.sheet_line_buf.write(_line_vertices(lines).tobytes())
        self.ctx.enable_only(moderngl.BLEND)
        self.ctx.blend_func = moderngl.ONE, moderngl.ONE_MINUS_SRC_ALPHA
        if len(quads):
            self.vao_sheet_wire.render(moderngl.TRIANGLE_STRIP, vertices=4, instances=len(quads))
        if len(lines):
            self.vao_sheet_line.render(moderngl.LINES, vertices=2 * len(lines))

    def _sheet_rect(self, key, V, P, vw, vh) -> tuple[int, int, int, int]:
        """The viewport's rectangle the input sheet's wires can light (GL px): around the
        projected input sheet and first hidden layer, the whole viewport if one is behind
        the eye. Computed again only when the camera or the viewport changed."""
        if key == self._rect_key:
            return self._rect
        clip = np.c_[self._sheet_ends, np.ones(len(self._sheet_ends), np.float32)] @ V @ P
        if (clip[:, 3] < 0.05).any():
            rect = (0, 0, int(vw), int(vh))
        else:
            px = (clip[:, :2] / clip[:, 3:4] + 1.0) * 0.5 * np.array([vw, vh])
            margin = 0.5 * sum(WIRE_WIDTH) + 2.0            # half the widest wire, and its smoothing
            x0, y0 = np.floor(px.min(axis=0) - margin).clip(0, [vw, vh])
            x1, y1 = np.ceil(px.max(axis=0) + margin).clip(0, [vw, vh])
            rect = (int(x0), int(y0), int(x1 - x0), int(y1 - y0))
        self._rect_key, self._rect = key, rect
        return rect

    def release(self) -> None:
        """Free every GL object this pass made."""
        self.cache.release()
        for obj in (self.vao_neuron, self.vao_ball_plain, self.vao_wire,
                    self.vao_line, self.vao_spark, self.vao_label, self.vao_sheet_wire, self.vao_sheet_line,
                    self.sheet_wire_buf, self.sheet_line_buf,
                    self.ball_buf, self.wire_buf, self.line_buf, self.pulse_buf,
                    self.label_buf, self.strip_buf, self.quad_buf, self.atlas,
                    self.prog_neuron, self.prog_ball_plain, self.prog_wire,
                    self.prog_line, self.prog_spark, self.prog_label):
            obj.release()
