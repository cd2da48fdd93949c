"""The story pace: how fast a network learning from nothing is allowed to learn on screen.

Owns the pace after "Start over" (and in attract mode's learning part): a rate of
training samples per second of exhibit time that is a pure function of the samples seen
so far, slow while the guesses are still random and rising until it meets the chosen
speed, after which the story is over and the chosen speed rules. With u = samples / knee,

    rate(samples) = start_rate * (1 + u) ** 2 * max(1, speed / default_speed)

so after t seconds u = t / (T - t) with T = knee / start_rate (the rate would grow
without bound at T; the chosen speed caps it first). Speeds above the default scale the
whole story down in time, so x64 still races. Iterations per frame are fractional and
carried over between frames.

Also the one-line plain summary of where learning stands (the numbers; the words are
the UI's). Imports nothing but the standard library.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

FPS = 60.0


@dataclass(frozen=True)
class PaceSettings:
    start_rate: float = 84.0        # samples per second at samples 0 (about 2.6 batches of 32)
    knee: int = 4_000               # samples: the scale of the rise
    default_speed: int = 4          # the exhibit's default iterations per frame (x4)
    batch: int = 32
    fps: float = FPS                # the frame rate the chosen speed is counted in

    def __post_init__(self):
        if not (math.isfinite(self.start_rate) and self.start_rate > 0):
            raise ValueError(f"start_rate must be > 0, got {self.start_rate}")
        if self.knee < 1:
            raise ValueError(f"knee must be >= 1, got {self.knee}")
        if self.default_speed < 1:
            raise ValueError(f"default_speed must be >= 1, got {self.default_speed}")
        if self.batch < 1:
            raise ValueError(f"batch must be >= 1, got {self.batch}")
        if not (math.isfinite(self.fps) and self.fps > 0):
            raise ValueError(f"fps must be > 0, got {self.fps}")


def chosen_rate(speed: float, settings: PaceSettings = PaceSettings()) -> float:
    """Samples per second of the chosen speed (iterations per frame) without a story."""
    return max(0.0, float(speed)) * settings.batch * settings.fps


def story_rate(samples_seen: int, speed: float, settings: PaceSettings = PaceSettings()) -> float:
    """Samples per second the story allows after ``samples_seen`` samples at ``speed``
    (never above the chosen speed's own rate)."""
    s = settings
    u = max(0, int(samples_seen)) / s.knee
    scale = max(1.0, float(speed) / s.default_speed)
    return min(chosen_rate(speed, s), s.start_rate * (1.0 + u) ** 2 * scale)


def story_over(samples_seen: int, speed: float, settings: PaceSettings = PaceSettings()) -> bool:
    """True once the story no longer holds the chosen speed back."""
    return story_rate(samples_seen, speed, settings) >= chosen_rate(speed, settings)


def iterations_for_frame(samples_seen: int, speed: float, dt: float = 1.0 / FPS,
                         settings: PaceSettings = PaceSettings()) -> float:
    """Fractional iterations this frame of ``dt`` seconds of exhibit time."""
    return story_rate(samples_seen, speed, settings) * max(0.0, dt) / settings.batch


class StoryPace:
    """The story after one "Start over": call ``frame`` once a frame while ``active``;
    it returns whole iterations to run, the fractions carried over."""

    def __init__(self, settings: PaceSettings | None = None):
        self.settings = settings or PaceSettings()
        self.active = False
        self._carry = 0.0

    def start(self) -> None:
        """Begin the story (after "Start over", or attract mode's learning part)."""
        self.active = True
        self._carry = 0.0

    def stop(self) -> None:
        self.active = False
        self._carry = 0.0

    def frame(self, samples_seen: int, speed: float, dt: float = 1.0 / FPS) -> int:
        """Iterations to run this frame. Once the story no longer holds the speed back it
        ends itself (``active`` turns False) and returns the chosen speed's own count."""
        if not self.active:
            return int(speed)
        if story_over(samples_seen, speed, self.settings):
            self.stop()
            return int(speed)
        self._carry += iterations_for_frame(samples_seen, speed, dt, self.settings)
        k = int(self._carry)
        self._carry -= k
        return k


@dataclass(frozen=True)
class Summary:
    """ "it has seen <seen> examples; it gets <right> in <out_of> right" """

    seen: int
    right: int | None         # None before accuracy has been measured
    out_of: int
    accuracy: float | None    # the exact figure the rounding came from


def summary(samples_seen: int, test_accuracy: float | None, out_of: int = 10) -> Summary:
    """The plain-words figures. ``right`` rounds down, so it never claims more than
    the network does."""
    if test_accuracy is None or not math.isfinite(test_accuracy):
        return Summary(int(samples_seen), None, out_of, None)
    acc = min(1.0, max(0.0, float(test_accuracy)))
    # a hair of float error must not turn 0.7 into 6 in 10
    right = int(math.floor(acc * out_of + 1e-9))
    return Summary(int(samples_seen), right, out_of, float(test_accuracy))
