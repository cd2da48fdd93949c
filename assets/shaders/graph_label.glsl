// Output digit labels: camera-facing quads beside the output balls, from a glyph atlas.
#version 330 core
#if defined VERTEX_SHADER
uniform mat4 u_view;
uniform mat4 u_proj;
uniform vec2 u_cell;       // glyph size in world units (w, h)
uniform float u_gap;       // world units from the ball centre to the glyph's left edge
in vec2 in_corner;         // (0,0) .. (1,1)
in vec3 in_anchor;
in vec3 in_rgb;
in float in_digit;
out vec2 v_uv;
flat out vec3 v_rgb;
void main() {
    vec4 eye = u_view * vec4(in_anchor, 1.0);
    eye.xy += vec2(u_gap + in_corner.x * u_cell.x, (in_corner.y - 0.5) * u_cell.y);
    eye.z += 0.3;          // a little towards the eye: never behind its own ball or ring
    gl_Position = u_proj * eye;
    v_uv = vec2((in_digit + in_corner.x) / 10.0, 1.0 - in_corner.y);
    v_rgb = in_rgb;
}
#elif defined FRAGMENT_SHADER
uniform sampler2D u_atlas;
in vec2 v_uv;
flat in vec3 v_rgb;
out vec4 f_color;
void main() {
    float a = texture(u_atlas, v_uv).r;
    if (a < 0.01) discard;
    f_color = vec4(v_rgb, a);
}
#endif
