"""systemd notification: READY=1 once the first frame is drawn, then WATCHDOG=1 heartbeats
from the render loop, so systemd restarts an exhibit whose loop has hung (not only one that
crashed). Does nothing when not started by systemd (no NOTIFY_SOCKET). Stdlib only."""
from __future__ import annotations

import os
import socket


class Notifier:
    def __init__(self, env: dict | None = None, every_s: float = 5.0):
        env = os.environ if env is None else env
        addr = env.get("NOTIFY_SOCKET", "")
        self.every_s = float(every_s)
        self._last: float | None = None
        self._sock = None
        self._addr = None
        if addr:
            # An address starting with '@' is in the abstract namespace.
            self._addr = "\0" + addr[1:] if addr.startswith("@") else addr
            try:
                self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            except OSError:
                self._sock = None

    @property
    def enabled(self) -> bool:
        return self._sock is not None

    def send(self, message: str) -> bool:
        if self._sock is None:
            return False
        try:
            self._sock.sendto(message.encode(), self._addr)
            return True
        except OSError:
            return False  # a missing supervisor must never stop the exhibit

    def ready(self) -> bool:
        return self.send("READY=1")

    def beat(self, now: float) -> bool:
        """Send WATCHDOG=1 if ``every_s`` passed since the last beat (time passed in)."""
        if self._last is not None and now - self._last < self.every_s:
            return False
        self._last = now
        return self.send("WATCHDOG=1")

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None
