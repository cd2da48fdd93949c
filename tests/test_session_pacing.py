"""The exhibit's training draws its new digits a little every frame, never in one lump."""
import numpy as np

from neuronlab.nn import stream
from neuronlab.nn.train import TrainSettings
from neuronlab.session import FRESH_CHUNK_MAX, Session

SMALL_POOL = 4096      # the exhibit's pool is 60,000: the pacing is the same, filled sooner


def _fresh_per_frame(ses, frames):
    gen = ses.generator
    drawn = []
    store = gen._store

    def counting_store(X, y, *keep):
        drawn[-1] += len(y)
        return store(X, y, *keep)

    gen._store = counting_store
    for f in range(frames):
        drawn.append(0)
        ses.update(f / 60)
    gen._store = store
    return np.array(drawn)


def test_with_the_pool_full_each_frame_draws_what_it_owes_not_a_lump_every_16th():
    # GIVEN the exhibit training at x16 (16 batches of 32 a frame) with its pool full
    ses = Session(TrainSettings(test_every=10**9), seed=3, iters_per_frame=16)
    gen = ses.generator = ses.trainer.source = stream.DigitGenerator(3, pool=SMALL_POOL, prefill=False)
    while not gen.pool_full:
        gen.batch(4096)
    # WHEN 40 frames train
    drawn = _fresh_per_frame(ses, 40)
    # THEN they draw what they owe (16 x 32 / 32 = 16 new digits a frame) as the trainer's
    # prefetch (1024 samples: two frames) comes due, never a lump of 256 every 16th frame
    owed = 16 * 32 * gen.fresh
    assert drawn.sum() == 40 * owed
    assert np.all(drawn[0::2] + drawn[1::2] == 2 * owed), drawn
    assert drawn.max() <= 2 * owed < FRESH_CHUNK_MAX


def test_while_the_pool_fills_a_frame_still_draws_in_one_economical_chunk():
    # GIVEN a fresh exhibit at x16: a quarter of each batch is new until the pool is full
    ses = Session(TrainSettings(test_every=10**9), seed=4, iters_per_frame=16)
    gen = ses.generator
    calls = []
    draw_store = gen._store
    gen._store = lambda X, y, *keep: (calls.append(len(y)), draw_store(X, y, *keep))[1]
    # WHEN 5 frames train
    for f in range(5):
        ses.update(f / 60)
    # THEN the new digits (a quarter of every prefetch) still come in draws of at least the
    # generator's economical chunk, not in many small ones
    assert len(calls) >= 2 and min(calls) >= FRESH_CHUNK_MAX, calls


def test_a_frames_training_and_its_display_are_two_steps_that_make_update():
    # GIVEN two sessions of one seed at x4, their first frame run by update
    a = Session(TrainSettings(test_every=10**9), seed=2, iters_per_frame=4)
    b = Session(TrainSettings(test_every=10**9), seed=2, iters_per_frame=4)
    for ses in (a, b):
        ses.pace.stop()
        ses.update(0.0)
    shown = b.fw.p.copy()
    # WHEN one trains its next frame alone
    done = b.train_frame(1 / 60)
    # THEN the weights moved but the display still shows the forward pass from before
    assert done == 4 and b.trainer.stats.samples_seen == 8 * 32
    np.testing.assert_array_equal(b.fw.p, shown)
    # AND once told, it shows exactly what update shows
    b.show_trained(done, 1 / 60)
    assert a.update(1 / 60) == 4
    np.testing.assert_array_equal(a.fw.p, b.fw.p)
    np.testing.assert_array_equal(a.x, b.x)
    np.testing.assert_array_equal(b.fw.p, b.model.forward(b.x, b.knockout.alive).p)
