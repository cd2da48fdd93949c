"""The compiled training step loaded beside the frames: checked against numpy's before it
is used, refused when it disagrees or fails, handed to the exhibit's trainer once loaded,
and loaded only in the slices the frames hand it."""
import gc
import logging
import subprocess
import sys
import threading
import time
import types

import numpy as np
import pytest

from neuronlab.nn import pad, step_kernels
from neuronlab.nn.mlp import MLP
from neuronlab.nn.step_kernels import StepKernelLoader
from neuronlab.nn.train import Trainer, TrainSettings

kernels = pytest.importorskip("neuronlab.nn.kernels")


class _Rows:
    def __init__(self, seed):
        rng = np.random.default_rng(seed)
        self.X = rng.random((1024, 256), dtype=np.float32)
        self.y = rng.integers(0, 10, 1024)

    def batch(self, n):
        return self.X[:n], self.y[:n]


def test_a_trainer_handed_the_compiled_step_learns_what_numpy_learns(monkeypatch):
    monkeypatch.setattr(pad, "JIT", False)
    models = []
    for k in (None, kernels):
        m = MLP(seed=3)
        t = Trainer(m, _Rows(5), TrainSettings())
        t.step_kernels = k
        t.run(20)
        models.append(m)
    for name in models[0].params:
        a, b = models[0].params[name], models[1].params[name]
        assert np.allclose(a, b, rtol=1e-4, atol=1e-5), name
    assert not np.allclose(models[0].params["W1"], MLP(seed=3).params["W1"])   # it did learn


def _skewed(k):
    """The kernels with a step whose gradients are a tenth too large."""
    def train_step(*args):
        loss = k.train_step(*args)
        for g in args[10:16]:
            g *= 1.1
        return loss
    return types.SimpleNamespace(train_step=train_step, momentum_step=k.momentum_step)


def test_the_check_passes_the_real_step_and_refuses_a_wrong_one():
    assert step_kernels.matches_numpy(kernels)
    assert not step_kernels.matches_numpy(_skewed(kernels))


@pytest.mark.parametrize("case", ["real", "wrong", "missing", "raises"])
def test_the_loader_hands_over_only_a_step_that_agrees(case, caplog):
    def load():
        if case == "raises":
            raise OSError("cache unreadable")
        return {"real": kernels, "wrong": _skewed(kernels), "missing": None}[case]

    loader = StepKernelLoader(load)
    assert not loader.started and loader.module is None
    with caplog.at_level(logging.INFO, logger="neuronlab.train"):
        loader.start()
        end = time.monotonic() + 60
        while not loader.done.is_set() and time.monotonic() < end:
            loader.run_slice()
        assert loader.done.is_set()
    assert (loader.module is kernels) == (case == "real")
    if case != "real":
        assert loader.module is None and caplog.records     # said why, once
        assert len(caplog.records) == 1


@pytest.mark.parametrize("raises", [False, True])
def test_no_full_collection_is_due_while_the_load_runs(raises):
    # GIVEN the collector's thresholds as they are, and a load that looks at them
    before = gc.get_threshold()
    during = []

    def load():
        during.append(gc.get_threshold())
        if raises:
            raise OSError("cache unreadable")
        return kernels

    loader = StepKernelLoader(load)
    loader.start()
    while not loader.done.is_set():
        loader.run_slice(10.0)
    # THEN during it the oldest generation waited (the young ones collected as ever)
    assert during[0][:2] == before[:2] and during[0][2] >= step_kernels.LOAD_GEN2_THRESHOLD
    # AND afterwards, whatever the load did, the thresholds are back
    assert gc.get_threshold() == before


def _work(calls, n):
    """A load of ``n`` Python calls, each one tick of the fake clock."""
    def tick():
        calls[0] += 1
    for _ in range(n):
        tick()
    return kernels


