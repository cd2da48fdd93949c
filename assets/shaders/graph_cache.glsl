// The cached layer of the input sheet's wires, laid over the frame: one window-aligned quad
// over the layer's screen rectangle. The texture holds premultiplied light and the shader
// is the bare texture fetch, so with blending (ONE, ONE_MINUS_SRC_ALPHA), B8G8R8A8 texels
// and NEAREST sampling llvmpipe takes its fast path (the HUD's). With SWEEP defined (the
// forward sweep passing over the layer) every texel is scaled by u_k per channel.
#version 330 core
#if defined VERTEX_SHADER
uniform vec2 u_vp;       // viewport size in px
uniform vec4 u_rect;     // x, y (bottom-left, GL px inside the viewport), w, h
in vec2 in_corner;       // (0,0) .. (1,1)
out vec2 v_uv;
void main() {
    vec2 uv = (u_rect.xy + in_corner * u_rect.zw) / u_vp;
    v_uv = uv;
    gl_Position = vec4(uv * 2.0 - 1.0, 0.0, 1.0);
}
#elif defined FRAGMENT_SHADER
uniform sampler2D u_tex;
#if defined SWEEP
uniform vec4 u_k;
#endif
in vec2 v_uv;
out vec4 f_color;
void main() {
#if defined SWEEP
    f_color = texture(u_tex, v_uv) * u_k;
#else
    f_color = texture(u_tex, v_uv);
#endif
}
#endif
