// HUD panels: one textured quad per panel, positioned in window pixels. The texture holds
// premultiplied alpha and the fragment shader is the bare texture fetch: with blending
// (ONE, ONE_MINUS_SRC_ALPHA), B8G8R8A8 texels and NEAREST sampling of a window-aligned
// quad, llvmpipe takes its fast path. With FADE defined (a fading panel) the whole
// premultiplied texel is scaled by u_alpha.
// With CACHE defined the same quad lays a rectangle of the graph's cached wire layer (a
// texture the viewport's size, render/wire_cache.py) over the same place of the viewport;
// with SWEEP as well, the forward sweep is laid over the layer: its light scaled, and
// tinted towards the sweep's colour in proportion to its alpha (its largest channel).
#version 330 core
#if defined VERTEX_SHADER
#if defined CACHE
uniform vec2 u_vp;       // viewport size in px
uniform vec4 u_rect;     // x, y (bottom-left, GL px inside the viewport), w, h
#else
uniform vec2 u_screen;   // viewport size in px
uniform vec4 u_rect;     // x, y (top-left, y down), w, h in px
#endif
in vec2 in_corner;       // (0,0) .. (1,1)
out vec2 v_uv;
void main() {
#if defined CACHE
    v_uv = (u_rect.xy + in_corner * u_rect.zw) / u_vp;
    gl_Position = vec4(v_uv * 2.0 - 1.0, 0.0, 1.0);
#else
    vec2 px = u_rect.xy + in_corner * u_rect.zw;
    vec2 ndc = vec2(px.x / u_screen.x * 2.0 - 1.0, 1.0 - px.y / u_screen.y * 2.0);
    v_uv = in_corner;
    gl_Position = vec4(ndc, 0.0, 1.0);
#endif
}
#elif defined FRAGMENT_SHADER
uniform sampler2D u_tex;
#if defined FADE
uniform float u_alpha;
#elif defined SWEEP
uniform vec3 u_sweep;    // gain of the light, of the tint, of the alpha
uniform vec3 u_fwd;      // the sweep's colour
#endif
in vec2 v_uv;
out vec4 f_color;
void main() {
#if defined FADE
    f_color = texture(u_tex, v_uv) * u_alpha;
#elif defined SWEEP
    vec4 c = texture(u_tex, v_uv);
    f_color = vec4(c.rgb * u_sweep.x + u_fwd * (c.a * u_sweep.y), c.a * u_sweep.z);
#else
    f_color = texture(u_tex, v_uv);
#endif
}
#endif
