"""The orbit camera: easing that never jumps, matrices that agree with each other."""
import ast
import math
import pathlib

import numpy as np
import pytest

from neuronlab.math3d.camera import (
    OrbitCamera, project, projection_matrix, screen_ray, target_plane_point,
    unproject, view_matrix,
)

VP = (0, 0, 1280, 720)
ASPECT = 1280 / 720


def mats(cam, vp=VP):
    return view_matrix(cam), projection_matrix(cam, vp[2] / vp[3])


def test_matrices_are_float32_4x4_and_target_lands_at_viewport_centre():
    cam = OrbitCamera(home_target=(1.0, -2.0, 0.5))
    vp = (100, 50, 800, 600)
    view, proj = mats(cam, vp)
    assert view.shape == (4, 4) and view.dtype == np.float32
    assert proj.shape == (4, 4) and proj.dtype == np.float32
    xy, depth = project(cam.target[None], view, proj, vp)
    np.testing.assert_allclose(xy[0], [500.0, 350.0], atol=1e-3)
    assert depth[0] == pytest.approx(cam.distance, rel=1e-5)


def test_eye_sits_at_distance_and_view_maps_it_to_origin():
    cam = OrbitCamera()
    view, _ = mats(cam)
    assert np.linalg.norm(cam.eye - cam.target) == pytest.approx(cam.distance)
    eye_h = np.append(cam.eye, 1.0) @ view.astype(np.float64)
    np.testing.assert_allclose(eye_h[:3], 0.0, atol=1e-4)


def test_home_frames_a_graph_from_x_minus6_to_plus6():
    # GIVEN the 16x16 input sheet in the y-z plane at x=-6 and ten outputs at x=+6
    g = np.linspace(-2, 2, 16)
    yy, zz = np.meshgrid(g, g)
    sheet = np.stack([np.full(256, -6.0), yy.ravel(), zz.ravel()], 1)
    outs = np.stack([np.full(10, 6.0), np.linspace(-2.5, 2.5, 10), np.zeros(10)], 1)
    cam = OrbitCamera()
    for vp in [(0, 0, 1920, 1080), (0, 0, 1024, 768)]:
        xy, depth = project(np.concatenate([sheet, outs]), *mats(cam, vp), vp)
        # THEN everything is in front and on screen with a margin
        assert depth.min() > 1.0
        assert xy[:, 0].min() > 0.05 * vp[2] and xy[:, 0].max() < 0.95 * vp[2]
        assert xy[:, 1].min() > 0.05 * vp[3] and xy[:, 1].max() < 0.95 * vp[3]
        # and the sheet is seen at an angle, not edge-on: it spans > 80 px across
        assert np.ptp(xy[:256, 0]) > 80


def test_home_shows_the_real_layout_unmirrored():
    from neuronlab.view.layout import layout
    lay = layout()
    cam = OrbitCamera()
    vp = (0, 0, 1920, 1080)
    xy, _ = project(lay.positions, *mats(cam, vp), vp)
    assert xy[:, 0].min() > 0.05 * vp[2] and xy[:, 0].max() < 0.95 * vp[2]
    assert xy[:, 1].min() > 0.05 * vp[3] and xy[:, 1].max() < 0.95 * vp[3]
    sheet = xy[:256].reshape(16, 16, 2)  # (row, column, xy)
    # image column 0 is left of column 15 on every row; row 0 above row 15
    assert np.all(sheet[:, 0, 0] < sheet[:, 15, 0] - 100)
    assert np.all(sheet[0, :, 1] < sheet[15, :, 1] - 100)
    # inputs on the left, outputs on the right
    assert xy[:256, 0].mean() < xy[-10:, 0].mean() - 300


def test_project_unproject_round_trip():
    cam = OrbitCamera()
    cam.orbit(123, -45)
    cam.pan(30, 10, 720)
    cam.snap()
    pts = np.random.default_rng(3).uniform(-5, 5, (50, 3))
    view, proj = mats(cam)
    xy, depth = project(pts, view, proj, VP)
    back = unproject(xy, depth, view, proj, VP)
    np.testing.assert_allclose(back, pts, atol=2e-3)


