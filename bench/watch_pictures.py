"""The README's pictures of the time machine and of a knocked-out neuron, from the real
exhibit headless at 1920x1080:

    SDL_VIDEODRIVER=offscreen python bench/watch_pictures.py [--out docs/img]

The network learns from nothing as after "Start over" (the chosen x16 speed, the story
pace lifted so the picture is made in seconds); the time machine is then set to an early
snapshot. For the knock-out, it learns on to 300,000 samples and one first-layer neuron
is switched off by a long press on its ball.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="docs/img")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    import pygame

    from neuronlab import commands as cmd
    from neuronlab.app import App
    from neuronlab.math3d.camera import project

    size = (1920, 1080)
    app = App(size, present=False, seed=0, run_gradcheck=True)
    try:
        def frames(n, events=()):
            app.frame(1 / 60, events=list(events))
            for _ in range(n - 1):
                app.frame(1 / 60, events=[])

        app.apply(cmd.Reset())
        app.apply(cmd.SetSpeed(16))
        frames(1)
        app.session.pace.stop()
        while app.session.trainer.stats.samples_seen < 60_000:
            frames(30)
        tl = app.session.timeline
        early = tl.nearest(4_000)
        app.apply(cmd.TimeTravel(early))
        frames(20)
        app.save_png(str(out / "time-machine.png"))
        print(f"wrote {out / 'time-machine.png'} (after {tl.snapshots[early].samples_seen} samples)")

        app.apply(cmd.BackToNow())
        frames(1)
        ses = app.session
        app.apply(cmd.SetSpeed(64))
        while ses.trainer.stats.samples_seen < 300_000:
            frames(30)
        app.apply(cmd.SetSpeed(0))
        frames(2)
        view, proj = app.matrices()
        k = app.layout.neuron(1, 5)
        (x, y), = project(app.layout.positions[k:k + 1], view, proj, (0, 0, *size))[0]

        def touch(kind):
            et = {"down": pygame.FINGERDOWN, "up": pygame.FINGERUP}[kind]
            return pygame.event.Event(et, touch_id=1, finger_id=1, x=x / size[0], y=y / size[1],
                                      dx=0.0, dy=0.0)

        frames(45, [touch("down")])           # held still for 0.75 s: a long press
        frames(20, [touch("up")])
        assert ses.knockout.off_units == [(1, 5)], ses.knockout.off_units
        app.save_png(str(out / "knockout.png"))
        print(f"wrote {out / 'knockout.png'} (the ball at {x:.0f}, {y:.0f})")
    finally:
        app.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
