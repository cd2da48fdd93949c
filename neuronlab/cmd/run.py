"""``neuronlab [run]``: the exhibit in a window (or fullscreen / kiosk)."""
from __future__ import annotations


def run(args) -> int:
    from neuronlab.app import build_app

    app = build_app(args, present=True)
    try:
        app.run()
    finally:
        app.close()
    return 0
