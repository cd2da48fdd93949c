"""The orbit camera: plain state that eases toward a goal, and pure matrix maths.

Owns where the visitor looks from. ``OrbitCamera`` holds the current pose
(target, yaw, pitch, distance) and a goal pose; gestures move the goal and
``update(dt)`` eases the current pose toward it with a critically damped spring,
so the view never jumps and never rings, at any frame rate. Everything that turns
a pose into pixels is a pure function: ``view_matrix``, ``projection_matrix``,
``project``, ``unproject``, ``screen_ray``, ``target_plane_point``.

Convention (shared with the renderer): pyrr's row vectors,
``clip = [x, y, z, 1] @ view @ proj``; matrices are float32 (4, 4), uploaded with
``.astype("f4").tobytes()`` and used in GLSL as ``u_proj * u_view * vec4(p, 1)``.
World up is +y; at yaw 0 the camera sits on the +z side looking down -z, so the
graph, laid out along +x, reads left to right.

Screen coordinates are window pixels, origin top-left, y down. A viewport is
``(x, y, w, h)`` in those pixels with (x, y) its top-left corner.

Imports numpy and pyrr only.
"""
from __future__ import annotations

import math

import numpy as np
import pyrr

# Index of each component in the eased state vector.
_TX, _TY, _TZ, _YAW, _PITCH, _LOGD = range(6)


