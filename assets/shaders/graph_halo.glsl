// Graph neuron halos (additive glow around active neurons) and the answer / selection rings.
#version 330 core
#if defined VERTEX_SHADER
uniform mat4 u_view;
uniform mat4 u_proj;
uniform float u_vp_h;
uniform vec2 u_fog;
uniform float u_spread;    // halo radius in ball radii
uniform int u_highlight;   // instance of the answer ball, -1 none
uniform int u_selected;    // instance of the inspected ball, -1 none
in vec3 in_pos;
in float in_radius;
in vec3 in_color;
in float in_glow;
out vec3 v_color;
out float v_glow;
out float v_ring;          // 0 none, 1 answer, 2 selected
void main() {
    vec4 eye = u_view * vec4(in_pos, 1.0);
    gl_Position = u_proj * eye;
    v_ring = gl_InstanceID == u_selected ? 2.0 : (gl_InstanceID == u_highlight ? 1.0 : 0.0);
    float fog = clamp((-eye.z - u_fog.x) / (u_fog.y - u_fog.x), 0.0, 1.0);
    v_glow = in_glow * mix(1.0, 0.35, fog);
    v_color = in_color;
    if (v_glow < 0.03 && v_ring == 0.0) {
        gl_Position = vec4(2.0, 2.0, 2.0, 1.0);   // nothing to show: outside the clip box
        gl_PointSize = 1.0;
        return;
    }
    gl_PointSize = in_radius * u_spread * u_proj[1][1] * u_vp_h / max(gl_Position.w, 1e-3);
}
#elif defined FRAGMENT_SHADER
uniform float u_spread;
uniform vec3 u_accent;
uniform vec3 u_select;
in vec3 v_color;
in float v_glow;
in float v_ring;
out vec4 f_color;
void main() {
    float d = length(gl_PointCoord * 2.0 - 1.0) * u_spread;   // in ball radii
    if (d > u_spread) discard;
    float fall = 1.0 - smoothstep(0.9, u_spread, d);
    vec3 c = v_color * v_glow * 0.55 * fall * fall;
    if (v_ring > 0.0) {
        float q = (d - 1.45) / 0.09;     // q*q, not pow(q, 2.0): pow is undefined for q < 0
        float ring = exp(-q * q);
        c += (v_ring > 1.5 ? u_select : u_accent) * ring * 0.9;
    }
    f_color = vec4(c, 1.0);
}
#endif
