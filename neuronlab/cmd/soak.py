"""``neuronlab soak --minutes M [--seed S]``: the acceptance soak for technicians.

Runs the real exhibit (built by ``build_app`` exactly as ``run`` builds it; headless via
``SDL_VIDEODRIVER=offscreen`` when there is no display) under random monkey input for M
minutes of wall-clock time: taps, drags, pinches, painting, scene/speed/language/reset
button presses, and idle gaps that start attract mode. The idle timeout is shortened to
5 s and idle gaps advance exhibit time with large simulated ``dt``, so no real waiting.
The checkpoint goes to a temporary folder (the gallery's own is never touched).

Ends with exactly one line:
``soak: frames F, errors E, nan N, rss start A MB end B MB, rss growth G MB, p99 frame T ms``.
errors = frames that raised; nan = frames where a shown number (the forward pass, the
stats, the rate) was not finite; rss start and end are the highest resident size in
the first and in the last few minutes after a warm-up (``PeakWindows``; ``WarmUp``: the
training-data pool full and the resident size no longer climbing, at most a quarter of
the run). Every buffer is
bounded (frame times go into a fixed histogram), so it can run for 10 hours.
"""
from __future__ import annotations

import logging
import math
import os
import sys
import tempfile
import time

from neuronlab.commands import SwitchScene
from neuronlab.memory import MemorySampler, rss_mb

log = logging.getLogger("neuronlab.soak")

SOAK_IDLE_S = 5.0
HIST_MS = 0.1                 # frame-time histogram bin
HIST_BINS = 20_000            # up to 2 s; slower frames land in the last bin


def bounded_caches_full(app) -> bool:
    """True once the training-data pool (a bounded cache, ~31 MB when full, whose pages
    the OS maps in as it fills; in the feeder process, or here without one) is full:
    memory measured before that is filling, not leaking, so the warm-up lasts at least
    until then."""
    return bool(getattr(app.session.generator, "pool_full", True))


class WarmUp:
    """When the memory baseline may be taken: after ``min_s``, once the data pool is full
    and the resident size has not climbed more than ``step_mb`` above its highest value
    for ``settle_s``; at ``max_s`` at the latest, so growth that never settles is still
    measured over the rest of the run.

    Why: in-use memory climbs for the first minutes while the monkey and attract mode
    reach every scene, caption and language, then settles (docs/performance.md); a fixed
    early baseline counted that fill as growth. A sustained leak never settles: slower than
    ``step_mb`` per ``settle_s`` it is measured from ``min_s``, faster from ``max_s`` on.
    Time and the resident size are passed in."""

    def __init__(self, min_s: float, settle_s: float, max_s: float, step_mb: float = 1.0):
        self.min_s, self.settle_s, self.max_s = float(min_s), float(settle_s), float(max_s)
        self.step_mb = float(step_mb)
        self.high = -1.0
        self.high_at = 0.0
        self.why = ""

    def over(self, app, elapsed: float, rss: float) -> bool:
        if elapsed >= self.max_s:
            self.why = "the warm-up's time limit"
            return True
        if elapsed < self.min_s:        # start-up's own peaks are not the level to settle at
            return False
        if rss > self.high + self.step_mb:
            self.high, self.high_at = rss, elapsed
        if elapsed - self.high_at < self.settle_s or not bounded_caches_full(app):
            return False
        self.why = (f"no new high above {self.high:.1f} MB + {self.step_mb:g} for "
                    f"{elapsed - self.high_at:.0f}s, data pool full")
        return True


class PeakWindows:
    """The soak's rss start and end: the highest resident size in the first ``window_s``
    after the warm-up and in the last ``window_s`` of the run.

    Why peaks over windows rather than two readings: malloc's in-use bytes follow what is
    on screen (a scene's panels, the inspector, attract mode), and in a 36-minute soak at
    1280x720 single readings a minute apart ranged over 237.6-247.2 MB with no trend, so
    two single readings differ by whatever the monkey happened to be doing. Each window
    is long enough for the monkey to pass through the exhibit's states; a leak raises the
    late window's peak above the early one's. Time and the resident size are passed in."""

    def __init__(self, total_s: float, window_s: float):
        self.total_s, self.window_s = float(total_s), float(window_s)
        self.start_at = None
        self.start = self.end = None

    def feed(self, elapsed: float, rss: float) -> None:
        """A reading after the warm-up (the first one marks its end)."""
        if self.start_at is None:
            self.start_at = elapsed
        if elapsed - self.start_at <= self.window_s:
            self.start = rss if self.start is None else max(self.start, rss)
        if elapsed >= self.total_s - self.window_s:
            self.end = rss if self.end is None else max(self.end, rss)


