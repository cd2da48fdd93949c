"""The visitor's session: model, trainer, the image on display, the selected neuron.

No GL and no pygame here: scenes change the session, the view reads it. The displayed
input is the training sample of the moment while training, and the probe or painted
image while probing; ``fw`` is always the model's real forward pass of exactly that input.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from neuronlab.nn import digits, pad
from neuronlab.nn.mlp import MLP, Forward, Grads
from neuronlab.nn.train import Trainer, TrainSettings

LAYER_SIZES = (256, 16, 12, 10)
# new training digits drawn per frame: at least this many at once (a draw has a fixed cost
# before its per-sample one), at most the generator's own most economical chunk
FRESH_CHUNK_MIN = 16
FRESH_CHUNK_MAX = digits.FRESH_CHUNK


@dataclass(frozen=True)
class Neuron:
    layer: int   # 0 input, 1 hidden 1, 2 hidden 2, 3 output
    index: int


class Session:
    def __init__(self, settings: TrainSettings | None = None, seed: int = 0,
                 model: MLP | None = None, speeds=(0, 1, 4, 16, 64), iters_per_frame: int = 4):
        self.settings = settings or TrainSettings()
        self.seed = seed
        self.model = model or MLP(seed=seed)
        self.generator = digits.DigitGenerator(seed)
        self.test_X, self.test_y = digits.test_set()
        self.trainer = Trainer(self.model, self.generator, self.settings,
                               test_set=(self.test_X, self.test_y))
        self.speeds = tuple(speeds)
        self.iters_per_frame = int(iters_per_frame)
        self.paused = False
        self.source = "training"          # "training" | "probe" | "draw"
        self.pad_image = np.zeros((16, 16), np.float32)   # what the visitor sees on the pad
        self.probe_label: int | None = None                # true answer of a probe, if known
        self.selected: Neuron | None = None
        self.highlight: tuple[int, int, int] | None = None  # (layer, source i, target j) wire lit
        self.wire_mode = "signal"         # "signal" | "weight" | "gradient" | "correction"
        self.correction: dict | None = None  # a lesson's dW per parameter (the "correction" wires)
        self.input_version = 0            # bumps when the displayed input changes
        self.train_version = 0            # bumps when weights change
        self.iterations_done = 0
        self.sample_hold_s = 0.4           # the displayed sample changes at most 2.5 times a second
        self._shown_at: float | None = None
        self.x = np.zeros(256, np.float32)
        self.label: int | None = None
        self.fw: Forward = self.model.forward(self.x)
        self.grads: Grads | None = None
        self._show_training_sample()

    # -- what is on display -------------------------------------------------
    def _set_input(self, x: np.ndarray, label: int | None) -> None:
        self.x = np.asarray(x, np.float32).reshape(256)
        self.label = label
        self.input_version += 1
        self.refresh()

    def refresh(self) -> None:
        """Re-run the forward pass of the displayed input (weights may have changed)."""
        self.fw = self.model.forward(self.x)

    def _show_training_sample(self) -> None:
        last = getattr(self.trainer, "last", None)
        if last is not None:
            self._set_input(last.x, int(last.y))
        else:
            X, y = digits.DigitGenerator(self.seed + 1).batch(1)
            self._set_input(X[0], int(y[0]))

    def show_training(self) -> None:
        self.source = "training"
        self._show_training_sample()

    def probe(self, image16: np.ndarray, label: int | None) -> None:
        """Feed a pad-like image with training paused; the answer is never given to the net."""
        self.source = "probe"
        self.pad_image = np.asarray(image16, np.float32).reshape(16, 16).copy()
        self.probe_label = label
        self._set_input(pad.to_network(self.pad_image), label)

    def probe_network_input(self, x: np.ndarray, label: int | None) -> None:
        """Feed an already network-ready input (a test-set image) with training paused."""
        self.source = "probe"
        self.pad_image = np.asarray(x, np.float32).reshape(16, 16).copy()
        self.probe_label = label
        self._set_input(x, label)

    def draw(self, image16: np.ndarray) -> None:
        """The pad changed: re-fire the whole graph with the visitor's drawing."""
        self.source = "draw"
        self.pad_image = np.asarray(image16, np.float32).reshape(16, 16)
        self.probe_label = None
        self._set_input(pad.to_network(self.pad_image), None)

    # -- training -----------------------------------------------------------
    @property
    def training_active(self) -> bool:
        return self.source == "training" and not self.paused and self.iters_per_frame > 0

    @property
    def status(self) -> str:
        if self.source in ("probe", "draw"):
            return "probing"
        if self.training_active:
            return "training"
        if self.trainer.stats.samples_seen == 0:
            return "idle"
        return "paused"

    def set_speed(self, iters: int) -> None:
        iters = int(iters)
        if iters <= 0:
            self.paused = True
        else:
            self.paused = False
            self.iters_per_frame = iters

    def update(self, now: float | None = None) -> int:
        """One frame of training (k iterations) if training is on; returns iterations run.

        ``now`` is exhibit time (s). The image on display moves on to the newest training
        sample at most every ``sample_hold_s``: training runs at full speed underneath, but
        the picture never flashes (WCAG 2.3.1 allows at most 3 flashes a second). In between,
        the held sample's forward pass is re-run on the weights as they change."""
        if not self.training_active:
            return 0
        self._pace_fresh_draws()
        done = self.trainer.run(self.iters_per_frame)
        if done:
            self._after_steps(done, now)
        return done

    def _pace_fresh_draws(self) -> None:
        """New training digits are drawn in chunks sized to what a frame's iterations owe,
        so the cost is spread over frames instead of one visible hitch every 16th frame
        (docs/performance.md). While the pool fills a frame owes 256: the economical chunk."""
        gen = self.generator
        rate = gen.fresh if gen.pool_full else gen.fill
        owed = self.iters_per_frame * self.settings.batch * rate   # new samples per frame
        gen.chunk = int(min(FRESH_CHUNK_MAX, max(FRESH_CHUNK_MIN, round(owed))))

    def step_one(self) -> None:
        """Pause, then take exactly one training step on one sample."""
        self.paused = True
        self.source = "training"
        self.trainer.step_one()
        self._after_steps(1)

    def _after_steps(self, n: int, now: float | None = None) -> None:
        self.iterations_done += n
        self.train_version += 1
        self.grads = getattr(self.trainer, "last_grads", None)
        if now is None or self._shown_at is None or now - self._shown_at >= self.sample_hold_s:
            self._shown_at = now
            self._show_training_sample()
        else:
            self.refresh()

    def snapshot(self) -> dict:
        """What the network has learned so far: weights and the trainer's stats."""
        return {"params": {k: v.copy() for k, v in self.model.params.items()},
                "meta": self.trainer.state()}

    def restore(self, snap: dict) -> None:
        """Put back a snapshot (the learned network after a demonstration from scratch)."""
        self.trainer.load_state(snap["meta"], snap["params"])
        self.grads = None
        self.train_version += 1
        self.refresh()

    def reset_network(self, seed: int | None = None) -> None:
        self.trainer.reset(seed)
        self.grads = None
        self.train_version += 1
        self.refresh()

    # -- the selected neuron -------------------------------------------------
    def select(self, neuron: Neuron | None) -> None:
        self.selected = neuron

    def contributions(self, neuron: Neuron) -> tuple[np.ndarray, float, float]:
        """For a non-input neuron: (a_i * w_ij for every source i, bias, z), all the
        model's own numbers for the displayed input."""
        if neuron.layer == 0:
            raise ValueError("input neurons have no incoming weights")
        W = self.model.params[f"W{neuron.layer}"]
        b = self.model.params[f"b{neuron.layer}"]
        a_prev = self.fw.activations[neuron.layer - 1]
        contrib = a_prev * W[:, neuron.index]          # (n_prev,) * (n_prev,) -> (n_prev,)
        return contrib, float(b[neuron.index]), float(self.fw.zs[neuron.layer - 1][neuron.index])

    def activation(self, neuron: Neuron) -> float:
        return float(self.fw.activations[neuron.layer][neuron.index])
