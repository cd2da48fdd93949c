"""The visitor's session: model, trainer, the image on display, the selected neuron.

No GL and no pygame here: scenes change the session, the view reads it. The displayed
input is the training sample of the moment while training, and the probe or painted
image while probing; ``fw`` is always the model's real forward pass of exactly that input
(with the units the visitor switched off forced to 0).

Also owns the three things that change how the network is watched: the story pace after a
fresh start (``pace``), the time machine's snapshots (``timeline``; training pauses while
the network of the past is on display) and the knocked-out units (``knockout``).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from neuronlab.nn import digits, pad, stream
from neuronlab.nn.knockout import DigitAccuracy, Knockout, digit_accuracy
from neuronlab.nn.mlp import MLP, Forward, Grads
from neuronlab.nn.pace import PaceSettings, StoryPace
from neuronlab.nn.timeline import Snapshot, Timeline
from neuronlab.nn.train import Trainer, TrainSettings

LAYER_SIZES = (256, 16, 12, 10)
# new training digits drawn per frame: at least this many at once (a draw has a fixed cost
# before its per-sample one), at most the generator's own most economical chunk
FRESH_CHUNK_MIN = 16
FRESH_CHUNK_MAX = stream.FRESH_CHUNK
# while the story runs, test accuracy is measured on the whole test set this often (s of
# exhibit time): the learning is slow then, and the figure shown must keep up with it
STORY_TEST_EVERY_S = 0.25
FRAME_S = 1.0 / 60.0


@dataclass(frozen=True)
class Neuron:
    layer: int   # 0 input, 1 hidden 1, 2 hidden 2, 3 output
    index: int


class Session:
    def __init__(self, settings: TrainSettings | None = None, seed: int = 0,
                 model: MLP | None = None, speeds=(0, 1, 4, 16, 64), iters_per_frame: int = 4,
                 source=None):
        self.settings = settings or TrainSettings()
        self.seed = seed
        self.model = model or MLP(seed=seed)
        # the training stream: served from another process (nn/feeder.py) or drawn here,
        # where its pool fills batch by batch (drawn whole, it would stop a frame for 2 s)
        self.generator = source if source is not None else stream.DigitGenerator(seed, prefill=False)
        self.test_X, self.test_y = digits.test_set()
        self.trainer = Trainer(self.model, self.generator, self.settings,
                               test_set=(self.test_X, self.test_y))
        self.speeds = tuple(speeds)
        self.iters_per_frame = int(iters_per_frame)
        self.pace = StoryPace(PaceSettings(batch=self.settings.batch))
        self.timeline = Timeline()
        self.knockout = Knockout()
        self.knockout_version = 0          # bumps when a unit is switched off or on
        self._ko_cache: tuple | None = None
        self._last_now: float | None = None
        self._story_test_at: float | None = None
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

    def close(self) -> None:
        """End the serving process, if there is one."""
        close = getattr(self.generator, "close", None)
        if close is not None:
            close()

    # -- what is on display -------------------------------------------------
    def _set_input(self, x: np.ndarray, label: int | None) -> None:
        self.x = np.asarray(x, np.float32).reshape(256)
        self.label = label
        self.input_version += 1
        self.refresh()

    def refresh(self) -> None:
        """Re-run the forward pass of the displayed input (weights may have changed)."""
        self.fw = self.model.forward(self.x, self.knockout.alive)

    def _show_training_sample(self) -> None:
        last = getattr(self.trainer, "last", None)
        if last is not None:
            self._set_input(last.x, int(last.y))
        else:
            X, y = stream.DigitGenerator(self.seed + 1, prefill=False).batch(1)
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
        return (self.source == "training" and not self.paused and self.iters_per_frame > 0
                and not self.timeline.in_past)

    @property
    def status(self) -> str:
        if self.timeline.in_past:
            return "past"
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
        done = self.train_frame(now)
        self.show_trained(done, now)
        return done

    def train_frame(self, now: float | None = None) -> int:
        """``update``'s training alone: the frame's iterations and their bookkeeping, the
        display not yet told (``show_trained``). Returns iterations run."""
        dt = FRAME_S if now is None or self._last_now is None else min(max(now - self._last_now, 0.0), 0.25)
        self._last_now = now
        if not self.training_active:
            return 0
        stats = self.trainer.stats
        if not self.timeline.snapshots:        # the first frame after a start or a resume
            self._offer()
        story = self.pace.active
        k = self.pace.frame(stats.samples_seen, self.iters_per_frame, dt) if story else self.iters_per_frame
        if story and k == 0 and stats.samples_seen == 0:
            k = 1                              # a fresh start is seen to start at once
                                               # (once a feeder's first rows are in)
        k = self.trainer.ready_iterations(k)   # a served stream's rows may still be coming
        self._pace_fresh_draws(k)
        done = self.trainer.run(k) if k else 0
        if story:
            self._story_test(now)
        if done:
            self._offer()
        return done

    def show_trained(self, done: int, now: float | None = None) -> None:
        """``update``'s display part after ``train_frame`` ran ``done`` iterations: the
        shown sample moves on, or the held one's forward pass is run on the new weights."""
        if done:
            self._after_steps(done, now)

    def _story_test(self, now: float | None) -> None:
        """During the story the shown test accuracy is re-measured (whole test set) every
        ``STORY_TEST_EVERY_S``: the figure on screen is always that measurement."""
        if now is None or self._story_test_at is None or now - self._story_test_at >= STORY_TEST_EVERY_S:
            self._story_test_at = now
            self.trainer.measure_test(full=True)

    def _offer(self) -> None:
        st = self.trainer.stats
        self.timeline.offer(self.model, st.samples_seen, st.test_accuracy, st.train_loss)

    def _pace_fresh_draws(self, iters: int | None = None) -> None:
        """New training digits drawn in the frame (by a generator in this process, or the
        one a feeder falls back on) come in chunks sized to what a frame's iterations owe,
        so the cost is spread over frames instead of one visible hitch every 16th frame
        (docs/performance.md). While the pool fills a frame owes 128 (a quarter of 512)."""
        gen = self.generator
        rate = gen.fresh if gen.pool_full else gen.fill
        iters = self.iters_per_frame if iters is None else iters
        owed = iters * self.settings.batch * rate   # new samples per frame
        gen.chunk = int(min(FRESH_CHUNK_MAX, max(FRESH_CHUNK_MIN, round(owed))))

    def step_one(self) -> None:
        """Pause, then take exactly one training step on one sample (from now, never from
        the past)."""
        self.back_to_now()
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
        self.back_to_now()
        return {"params": {k: v.copy() for k, v in self.model.params.items()},
                "meta": self.trainer.state(), "timeline": self.timeline}

    def restore(self, snap: dict) -> None:
        """Put back a snapshot (the learned network after a demonstration from scratch),
        with its time machine."""
        self.back_to_now()
        self.trainer.load_state(snap["meta"], snap["params"])
        self.timeline = snap.get("timeline") or Timeline()
        self.pace.stop()
        self.grads = None
        self.train_version += 1
        self.refresh()

    def reset_network(self, seed: int | None = None) -> None:
        """Fresh random weights, learned again from nothing at the story pace: a new
        time machine whose first snapshot is this untrained network."""
        self.back_to_now()
        self.trainer.reset(seed)
        self.timeline = Timeline()
        self._offer()
        self.pace.start()
        self._story_test_at = None
        self.grads = None
        self.train_version += 1
        self.refresh()

    # -- the time machine ------------------------------------------------------
    @property
    def in_past(self) -> bool:
        return self.timeline.in_past

    def show_past(self, index: int) -> Snapshot | None:
        """Put the network as it was at snapshot ``index`` on display: the model's own
        arrays hold those weights (everything that reads the model sees the past) and
        training waits. Returns the snapshot, None for an index out of range."""
        n = len(self.timeline.snapshots)
        if not n or not -n <= int(index) < n:
            return None
        snap = self.timeline.show(self.model, int(index))
        self._weights_changed()
        return snap

    def back_to_now(self) -> None:
        """The live network back, bit for bit; training goes on from where it was."""
        if self.timeline.in_past:
            self.timeline.back_to_now(self.model)
            self._weights_changed()

    def _weights_changed(self) -> None:
        self.grads = None                  # the last step's gradients belong to other weights
        self.train_version += 1
        self.refresh()

    # -- knock-out -------------------------------------------------------------
    def toggle_unit(self, neuron: Neuron) -> bool | None:
        """Switch a hidden unit off (or back on); None for a unit that cannot be."""
        if neuron.layer not in (1, 2):
            return None
        off = self.knockout.toggle(neuron.layer, neuron.index)
        self.knockout_version += 1
        self.refresh()
        return off

    def clear_knockout(self) -> None:
        if self.knockout.any_off:
            self.knockout.clear()
            self.knockout_version += 1
            self.refresh()

    def knockout_accuracy(self) -> tuple[DigitAccuracy, DigitAccuracy] | None:
        """(with the units off, with every unit on) per-digit test accuracy for the weights
        on display, or None when every unit is on. Recomputed when weights or units change."""
        if not self.knockout.any_off:
            return None
        key = (self.train_version, self.knockout_version)
        if self._ko_cache is None or self._ko_cache[0] != key:
            off = self.knockout.accuracy(self.model, self.test_X, self.test_y)
            self._ko_cache = (key, (off, digit_accuracy(self.model, self.test_X, self.test_y)))
        return self._ko_cache[1]

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