def shown_numbers_finite(app) -> bool:
    import numpy as np

    ses = app.session
    fw = ses.fw
    for a in (fw.x, fw.z1, fw.a1, fw.z2, fw.a2, fw.z3, fw.p):
        if not np.isfinite(a).all():
            return False
    st = ses.trainer.stats
    for v in (st.train_loss, st.test_accuracy, st.samples_per_sec, ses.trainer.lr):
        if v is not None and not math.isfinite(v):
            return False
    return True


class Monkey:
    """Random visitors: each ``events(app)`` call is one frame's SDL events and dt."""

    def __init__(self, rng, size):
        import pygame
        self.pg = pygame
        self.rng = rng
        self.size = size
        self.script: list = []       # pending (events, dt) frames of the current gesture

    def _finger(self, kind, x, y, fid):
        pg = self.pg
        et = {"down": pg.FINGERDOWN, "move": pg.FINGERMOTION, "up": pg.FINGERUP}[kind]
        w, h = self.size
        return pg.event.Event(et, touch_id=1, finger_id=fid, x=min(max(x / w, 0.0), 1.0),
                              y=min(max(y / h, 0.0), 1.0), dx=0.0, dy=0.0)

    def _path(self, fid, a, b, n):
        """A drag from a to b over n frames, as a list of frames."""
        frames = [[self._finger("down", *a, fid)]]
        for t in range(1, n + 1):
            f = t / n
            frames.append([self._finger("move", a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, fid)])
        frames.append([self._finger("up", *b, fid)])
        return frames

    def _point(self, rect=None):
        r = self.rng
        if rect is None:
            return float(r.uniform(0, self.size[0])), float(r.uniform(0, self.size[1]))
        return float(r.uniform(rect.left, rect.right)), float(r.uniform(rect.top, rect.bottom))

    def plan(self, app) -> None:
        r = self.rng
        choice = r.choice(["tap", "drag", "pinch", "paint", "button", "scene_button", "idle",
                           "storm", "wheel"], p=[.2, .15, .08, .15, .15, .1, .05, .07, .05])
        dt = 1 / 60
        frames: list = []
        if choice == "tap":
            p = self._point()
            frames = [[self._finger("down", *p, 1)], [self._finger("up", *p, 1)]]
        elif choice == "drag":
            frames = self._path(1, self._point(), self._point(), int(r.integers(3, 30)))
        elif choice == "pinch":
            c = self._point()
            d0, d1 = float(r.uniform(20, 150)), float(r.uniform(20, 300))
            a = self._path(1, (c[0] - d0, c[1]), (c[0] - d1, c[1]), 12)
            b = self._path(2, (c[0] + d0, c[1]), (c[0] + d1, c[1]), 12)
            frames = [x + y for x, y in zip(a, b)]
        elif choice == "paint":
            if app.scene_name != "draw":
                if r.random() < 0.5:
                    app.apply(SwitchScene("draw"))
            pr = app.scenes["draw"].pad_rect(app.stage)
            frames = self._path(int(r.integers(1, 4)), self._point(pr), self._point(pr), int(r.integers(4, 25)))
        elif choice in ("button", "scene_button"):
            bars = [app.controls.bar] if choice == "button" else [app.scene.bar, app.controls.curious]
            buttons = [b for bar in bars for b in bar.buttons]
            if buttons:
                rect = buttons[int(r.integers(len(buttons)))].rect
                p = (float(rect.centerx), float(rect.centery))
                frames = [[self._finger("down", *p, 3)], [self._finger("up", *p, 3)]]
        elif choice == "idle":
            # Long enough to start attract mode, then some minutes of the tour; simulated time.
            n = int(r.integers(int(SOAK_IDLE_S / 0.25) + 2, 600))
            self.script = [([], 0.25)] * n
            return
        elif choice == "storm":
            for _ in range(int(r.integers(2, 10))):
                evs = []
                for fid in range(5):
                    kind = ("down", "move", "up")[int(r.integers(3))]
                    evs.append(self._finger(kind, *self._point(), 10 + fid))
                frames.append(evs)
            frames.append([self._finger("up", 0, 0, 10 + f) for f in range(5)])
        elif choice == "wheel":
            pg = self.pg
            frames = [[pg.event.Event(pg.MOUSEWHEEL, x=0, y=int(r.choice((-1, 1))), flipped=False,
                                      precise_x=0.0, precise_y=float(r.choice((-1.0, 1.0))), touch=False)]]
        self.script = [(f, dt) for f in frames] + [([], dt)] * int(r.integers(0, 40))

    def next(self, app):
        if not self.script:
            self.plan(app)
        if not self.script:
            return [], 1 / 60
        return self.script.pop(0)


