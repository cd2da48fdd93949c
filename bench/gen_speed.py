"""How fast fresh training digits are drawn, stage by stage, against the reference code.

Owns the generator's speed measurement. For each batch size it times, in the same
process and interleaved run by run, the live code and ``bench/reference_draw.py`` (the
draw path and ``pad.to_network`` as they were before they were vectorised further) on
the same seeded inputs, and prints digits/s per stage with the range over the runs and
the live / reference ratio:

- draw: style pick, taper, wobble, warp, elastic, affine, placement, brush render,
  blur, coarse grid, noise (``digits._draw_styled``);
- render: the brush pass alone (``digits._render``) on the drawn points;
- to_network: the pad-to-network path (``pad.to_network``) on drawn pad images;
- whole: every sample drawn new through both (what ``DigitGenerator(pool=0).batch`` does).

    .venv/bin/python bench/gen_speed.py [--batch 128 1024] [--runs 3] [--seconds 0.5]

Figures only; the target (>= 100,000 digits/s for the whole path) is judged by reading them.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import reference_draw as ref  # noqa: E402
from neuronlab.cmd.bench import _rate  # noqa: E402  (digits/s of a call, after a warm-up)
from neuronlab.nn import digits, pad  # noqa: E402


def _points(B: int, seed: int):
    """Drawn stroke points, weights and brush indices for ``_render``: the live draw path's
    own, captured once by wrapping ``_render``."""
    got = {}
    real = digits._render

    def capture(px, py, w, s):
        got["args"] = (px.copy(), py.copy(), w.copy(), s.copy())
        return real(px, py, w, s)

    digits._render = capture
    try:
        digits._draw_styled(np.random.default_rng(seed), np.arange(B) % 10)
    finally:
        digits._render = real
    return got["args"]


def stages(B: int):
    """{stage: (live fn, reference fn)} for batch size ``B``; each fn handles B digits."""
    labels = np.random.default_rng(0).permutation(np.arange(B) % 10)
    rng_live, rng_ref = np.random.default_rng(1), np.random.default_rng(1)
    pts = _points(B, 2)
    pads = digits._draw(np.random.default_rng(3), labels)
    return {
        "draw": (lambda: digits._draw_styled(rng_live, labels), lambda: ref._draw_styled(rng_ref, labels)),
        "render": (lambda: digits._render(*pts), lambda: ref._render(*pts)),
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
    args = ap.parse_args(argv)
    print(f"digits/s, {args.runs} runs of {args.seconds:g} s each, live and reference interleaved")
    print(f"{'stage':>10} {'batch':>6} {'live (min-max)':>22} {'reference (min-max)':>22} {'ratio':>12}")
    for B in args.batch:
        for name, (live, old) in stages(B).items():
            if args.stage and name not in args.stage:
                continue
            a, b = [], []
            for _ in range(args.runs):
                a.append(_rate(live, B, args.seconds))
                b.append(_rate(old, B, args.seconds))
            r = np.array(a) / np.array(b)
            print(f"{name:>10} {B:6d} {min(a):10,.0f}-{max(a):<11,.0f} {min(b):10,.0f}-{max(b):<11,.0f} "
                  f"{r.min():5.2f}-{r.max():.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
