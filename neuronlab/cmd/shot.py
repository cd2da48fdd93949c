"""``neuronlab shot``: render N frames of a scene through the real window path and save
the last one as a PNG (and, with ``--layout``, the frame's layout report as JSON). With no
display, SDL's offscreen driver is used."""
from __future__ import annotations

import os


def run(args) -> int:
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")
    from neuronlab import commands as cmd
    from neuronlab.app import build_app

    app = build_app(args, present=False, checkpoints=False, feeder=False)
    try:
        scene = args.scene
        if scene == "inspector" and app.session.selected is None:
            from neuronlab.session import Neuron

            app.apply(cmd.Select(Neuron(1, 0)))
        app.apply(cmd.SwitchScene(scene))
        if getattr(args, "curious", False):
            app.apply(cmd.SetCurious(True))
        if scene == "draw":
            from neuronlab.nn import digits

            app.apply(cmd.SetPad(digits.clean_digit(7)))
        for _ in range(max(1, args.frames)):
            app.frame(1 / 60, events=[])
        app.save_png(args.out)
        print(f"wrote {args.out}")
        if getattr(args, "layout", None):
            from neuronlab.ui import layout_report

            layout_report.write(app.layout_report(), args.layout)
            print(f"wrote {args.layout}")
    finally:
        app.close()
    return 0
