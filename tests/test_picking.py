"""Picking: a tap lands on the ball the visitor sees, finger-sized whatever it's drawn as."""
import time

import numpy as np

from neuronlab.math3d.camera import OrbitCamera, project, projection_matrix, view_matrix
from neuronlab.math3d.picking import pick

VP = (0, 0, 1280, 720)


def setup(cam=None):
    cam = cam or OrbitCamera()
    return view_matrix(cam), projection_matrix(cam, VP[2] / VP[3])


def graph_like_centres():
    """294 balls: a 16x16 sheet at x=-6, 16 at x=-2, 12 at x=2, 10 at x=6."""
    g = np.linspace(-2, 2, 16)
    yy, zz = np.meshgrid(g, g)
    layers = [np.stack([np.full(256, -6.0), yy.ravel(), zz.ravel()], 1)]
    for x, n in ((-2.0, 16), (2.0, 12), (6.0, 10)):
        layers.append(np.stack([np.full(n, x), np.linspace(-3, 3, n), np.zeros(n)], 1))
    return np.concatenate(layers)


def test_tapping_a_projected_centre_returns_that_ball():
    view, proj = setup()
    c = graph_like_centres()
    r = np.full(len(c), 0.08)
    xy, _ = project(c, view, proj, VP)
    rng = np.random.default_rng(0)
    # hidden and output balls are well apart on screen: each must be found exactly
    for i in list(range(256, 294)) + list(rng.choice(256, 20, replace=False)):
        got = pick(xy[i, 0], xy[i, 1], c, r, view, proj, VP, min_hit_px=20)
        if i >= 256:
            assert got == i
        else:
            # on the dense sheet, the picked ball is the one whose centre is on that pixel
            assert np.hypot(*(xy[got] - xy[i])) < 1.0


def test_tiny_ball_is_still_finger_sized_but_not_beyond():
    view, proj = setup()
    c = np.array([[0.0, 0.0, 0.0]])
    r = np.array([0.001])  # well under a pixel on screen
    (x, y), = project(c, view, proj, VP)[0]
    assert pick(x + 25, y, c, r, view, proj, VP, min_hit_px=30) == 0
    assert pick(x + 25, y, c, r, view, proj, VP, min_hit_px=20) is None
    assert pick(x + 18, y - 18, c, r, view, proj, VP, min_hit_px=30) == 0   # 25.5 px away
    assert pick(x + 22, y - 22, c, r, view, proj, VP, min_hit_px=30) is None  # 31.1 px away


def test_big_ball_hit_area_is_its_drawn_size():
    view, proj = setup()
    cam = OrbitCamera()
    c = np.array(cam.target)[None]
    r = np.array([1.0])
    # projected radius at distance 16 with fov 40: 1 * (1/tan 20deg) * 360 / 16 = 61.8 px
    (x, y), = project(c, view, proj, VP)[0]
    assert pick(x + 58, y, c, r, view, proj, VP, min_hit_px=10) == 0
    assert pick(x + 66, y, c, r, view, proj, VP, min_hit_px=10) is None


def test_nearest_of_two_overlapping_balls_wins():
    cam = OrbitCamera(home_yaw=0.0, home_pitch=0.0, home_target=(0, 0, 0))
    view, proj = setup(cam)
    # two balls on the same line of sight, the second nearer the eye (+z)
    c = np.array([[0.0, 0.0, 0.0], [0.0, 0.0, 3.0], [0.3, 0.0, -4.0]])
    r = np.array([0.5, 0.5, 0.5])
    (x, y) = project(c[:1], view, proj, VP)[0][0]
    assert pick(x, y, c, r, view, proj, VP, min_hit_px=40) == 1
    # put the far one first in the list too: order does not matter
    assert pick(x, y, c[::-1], r, view, proj, VP, min_hit_px=40) == 1


def test_small_overlapping_targets_go_to_the_nearest_centre_on_screen():
    # GIVEN two tiny balls 20 px apart, the right one slightly nearer the camera,
    # both within the enlarged 30 px hit radius of a tap just left of centre
    cam = OrbitCamera(home_yaw=0.0, home_pitch=0.0, home_target=(0, 0, 0))
    view, proj = setup(cam)
    c = np.array([[-0.2, 0.0, 0.0], [0.2, 0.0, 0.05]])
    r = np.array([0.01, 0.01])
    xy, _ = project(c, view, proj, VP)
    assert 20 < xy[1, 0] - xy[0, 0] < 40
    # WHEN tapping right on the left one THEN the left one, not the nearer neighbour
    assert pick(xy[0, 0], xy[0, 1], c, r, view, proj, VP, min_hit_px=30) == 0
    assert pick(xy[1, 0], xy[1, 1], c, r, view, proj, VP, min_hit_px=30) == 1


def test_empty_space_outside_viewport_and_behind_camera_give_none():
    cam = OrbitCamera()
    view, proj = setup(cam)
    c = graph_like_centres()
    r = np.full(len(c), 0.08)
    assert pick(5, 5, c, r, view, proj, VP, min_hit_px=40) is None
    assert pick(-50, 300, c, r, view, proj, VP, min_hit_px=40) is None
    assert pick(640, 360, np.zeros((0, 3)), np.zeros(0), view, proj, VP) is None
    # a ball behind the eye projects (mirrored) somewhere but can never be hit
    behind = cam.target + 2.0 * (cam.eye - cam.target)
    (x, y), = project(behind[None], view, proj, VP)[0]
    assert pick(x, y, behind[None], [0.5], view, proj, VP, min_hit_px=40) is None


def test_viewport_offset_is_respected():
    cam = OrbitCamera()
    vp = (300, 100, 640, 480)
    view, proj = view_matrix(cam), projection_matrix(cam, vp[2] / vp[3])
    c = np.array([cam.target])
    assert pick(620, 340, c, [0.05], view, proj, vp, min_hit_px=10) == 0
    assert pick(320, 240, c, [0.05], view, proj, vp, min_hit_px=10) is None


def test_picking_follows_a_lens_shifted_projection():
    cam = OrbitCamera()
    view, proj = setup(cam)
    proj = proj.copy()
    proj[:, 0] += -0.3 * proj[:, 3]
    c = graph_like_centres()
    r = np.full(len(c), 0.08)
    xy, _ = project(c, view, proj, VP)
    for i in range(256, 294):
        assert pick(xy[i, 0], xy[i, 1], c, r, view, proj, VP, min_hit_px=20) == i


def test_benchmark_294_neurons_prints_time():
    """Prints the cost (the target is well under 1 ms); asserts only the answer."""
    view, proj = setup()
    c = graph_like_centres()
    r = np.full(len(c), 0.08)
    xy, _ = project(c, view, proj, VP)
    n = 300
    t0 = time.perf_counter()
    for _ in range(n):
        got = pick(xy[280, 0], xy[280, 1], c, r, view, proj, VP, min_hit_px=34)
    per = (time.perf_counter() - t0) / n
    print(f"pick over {len(c)} balls: {per * 1e6:.0f} us")
    assert got == 280
