"""``neuronlab train``: headless training with live progress and a final test accuracy.

Prints a progress line about once a second (samples, samples/s, smoothed loss, test
accuracy, the rate the latest step took on the schedule), a summary with that rate and
the guard's events, then ``test accuracy: 0.xxxx`` measured on the whole fixed test set, and
saves the weights with their metadata when ``--save`` is given. Bad arguments or a bad
``--load`` file print one line and exit 1 (never a traceback).
"""
from __future__ import annotations

import dataclasses
import sys
import time

from neuronlab.nn import digits, pad, stream
from neuronlab.nn.mlp import MLP
from neuronlab.nn.store import WeightsError, load_weights, save_weights
from neuronlab.nn.train import Trainer, TrainSettings

PROGRESS_EVERY_S = 1.0


def _settings(args) -> TrainSettings:
    overrides = {k: getattr(args, k) for k in ("batch", "lr", "momentum")
                 if getattr(args, k, None) is not None}
    return dataclasses.replace(TrainSettings(), seed=args.seed, **overrides)


def _line(tr: Trainer, total: int) -> str:
    s = tr.stats
    loss = "-" if s.train_loss is None else f"{s.train_loss:.4f}"
    acc = "-" if s.test_accuracy is None else f"{s.test_accuracy:.4f}"
    speed = f"{s.samples_per_sec:>9,.0f}" if s.rate_measured else f"{'-':>9}"
    return (f"samples {s.samples_seen:>9,d}/{total:,d}  {speed} samples/s  "
            f"loss {loss}  test acc {acc}  lr {_rate(tr)}")


def _rate(tr: Trainer) -> str:
    """The rate the latest step took (a dash before the first)."""
    return "-" if tr.step_lr is None else f"{tr.step_lr:.4g}"


def run(args) -> int:
    keep, pad.JIT = pad.JIT, True      # headless: the compiled draw, pad and training step (numba) repay their import
    try:
        return _run(args)
    finally:
        pad.JIT = keep


def _run(args) -> int:
    if args.samples < 0:
        print("error: --samples must be >= 0", file=sys.stderr)
        return 1
    try:
        settings = _settings(args)
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    start_meta: dict = {}
    if args.load:
        try:
            model, start_meta = load_weights(args.load)
        except WeightsError as e:
            print(f"error: {e}", file=sys.stderr)
            return 1
    else:
        model = MLP(seed=args.seed)

    trainer = Trainer(model, stream.DigitGenerator(args.seed), settings,
                      test_set=digits.test_set())
    iterations = -(-args.samples // settings.batch)          # ceil: at least --samples
    t_start = time.perf_counter()
    next_line = t_start + PROGRESS_EVERY_S
    done = 0
    while done < iterations:
        done += trainer.run(min(64, iterations - done))
        now = time.perf_counter()
        if now >= next_line:
            print(_line(trainer, iterations * settings.batch), flush=True)
            next_line = now + PROGRESS_EVERY_S
    elapsed = time.perf_counter() - t_start
    accuracy = trainer.measure_test(full=True)
    s = trainer.stats
    rate = s.samples_seen / elapsed if elapsed > 0 else 0.0
    loss = "-" if s.train_loss is None else f"{s.train_loss:.4f}"
    print(f"trained {s.samples_seen:,d} samples in {elapsed:.1f} s ({rate:,.0f} samples/s), "
          f"loss {loss}, {trainer.rollback_count} rollback(s) ({trainer.stall_count} fresh "
          f"start(s)), final lr {_rate(trainer)}")
    for event in trainer.rollbacks:
        print(f"  at {event.samples_seen:,d} samples: {event.reason}, base lr "
              f"{event.old_lr:.4g} -> {event.new_lr:.4g}")
    if args.save:
        meta = {
            "samples_seen": int(start_meta.get("samples_seen", 0)) + s.samples_seen,
            "test_accuracy": accuracy,
            "train_loss": s.train_loss,
            "rollbacks": trainer.rollback_count,
            "final_lr": trainer.step_lr,
            "base_lr": trainer.lr,
            "settings": dataclasses.asdict(settings),
            "loaded_from": args.load,
        }
        try:
            save_weights(args.save, model, meta)
        except (OSError, TypeError) as e:
            print(f"error: could not save weights to {args.save}: {e}", file=sys.stderr)
            return 1
        print(f"saved weights to {args.save}")
    print(f"test accuracy: {accuracy:.4f}")
    return 0