def run(args) -> int:
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")
    from dataclasses import replace

    import numpy as np

    from neuronlab.app import build_app
    from neuronlab.kiosk import recover
    from neuronlab.logs import log_limited, once_per

    tmp = tempfile.TemporaryDirectory(prefix="neuronlab-soak-")

    def tweak(cfg):
        return replace(cfg,
                       kiosk=replace(cfg.kiosk, idle_timeout_s=SOAK_IDLE_S),
                       state=replace(cfg.state, resume="fresh",
                                     checkpoint=os.path.join(tmp.name, "checkpoint.npz")),
                       window=replace(cfg.window, fullscreen=False, vsync=False))

    app = build_app(args, present=True, run_gradcheck=False, tweak=tweak, attract_seed=args.seed)
    rng = np.random.default_rng(args.seed)
    monkey = Monkey(rng, app.size)
    hist = np.zeros(HIST_BINS, np.int64)
    limiter = once_per(10.0)
    frames = errors = nans = 0
    total_s = max(0.0, float(args.minutes) * 60.0)
    warm = WarmUp(min_s=min(60.0, total_s * 0.2), settle_s=min(60.0, total_s * 0.2),
                  max_s=total_s * 0.25)
    t_start = time.perf_counter()
    rss_start = None
    peaks = PeakWindows(total_s, window_s=min(300.0, total_s * 0.15))
    gl_start = gl_end = 0
    # Optional memory profile (bench/rss_profile.py asks for it): one line to stderr every
    # ``profile_every`` seconds with the resident size split by mapping and malloc's totals.
    every = getattr(args, "profile_every", None)
    sampler = MemorySampler(every) if every else None
    try:
        while True:
            now = time.perf_counter()
            if now - t_start >= total_s:
                break
            if sampler is not None:
                line = sampler.update(now - t_start)
                if line:
                    print(f"mem: frames {frames} panels {len(app.hud.panels)} " + line,
                          file=sys.stderr, flush=True)
            if rss_start is None and warm.over(app, now - t_start, rss_mb()):
                rss_start = rss_mb()
                gl_start = app.gl_object_count()
                log.info("soak: warm-up over at %.0fs (%s)", now - t_start, warm.why)
                if sampler is not None:
                    sampler.warm(now - t_start)
                    print(f"mem: warm-up over at {now - t_start:.0f}s ({warm.why}), rss start "
                          f"{rss_start:.1f} MB", file=sys.stderr, flush=True)
            if rss_start is not None:
                peaks.feed(now - t_start, rss_mb())
            events, dt = monkey.next(app)
            t0 = time.perf_counter()
            try:
                app.frame(dt, events=events)
            except Exception:
                errors += 1
                log_limited(log, limiter, now, logging.ERROR, "soak: frame failed", key="frame",
                            exc_info=True)
                recover(app)
            ms = (time.perf_counter() - t0) * 1000.0
            hist[min(HIST_BINS - 1, int(ms / HIST_MS))] += 1
            frames += 1
            if not shown_numbers_finite(app):
                nans += 1
            if not app.running:      # a monkey found the technician exit: keep soaking
                log.warning("soak: the exhibit asked to stop (status %s); continuing",
                            getattr(app.kiosk, "exit_status", None))
                app.running = True
                if app.kiosk is not None:
                    app.kiosk.exit_status = None
        rss_end = rss_mb()
        gl_end = app.gl_object_count()
        feeder = app.session.generator
        if getattr(feeder, "pid", None) is not None:   # the second process counts against the kiosk's memory too
            log.info("soak: feeder process %s, alive %s, %d batches served, %d restarts, rss %s",
                     feeder.pid, feeder.alive, feeder.served, feeder.spawns,
                     f"{rss_mb(feeder.pid):.1f} MB" if feeder.alive else "-")
        if rss_start is None:
            rss_start, gl_start = rss_end, gl_end
        else:
            log.info("soak: rss single readings start %.1f MB end %.1f MB", rss_start, rss_end)
            peaks.feed(total_s, rss_end)
            rss_start, rss_end = peaks.start, peaks.end
        if frames:
            idx = int(np.searchsorted(np.cumsum(hist), math.ceil(0.99 * frames)))
            p99 = (idx + 1) * HIST_MS
        else:
            p99 = 0.0
    finally:
        app.close()
        tmp.cleanup()
    log.info("soak: gl objects start %d end %d", gl_start, gl_end)
    print(f"soak: frames {frames}, errors {errors}, nan {nans}, rss start {rss_start:.1f} MB "
          f"end {rss_end:.1f} MB, rss growth {rss_end - rss_start:.1f} MB, p99 frame {p99:.1f} ms")

    sys.stdout.flush()
    return 0 if errors == 0 and nans == 0 else 1
