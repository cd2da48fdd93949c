"""Checkpoints of the exhibit's learning: weights plus the statistics shown beside them.

Owns when a checkpoint is written (every ``every_s`` seconds of exhibit time, passed in
through ``update(dt)``) and how one is put back into a running trainer. The file itself
is a weights file (``nn.store``): written to a temp file in the same folder, fsynced and
``os.replace``d, so a power cut mid-write leaves the previous checkpoint whole. Its meta
holds samples seen, epoch, iterations, smoothed loss, accuracy, learning rate, the
exhibit time of the save and whatever ``extra`` adds (the exhibit's loss/accuracy plot, so
a resumed exhibit shows the run so far). No pygame, no GL.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

from neuronlab.nn.mlp import MLP
from neuronlab.nn.store import WeightsError, load_weights, save_weights

log = logging.getLogger("neuronlab.checkpoint")

KIND = "neuronlab-checkpoint"


def meta_for(trainer, exhibit_time: float, extra: dict | None = None) -> dict:
    """What a checkpoint remembers besides the weights: the trainer's ``state()`` (and
    ``extra``'s keys, which never override those)."""
    return {**(extra or {}), "kind": KIND, **trainer.state(), "time": float(exhibit_time)}


def save_checkpoint(path, trainer, exhibit_time: float = 0.0, extra: dict | None = None) -> None:
    """Write the trainer's model and stats to ``path`` atomically (folder created)."""
    path = Path(os.path.expanduser(os.fspath(path)))
    path.parent.mkdir(parents=True, exist_ok=True)
    save_weights(path, trainer.model, meta_for(trainer, exhibit_time, extra))


def load_checkpoint(path) -> tuple[MLP, dict]:
    """(model, meta) of a checkpoint; raises ``WeightsError`` (one line) if unusable."""
    return load_weights(Path(os.path.expanduser(os.fspath(path))))


def apply_meta(trainer, meta: dict) -> None:
    """Restore the stats a checkpoint carries into ``trainer``, whose model already holds
    the checkpoint's weights (``Trainer.load_state``)."""
    trainer.load_state(meta)


def resume(session, path) -> bool:
    """Load the checkpoint at ``path`` into ``session`` (weights in place, stats restored).
    Returns False, leaving the session untouched, when it is missing or unusable."""
    try:
        model, meta = load_checkpoint(path)
    except WeightsError as err:
        log.warning("%s; starting fresh", err)
        return False
    session.trainer.load_state(meta, model.params)
    session.train_version += 1
    session.refresh()
    log.info("resumed from checkpoint %s (%d samples seen)", path, session.trainer.stats.samples_seen)
    return True


class Checkpointer:
    """Saves ``trainer`` to ``path`` every ``every_s`` seconds of exhibit time.

    A failing save (disk full, folder not writable) is logged at most once per
    ``every_s`` and retried at the next interval: the exhibit keeps running.
    """

    def __init__(self, path, every_s: float, extra=None):
        self.path = Path(os.path.expanduser(os.fspath(path)))
        self.extra = extra            # () -> dict of more meta (the plot), or None
        self.every_s = float(every_s)
        self.clock = 0.0
        self.since = 0.0
        self.saves = 0
        self.failures = 0

    def update(self, dt: float, trainer) -> bool:
        """Advance exhibit time; save if due. True when a checkpoint was written."""
        self.clock += dt
        self.since += dt
        if self.since < self.every_s:
            return False
        self.since = 0.0
        return self.save(trainer)

    def save(self, trainer) -> bool:
        if not trainer.weights_finite():
            log.warning("checkpoint skipped: weights are not finite")
            return False
        try:
            save_checkpoint(self.path, trainer, self.clock, self.extra() if self.extra else None)
        except (OSError, ValueError, TypeError) as err:
            self.failures += 1
            log.warning("checkpoint %s not written: %s", self.path, err)
            return False
        self.saves += 1
        return True
