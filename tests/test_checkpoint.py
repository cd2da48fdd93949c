"""Checkpoints: round trip of weights and stats, interval, mid-write kill, corrupt files."""

import numpy as np

from neuronlab import checkpoint
from neuronlab.nn.mlp import PARAM_NAMES
from neuronlab.nn.train import TrainSettings
from neuronlab.session import Session


def trained_session(seed=1, iters=30):
    ses = Session(TrainSettings(test_every=10**9), seed=seed)
    ses.trainer.run(iters)
    return ses


def test_round_trip_restores_weights_and_stats(tmp_path):
    a = trained_session()
    a.trainer.lr = 0.004
    path = tmp_path / "ck.npz"
    checkpoint.save_checkpoint(path, a.trainer, exhibit_time=12.5)
    b = Session(TrainSettings(test_every=10**9), seed=99)
    model_before = b.model
    assert checkpoint.resume(b, path)
    assert b.model is model_before          # weights restored in place, identity kept
    for k in PARAM_NAMES:
        np.testing.assert_array_equal(b.model.params[k], a.model.params[k])
    assert b.trainer.stats.samples_seen == a.trainer.stats.samples_seen == 30 * 32
    assert b.trainer.stats.iterations == 30
    assert b.trainer.lr == 0.004
    assert abs(b.trainer.stats.train_loss - a.trainer.stats.train_loss) < 1e-9
    a.trainer.measure_test(full=True)
    assert b.trainer.stats.test_accuracy == a.trainer.stats.test_accuracy
    _, meta = checkpoint.load_checkpoint(path)
    assert meta["time"] == 12.5 and meta["kind"] == checkpoint.KIND


def test_checkpointer_saves_every_interval_of_exhibit_time(tmp_path):
    ses = trained_session(iters=2)
    cp = checkpoint.Checkpointer(tmp_path / "sub" / "ck.npz", every_s=10.0)
    wrote = [cp.update(0.5, ses.trainer) for _ in range(60)]     # 30 s of exhibit time
    assert sum(wrote) == 3 and cp.saves == 3
    assert wrote.index(True) == 19                               # at 10.0 s, not before
    assert (tmp_path / "sub" / "ck.npz").exists()


def test_killed_mid_write_leaves_previous_checkpoint_loadable(tmp_path):
    path = tmp_path / "ck.npz"
    old = trained_session(iters=5)
    checkpoint.save_checkpoint(path, old.trainer)
    # A save killed mid-write: the temp file in the same folder is half written, no replace.
    newer = trained_session(seed=2, iters=10)
    full = tmp_path / "full.npz"
    checkpoint.save_checkpoint(full, newer.trainer)
    data = full.read_bytes()
    (tmp_path / ".ck.npz.abc123.tmp").write_bytes(data[: len(data) // 2])
    fresh = Session(TrainSettings(test_every=10**9), seed=7)
    assert checkpoint.resume(fresh, path)
    np.testing.assert_array_equal(fresh.model.params["W1"], old.model.params["W1"])
    assert fresh.trainer.stats.samples_seen == 5 * 32


def test_corrupt_or_missing_checkpoint_falls_back_to_a_clean_start(tmp_path, caplog):
    ses = Session(TrainSettings(test_every=10**9), seed=4)
    w1 = ses.model.params["W1"].copy()
    bad = tmp_path / "ck.npz"
    good = trained_session(iters=3)
    checkpoint.save_checkpoint(bad, good.trainer)
    data = bad.read_bytes()
    bad.write_bytes(data[: len(data) // 3])                      # truncated on disk
    with caplog.at_level("WARNING", logger="neuronlab"):
        assert not checkpoint.resume(ses, bad)
        assert not checkpoint.resume(ses, tmp_path / "missing.npz")
    np.testing.assert_array_equal(ses.model.params["W1"], w1)   # untouched
    assert ses.trainer.stats.samples_seen == 0
    assert sum("starting fresh" in r.getMessage() for r in caplog.records) == 2


def test_a_failing_save_is_counted_not_raised(tmp_path):
    ses = trained_session(iters=1)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    cp = checkpoint.Checkpointer(blocker / "ck.npz", every_s=5.0)  # parent is a file
    assert cp.update(5.0, ses.trainer) is False
    assert cp.failures == 1 and cp.saves == 0
