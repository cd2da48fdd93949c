"""Frames per second of the Graph scene, every frame rendered to completion.

    SDL_VIDEODRIVER=offscreen .venv/bin/python bench/exhibit.py [--frames N] [--iters K]

Runs the real App (window + moderngl) at 1280x720 and 1920x1080 with training at K
iterations per frame, calls ctx.finish() each frame (as a display would wait), and prints
fps plus the CPU split: training, forward + view arrays, GL submission, HUD (panel
rendering + upload + draw), and waiting for the GPU (on llvmpipe: the rasterising itself).
Also the launch time to the first rendered frame. Figures only; nothing is asserted.

The training-data pool is filled before the timed frames (outside the timing), so the
figures are the exhibit's steady state: for its first ~120,000 training samples after
start (a few seconds) the exhibit draws half of each batch new and runs slower.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--frames", type=int, default=120)
    ap.add_argument("--iters", type=int, default=16)
    ap.add_argument("--sizes", default="1280x720,1920x1080")
    args = ap.parse_args()

    t_launch = time.perf_counter()
    from neuronlab.app import App

    first = None
    for spec in args.sizes.split(","):
        w, h = (int(v) for v in spec.split("x"))
        t0 = time.perf_counter()
        app = App((w, h), present=False, iters_per_frame=args.iters)
        app.frame(1 / 60, events=[])
        if first is None:
            first = time.perf_counter() - t_launch
            print(f"launch to first rendered frame: {first:.2f} s (imports, window, gradcheck, first frame)")
        for _ in range(10):  # warm-up: panel caches, shader compiles
            app.frame(1 / 60, events=[])
        gen = app.session.generator
        while not getattr(gen, "pool_full", True):   # the steady state: pool full (see above)
            gen.batch(4096)
        for k in app.timings:
            app.timings[k] = 0.0
        t0 = time.perf_counter()
        c0 = time.process_time()   # CPU of every thread in the process: llvmpipe's too
        times = []
        for _ in range(args.frames):
            a = time.perf_counter()
            app.frame(1 / 60, events=[])
            times.append(time.perf_counter() - a)
        total = time.perf_counter() - t0
        cpu = time.process_time() - c0
        n = args.frames
        times.sort()
        split = ", ".join(f"{k} {v / n * 1000:.2f} ms" for k, v in app.timings.items())
        print(f"{w}x{h}: {n / total:.1f} fps (mean {total / n * 1000:.2f} ms, p99 {times[int(n * 0.99) - 1] * 1000:.2f} ms)"
              f" at {args.iters} iters/frame, {app.session.trainer.stats.samples_seen:,} samples seen")
        print(f"  per frame: {split}; CPU of all threads {cpu / n * 1000:.1f} ms "
              f"(steadier than fps on a shared machine)")
        app.close()


if __name__ == "__main__":
    main()
