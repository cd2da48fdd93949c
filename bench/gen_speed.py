"""How fast fresh training digits are drawn, stage by stage, against the reference code.

Owns the generator's speed measurement. For each batch size it times, in the same
process and interleaved run by run, on the same seeded inputs: the live code as headless
training runs it (``pad.JIT`` on: compiled through ``neuronlab.nn.kernels``), the live
code's numpy path (``pad.JIT`` off, as the exhibit runs it), and ``bench/reference_draw.py`` (the
draw path and ``pad.to_network`` as they were before they were vectorised further). It
prints digits/s per stage with the range over the runs and the live / reference ratio:

- draw: style pick, taper, wobble, warp, elastic, affine, placement, brush render,
  blur, coarse grid, noise (``digits._draw_styled``);
- to_network: the pad-to-network path (``pad.to_network``) on drawn pad images;
- whole: every sample drawn new through both (what ``DigitGenerator(pool=0).batch`` does).

    .venv/bin/python bench/gen_speed.py [--batch 128 1024] [--runs 3] [--seconds 0.5]

Figures only; the target (>= 100,000 digits/s for the whole path) is judged by reading them.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import reference_draw as ref  # noqa: E402
from neuronlab.cmd.bench import _rate  # noqa: E402  (digits/s of a call, after a warm-up)
from neuronlab.nn import allocator, fpmode  # noqa: E402
from neuronlab.nn import digits, pad  # noqa: E402


def _numpy_path(fn):
    """``fn`` run with the compiled kernels switched off (the numpy path)."""
    def run():
        keep, pad.JIT = pad.JIT, False
        try:
            return fn()
        finally:
            pad.JIT = keep
    return run


def stages(B: int):
    """{stage: (live fn, reference fn)} for batch size ``B``; each fn handles B digits."""
    labels = np.random.default_rng(0).permutation(np.arange(B) % 10)
    rng_live, rng_ref = np.random.default_rng(1), np.random.default_rng(1)
    pads = ref._draw_styled(np.random.default_rng(3), labels)[0]
    return {
        "draw": (lambda: digits._draw_styled(rng_live, labels), lambda: ref._draw_styled(rng_ref, labels)),
        "to_network": (lambda: pad.to_network(pads), lambda: ref.to_network(pads)),
        "whole": (lambda: pad.to_network(digits._draw_styled(rng_live, labels)[0]),
                  lambda: ref.to_network(ref._draw_styled(rng_ref, labels)[0])),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--batch", type=int, nargs="+", default=[128, 1024])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=0.5, help="per figure")
    ap.add_argument("--stage", nargs="+", default=None, help="only these stages")
    ap.add_argument("--subnormals", action="store_true",
                    help="leave subnormal floats unflushed (the program flushes them)")
    args = ap.parse_args(argv)
    if not args.subnormals:
        fpmode.flush_subnormals()    # as every command of the program runs
    allocator.tune_for_drawing()     # as the feeder and the commands run: without it the
                                     # figures would hang on which stage allocated first
    keep, pad.JIT = pad.JIT, True
    try:
        return _run(args)
    finally:
        pad.JIT = keep


def _run(args) -> int:
    compiled = pad.kernels() is not None
    print(f"digits/s, {args.runs} runs of {args.seconds:g} s each, live (compiled: "
          f"{'numba' if compiled else 'no, numba not loaded'}), live numpy path and reference "
          f"interleaved; load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print(f"{'stage':>10} {'batch':>6} {'live (min-max)':>22} {'numpy (min-max)':>22} "
          f"{'reference (min-max)':>22} {'live/ref':>12}")
    for B in args.batch:
        for name, (live, old) in stages(B).items():
            if args.stage and name not in args.stage:
                continue
            a, n, b = [], [], []
            for _ in range(args.runs):
                a.append(_rate(live, B, args.seconds))
                n.append(_rate(_numpy_path(live), B, args.seconds))
                b.append(_rate(old, B, args.seconds))
            r = np.array(a) / np.array(b)
            print(f"{name:>10} {B:6d} {min(a):10,.0f}-{max(a):<11,.0f} {min(n):10,.0f}-{max(n):<11,.0f} "
                  f"{min(b):10,.0f}-{max(b):<11,.0f} {r.min():5.2f}-{r.max():.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
