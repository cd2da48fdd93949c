// Graph neurons: instanced point sprites shaded as lit spheres (opaque, depth-correct).
#version 330 core
#if defined VERTEX_SHADER
uniform mat4 u_view;
uniform mat4 u_proj;
uniform float u_vp_h;      // viewport height in px
uniform vec2 u_fog;        // eye depth where dimming starts, and where it is full
in vec3 in_pos;
in float in_radius;
in vec3 in_color;
in float in_glow;
out vec3 v_color;
out float v_glow;
out float v_fog;
out float v_size;
void main() {
    vec4 eye = u_view * vec4(in_pos, 1.0);
    gl_Position = u_proj * eye;
    // diameter in px: 2r * P11 / w * (h / 2)
    v_size = in_radius * u_proj[1][1] * u_vp_h / max(gl_Position.w, 1e-3);
    gl_PointSize = max(v_size + 2.0, 1.0);   // +2 px of room for the smoothed edge
    v_color = in_color;
    v_glow = in_glow;
    v_fog = clamp((-eye.z - u_fog.x) / (u_fog.y - u_fog.x), 0.0, 1.0);
}
#elif defined FRAGMENT_SHADER
uniform vec3 u_rim;        // rim light colour
in vec3 v_color;
in float v_glow;
in float v_fog;
in float v_size;
out vec4 f_color;
void main() {
    vec2 pc = (gl_PointCoord * 2.0 - 1.0) * (v_size + 2.0) / max(v_size, 1e-3);
    float r2 = dot(pc, pc);
    float r = sqrt(r2);
    float px = 2.0 / max(v_size, 1.0);           // one pixel in sphere units
    float cover = clamp((1.0 - r) / px + 0.5, 0.0, 1.0);
    if (cover <= 0.0) discard;
    float nz = sqrt(max(0.0, 1.0 - r2));
    vec3 n = vec3(pc.x, -pc.y, nz);
    const vec3 l = vec3(-0.447900, 0.646966, 0.617106);  // normalize(-0.45, 0.65, 0.62)
    float nl = dot(n, l);
    float diff = max(nl, 0.0);
    // reflect(-l, n).z = 2 (n.l) n.z - l.z; its 28th power by squaring (pow is dear on llvmpipe)
    float s1 = max(2.0 * nl * nz - l.z, 0.0);
    float s2 = s1 * s1, s4 = s2 * s2, s8 = s4 * s4, s16 = s8 * s8;
    float spec = s16 * s8 * s4;
    float t = 1.0 - nz;
    float rim = t * t * sqrt(t);                   // (1 - n.z)^2.5
    vec3 c = v_color * (0.28 + 0.72 * diff) + v_color * v_glow * 0.55
           + vec3(0.9) * spec * (0.35 + 0.5 * v_glow) + u_rim * rim * 0.55;
    c *= mix(1.0, 0.33, v_fog);
    // Depth stays the sprite centre's: writing gl_FragDepth per fragment (true sphere
    // depth) costs llvmpipe its early depth test, ~2 ms a frame at 1080p.
    f_color = vec4(c, cover);
}
#endif
