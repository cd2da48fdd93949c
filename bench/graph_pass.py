"""Benchmark of the 3D graph pass alone, in a real pygame OpenGL window.

Prints frames per second at 1280x720 and 1920x1080 (or the sizes given) with the view
arrays rebuilt every frame from a freshly trained model's forward pass on a new
training digit each frame, gradient pulses running, and every frame rendered to
completion (``ctx.finish()``, since nothing presents the frame under the offscreen
driver). Also splits the CPU cost: view arrays, GL submission, and the wait for the
renderer. ``--png PATH`` saves the last frame of each size (PATH gets the size added).

    SDL_VIDEODRIVER=offscreen .venv/bin/python bench/graph_pass.py [--frames 200]
        [--mode signal|weight|gradient] [--sizes 1280x720,1920x1080] [--png /tmp/graph.png]
        [--line-max-alpha A]   (0: every wire a smoothed quad, the slower path, to compare)

Besides wall time it prints the process CPU time per frame (all of llvmpipe's threads
included): on a shared machine that figure moves much less with other load.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def trained_model(steps: int = 600, batch: int = 32, seed: int = 0):
    """A briefly trained network (plain momentum SGD on the procedural digits)."""
    import numpy as np
    from neuronlab.nn.stream import DigitGenerator
    from neuronlab.nn.mlp import MLP
    model, gen = MLP(seed=seed), DigitGenerator(seed)
    vel = {k: np.zeros_like(v) for k, v in model.params.items()}
    for _ in range(steps):
        X, y = gen.batch(batch)
        g = model.backward(model.forward(X), y)
        for k in model.params:
            vel[k] = 0.9 * vel[k] - 0.05 * g.param(k)
            model.params[k] += vel[k]
    return model, gen


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--frames", type=int, default=200)
    ap.add_argument("--mode", default="signal", choices=["signal", "weight", "gradient"])
    ap.add_argument("--sizes", default="1280x720,1920x1080")
    ap.add_argument("--png", default=None)
    ap.add_argument("--steps", type=int, default=600, help="training steps before measuring")
    ap.add_argument("--hold", action="store_true", help="keep one input (no per-frame change)")
    ap.add_argument("--line-max-alpha", type=float, default=None,
                    help="wires fainter than this are drawn as 1-px lines (default: the pass's)")
    args = ap.parse_args(argv)
    os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")

    import numpy as np
    import pygame

    from neuronlab.math3d.camera import OrbitCamera, projection_matrix, view_matrix
    from neuronlab.render.context import create_window_context, save_png
    from neuronlab.render import graph_pass as graph_pass_mod
    from neuronlab.render.graph_pass import GraphPass
    from neuronlab.view import anim
    from neuronlab.view.graph import GraphView
    from neuronlab.view.layout import layout
    from neuronlab.view.palette import Palette

    if args.line_max_alpha is not None:
        graph_pass_mod.LINE_MAX_ALPHA = args.line_max_alpha
    model, gen = trained_model(args.steps)
    X, Y = gen.batch(max(args.frames, 64))
    print(f"model: {args.steps} steps, batch accuracy {np.mean(model.predict(X) == Y):.2f}")
    sizes = [tuple(int(v) for v in s.split("x")) for s in args.sizes.split(",")]
    lay, pal = layout(), Palette()
    for size in sizes:
        _, ctx = create_window_context(size, vsync=False)
        gp = GraphPass(ctx, lay, pal)
        view, an = GraphView(lay, pal), anim.GraphAnim(lay)
        cam = OrbitCamera()
        vp = ctx.screen.viewport
        V, P = view_matrix(cam), projection_matrix(cam, vp[2] / vp[3])
        t_view = t_sub = t_fin = 0.0
        wires = lines = 0
        dt = 1 / 60
        for f in range(args.frames + 10):
            if f == 10:  # warm-up frames excluded
                t_view = t_sub = t_fin = 0.0
                wires = lines = 0
                t_all, c_all = time.perf_counter(), time.process_time()
            t0 = time.perf_counter()
            x = X[0 if args.hold else f % len(X)]
            fw = model.forward(x)
            grads = model.backward(model.forward(x[None]), Y[f % len(X)][None])
            an.on_train_steps(grads)
            arrays = anim.apply(view.update(dt, fw, model.params, grads, args.mode), an.update(dt), pal)
            t1 = time.perf_counter()
            gp.update(arrays)
            ctx.screen.use()
            gp.draw(V, P, vp, time=f * dt)
            t2 = time.perf_counter()
            ctx.finish()
            t3 = time.perf_counter()
            pygame.event.pump()
            t_view += t1 - t0
            t_sub += t2 - t1
            t_fin += t3 - t2
            wires += gp.n_wires_drawn
            lines += gp.n_wire_lines
        total = time.perf_counter() - t_all
        cpu = time.process_time() - c_all
        n = args.frames
        print(f"{size[0]}x{size[1]} {args.mode}: {n / total:6.1f} fps  "
              f"({1e3 * total / n:.2f} ms/frame: view arrays {1e3 * t_view / n:.2f}, "
              f"GL submit {1e3 * t_sub / n:.2f}, render wait {1e3 * t_fin / n:.2f}; "
              f"CPU {1e3 * cpu / n:.2f} ms/frame, all threads; "
              f"{wires / n:.0f} wires drawn of {lay.n_wires}, {lines / n:.0f} as lines)")
        if args.png:
            p = Path(args.png)
            out = p.with_name(f"{p.stem}_{size[0]}x{size[1]}{p.suffix}")
            save_png(ctx.screen, str(out))
            print(f"saved {out}")
        gp.release()
        ctx.release()
        pygame.display.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
