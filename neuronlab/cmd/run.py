"""``neuronlab [run]``: the exhibit in a window (or fullscreen / kiosk).

The exit status is the loop's: 0 for a normal close, ``TECHNICIAN_EXIT_STATUS`` (3) for the
technician exit, non-zero after repeated failing frames so systemd restarts cleanly."""
from __future__ import annotations


def run(args) -> int:
    from neuronlab.app import build_app

    app = build_app(args, present=True)
    try:
        status = app.run()
    finally:
        app.close()
    return status
