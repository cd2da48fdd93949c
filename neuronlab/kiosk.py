"""Unattended running: idle -> attract mode, hints, technician exit, checkpoints, recovery.

Owns the ``KioskController`` the App consults first for every SDL event and pointer event
(``on_event`` / ``on_pointer`` return True to swallow), advances once a frame
(``update(dt)``, exhibit time passed in) and adds HUD panels (``panels(stage)``):

- after ``idle_timeout_s`` with no pointer activity the visitor's state is reset and the
  attract tour (``scenes/attract.py``) plays; any touch ends it at once, is swallowed
  (down, moves and up of that finger), and leaves a clean exhibit: graph scene, training
  at the default speed, home camera, the configured language;
- hints after ``hint_after_s`` without touch where a visitor may be stuck;
- the technician exit: the key chord, or the corner gesture (``CornerExit``), sets
  ``exit_status`` to ``TECHNICIAN_EXIT_STATUS`` and stops the loop;
- in kiosk mode QUIT and Escape are swallowed and the cursor hidden;
- a checkpoint every ``checkpoint_every_s`` of exhibit time, and a last one on close;
- a notice for a few seconds when the divergence guard rolled back (with the new rate).

``FrameGuard`` and ``recover`` serve the crash-proof loop in ``runloop.py``. The
controller reads the exhibit and changes it only through commands (``Exhibit.apply``).
"""
from __future__ import annotations

import logging
import math
from collections import deque

import pygame

from neuronlab import strings
from neuronlab.commands import BackToNow, ResetVisitor
from neuronlab.config import TECHNICIAN_EXIT_STATUS, KioskConfig
from neuronlab.scenes.attract import AttractTour
from neuronlab.ui import panels, text
from neuronlab.ui.widgets import panel_surface

log = logging.getLogger("neuronlab.kiosk")

FRAME_FAILURE_STATUS = 1     # too many failing frames: exit non-zero, systemd restarts us
NOTICE_S = 6.0               # how long the divergence notice stays up
PULSE_HZ = 0.5               # the invitation breathes, far below the 3 Hz flash limit

_MOD_MASKS = {"ctrl": "KMOD_CTRL", "shift": "KMOD_SHIFT", "alt": "KMOD_ALT", "meta": "KMOD_GUI"}


class FrameGuard:
    """Counts failing frames: ``failed(now)`` is True once ``max_failures`` fell within
    ``window_s`` seconds, the point where a clean restart beats limping on."""

    def __init__(self, max_failures: int = 5, window_s: float = 30.0):
        self.window_s = float(window_s)
        self.times: deque[float] = deque(maxlen=int(max_failures))
        self.total = 0

    def failed(self, now: float) -> bool:
        self.total += 1
        self.times.append(float(now))
        return len(self.times) == self.times.maxlen and now - self.times[0] <= self.window_s


class CornerExit:
    """The hidden touch exit: hold each corner in turn for ``hold_s``; after lifting from one,
    the next must be touched within ``step_s``. Corners are squares ``corner_px`` wide."""

    def __init__(self, corners, hold_s: float, step_s: float, corner_px: float, size):
        self.corners = tuple(corners)
        self.hold_s, self.step_s, self.corner_px = float(hold_s), float(step_s), float(corner_px)
        self.size = tuple(size)
        self.reset()

    def reset(self) -> None:
        self.stage = 0                 # index of the corner expected next
        self.pid = None                # the finger holding it
        self.since = 0.0               # when that finger went down
        self.deadline: float | None = None   # next corner must go down before this

    def _in(self, name: str, x: float, y: float) -> bool:
        w, h = self.size
        c = self.corner_px
        xs = x <= c if "left" in name else x >= w - c
        ys = y <= c if "top" in name else y >= h - c
        return xs and ys

    def feed(self, pe, now: float) -> None:
        if pe.kind == "hover":
            return
        if pe.kind == "down":
            late = self.deadline is not None and now > self.deadline
            if self.pid is None and not late and self._in(self.corners[self.stage], pe.x, pe.y):
                self.pid, self.since = pe.pid, now
            elif self._in(self.corners[0], pe.x, pe.y):
                self.reset()
                self.pid, self.since = pe.pid, now
            elif self.pid is None:
                self.reset()
            return
        if pe.pid != self.pid:
            return
        if pe.kind == "move" and not self._in(self.corners[self.stage], pe.x, pe.y):
            self.reset()
        elif pe.kind in ("up", "cancel"):
            if pe.kind == "up" and now - self.since >= self.hold_s:
                self.stage += 1
                self.pid, self.deadline = None, now + self.step_s
            else:
                self.reset()

    def update(self, now: float) -> bool:
        """True when the last corner has been held long enough."""
        if self.pid is None and self.deadline is not None and now > self.deadline:
            self.reset()
        return (self.pid is not None and self.stage == len(self.corners) - 1
                and now - self.since >= self.hold_s)


