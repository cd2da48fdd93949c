"""The command line: ``neuronlab [run] | train | classify | gradcheck | bench | shot | soak``.

Only parses arguments; each subcommand lives in ``neuronlab/cmd/<name>.py`` as
``run(args) -> int`` and is imported lazily so ``gradcheck`` never pays for pygame.
"""
from __future__ import annotations

import argparse
import importlib
import sys

from threadpoolctl import threadpool_limits


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = text.lower().split("x")
        w, h = int(w), int(h)
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must look like 1280x720, got {text!r}")
    if not (160 <= w <= 16384 and 120 <= h <= 16384):
        raise argparse.ArgumentTypeError(f"size {w}x{h} is out of range")
    return w, h


def _add_window_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--size", type=_size, default=None, help="window size, e.g. 1280x720")
    p.add_argument("--config", default=None, help="TOML config file")
    p.add_argument("--load", default=None, help="start from this weights .npz")
    p.add_argument("--iters-per-frame", type=int, default=None,
                   help="training iterations per frame (overrides the config)")


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="neuronlab", description="Neuron Lab exhibit")
    sub = ap.add_subparsers(dest="command")

    p = sub.add_parser("run", help="run the exhibit (the default)")
    _add_window_args(p)
    p.add_argument("--fullscreen", action="store_true")
    p.add_argument("--kiosk", action="store_true",
                   help="fullscreen, no cursor, no visitor exit (see README for the technician exit)")

    p = sub.add_parser("train", help="train headless and report test accuracy")
    p.add_argument("--samples", type=int, required=True)
    p.add_argument("--batch", type=int, default=None)
    p.add_argument("--lr", type=float, default=None)
    p.add_argument("--momentum", type=float, default=None)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--save", default=None, help="write the weights here (.npz)")
    p.add_argument("--load", default=None, help="continue from these weights")

    p = sub.add_parser("classify", help="print one predicted digit per pad image")
    p.add_argument("--load", required=True, help="weights .npz")
    p.add_argument("images", help="(N, 16, 16) float32 .npy of pad images")

    sub.add_parser("gradcheck", help="finite differences against backprop")

    p = sub.add_parser("bench", help="print training / generator / forward speeds")
    p.add_argument("--quick", action="store_true", help="shorter runs")
    p.add_argument("--torch", action="store_true", help="also measure PyTorch on CPU if installed")

    p = sub.add_parser("shot", help="render N frames headless and save the last as PNG")
    _add_window_args(p)
    p.add_argument("--scene", choices=["graph", "inspector", "draw", "probe"], default="graph")
    p.add_argument("--frames", type=int, default=30)
    p.add_argument("--out", required=True)
    p.add_argument("--layout", default=None, metavar="FILE.json",
                   help="also write every panel's, button's and neuron's screen rectangle")
    p.add_argument("--curious", action="store_true", help="with the curious layer open")

    p = sub.add_parser("soak", help="monkey-test the real exhibit and report")
    p.add_argument("--minutes", type=float, required=True)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--size", type=_size, default=None)
    p.add_argument("--config", default=None)
    return ap


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    ap = build_parser()
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv = ["run", *argv]
    args = ap.parse_args(argv)
    # One BLAS thread for every command: the network's matrices are small, and idle
    # OpenBLAS workers spin on the cores that the trainer and the renderer need. numpy
    # first: a limit reaches only the libraries already loaded.
    import numpy  # noqa: F401

    from neuronlab.nn import allocator, fpmode
    threadpool_limits(limits=1, user_api="blas")
    fpmode.flush_subnormals()       # the drawing's Gaussian tails: neuronlab/nn/fpmode.py
    allocator.tune_for_drawing()    # the exhibit's own process then sets its own (app.Trimmer)
    module = importlib.import_module(f"neuronlab.cmd.{args.command}")
    return int(module.run(args) or 0)


def entry() -> None:
    """The console script and ``main.py``: run the command, exit with its status. Lives
    here, not in ``app``, so ``train`` and ``gradcheck`` never import the renderer."""
    sys.exit(main())