class OrbitCamera:
    """Orbits a target point; eases every move.

    Home frames a graph laid out along x from about -6 (the 16x16 input sheet,
    ~4.5 units wide in the y-z plane) to +6 (the outputs): seen from 40 degrees
    round toward the input side, so the sheet reads unmirrored (+z to the right)
    and not edge-on, and 14 degrees above. The target sits a little toward the
    inputs and below the middle because the near sheet looks larger. At 16:9
    the graph spans about the middle half of the width and 60 % of the height.

    Responsiveness: direct manipulation (orbit/pan/zoom) uses the stiff spring
    ``omega_follow`` so the scene stays close under the finger; camera trips
    (reset/focus) use the softer ``omega_travel`` so they read as a glide.
    """

    def __init__(
        self,
        home_target=(-1.2, -0.6, 0.0),
        home_yaw: float = math.radians(-40.0),
        home_pitch: float = math.radians(14.0),
        home_distance: float = 16.0,
        fov_deg: float = 40.0,
        near: float = 0.1,
        far: float = 200.0,
        min_distance: float = 2.0,
        max_distance: float = 60.0,
        max_pitch: float = math.radians(85.0),
        orbit_rad_per_px: float = 0.005,
        focus_distance: float = 6.0,
        omega_follow: float = 25.0,
        omega_travel: float = 7.0,
    ) -> None:
        if not 0.0 < near < far:
            raise ValueError(f"need 0 < near < far, got near={near} far={far}")
        if not 0.0 < min_distance <= home_distance <= max_distance:
            raise ValueError("need 0 < min_distance <= home_distance <= max_distance")
        self.home_target = np.asarray(home_target, dtype=np.float64).reshape(3).copy()
        self.home_yaw = float(home_yaw)
        self.home_pitch = float(home_pitch)
        self.home_distance = float(home_distance)
        self.fov_deg = float(fov_deg)
        self.near = float(near)
        self.far = float(far)
        self.min_distance = float(min_distance)
        self.max_distance = float(max_distance)
        self.max_pitch = float(max_pitch)
        self.orbit_rad_per_px = float(orbit_rad_per_px)
        self.focus_distance = float(focus_distance)
        self.omega_follow = float(omega_follow)
        self.omega_travel = float(omega_travel)
        self._omega = self.omega_follow
        # Distance is eased in log space so a zoom feels the same at any range.
        self._state = self._home_state()          # (6,) current pose
        self._goal = self._state.copy()           # (6,) where it is heading
        self._vel = np.zeros(6)                   # (6,) d(state)/dt

    # ----------------------------------------------------------------- state
    def _home_state(self) -> np.ndarray:
        t = self.home_target
        return np.array([t[0], t[1], t[2], self.home_yaw, self.home_pitch,
                         math.log(self.home_distance)])

    @property
    def target(self) -> np.ndarray:
        return self._state[:3].copy()

    @property
    def yaw(self) -> float:
        return float(self._state[_YAW])

    @property
    def pitch(self) -> float:
        return float(self._state[_PITCH])

    @property
    def distance(self) -> float:
        return float(math.exp(self._state[_LOGD]))

    @property
    def goal_target(self) -> np.ndarray:
        return self._goal[:3].copy()

    @property
    def goal_distance(self) -> float:
        return float(math.exp(self._goal[_LOGD]))

    @property
    def goal_yaw(self) -> float:
        return float(self._goal[_YAW])

    @property
    def goal_pitch(self) -> float:
        return float(self._goal[_PITCH])

    @property
    def eye(self) -> np.ndarray:
        """Current camera position, (3,)."""
        return _eye(self._state[:3], self.yaw, self.pitch, self.distance)

    @property
    def goal_eye(self) -> np.ndarray:
        """Where the camera will be once the ease settles, (3,)."""
        g = self._goal
        return _eye(g[:3], g[_YAW], g[_PITCH], math.exp(g[_LOGD]))

    @property
    def moving(self) -> bool:
        """True while the pose is still visibly easing (lets a renderer idle)."""
        gap = np.abs(self._goal - self._state)
        return bool(gap.max() > 1e-5 or np.abs(self._vel).max() > 1e-4)

    @property
    def at_home(self) -> bool:
        """True when it rests at the home view (however often it was spun round)."""
        gap = self._state - self._home_state()
        gap[_YAW] = (gap[_YAW] + math.pi) % (2 * math.pi) - math.pi
        return bool(np.abs(gap).max() < 1e-3) and not self.moving

    # -------------------------------------------------------------- commands
    def orbit(self, dx_px: float, dy_px: float) -> None:
        """Turn around the target; dragging right turns the near side right,
        dragging down tips the top toward the visitor."""
        self._omega = self.omega_follow
        self._goal[_YAW] -= float(dx_px) * self.orbit_rad_per_px
        self._goal[_PITCH] = self._clamp_pitch(
            self._goal[_PITCH] + float(dy_px) * self.orbit_rad_per_px)

    def pan(self, dx_px: float, dy_px: float, viewport_h: float) -> None:
        """Slide the target in the view plane so what lies at the target's depth
        follows the finger pixel for pixel."""
        self._omega = self.omega_follow
        right, up, _ = _basis(self._goal[_YAW], self._goal[_PITCH])
        d = math.exp(self._goal[_LOGD])
        world_per_px = 2.0 * d * math.tan(math.radians(self.fov_deg) / 2.0) / max(float(viewport_h), 1.0)
        # Content moves with the finger, so the target moves against it; screen y is down.
        self._goal[:3] += (-float(dx_px) * right + float(dy_px) * up) * world_per_px

    def zoom(self, factor: float, about=None) -> None:
        """Move closer by ``factor`` (> 1 zooms in: fingers spread to twice their
        distance -> factor 2 -> half the distance). With ``about`` (a world point,
        (3,)) that point keeps its place on screen, as under a pinch."""
        factor = float(factor)
        if not math.isfinite(factor) or factor <= 0.0:
            return
        self._omega = self.omega_follow
        d_old = math.exp(self._goal[_LOGD])
        d_new = min(max(d_old / factor, self.min_distance), self.max_distance)
        if about is not None:
            about = np.asarray(about, dtype=np.float64).reshape(3)
            if np.all(np.isfinite(about)):
                # Scaling the eye toward `about` with orientation fixed keeps
                # `about` on the same pixel; the target moves by the same scale.
                s = d_new / d_old
                self._goal[:3] = about + (self._goal[:3] - about) * s
        self._goal[_LOGD] = math.log(d_new)

    def focus(self, point, distance: float | None = None) -> None:
        """Glide to look at ``point`` (a neuron) from ``distance`` (default: the
        focus distance, or nearer if already nearer)."""
        p = np.asarray(point, dtype=np.float64).reshape(3)
        if not np.all(np.isfinite(p)):
            return
        self._omega = self.omega_travel
        if distance is None:
            distance = min(self.focus_distance, math.exp(self._goal[_LOGD]))
        d = min(max(float(distance), self.min_distance), self.max_distance)
        self._goal[:3] = p
        self._goal[_LOGD] = math.log(d)

    def reset(self) -> None:
        """Glide back home, taking the short way round however far it was spun."""
        self._omega = self.omega_travel
        goal = self._home_state()
        goal[_YAW] = _nearest_turn(goal[_YAW], self._state[_YAW])
        self._goal = goal

    def snap(self) -> None:
        """Jump to the goal at once (tests, state resets)."""
        self._state = self._goal.copy()
        self._vel[:] = 0.0

    def home(self) -> None:
        """Be at home at once (attract mode, start-up)."""
        self._goal = self._home_state()
        self.snap()

    def update(self, dt: float) -> None:
        """Advance the ease by ``dt`` seconds.

        Exact solution of the critically damped spring x'' = w^2 (g - x) - 2 w x',
        so ten steps of 0.1 s land exactly where one step of 1 s does.
        """
        dt = float(dt)
        if not math.isfinite(dt) or dt <= 0.0:
            return
        w = self._omega
        y0 = self._state - self._goal          # (6,)
        v0 = self._vel                         # (6,)
        e = math.exp(-w * dt)
        c = v0 + w * y0
        y = (y0 + c * dt) * e
        self._vel = (v0 - w * c * dt) * e
        self._state = self._goal + y
        # Only a spring carrying speed into a stopped goal can pass it; keep that
        # overshoot inside the legal range.
        p = self._state[_PITCH]
        if abs(p) > self.max_pitch:
            self._state[_PITCH] = math.copysign(self.max_pitch, p)
            self._vel[_PITCH] = 0.0
        lo, hi = math.log(self.min_distance), math.log(self.max_distance)
        if not lo <= self._state[_LOGD] <= hi:
            self._state[_LOGD] = min(max(self._state[_LOGD], lo), hi)
            self._vel[_LOGD] = 0.0

    def _clamp_pitch(self, p: float) -> float:
        return min(max(p, -self.max_pitch), self.max_pitch)