def reset_visitor(app, language: str | None = None, speed: int | None = None) -> None:
    """Ask for a clean exhibit at the next frame (``commands.ResetVisitor``)."""
    app.exhibit.apply(ResetVisitor(language, speed))


def recover(app) -> None:
    """After a frame raised: clear the visitor's state and go back to the graph. Whatever
    fails here is logged and left; the frame guard decides when to give up."""
    try:
        if getattr(app, "kiosk", None) is not None:
            app.kiosk.recover()
        else:
            reset_visitor(app)
    except Exception:                     # recovery must never take the loop down
        log.exception("recovery after a failing frame failed too")


class KioskController:
    def __init__(self, app, cfg: KioskConfig | None = None, *, checkpointer=None, seed: int = 0,
                 language: str | None = None, default_speed: int | None = None):
        cfg = cfg or KioskConfig()
        self.app = app                   # the loop, the window and the fingers
        self.exhibit = app.exhibit       # everything shown: read, and changed by commands
        self.cfg = cfg
        self.enabled = bool(cfg.enabled)
        self.idle_timeout_s = float(cfg.idle_timeout_s)
        self.hint_after_s = float(cfg.hint_after_s)
        self.language = language or app.exhibit.lang
        self.default_speed = int(default_speed or app.exhibit.session.iters_per_frame)
        self.checkpointer = checkpointer
        self.clock = 0.0
        self.idle = 0.0                  # seconds without pointer activity
        self.mode = "visitor"            # "visitor" | "attract"
        self.attract_count = 0
        self.exit_status: int | None = None
        self._swallowed: set = set()     # pointer ids whose down ended attract mode
        mods, key = cfg.exit_chord_parts()
        self._chord_mask = [getattr(pygame, _MOD_MASKS[m]) for m in mods]
        self._chord_key = pygame.key.key_code(key)
        self.corners = CornerExit(cfg.exit_corners, cfg.exit_hold_s, cfg.exit_step_s,
                                  cfg.exit_corner_mm * cfg.density(app.size), app.size)
        self.tour = AttractTour(app.exhibit, seed=seed, languages=tuple(cfg.attract_language_cycle),
                                default_speed=self.default_speed)
        trainer = app.exhibit.session.trainer
        self._rollbacks_seen = trainer.rollback_count
        self.notice_lr: float | None = None
        self.notice_at = -1e9
        if self.enabled:
            pygame.mouse.set_visible(False)

    @property
    def attract(self) -> bool:
        return self.mode == "attract"

    # ------------------------------------------------------------------ events
    def on_event(self, ev) -> bool:
        if ev.type == pygame.KEYDOWN:
            self.idle = 0.0
            mod = getattr(ev, "mod", 0)
            if ev.key == self._chord_key and all(mod & m for m in self._chord_mask):
                self.technician_exit("key chord")
                return True
            return self.enabled and ev.key == pygame.K_ESCAPE
        if ev.type == pygame.QUIT:
            if self.enabled:
                log.info("window close request ignored (kiosk mode)")
            return self.enabled
        if ev.type in (pygame.VIDEORESIZE, getattr(pygame, "WINDOWSIZECHANGED", -1)):
            self.corners.size = tuple(self.app.window.get_size())
        return False

    def on_pointer(self, pe) -> bool:
        pid = getattr(pe, "pid", None)
        if pid is None:                  # the wheel: activity, and ends attract mode
            self.idle = 0.0
            if self.attract:
                self.end_attract()
                return True
            return False
        self.corners.feed(pe, self.clock)
        if pid in self._swallowed:
            if pe.kind in ("up", "cancel"):
                self._swallowed.discard(pid)
            return True
        if pe.kind == "hover":
            if not self.attract:
                self.idle = 0.0
            return False
        self.idle = 0.0
        if self.attract:
            if pe.kind == "down":
                self.end_attract()
                self._swallowed.add(pid)
            return True
        return False

    def technician_exit(self, how: str) -> None:
        log.warning("technician exit (%s)", how)
        self.exit_status = TECHNICIAN_EXIT_STATUS
        self.app.running = False

    # ------------------------------------------------------------------ time
    def update(self, dt: float) -> None:
        self.clock += dt
        app = self.app
        # No checkpoint of the from-scratch demonstration: the learned network is put aside.
        ex = self.exhibit
        # Nor of the network of the past the time machine has on display.
        snap = ex.snapshot()
        if self.checkpointer is not None and not snap.demo and snap.past is None:
            self.checkpointer.update(dt, ex.session.trainer)
        if self.corners.update(self.clock):
            self.corners.reset()
            self.technician_exit("corner gesture")
        trainer = ex.session.trainer
        if trainer.rollback_count != self._rollbacks_seen:
            if trainer.rollback_count > self._rollbacks_seen and trainer.rollbacks:
                self.notice_lr = trainer.rollbacks[-1].new_lr
                self.notice_at = self.clock
            self._rollbacks_seen = trainer.rollback_count   # a reset sets it back to 0
        if self.attract:
            self.tour.update(dt)
            return
        if app.pointer.live_count == 0:  # a finger resting on the glass is not idle
            self.idle += dt
        if self.idle >= self.idle_timeout_s:
            self.start_attract()

    def start_attract(self) -> None:
        log.info("idle for %.0f s: attract mode", self.idle)
        reset_visitor(self.app, self.language, self.default_speed)
        self.mode = "attract"
        self.attract_count += 1
        self.tour.start()

    def end_attract(self) -> None:
        self.tour.stop()
        self.mode = "visitor"
        self.idle = 0.0
        reset_visitor(self.app, self.language, self.default_speed)

    def recover(self) -> None:
        if self.tour.active:
            self.tour.stop()
        self.mode = "visitor"
        self.idle = 0.0
        self._swallowed.clear()
        reset_visitor(self.app, self.language, self.default_speed)

    def close(self) -> None:
        """A last checkpoint, so a planned stop loses nothing."""
        if self.tour.active:
            self.tour.stop()   # asks for the learned network back...
        self.exhibit.apply(BackToNow())
        self.exhibit.flush()   # ...which, outside any frame, must land before the save
        if self.checkpointer is not None:
            self.checkpointer.save(self.exhibit.session.trainer)

    # ------------------------------------------------------------------ HUD
    def hint_key(self) -> str | None:
        """The hint a visitor needs now, if any."""
        if self.attract or self.idle < self.hint_after_s:
            return None
        name = self.exhibit.scene_name
        if name == "draw" and not self.exhibit.scenes["draw"].pad.image.any():
            return "hint.draw"
        if name == "graph":
            return "hint.tap"
        return None

    def panels(self, stage) -> None:
        r, s = stage.regions, stage.s
        cx = r.graph.centerx                         # the graph's middle
        span = max(200, r.graph.w - int(40 * s))
        if self.attract:
            pulse = 0.5 - 0.5 * math.cos(2 * math.pi * PULSE_HZ * self.tour.elapsed)
            _show(stage, "attract_invite", ("invite", stage.lang, span),
                  lambda: _banner(stage.tr("attract.invite"), int(72 * s), s, span, panels.GOLD),
                  lambda size: (cx - size[0] // 2, r.graph.bottom - size[1] - int(12 * s)),
                  alpha=0.7 + 0.3 * pulse)
            if self.tour.caption:
                _show(stage, "attract_caption", ("cap", self.tour.caption, stage.lang, span),
                      # read from across the room: at least 15 mm of cap height
                      lambda: _banner(stage.tr(self.tour.caption), int(56 * s), s, span, panels.WHITE),
                      # at the top of the graph, under the strip of pictures
                      lambda size: (cx - size[0] // 2, r.graph.top + int(12 * s)))
        else:
            key = self.hint_key()
            if key is not None:
                _show(stage, "hint", ("hint", key, stage.lang, span),
                      lambda: _banner(stage.tr(key), int(36 * s), s, span, panels.GOLD),
                      lambda size: (cx - size[0] // 2, r.graph.bottom - size[1] - int(12 * s)))
        if self.notice_lr is not None and self.clock - self.notice_at < NOTICE_S:
            lr = strings.format_significant(stage.lang, self.notice_lr, 4)
            _show(stage, "notice_diverged", ("div", lr, stage.lang, span),
                  lambda: _banner(stage.tr("notice.diverged", lr=lr), int(28 * s), s, span, panels.BAD),
                  lambda size: (cx - size[0] // 2, r.graph.top + int(12 * s)))


def _banner(label: str, px: int, s: float, max_w: int, colour) -> pygame.Surface:
    """One or more centred lines of large text on a panel."""
    pad = int(24 * s)
    lines = text.wrap(label, px, max_w - 2 * pad, bold=True) or [label]
    rendered = [text.render(line, px, colour, bold=True) for line in lines]
    w = min(max_w, max(r.get_width() for r in rendered) + 2 * pad)
    h = sum(r.get_height() for r in rendered) + 2 * pad
    surf = panel_surface((w, h), border=(*colour, 200))
    y = pad
    for r in rendered:
        surf.blit(r, ((w - r.get_width()) // 2, y))
        y += r.get_height()
    return surf


def _show(stage, name: str, key, render, pos, alpha: float = 1.0) -> pygame.Rect:
    """``Stage.panel`` with an opacity: the texture is uploaded only when ``key`` changes,
    so the pulse costs nothing but a uniform."""
    entry = stage.cache.get(name)
    if entry is None or entry[0] != key:
        entry = (key, render(), object())
        stage.cache[name] = entry
    _, surf, version = entry
    xy = pos(surf.get_size()) if callable(pos) else pos
    stage.show(name, surf, xy, version, alpha=alpha)
    stage.shown.add(name)
    return pygame.Rect(xy, surf.get_size())
