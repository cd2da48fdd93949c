// A fading HUD panel: the hud program with the whole premultiplied texel scaled by u_alpha.
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
uniform float u_alpha;
in vec2 v_uv;
out vec4 f_color;
void main() {
    f_color = texture(u_tex, v_uv) * u_alpha;
}
#endif