def test_screen_ray_passes_through_the_projected_point():
    cam = OrbitCamera()
    view, proj = mats(cam)
    p = np.array([2.0, 1.0, -1.5])
    xy, _ = project(p[None], view, proj, VP)
    origin, d = screen_ray(xy[0, 0], xy[0, 1], view, proj, VP)
    assert np.linalg.norm(d) == pytest.approx(1.0)
    to_p = p - origin
    miss = np.linalg.norm(to_p - (to_p @ d) * d)
    assert miss < 1e-3
    assert to_p @ d > 0  # the point is ahead along the ray


def test_easing_converges_without_jumps_or_wild_overshoot():
    # GIVEN a camera told to swing a long way round
    cam = OrbitCamera()
    y0 = cam.yaw
    cam.orbit(400, 0)
    gap = np.linalg.norm(cam.goal_eye - cam.eye)
    move = cam.goal_yaw - y0
    steps, worst_past = [], 0.0
    prev = cam.eye
    # WHEN it eases at 60 fps for two seconds
    for _ in range(120):
        cam.update(1 / 60)
        steps.append(np.linalg.norm(cam.eye - prev))
        prev = cam.eye
        worst_past = max(worst_past, (cam.yaw - cam.goal_yaw) / move)
    # THEN it starts from rest, no frame covers a quarter of the way,
    # it never passes the goal, and it arrives
    # (plain exponential smoothing at this stiffness would cover a third at once)
    assert steps[0] < 0.1 * gap
    assert max(steps) < 0.25 * gap
    assert worst_past <= 1e-9
    assert cam.yaw == pytest.approx(cam.goal_yaw, abs=1e-4)
    np.testing.assert_allclose(cam.eye, cam.goal_eye, atol=1e-4)


def test_easing_is_frame_rate_independent():
    a, b = OrbitCamera(), OrbitCamera()
    for c in (a, b):
        c.orbit(250, 80)
        c.zoom(1.7)
    for _ in range(60):
        a.update(1 / 60)
    b.update(1.0)
    np.testing.assert_allclose(a.eye, b.eye, atol=1e-9)


def test_dragging_with_a_moving_goal_overshoots_only_a_little():
    # GIVEN a fast drag that stops dead, carrying speed into a fixed goal
    cam = OrbitCamera()
    y0 = cam.yaw
    for _ in range(20):
        cam.orbit(-40, 0)
        cam.update(1 / 60)
    total = cam.goal_yaw - y0
    overshoot = 0.0
    for _ in range(120):
        cam.update(1 / 60)
        overshoot = max(overshoot, (cam.yaw - cam.goal_yaw) / total)
    assert overshoot < 0.05
    assert cam.yaw == pytest.approx(cam.goal_yaw, abs=1e-4)


def test_orbit_right_moves_the_near_side_right_and_pitch_is_clamped():
    cam = OrbitCamera(home_yaw=0.0, home_pitch=0.0)
    near_pt = cam.target + np.array([0.0, 0.0, 2.0])  # between target and eye
    x0 = project(near_pt[None], *mats(cam), VP)[0][0, 0]
    cam.orbit(50, 0)
    cam.snap()
    x1 = project(near_pt[None], *mats(cam), VP)[0][0, 0]
    assert x1 > x0 + 5
    cam.orbit(0, 1e6)
    cam.snap()
    assert cam.pitch == pytest.approx(cam.max_pitch)
    cam.orbit(0, -1e7)
    cam.snap()
    assert cam.pitch == pytest.approx(-cam.max_pitch)


def test_pan_moves_content_with_the_finger_pixel_for_pixel():
    cam = OrbitCamera()
    p = cam.target.copy()
    xy0 = project(p[None], *mats(cam), VP)[0][0]
    cam.pan(37, -21, VP[3])
    cam.snap()
    xy1 = project(p[None], *mats(cam), VP)[0][0]
    np.testing.assert_allclose(xy1 - xy0, [37, -21], atol=1e-2)