# ------------------------------------------------------------ pure functions
def _basis(yaw: float, pitch: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Camera right, up and back unit vectors (each (3,)) for a yaw and pitch."""
    cp, sp = math.cos(pitch), math.sin(pitch)
    cy, sy = math.cos(yaw), math.sin(yaw)
    back = np.array([cp * sy, sp, cp * cy])     # from target toward the eye
    right = np.array([cy, 0.0, -sy])
    up = np.cross(back, right)
    return right, up, back


def _eye(target: np.ndarray, yaw: float, pitch: float, distance: float) -> np.ndarray:
    return np.asarray(target, dtype=np.float64) + _basis(yaw, pitch)[2] * distance


def _nearest_turn(angle: float, near_to: float) -> float:
    """``angle`` plus the whole number of turns that brings it nearest ``near_to``."""
    two_pi = 2.0 * math.pi
    return angle + two_pi * round((near_to - angle) / two_pi)


def view_matrix(cam: OrbitCamera) -> np.ndarray:
    """World -> eye, float32 (4, 4), row-vector convention."""
    right, up, back = _basis(cam.yaw, cam.pitch)
    eye = cam.target + back * cam.distance
    # Built from the basis directly: look_at with a fixed world up would
    # degenerate at the poles, which the clamped pitch never reaches anyway.
    m = np.identity(4)
    m[:3, 0], m[:3, 1], m[:3, 2] = right, up, back
    m[3, :3] = -np.array([right @ eye, up @ eye, back @ eye])
    return m.astype(np.float32)


def projection_matrix(cam: OrbitCamera, aspect: float) -> np.ndarray:
    """Eye -> clip, float32 (4, 4), OpenGL depth range."""
    aspect = float(aspect) if aspect and math.isfinite(aspect) and aspect > 0 else 1.0
    return pyrr.matrix44.create_perspective_projection(
        cam.fov_deg, aspect, cam.near, cam.far, dtype=np.float32)


def project(points, view, proj, viewport) -> tuple[np.ndarray, np.ndarray]:
    """World points (N, 3) -> (window px (N, 2), depth (N,)).

    Depth is the distance in front of the camera along its view axis (clip w):
    > 0 in front; points with depth <= 0 are behind the eye and their pixel
    position is meaningless.
    """
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 3)
    vx, vy, vw, vh = (float(v) for v in viewport)
    m = np.asarray(view, dtype=np.float64) @ np.asarray(proj, dtype=np.float64)
    clip = np.concatenate([pts, np.ones((len(pts), 1))], axis=1) @ m   # (N, 4) @ (4, 4) -> (N, 4)
    w = clip[:, 3]
    safe_w = np.where(np.abs(w) < 1e-12, 1e-12, w)
    ndc = clip[:, :2] / safe_w[:, None]                                  # (N, 2)
    px = np.empty((len(pts), 2))
    px[:, 0] = vx + (ndc[:, 0] + 1.0) * 0.5 * vw
    px[:, 1] = vy + (1.0 - ndc[:, 1]) * 0.5 * vh
    return px, w


def unproject(xy, depth, view, proj, viewport) -> np.ndarray:
    """Inverse of ``project``: window px (N, 2) and depth (N,) -> world (N, 3)."""
    xy = np.asarray(xy, dtype=np.float64).reshape(-1, 2)
    depth = np.asarray(depth, dtype=np.float64).reshape(-1)
    vx, vy, vw, vh = (float(v) for v in viewport)
    P = np.asarray(proj, dtype=np.float64)
    m_inv = np.linalg.inv(np.asarray(view, dtype=np.float64) @ P)
    ndc_x = (xy[:, 0] - vx) / vw * 2.0 - 1.0
    ndc_y = 1.0 - (xy[:, 1] - vy) / vh * 2.0
    # Rebuild the clip vector a point at eye z = -depth would have had.
    clip = np.stack([ndc_x * depth, ndc_y * depth,
                     -depth * P[2, 2] + P[3, 2], depth], axis=1)         # (N, 4)
    world = clip @ m_inv                                                 # (N, 4) @ (4, 4) -> (N, 4)
    return world[:, :3] / world[:, 3:4]


def screen_ray(px: float, py: float, view, proj, viewport) -> tuple[np.ndarray, np.ndarray]:
    """The ray under a window pixel: (origin on the near plane (3,), unit dir (3,))."""
    vx, vy, vw, vh = (float(v) for v in viewport)
    m_inv = np.linalg.inv(np.asarray(view, dtype=np.float64) @ np.asarray(proj, dtype=np.float64))
    nx = (float(px) - vx) / vw * 2.0 - 1.0
    ny = 1.0 - (float(py) - vy) / vh * 2.0
    ends = np.array([[nx, ny, -1.0, 1.0], [nx, ny, 1.0, 1.0]]) @ m_inv   # (2, 4)
    ends = ends[:, :3] / ends[:, 3:4]
    d = ends[1] - ends[0]
    return ends[0], d / np.linalg.norm(d)


def target_plane_point(cam: OrbitCamera, px: float, py: float, viewport,
                       view=None, proj=None) -> np.ndarray:
    """Where the ray under a pixel meets the plane through the camera target,
    facing the camera: the natural 'about' point for a pinch or wheel zoom.
    Pass the frame's own ``view``/``proj`` when they differ from the plain
    camera matrices (e.g. a lens shift); by default they are built here."""
    if view is None:
        view = view_matrix(cam)
    if proj is None:
        proj = projection_matrix(cam, float(viewport[2]) / max(float(viewport[3]), 1.0))
    origin, d = screen_ray(px, py, view, proj, viewport)
    back = _basis(cam.yaw, cam.pitch)[2]
    denom = float(d @ back)
    if abs(denom) < 1e-9:
        return cam.target
    t = float((cam.target - origin) @ back) / denom
    return origin + d * t
