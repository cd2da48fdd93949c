"""Teach it: learn a visitor's drawing with the right label, and what that did.

Owns a *lesson*: a few momentum-SGD steps on batches that hold ``copies`` of the
visitor's drawing and ``batch - copies`` replayed training digits (so it does not forget
the others), run by a ``Trainer`` of their own on the same model -- the exhibit's own
step, its divergence guard included -- at a fixed rate with no warm-up or decay (the
exhibit's trainer has decayed its rate long before a visitor arrives). Every step is
folded into the exhibit trainer's statistics (samples seen, iterations, epoch, the
smoothed train loss, the last batch loss), so the correction shows in the stats and
stays in the weights.

A lesson measures what the visitor must see, exactly: the drawing's probabilities
before and after, the weight change of every parameter (the "Correction" wires), the
test accuracy before and after (counts and fractions) and the ten clean digits'
answers before and after.

Also the gallery of taught drawings, kept only when a curator enables it: the 16x16
image and its label, in a capped folder, each file written atomically.

Imports numpy and the standard library only.
"""
from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from neuronlab.nn import digits, pad, stream
from neuronlab.nn.mlp import MLP, PARAM_NAMES
from neuronlab.nn.train import Source, Trainer, TrainSettings


@dataclass(frozen=True)
class TeachSettings:
    """How a lesson learns. Invalid values raise ValueError with one clear line."""

    steps: int = 64         # most momentum-SGD steps per lesson (bench/teach_mix.py)
    batch: int = 128        # samples per step...
    copies: int = 2         # ...of which this many are the drawing, the rest replayed digits
    lr: float = 0.005
    momentum: float = 0.9
    target: float = 0.6     # stop early once the drawing's own label has this probability
                            # (0: always take every step): each step past it only costs
                            # the other digits

    def __post_init__(self):
        checks = [
            (self.steps >= 1, f"teach steps must be >= 1, got {self.steps}"),
            (self.batch >= 1, f"teach batch must be >= 1, got {self.batch}"),
            (1 <= self.copies <= self.batch,
             f"teach copies must be in [1, batch={self.batch}], got {self.copies}"),
            (np.isfinite(self.lr) and self.lr > 0, f"teach lr must be > 0, got {self.lr}"),
            (0.0 <= self.momentum < 1.0, f"teach momentum must be in [0, 1), got {self.momentum}"),
            (0.0 <= self.target < 1.0, f"teach target must be in [0, 1), got {self.target}"),
        ]
        for ok, message in checks:
            if not ok:
                raise ValueError(message)

    @property
    def replay(self) -> int:
        """Replayed training digits per step."""
        return self.batch - self.copies


