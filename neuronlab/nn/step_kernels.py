"""The compiled training step for a process that starts without numba (the exhibit's).

Owns ``warm`` (the step's compiled code made for the trainer's own argument types, or
loaded from numba's cache), ``matches_numpy`` (a few steps compiled against the same steps
in numpy) and ``StepKernelLoader``, which does both on a thread of its own once the frames
are running and then hands the module to the trainer (``Trainer.step_kernels``).

numba's import and its cache load hold the interpreter for ~0.35 s: before the first
frame they would push the launch towards its 1 s limit, so the exhibit trains with the
numpy step until they are done, a slice a frame. The feeder process warms the step before
its first batch (``feeder._serve``), so the cache is on disk when the loader starts and
this process only loads it. Imports numpy and ``train`` (numba when a load is asked for).
"""
from __future__ import annotations

import gc
import logging
import sys
import threading
import time

import numpy as np

from neuronlab.nn import pad
from neuronlab.nn.mlp import MLP
from neuronlab.nn.train import Trainer, TrainSettings

log = logging.getLogger("neuronlab.train")

CHECK_STEPS = 3
CHECK_TOL = 1e-4     # the two steps differ by float rounding only (reassociated sums)
# The load is Python (imports, unpickling) and holds the interpreter: beside the frames
# on its own it took half of it from them (frames of 20-57 ms), and sleeping between its
# own slices still cost every frame a forced switch for ~15 s. So it runs only when the
# frame hands it a slice (``run_slice``) and waits, asleep, the rest of the time.
SLICE_S = 0.0015
SLICE_WAIT_S = 0.1   # the longest a frame waits for a slice to end (one long call)
# The longest the thread waits for its next slice. It may pause inside an import or
# numba's compiler lock: were the main thread to need the same lock (or the frames to stop
# coming), a pause without end would hang it; this bounds that wait instead.
PAUSE_MAX_S = 0.05
# While the load runs, no full collection: the load makes some 100k objects and one full
# collection among them took 18-20 ms in one go; the young generations still collect.
LOAD_GEN2_THRESHOLD = 10**6


class _FixedRows:
    """A source of the same random rows every call: the check's own data."""

    def __init__(self, seed: int = 0):
        rng = np.random.default_rng(seed)
        self._X = rng.random((TrainSettings().prefetch, 256), dtype=np.float32)
        self._y = rng.integers(0, 10, len(self._X))

    def batch(self, n: int):
        return self._X[:n], self._y[:n]


def _trained(kernels, steps: int) -> MLP:
    model = MLP(seed=7)
    trainer = Trainer(model, _FixedRows(), TrainSettings(lr_warmup_samples=0))
    trainer.step_kernels = kernels
    trainer.run(steps)
    return model


def warm(kernels) -> None:
    """Run the compiled step as the trainer calls it, so its code is made (or loaded)."""
    _trained(kernels, 1)


def matches_numpy(kernels, steps: int = CHECK_STEPS) -> bool:
    """Whether ``steps`` compiled steps leave the weights numpy's steps leave, to rounding."""
    a, b = _trained(kernels, steps), _trained(None, steps)
    return all(np.allclose(a.params[n], b.params[n], rtol=CHECK_TOL, atol=CHECK_TOL) for n in a.params)


class StepKernelLoader:
    """Loads and checks the compiled step on a daemon thread that runs only inside the
    slices the frames hand it: ``start()`` once, then ``run_slice()`` once a frame until
    ``done``; ``module`` is then the kernels module if they agree with numpy (None before,
    and for good where numba is missing, broken or disagrees: the numpy step goes on)."""

    def __init__(self, load=None, clock=time.perf_counter):
        self._load = load or pad._load_kernels
        self._clock = clock
        self.module = None
        self.done = threading.Event()
        self.slices = 0                     # slices handed to the thread so far
        self._grant = threading.Event()     # set by the frame: run one slice
        self._yielded = threading.Event()   # set by the thread: the slice is over
        self._slice_s = SLICE_S
        self._began = 0.0                   # when the thread's current slice began
        self._free = False                  # released: run to the end without pausing
        self._thread: threading.Thread | None = None

    @property
    def started(self) -> bool:
        return self._thread is not None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="step-kernels", daemon=True)
            self._thread.start()

    def run_slice(self, seconds: float = SLICE_S) -> None:
        """Let the thread run for about ``seconds`` while this one waits (at most
        ``SLICE_WAIT_S``); nothing once it is done."""
        if self._thread is None or self.done.is_set():
            return
        self._slice_s = seconds
        self.slices += 1
        self._yielded.clear()               # a pause that timed out left it set
        self._grant.set()
        self._yielded.wait(SLICE_WAIT_S)

    def release(self) -> None:
        """No more slices will come (the exhibit closes): the thread finishes unpaused."""
        self._free = True
        self._grant.set()

    def _pause(self) -> None:
        self._yielded.set()
        self._grant.wait(PAUSE_MAX_S)
        self._grant.clear()

    def _trace(self, frame, event, arg):
        """The thread's trace function (``sys.settrace``, this thread only, on each Python
        call): it pauses the thread once its slice is spent."""
        if not self._free and self._clock() - self._began >= self._slice_s:
            self._pause()
            self._began = self._clock()
        return None                         # no line events: calls only

    def _run(self) -> None:
        self._grant.wait(PAUSE_MAX_S)
        self._grant.clear()
        self._began = self._clock()
        thresholds = gc.get_threshold()
        gc.set_threshold(thresholds[0], thresholds[1], max(thresholds[2], LOAD_GEN2_THRESHOLD))
        sys.settrace(self._trace)
        try:
            k = self._load()
            if k is None:
                log.info("numba is not available: training goes on with the numpy step")
            elif matches_numpy(k):
                # what the load built lives as long as the process: out of the collector's
                # sight, as start-up's is (App), so no full collection walks it
                gc.freeze()
                self.module = k
            else:
                log.warning("the compiled training step disagrees with numpy's: not used")
        except Exception:
            log.exception("the compiled training step failed to load: the numpy step goes on")
        finally:
            sys.settrace(None)
            gc.set_threshold(*thresholds)
            self.done.set()
            self._yielded.set()
