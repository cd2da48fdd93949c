"""Logging for weeks of unattended running: a rotating file, and a rate limiter for repeats.

``setup_logging`` points the ``neuronlab`` logger (and so every ``neuronlab.*`` module logger)
at a size-capped rotating file; when that file cannot be written the exhibit still runs and
logs to stderr, which systemd keeps in the journal. ``OncePer`` lets a failure that recurs
every frame be logged once per interval with a count of what was held back, so a broken
frame at 60 fps cannot fill the disk. Time is passed in, never read here.
"""
from __future__ import annotations

import logging
import logging.handlers
import os
import sys
from collections import OrderedDict
from pathlib import Path
from typing import Hashable

LOGGER_NAME = "neuronlab"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

# Marks the handlers this module installed, so a second setup replaces them, not adds more.
_OURS = "_neuronlab_handler"


def _level(level: str | int) -> int:
    if isinstance(level, int):
        return level
    value = logging.getLevelName(str(level).upper())
    return value if isinstance(value, int) else logging.INFO


def setup_logging(path: str | os.PathLike | None, max_bytes: int = 1_000_000,
                  backups: int = 5, level: str | int = "info",
                  stream=None) -> logging.Logger:
    """Send the ``neuronlab`` logger to a rotating file at ``path`` (its folder is created).

    ``path`` None or "" logs to ``stream`` (default stderr). If the file cannot be opened the
    logger falls back to the stream and logs one warning saying why.
    """
    logger = logging.getLogger(LOGGER_NAME)
    for h in list(logger.handlers):
        if getattr(h, _OURS, False):
            logger.removeHandler(h)
            h.close()
    logger.setLevel(_level(level))
    formatter = logging.Formatter(FORMAT)

    handler: logging.Handler | None = None
    problem = None
    if path:
        target = Path(os.path.expanduser(os.fspath(path)))
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            # backupCount 0 would never rotate; keep at least one old file.
            handler = logging.handlers.RotatingFileHandler(
                target, maxBytes=max_bytes, backupCount=max(1, backups), encoding="utf-8")
        except OSError as err:
            problem = f"log file {target} is not writable ({err.strerror or err}); logging to stderr"
    if handler is None:
        handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    handler.setFormatter(formatter)
    setattr(handler, _OURS, True)
    logger.addHandler(handler)
    if problem:
        logger.warning(problem)
    return logger


class OncePer:
    """Allows an event once per ``seconds`` per key; counts the ones it held back.

    >>> limit = OncePer(10.0)
    >>> if limit(now, "frame-error"):
    ...     log.error("frame failed (%d more since last report)", limit.skipped("frame-error"))
    """

    # Keys are meant to be few (a call site, an exception type); the cap keeps a bug that
    # makes a fresh key per frame from growing memory over a 10-hour day.
    MAX_KEYS = 256

    def __init__(self, seconds: float):
        self.seconds = float(seconds)
        self._last: OrderedDict[Hashable, float] = OrderedDict()
        self._held: dict[Hashable, int] = {}
        self._skipped: dict[Hashable, int] = {}

    def __call__(self, now: float, key: Hashable = None) -> bool:
        last = self._last.get(key)
        if last is not None and now - last < self.seconds:
            self._held[key] = self._held.get(key, 0) + 1
            return False
        self._last[key] = now
        self._last.move_to_end(key)
        self._skipped[key] = self._held.pop(key, 0)
        while len(self._last) > self.MAX_KEYS:
            old, _ = self._last.popitem(last=False)
            self._held.pop(old, None)
            self._skipped.pop(old, None)
        return True

    def skipped(self, key: Hashable = None) -> int:
        """How many events were held back before the last one allowed for ``key``."""
        return self._skipped.get(key, 0)


def once_per(seconds: float) -> OncePer:
    """A rate limiter: ``limit = once_per(10); if limit(now, key): log ...``."""
    return OncePer(seconds)


def log_limited(logger: logging.Logger, limiter: OncePer, now: float, level: int, msg: str,
                *args: object, key: Hashable = None, exc_info: bool = False) -> bool:
    """Log ``msg`` if ``limiter`` allows it at ``now``, noting how many repeats were held back."""
    if not limiter(now, key if key is not None else msg):
        return False
    held = limiter.skipped(key if key is not None else msg)
    if held:
        msg = f"{msg} ({held} more like this since the last report)"
    logger.log(level, msg, *args, exc_info=exc_info)
    return True