def test_the_load_runs_only_inside_the_slices_it_is_handed(monkeypatch):
    monkeypatch.setattr(step_kernels, "PAUSE_MAX_S", 30.0)
    calls = [0]
    loader = StepKernelLoader(lambda: _work(calls, 5000), clock=lambda: float(calls[0]))
    loader.start()
    time.sleep(0.05)
    assert calls[0] == 0                    # started, not yet handed a slice
    seen = []
    while not loader.done.is_set() and loader.slices < 10:
        loader.run_slice(1000.0)            # 1,000 ticks of the fake clock a slice
        seen.append(calls[0])
        time.sleep(0.02)
        assert calls[0] == seen[-1]         # paused between slices
    assert seen[:4] == [1000, 2000, 3000, 4000]   # each slice ends once it is spent
    while not loader.done.is_set():         # the check against numpy runs in slices too
        loader.run_slice(10 ** 9)
    assert loader.module is kernels and calls[0] == 5000
    slices = loader.slices
    loader.run_slice()                      # done: nothing more to hand
    assert loader.slices == slices


@pytest.mark.parametrize("how", ["left", "released"])
def test_a_load_no_frame_hands_slices_to_still_ends(how, monkeypatch):
    """Paused inside an import or numba's compiler lock, a thread waiting for ever could
    hang whoever needs that lock next: left alone it goes on after each bounded pause,
    and released (the exhibit closing) it runs to the end unpaused."""
    if how == "released":
        monkeypatch.setattr(step_kernels, "PAUSE_MAX_S", 30.0)
    calls = [0]
    loader = StepKernelLoader(lambda: _work(calls, 5000), clock=lambda: float(calls[0]))
    loader._slice_s = 1000.0
    loader.start()
    if how == "released":
        loader.release()
    assert loader.done.wait(60)
    assert calls[0] == 5000 and loader.module is kernels and loader.slices == 0


def test_the_exhibit_trains_with_the_compiled_step_once_its_feeder_serves():
    from neuronlab.app import App

    app = App((320, 180), present=False, run_gradcheck=False, iters_per_frame=4, feeder=True)
    try:
        trainer = app.session.trainer
        assert trainer.step_kernels is None and not app.step_loader.started
        end = time.monotonic() + 180
        while trainer.step_kernels is None and time.monotonic() < end:
            app.frame(1 / 60, events=[])
        assert app.session.generator.served > 0 and app.step_loader.started
        assert trainer.step_kernels is kernels
        seen = trainer.stats.samples_seen
        for _ in range(5):
            app.frame(1 / 60, events=[])
        assert trainer.stats.samples_seen > seen and trainer.weights_finite()
    finally:
        app.close()


def test_an_exhibit_without_a_feeder_keeps_the_numpy_step():
    from neuronlab.app import App

    app = App((320, 180), present=False, run_gradcheck=False, iters_per_frame=4, feeder=False)
    try:
        for _ in range(3):
            app.frame(1 / 60, events=[])
        assert app.step_loader is None and app.session.trainer.step_kernels is None
        assert app.session.trainer.stats.samples_seen > 0
    finally:
        app.close()


def test_loading_the_compiled_step_leaves_scipy_linalg_unimported(tmp_path):
    # numba's BLAS probe would import scipy.linalg (0.3 s beside the frames): the kernels
    # load without it, agree with numpy, and scipy.linalg still imports afterwards
    pytest.importorskip("scipy.linalg")
    script = (
        "import sys\n"
        "from neuronlab.nn import pad, step_kernels\n"
        "k = pad._load_kernels()\n"
        "ok = step_kernels.matches_numpy(k)\n"
        "before = 'scipy.linalg' in sys.modules\n"
        "import scipy.linalg\n"
        "print(ok, before, scipy.linalg.norm([3.0, 4.0]))\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=300, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "False", "5.0"]


def test_the_scipy_linalg_finder_answers_only_its_own_thread():
    finder = kernels._ScipyAbsentHere()
    with pytest.raises(ModuleNotFoundError):
        finder.find_spec("scipy.linalg.cython_blas")
    assert finder.find_spec("scipy") is None and finder.find_spec("scipy.linalgx") is None
    answers = []
    other = threading.Thread(target=lambda: answers.append(finder.find_spec("scipy.linalg")))
    other.start()
    other.join()
    assert answers == [None]