def test_zoom_factor_two_halves_distance_and_is_clamped():
    cam = OrbitCamera(home_distance=16, min_distance=2, max_distance=60)
    cam.zoom(2.0)
    assert cam.goal_distance == pytest.approx(8.0)
    cam.zoom(1e9)
    assert cam.goal_distance == pytest.approx(2.0)
    cam.zoom(1e-9)
    assert cam.goal_distance == pytest.approx(60.0)
    for bad in (0.0, -1.0, float("nan"), float("inf")):
        cam.zoom(bad)
        assert cam.goal_distance == pytest.approx(60.0)


def test_zoom_about_a_point_keeps_that_point_on_its_pixel():
    cam = OrbitCamera()
    px, py = 900.0, 200.0
    about = target_plane_point(cam, px, py, VP)
    cam.zoom(1.8, about=about)
    cam.snap()
    xy = project(about[None], *mats(cam), VP)[0][0]
    np.testing.assert_allclose(xy, [px, py], atol=1e-2)
    assert cam.distance == pytest.approx(16.0 / 1.8)


def test_zoom_about_a_point_holds_under_a_lens_shifted_projection():
    # GIVEN a projection shifted sideways (the graph centred left of a panel)
    cam = OrbitCamera()
    view, proj = mats(cam)
    proj = proj.copy()
    proj[:, 0] += -0.3 * proj[:, 3]
    about = target_plane_point(cam, 300.0, 500.0, VP, view, proj)
    # the about point really is under that pixel
    np.testing.assert_allclose(project(about[None], view, proj, VP)[0][0], [300, 500], atol=1e-2)
    cam.zoom(0.7, about=about)
    cam.snap()
    view2 = view_matrix(cam)
    np.testing.assert_allclose(project(about[None], view2, proj, VP)[0][0], [300, 500], atol=1e-2)


def test_reset_goes_home_the_short_way_after_many_turns():
    cam = OrbitCamera()
    cam.orbit(10 * 2 * math.pi / cam.orbit_rad_per_px + 30, 0)  # ten turns and a bit
    cam.pan(100, 50, 720)
    cam.snap()
    cam.reset()
    assert abs(cam.goal_yaw - cam.yaw) < math.pi
    for _ in range(240):
        cam.update(1 / 60)
    np.testing.assert_allclose(cam.target, cam.home_target, atol=1e-4)
    assert cam.distance == pytest.approx(cam.home_distance, rel=1e-4)
    assert not cam.moving


def test_focus_glides_to_the_point_and_comes_closer():
    cam = OrbitCamera()
    cam.focus((4.0, 1.0, -0.5))
    assert cam.moving
    cam.update(1 / 60)
    # one frame in, still far from there: it glides
    assert np.linalg.norm(cam.target - [4.0, 1.0, -0.5]) > 1.0
    for _ in range(180):
        cam.update(1 / 60)
    np.testing.assert_allclose(cam.target, [4.0, 1.0, -0.5], atol=1e-3)
    assert cam.distance == pytest.approx(cam.focus_distance, rel=1e-3)


def test_update_ignores_bad_dt():
    cam = OrbitCamera()
    cam.orbit(100, 0)
    before = cam.eye
    for dt in (0.0, -1.0, float("nan")):
        cam.update(dt)
    np.testing.assert_array_equal(cam.eye, before)


def test_math3d_imports_numpy_and_pyrr_only():
    root = pathlib.Path(__file__).resolve().parents[1] / "neuronlab" / "math3d"
    for name in ("camera.py", "picking.py"):
        tree = ast.parse((root / name).read_text())
        mods = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                mods |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                mods.add(node.module.split(".")[0] if not node.module.startswith("neuronlab.math3d") else "math3d")
        assert mods <= {"numpy", "pyrr", "math", "__future__", "math3d"}, (name, mods)
