"""Where the soak's memory goes: the acceptance soak with a memory line every N seconds.

    SDL_VIDEODRIVER=offscreen .venv/bin/python bench/rss_profile.py --minutes 20 [--every 60]
        [--seed S] [--size 1280x720] [--malloc tuned|default] [--no-trim]
        [--trace-every 300 [--trace-frames 8] [--trace-top 15]]

Runs ``neuronlab soak`` (the real exhibit under monkey input) and prints to stderr, every
``--every`` seconds, the resident size and its split: ``[heap]`` (glibc's main arena),
``anon`` (thread arenas, blocks mapped on their own, thread stacks, the renderer's
buffers) and each library's resident pages; glibc's ``mallinfo2`` in-use vs free bytes
(a leak grows in-use, fragmentation grows free) and its arena count and size. Each figure
is followed by its change since the first line, so a plateau (a cache filling) reads
apart from a line (a leak). ``--malloc default`` leaves glibc's allocator as it comes,
``--no-trim`` stops the once-a-minute ``malloc_trim``: the A/B switches for the fixes.
``--trace-every S`` starts ``tracemalloc`` when the warm-up is over and, every S seconds,
prints (lines starting ``trace:``) the resident size, malloc's in-use and the traced total
with their changes, and the tracebacks that grew most since the first snapshot
(``memory.PyGrowth``): Python-level growth shows there, native growth does not.
The soak's own one-line result ends the run on stdout. Figures only; nothing is asserted.
"""
from __future__ import annotations

import argparse
import os
import sys

os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))


def main() -> int:
    from neuronlab.cli import _size

    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=20.0)
    ap.add_argument("--every", type=float, default=60.0, help="seconds between memory lines")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--size", type=_size, default=None)
    ap.add_argument("--config", default=None)
    ap.add_argument("--malloc", choices=("tuned", "default"), default="tuned")
    ap.add_argument("--no-trim", action="store_true")
    ap.add_argument("--trace-every", type=float, default=0.0,
                    help="seconds between tracemalloc snapshots after the warm-up (0: off)")
    ap.add_argument("--trace-frames", type=int, default=8)
    ap.add_argument("--trace-top", type=int, default=15)
    args = ap.parse_args()
    args.profile_every = args.every

    import neuronlab.app as app_mod
    from neuronlab import memory
    from neuronlab.cmd import soak

    keep = {}
    if args.malloc == "default":
        keep["tune"] = None
    if args.no_trim:
        keep["trim"] = lambda: None
    if keep:
        app_mod.Trimmer = lambda *a, **k: memory.Trimmer(*a, **{**k, **keep})
    if args.trace_every > 0:
        growth = memory.PyGrowth(args.trace_every, args.trace_frames, args.trace_top)

        class TracingSampler(memory.MemorySampler):
            def warm(self, now):
                growth.start(now)
                print(f"trace: tracemalloc started at {now:.0f}s", file=sys.stderr, flush=True)

            def update(self, now):
                for ln in growth.update(now) or ():
                    print("trace: " + ln, file=sys.stderr, flush=True)
                return super().update(now)

        soak.MemorySampler = TracingSampler
    print(f"rss_profile: malloc {args.malloc}, trim {'off' if args.no_trim else 'on'}, "
          f"size {args.size or 'from config'}, seed {args.seed}, "
          f"trace every {args.trace_every or 'off'}", file=sys.stderr, flush=True)
    return soak.run(args)


if __name__ == "__main__":
    sys.exit(main())