class MixSource:
    """Batches of ``copies`` rows of one drawing (first, so the trainer's picture of the
    step is the drawing) followed by replayed digits from ``replay``."""

    def __init__(self, x: np.ndarray, label: int, copies: int, replay: Source):
        self.x = np.asarray(x, np.float32).reshape(1, -1)
        self.label = int(label)
        self.copies = int(copies)
        self.replay = replay

    def batch(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        c = min(self.copies, n)
        X = np.repeat(self.x, n, axis=0)
        y = np.full(n, self.label, np.int64)
        if n > c:
            rX, ry = self.replay.batch(n - c)
            X[c:] = rX
            y[c:] = ry
        return X, y


@dataclass(frozen=True)
class Accuracy:
    correct: int
    total: int

    @property
    def fraction(self) -> float:
        return self.correct / self.total if self.total else 0.0

    @property
    def points(self) -> float:
        """Percentage points (97.85 for 1957 of 2000)."""
        return 100.0 * self.fraction


def _accuracy(model: MLP, X: np.ndarray, y: np.ndarray) -> Accuracy:
    return Accuracy(int(np.sum(model.predict(X) == y)), int(len(y)))


def clean_inputs() -> np.ndarray:
    """The ten clean digits as the network sees them, (10, 256)."""
    return pad.to_network(np.stack([digits.clean_digit(d) for d in range(10)]))


@dataclass(frozen=True)
class TeachResult:
    """Everything a teaching moment shows; every number is the model's own."""

    label: int                      # what the visitor said it is
    p_before: np.ndarray            # (10,) the drawing's probabilities before the lesson
    p_after: np.ndarray             # (10,) ...and after
    delta: dict[str, np.ndarray]    # after - before for every parameter (W1 ... b3)
    test_before: Accuracy
    test_after: Accuracy
    clean_before: np.ndarray        # (10,) answers to the clean digits 0-9 before
    clean_after: np.ndarray         # (10,) ...and after
    steps: int                      # steps taken (a rolled-back step counts)
    samples: int                    # samples learned from (added to samples seen)
    losses: tuple[float, ...]       # each healthy step's batch loss
    rollbacks: int                  # divergence-guard events during the lesson

    @property
    def answer_before(self) -> int:
        return int(np.argmax(self.p_before))

    @property
    def answer_after(self) -> int:
        return int(np.argmax(self.p_after))

    @property
    def learned(self) -> bool:
        """It now reads the drawing as the visitor said."""
        return self.answer_after == self.label

    @property
    def drop_points(self) -> float:
        """Test accuracy lost, in percentage points (negative: it got better)."""
        return self.test_before.points - self.test_after.points


class Lesson:
    """One drawing being learned, step by step (the UI spreads the steps over the
    second or two the visitor watches). ``finish`` runs what is left and measures."""

    def __init__(self, teacher: "Teacher", x: np.ndarray, label: int):
        if not 0 <= int(label) <= 9:
            raise ValueError(f"a digit label is 0-9, got {label}")
        x = np.asarray(x, np.float32).reshape(-1)
        if x.shape != (256,) or not np.all(np.isfinite(x)):
            raise ValueError("a drawing to teach is 256 finite network-input values")
        self.teacher = teacher
        self.x = x
        self.label = int(label)
        model = teacher.trainer.model
        tX, ty = teacher.test_set
        self._before = {k: v.copy() for k, v in model.params.items()}
        self._p_before = model.forward(x).p.copy()
        self._test_before = _accuracy(model, tX, ty)
        self._clean_before = model.predict(teacher.clean)
        s = teacher.settings
        self._inner = Trainer(model, MixSource(x, label, s.copies, teacher.replay),
                              teacher.inner_settings())
        main = teacher.trainer.stats
        # the guard judges the lesson's first batch against the exhibit's own loss scale
        self._inner.stats.train_loss = main.train_loss
        self.steps_done = 0
        self.reached = False      # stopped early: the drawing reads right with the target
        self._losses: list[float] = []
        self.result: TeachResult | None = None

    @property
    def done(self) -> bool:
        return self.reached or self.steps_done >= self.teacher.settings.steps

    @property
    def progress(self) -> float:
        return min(1.0, self.steps_done / self.teacher.settings.steps)

    def advance(self, n: int = 1) -> int:
        """Take up to ``n`` more steps; returns how many were taken."""
        taken = 0
        while taken < n and not self.done:
            inner = self._inner
            seen, bad = inner.stats.samples_seen, inner.rollback_count
            inner.run(1)
            self.steps_done += 1
            taken += 1
            if inner.rollback_count == bad:
                self._fold(inner.stats.samples_seen - seen, float(inner.stats.batch_loss))
            else:
                self.teacher.trainer.stats.iterations += 1
            target = self.teacher.settings.target
            if target > 0:
                p = self.teacher.trainer.model.forward(self.x).p
                self.reached = bool(np.argmax(p) == self.label and p[self.label] >= target)
        return taken

    def _fold(self, samples: int, loss: float) -> None:
        """Count one healthy lesson step in the exhibit trainer's statistics, the way
        its own steps are counted."""
        tr = self.teacher.trainer
        tr.stats.iterations += 1
        tr.count_samples(samples, loss)
        self._losses.append(loss)

    def finish(self) -> TeachResult:
        """Run the remaining steps and measure the before/after figures (once)."""
        if self.result is not None:
            return self.result
        self.advance(self.teacher.settings.steps)
        tr = self.teacher.trainer
        model = tr.model
        tX, ty = self.teacher.test_set
        test_after = _accuracy(model, tX, ty)
        if tr.test_set is not None:
            tr.measure_test(full=True)      # the HUD's figure is the after figure at once
        delta = {k: model.params[k] - self._before[k] for k in PARAM_NAMES}
        self.result = TeachResult(
            self.label, self._p_before, model.forward(self.x).p.copy(), delta,
            self._test_before, test_after, self._clean_before,
            model.predict(self.teacher.clean), self.steps_done,
            self._inner.stats.samples_seen, tuple(self._losses), self._inner.rollback_count)
        return self.result


class Teacher:
    """Lessons for the exhibit's trainer. ``replay`` is where replayed digits come from
    (the exhibit's own training generator fits; default: a fresh generator stream);
    ``test_set`` defaults to the trainer's own."""

    def __init__(self, trainer: Trainer, settings: TeachSettings | None = None,
                 replay: Source | None = None,
                 test_set: tuple[np.ndarray, np.ndarray] | None = None, seed: int = 7):
        self.trainer = trainer
        self.settings = settings or TeachSettings()
        self.replay = replay if replay is not None else stream.DigitGenerator(seed, pool=0)
        if test_set is None:
            test_set = trainer.test_set if trainer.test_set is not None else digits.test_set()
        self.test_set = test_set
        self.clean = clean_inputs()

    def inner_settings(self) -> TrainSettings:
        s = self.settings
        base = self.trainer.settings
        return TrainSettings(batch=s.batch, lr=s.lr, momentum=s.momentum,
                             lr_decay_samples=0, lr_warmup_samples=0, prefetch=0,
                             snapshot_every=1, test_every=10**12,
                             diverge_factor=base.diverge_factor, diverge_floor=base.diverge_floor,
                             lr_backoff=base.lr_backoff, min_lr=base.min_lr)

    def begin(self, x: np.ndarray, label: int) -> Lesson:
        """Start a lesson on network input ``x`` (256,) with the visitor's ``label``."""
        return Lesson(self, x, label)

    def teach(self, x: np.ndarray, label: int) -> TeachResult:
        """A whole lesson at once."""
        return self.begin(x, label).finish()


class TeachingGallery:
    """Taught drawings, kept only when ``enabled`` (a curator's choice; off by default).

    Each is one ``.npz`` holding the 16x16 pad image (float32) and its label, and
    nothing else. Files are written to a temporary name in the same folder and renamed
    into place, so a reader never sees half a file; beyond ``cap`` files the oldest go."""

    SUFFIX = ".npz"

    def __init__(self, folder: str | os.PathLike, enabled: bool = False, cap: int = 500):
        if int(cap) < 1:
            raise ValueError(f"gallery cap must be >= 1, got {cap}")
        self.folder = Path(folder)
        self.enabled = bool(enabled)
        self.cap = int(cap)
        self._n = 0

    def files(self) -> list[Path]:
        """Kept drawings, oldest first (their names sort by time)."""
        if not self.folder.is_dir():
            return []
        return sorted(p for p in self.folder.iterdir()
                      if p.suffix == self.SUFFIX and not p.name.startswith("."))

    def keep(self, image16: np.ndarray, label: int) -> Path | None:
        """Keep one drawing if enabled; returns its path (None when not kept)."""
        if not self.enabled:
            return None
        img = np.asarray(image16, np.float32).reshape(16, 16)
        if not 0 <= int(label) <= 9:
            raise ValueError(f"a digit label is 0-9, got {label}")
        self.folder.mkdir(parents=True, exist_ok=True)
        self._n += 1
        name = f"{time.time_ns():020d}-{os.getpid()}-{self._n:06d}-{int(label)}{self.SUFFIX}"
        final = self.folder / name
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                np.savez(f, image=img, label=np.int64(label))
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, final)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        for old in self.files()[:-self.cap]:
            old.unlink(missing_ok=True)
        return final

    @staticmethod
    def load(path: str | os.PathLike) -> tuple[np.ndarray, int]:
        """(image (16, 16) float32, label) of a kept drawing."""
        with np.load(path, allow_pickle=False) as z:
            return z["image"].astype(np.float32).reshape(16, 16), int(z["label"])
