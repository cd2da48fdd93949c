// Gradient pulses: small additive glowing dots travelling along wires.
#version 330 core
#if defined VERTEX_SHADER
uniform mat4 u_view;
uniform mat4 u_proj;
uniform float u_vp_h;
in vec3 in_pos;
in float in_size;          // world radius
in vec4 in_rgba;
flat out vec4 v_rgba;
void main() {
    gl_Position = u_proj * (u_view * vec4(in_pos, 1.0));
    gl_PointSize = max(2.0, 3.0 * in_size * u_proj[1][1] * u_vp_h / max(gl_Position.w, 1e-3));
    v_rgba = in_rgba;
}
#elif defined FRAGMENT_SHADER
flat in vec4 v_rgba;
out vec4 f_color;
void main() {
    float d = length(gl_PointCoord * 2.0 - 1.0) * 3.0;    // in pulse radii
    if (d > 3.0) discard;
    float core = 1.0 - smoothstep(0.55, 1.0, d);
    float glow = exp(-d * d * 0.7) * 0.6;
    f_color = vec4((v_rgba.rgb * (core + glow) + vec3(core * 0.5)) * v_rgba.a, 1.0);
}
#endif
