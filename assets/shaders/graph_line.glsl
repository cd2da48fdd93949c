// Faint graph wires: one plain 1-px GL line per wire (no smoothing), blended like the wire
// quads (premultiplied over, alpha = the largest channel: piles keep their hue); both
// vertices of a line carry its ends and colour, in_end says which one it is.
// A smoothed quad costs llvmpipe two long triangles; a line is one primitive, about half
// the cost. Faint wires are about 1 px wide as quads anyway. Brightness: the quad's light
// per unit length (its width; x 1/max(|cos|, |sin|), since a 1-px line lights one pixel per
// step along its major axis), times u_gain < 1, because the display turns pixel values
// into light as value^2.2: one pixel at 2v gives more light than two at v. u_gain makes
// the light a visitor sees match (tests/test_render_perf_shape.py measures it).
#version 330 core
#if defined VERTEX_SHADER
uniform mat4 u_view;
uniform mat4 u_proj;
uniform vec2 u_vp;         // viewport size in px
uniform vec2 u_fog;
uniform vec2 u_width;      // px: the quad pass's widths, for the same light per length
uniform float u_intensity;
uniform float u_gain;
in float in_end;           // 0 at p0, 1 at p1
in vec3 in_p0;
in vec3 in_p1;
in vec4 in_rgba;           // colour, a = brightness 0..1
out vec4 v_rgba;            // premultiplied light, alpha = its largest channel
void main() {
    vec4 e0 = u_view * vec4(in_p0, 1.0);
    vec4 e1 = u_view * vec4(in_p1, 1.0);
    vec4 c0 = u_proj * e0;
    vec4 c1 = u_proj * e1;
    if (c0.w < 0.05 || c1.w < 0.05) {              // an end behind the eye: skip
        gl_Position = vec4(2.0, 2.0, 2.0, 1.0);
        v_rgba = vec4(0.0);
        return;
    }
    vec2 dir = abs(c1.xy / c1.w - c0.xy / c0.w) * u_vp;
    float slant = length(dir) / max(max(dir.x, dir.y), 1e-4);   // 1 .. sqrt(2)
    float a = in_rgba.a;
    float w = u_width.x + u_width.y * a * a;      // the quad's width: its light per px of length
    gl_Position = in_end < 0.5 ? c0 : c1;
    float ez = -(in_end < 0.5 ? e0.z : e1.z);
    float fog = clamp((ez - u_fog.x) / (u_fog.y - u_fog.x), 0.0, 1.0);
    vec3 c = in_rgba.rgb * a * mix(1.0, 0.3, fog) * w * slant * u_gain * u_intensity;
    v_rgba = vec4(c, min(1.0, max(c.r, max(c.g, c.b))));
}
#elif defined FRAGMENT_SHADER
in vec4 v_rgba;
out vec4 f_color;
void main() {
    f_color = v_rgba;
}
#endif
