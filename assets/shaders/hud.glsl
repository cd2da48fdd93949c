// HUD panels: one textured quad per panel, positioned in window pixels. The texture holds
// premultiplied alpha and the fragment shader is the bare texture fetch: with blending
// (ONE, ONE_MINUS_SRC_ALPHA), B8G8R8A8 texels and NEAREST sampling of a window-aligned
// quad, llvmpipe takes its fast path. With FADE defined (a fading panel) the whole
// premultiplied texel is scaled by u_alpha.
#version 330 core
#if defined VERTEX_SHADER
uniform vec2 u_screen;   // viewport size in px
uniform vec4 u_rect;     // x, y (top-left, y down), w, h in px
in vec2 in_corner;       // (0,0) .. (1,1)
out vec2 v_uv;
void main() {
    vec2 px = u_rect.xy + in_corner * u_rect.zw;
    vec2 ndc = vec2(px.x / u_screen.x * 2.0 - 1.0, 1.0 - px.y / u_screen.y * 2.0);
    v_uv = in_corner;
    gl_Position = vec4(ndc, 0.0, 1.0);
}
#elif defined FRAGMENT_SHADER
uniform sampler2D u_tex;
#if defined FADE
uniform float u_alpha;
#endif
in vec2 v_uv;
out vec4 f_color;
void main() {
#if defined FADE
    f_color = texture(u_tex, v_uv) * u_alpha;
#else
    f_color = texture(u_tex, v_uv);
#endif
}
#endif
