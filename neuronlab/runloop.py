"""The crash-proof loop around ``App.frame``: wall-clock dt, the watchdog heartbeat, the
frame guard and the frame-rate watch. No exception escapes a frame: it is logged
(rate-limited) and the visitor's state reset; too many failing frames in a window end the
loop with a non-zero status, so systemd restarts the exhibit cleanly. Frames that stay
slower than smooth are named in the log once, with what would help (``frame_watch``)."""
from __future__ import annotations

import gc
import logging
import time

from neuronlab.frame_watch import FrameWatch
from neuronlab.kiosk import FRAME_FAILURE_STATUS, FrameGuard, recover
from neuronlab.logs import log_limited, once_per
from neuronlab.watchdog import Notifier

log = logging.getLogger("neuronlab")


def run(app, max_failures: int = 5, failure_window_s: float = 30.0) -> int:
    """Frames until ``app.running`` is False; returns the process exit status."""
    guard, limiter = FrameGuard(max_failures, failure_window_s), once_per(10.0)
    notifier = Notifier()
    watch = FrameWatch(lambda: app.drawable_size, app.ctx.info.get("GL_RENDERER", ""),
                       refresh_hz=getattr(app, "refresh_hz", 0))
    # Everything built so far lives for the whole run: keep it out of the collector's
    # generations so collection pauses stay off the frame.
    gc.collect()
    gc.freeze()
    last = time.perf_counter()
    while app.running:
        now = time.perf_counter()
        dt, last = now - last, now
        notifier.beat(now)  # from the render loop: a hung loop stops the heartbeat
        try:
            slow = watch.feed(now, dt)
            if slow:
                log.warning(slow)
            app.frame(dt)
            if app.frames == 1:
                notifier.ready()   # the first picture is on screen
        except Exception:
            log_limited(log, limiter, now, logging.ERROR, "frame failed; visitor state reset",
                        key="frame", exc_info=True)
            if guard.failed(now):
                log.critical("%d failing frames within %.0f s: exiting for a clean restart",
                             max_failures, failure_window_s)
                return FRAME_FAILURE_STATUS
            recover(app)
    notifier.close()
    status = getattr(app.kiosk, "exit_status", None)
    return 0 if status is None else int(status)
