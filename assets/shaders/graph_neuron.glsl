// Graph neurons: one point sprite per neuron holding its lit sphere, its halo (the glow of
// an active neuron) and the answer / selection ring, drawn back to front with
// premultiplied-alpha blending (ONE, ONE_MINUS_SRC_ALPHA): the sphere is opaque
// (alpha = coverage), the halo and ring are pure light added around it (alpha 0). So a
// nearer neuron covers a farther one and its glow lies over it, with no depth buffer.
// llvmpipe computes both sides of every branch for every pixel, so the balls with no
// ring are drawn by a variant built with NO_RING (render/graph_pass.py).
#version 330 core
#if defined VERTEX_SHADER
uniform mat4 u_view;
uniform mat4 u_proj;
uniform float u_vp_h;      // viewport height in px
uniform vec2 u_fog;        // eye depth where dimming starts, and where it is full
uniform float u_spread;    // halo radius in ball radii
in vec3 in_pos;
in float in_radius;
in vec3 in_color;
in float in_glow;
in float in_ring;          // 0 none, 1 answer, 2 selected, -1 no halo (the ball alone)
flat out vec3 v_color;
flat out float v_glow;          // the sphere's own glow
flat out float v_halo;          // the halo's strength, fog included (0: no halo)
flat out float v_ring;
flat out float v_fog;
flat out float v_size;          // sphere diameter, px
flat out float v_scale;         // sprite diameter / sphere diameter
void main() {
    vec4 eye = u_view * vec4(in_pos, 1.0);
    gl_Position = u_proj * eye;
    // diameter in px: 2r * P11 / w * (h / 2)
    v_size = in_radius * u_proj[1][1] * u_vp_h / max(gl_Position.w, 1e-3);
    v_fog = clamp((-eye.z - u_fog.x) / (u_fog.y - u_fog.x), 0.0, 1.0);
    v_halo = in_glow * mix(1.0, 0.55, v_fog);
    v_ring = max(in_ring, 0.0);
    bool wide = (v_halo >= 0.03 && in_ring >= 0.0) || in_ring > 0.0;   // a halo or ring to show
    // past 0.9 + 0.86 (spread - 0.9) radii the halo's light is under half a level (its
    // falloff squared below 0.0036), past 1.75 the ring's (1.45 + 3 of its widths): the
    // sprite ends there; +1 px: the ball's smoothed edge
    float reach = max(0.9 + 0.86 * (u_spread - 0.9), in_ring > 0.0 ? 1.75 : 0.0);
    float sprite = wide ? max(v_size * reach, v_size + 1.0) : v_size + 1.0;
    gl_PointSize = max(sprite, 1.0);
    v_scale = max(sprite, 1.0) / max(v_size, 1e-3);
    v_halo = wide ? v_halo : 0.0;
    v_color = in_color;
    v_glow = in_glow;
}
#elif defined FRAGMENT_SHADER
uniform vec3 u_rim;        // rim light colour
uniform float u_spread;
uniform vec3 u_accent;     // answer ring
uniform vec3 u_select;     // selection ring
flat in vec3 v_color;
flat in float v_glow;
flat in float v_halo;
flat in float v_ring;
flat in float v_fog;
flat in float v_size;
flat in float v_scale;
out vec4 f_color;
void main() {
    vec2 pc = (gl_PointCoord * 2.0 - 1.0) * v_scale;   // in ball radii
    float r2 = dot(pc, pc);
    float r = sqrt(r2);
    float px = 2.0 / max(v_size, 1.0);           // one pixel in sphere units
    float cover = clamp((1.0 - r) / px + 0.5, 0.0, 1.0);
    // light around the sphere: halo and ring
    vec3 glow = vec3(0.0);
    if (v_halo > 0.0) {
        float fall = 1.0 - smoothstep(0.9, u_spread, r);
        glow = v_color * v_halo * 0.55 * fall * fall;
    }
#if !defined NO_RING
    if (v_ring > 0.0) {                      // drawn whether or not the neuron glows
        float q = (r - 1.45) / 0.09;         // q*q, not pow(q, 2.0): pow is undefined for q < 0
        glow += (v_ring > 1.5 ? u_select : u_accent) * exp(-q * q) * 0.9;
    }
#endif
    if (cover <= 0.0) {
        if (r > u_spread || (v_halo <= 0.0 && v_ring <= 0.0)) discard;
        f_color = vec4(glow, 0.0);
        return;
    }
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
    c *= mix(1.0, 0.55, v_fog);      // depth cue, gentle: the far side holds the answer neurons
    // premultiplied: the sphere's coverage of its colour, the glow in the rest
    f_color = vec4(c * cover + glow * (1.0 - cover), cover);
}
#endif
