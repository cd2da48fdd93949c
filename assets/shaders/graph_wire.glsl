// Graph wires: one screen-space quad per visible wire, smoothed edges (no MSAA).
// Blended premultiplied "over" (alpha = the light's largest channel): a lone wire adds its
// light as before, a pile of wires tends to its wires' own hue instead of summing past 1
// into white, so warm and cool stay apart where wires crowd.
#version 330 core
#if defined VERTEX_SHADER
uniform mat4 u_view;
uniform mat4 u_proj;
uniform vec2 u_vp;         // viewport size in px
uniform vec2 u_fog;
uniform vec2 u_width;      // px: base width, extra width for the strongest wires
in vec2 in_corner;         // x: 0 at p0 .. 1 at p1; y: -1 .. 1 across
in vec3 in_p0;
in vec3 in_p1;
in vec4 in_rgba;           // colour, a = brightness 0..1
out vec3 v_color;
out float v_peak;           // the colour's largest channel: the blend's alpha per unit light
out float v_across;        // px from the centre line
flat out float v_half;          // half width in px
void main() {
    vec4 e0 = u_view * vec4(in_p0, 1.0);
    vec4 e1 = u_view * vec4(in_p1, 1.0);
    vec4 c0 = u_proj * e0;
    vec4 c1 = u_proj * e1;
    if (c0.w < 0.05 || c1.w < 0.05) {              // an end behind the eye: skip
        gl_Position = vec4(2.0, 2.0, 2.0, 1.0);
        return;
    }
    vec2 s0 = c0.xy / c0.w * u_vp * 0.5;
    vec2 s1 = c1.xy / c1.w * u_vp * 0.5;
    vec2 dir = s1 - s0;
    float len = length(dir);
    dir = len > 1e-4 ? dir / len : vec2(1.0, 0.0);
    vec2 nrm = vec2(-dir.y, dir.x);
    float a = in_rgba.a;
    float w = u_width.x + u_width.y * a * a;
    v_half = 0.5 * w;
    float reach = v_half + 0.5;                      // half a px more: the smoothed edge
    vec4 c = mix(c0, c1, in_corner.x);
    c.xy += nrm * in_corner.y * reach * 2.0 / u_vp * c.w;
    gl_Position = c;
    v_across = in_corner.y * reach;
    float ez = -mix(e0.z, e1.z, in_corner.x);
    float fog = clamp((ez - u_fog.x) / (u_fog.y - u_fog.x), 0.0, 1.0);
    v_color = in_rgba.rgb * a * mix(1.0, 0.3, fog);
    v_peak = max(v_color.r, max(v_color.g, v_color.b));
}
#elif defined FRAGMENT_SHADER
uniform float u_intensity;
in vec3 v_color;
in float v_peak;
in float v_across;
flat in float v_half;
out vec4 f_color;
void main() {
    float d = abs(v_across);
    // pixel coverage of a line of width 2*v_half (thin lines dim instead of thinning)
    float cover = clamp(v_half + 0.5 - d, 0.0, 1.0) * min(1.0, 2.0 * v_half);
    // a soft core for thick (strong) wires: the glow
    float core = v_half > 1.0 ? 1.0 - 0.55 * smoothstep(0.0, v_half, d) : 1.0;
    float k = cover * core * u_intensity;
    f_color = vec4(v_color * k, min(1.0, v_peak * k));
}
#endif
