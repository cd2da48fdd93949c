"""The story pace: 90 % in 20-60 s of exhibit time at x4 (simulated frames, real
training), the pace back at the chosen speed after, and x64 still racing."""
import math

import pytest

from neuronlab.nn import digits, stream
from neuronlab.nn.mlp import MLP
from neuronlab.nn.pace import (PaceSettings, StoryPace, chosen_rate, iterations_for_frame,
                               story_over, story_rate, summary)
from neuronlab.nn.train import Trainer, TrainSettings

FPS = 60


def _seconds_to_90(seed: int, speed: int, every: int = 30, limit_s: float = 90.0):
    """Simulated 60 fps frames of the real trainer under the story pace; accuracy on
    500 test digits every ``every`` frames. Returns (t90, frames, iterations per frame)."""
    X, y = digits.test_set()
    X, y = X[:500], y[:500]
    m = MLP(seed=seed)
    tr = Trainer(m, stream.DigitGenerator(seed), TrainSettings())
    pace = StoryPace()
    pace.start()
    ks = []
    for f in range(int(limit_s * FPS)):
        k = pace.frame(tr.stats.samples_seen, speed, 1.0 / FPS)
        ks.append(k)
        if k:
            tr.run(k)
        if (f + 1) % every == 0 and m.accuracy(X, y) >= 0.9:
            return (f + 1) / FPS, ks, tr
    return None, ks, tr


def test_default_speed_reaches_90_percent_between_20_and_60_seconds():
    t90, ks, tr = _seconds_to_90(seed=0, speed=4)
    assert t90 is not None and 20.0 <= t90 <= 60.0
    assert tr.stats.samples_seen == 32 * sum(ks)     # every iteration the pace gave ran
    first_10s = ks[:10 * FPS]
    assert sum(first_10s) < 10 * FPS * 4 / 10        # the start is slow: under a tenth of x4
    assert max(ks) <= 4


def test_x64_still_races():
    t90, ks, _ = _seconds_to_90(seed=0, speed=64, every=6, limit_s=10)
    assert t90 is not None and t90 < 5.0


def test_pace_rises_back_to_the_chosen_speed_and_ends():
    s = PaceSettings()
    rates = [story_rate(n, 4, s) for n in range(0, 100_000, 1000)]
    assert all(b >= a for a, b in zip(rates, rates[1:]))
    assert rates[0] == s.start_rate
    assert rates[-1] == chosen_rate(4, s) == 4 * 32 * 60
    assert story_over(100_000, 4, s) and not story_over(0, 4, s)
    pace = StoryPace(s)
    pace.start()
    assert pace.frame(100_000, 4) == 4 and not pace.active
    assert pace.frame(0, 16) == 16            # no story running: the chosen speed


def test_fractional_iterations_accumulate_exactly():
    pace = StoryPace()
    pace.start()
    frames = 600
    got = sum(pace.frame(0, 4, 1.0 / FPS) for _ in range(frames))
    want = iterations_for_frame(0, 4, 1.0 / FPS) * frames
    assert abs(got - want) < 1.0 and got > 0
    assert pace.frame(0, 0) == 0              # paused


def test_plain_summary_never_claims_more():
    s = summary(1200, 0.4)
    assert (s.seen, s.right, s.out_of, s.accuracy) == (1200, 4, 10, 0.4)
    assert summary(5000, 0.7).right == 7
    assert summary(5000, 0.999).right == 9
    assert summary(5000, 1.0).right == 10
    assert summary(0, None).right is None
    assert summary(0, math.nan).right is None


def test_bad_pace_settings_are_refused():
    with pytest.raises(ValueError, match="start_rate"):
        PaceSettings(start_rate=0)
    with pytest.raises(ValueError, match="knee"):
        PaceSettings(knee=0)
