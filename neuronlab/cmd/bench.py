"""``neuronlab bench``: prints how fast the learning core runs. Figures only, no verdicts.

- training samples/s at batch 1, 32 and 128, data generation included (the exhibit's
  real loop) -- the generator's pool of reused samples drawn first, as its first batch
  does, timed on its own line -- and the network step alone on pre-generated batches;
- generator samples/s, every sample drawn new, at batch 1, 32 and 128, and new digits
  as the pool draws them, in blocks of its chunk (``bench/gen_speed.py`` breaks this down
  by stage);
- one image: forward pass, plus what the Inspector needs (the (256, 16) contributions
  a_i * w_ij into every first-layer neuron), plus the pad path of a drawing;
- with ``--torch``: the same network and optimiser in PyTorch on CPU at batch 32 and the
  ratio. PyTorch is only imported here, and only when asked; it is not a dependency.

The training and generator figures come twice, once a path: the compiled draw path and
training step (``pad.JIT`` on, numba), which headless ``neuronlab train`` runs and the
feeder process draws the exhibit's training digits with, then numpy's (``pad.JIT`` off),
which the exhibit's own process trains with until its compiled step has loaded, and
draws with where it has no feeder. Where numba does not import, only numpy's is printed.
The one-image figures are the exhibit's own process's, numpy's either way.
"""
from __future__ import annotations

import itertools
import time

import numpy as np

from neuronlab.nn import digits, pad, stream
from neuronlab.nn.mlp import MLP
from neuronlab.nn.train import Trainer, TrainSettings


class _Cycle:
    """Pre-generated batches served in turn: the network step without data generation."""

    def __init__(self, X: np.ndarray, y: np.ndarray, batch: int):
        self.X, self.y, self.B, self.i = X, y, batch, 0

    def batch(self, n: int):
        s = slice(self.i * n, (self.i + 1) * n)
        self.i = (self.i + 1) % (len(self.y) // n)
        return self.X[s], self.y[s]


def _rate(fn, per_call: int, seconds: float) -> float:
    """Samples per second of ``fn`` (each call handles ``per_call`` samples)."""
    fn()                                    # warm-up: buffers, caches
    calls, t0 = 0, time.perf_counter()
    while True:
        fn()
        calls += 1
        dt = time.perf_counter() - t0
        if dt >= seconds:
            return calls * per_call / dt


def _per_call_us(fn, seconds: float) -> float:
    """Median of 7 timed runs, in microseconds per call."""
    fn()
    n = 1
    while True:                              # calibrate the batch of calls to ~seconds / 7
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        if time.perf_counter() - t0 >= seconds / 7 or n >= 1 << 20:
            break
        n *= 2
    runs = []
    for _ in range(7):
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        runs.append((time.perf_counter() - t0) / n)
    return float(np.median(runs)) * 1e6


def _training(batch: int, seconds: float, gen: stream.DigitGenerator | None) -> float:
    """Training samples/s at ``batch``: drawing from ``gen`` (the exhibit's loop), or,
    with None, cycling pre-generated batches (the network step alone)."""
    if gen is None:
        X, y = stream.DigitGenerator(1, prefill=False).batch(max(4096, 8 * batch))
        source = _Cycle(X, y, batch)
    else:
        source = gen
    tr = Trainer(MLP(seed=0), source, TrainSettings(batch=batch, test_every=10**12))
    k = max(1, 256 // batch)
    return _rate(lambda: tr.run(k), k * batch, seconds)


# The data pool the steady-state figures are measured with: the exhibit's (a test shrinks it).
POOL = stream.POOL_SIZE


def _prefilled() -> tuple[float, stream.DigitGenerator]:
    """A new generator's pool drawn whole, as its first batch does: (new digits/s, the
    generator, now full)."""
    gen = stream.DigitGenerator(1, pool=POOL)
    t0 = time.perf_counter()
    gen.prefill()
    return int(gen._count.sum()) / (time.perf_counter() - t0), gen


class _Prefetch:
    """Batches cut from ``chunk``-sample draws, as the Trainer asks its source."""

    def __init__(self, gen: stream.DigitGenerator, chunk: int = TrainSettings.prefetch):
        self.gen, self.chunk = gen, chunk
        self.X, self.y, self.at = None, None, chunk

    def batch(self, n: int):
        if self.at + n > self.chunk:
            self.X, self.y = self.gen.batch(self.chunk)
            self.at = 0
        s = slice(self.at, self.at + n)
        self.at += n
        return self.X[s], self.y[s]


def _torch_rate(batch: int, seconds: float, gen: stream.DigitGenerator | None) -> float:
    import torch

    # one thread is PyTorch's best case here: at this size a second thread only adds
    # hand-off cost (and competes with numpy's BLAS threads on a small machine)
    torch.set_num_threads(1)
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(256, 16), torch.nn.ReLU(),
                              torch.nn.Linear(16, 12), torch.nn.ReLU(),
                              torch.nn.Linear(12, 10))
    opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
    loss_fn = torch.nn.CrossEntropyLoss()
    X, y = stream.DigitGenerator(1, prefill=False).batch(max(4096, 8 * batch))
    cyc = _Cycle(torch.from_numpy(X), torch.from_numpy(y), batch)
    feed = _Prefetch(gen) if gen is not None else None

    def step():
        if feed is not None:
            xb, yb = feed.batch(batch)
            xb, yb = torch.from_numpy(xb), torch.from_numpy(yb)
        else:
            xb, yb = cyc.batch(batch)
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(net(xb), yb)
        loss.backward()
        opt.step()
        return loss.item()              # the trainer reads every loss too (divergence guard)

    return _rate(step, batch, seconds)


# Each path's label: which part of the program runs it.
PATHS = {True: "compiled (numba): headless training; the feeder process's drawing",
         False: "numpy: the exhibit's own process before its compiled step loads, "
                "or drawing where it has no feeder"}


def _path_figures(seconds: float) -> dict:
    """Training and generator samples/s on the path ``pad.JIT`` selects now, printed;
    returns the ones the PyTorch ratios use, and the generator with its pool full."""
    fill_rate, full = _prefilled()
    print(f"the data pool drawn whole before the first batch: {POOL:,} digits in "
          f"{POOL / fill_rate:.2f} s ({fill_rate:,.0f} digits/s)")
    print(f"training, data generation included (the pool drawn first, untimed; "
          f"{stream.POOL_FRESH:.3g} of each batch new):")
    out = {"full": full}
    for B in (1, 32, 128):
        r = _training(B, seconds, full)
        out["ours32"] = r if B == 32 else out.get("ours32")
        print(f"  batch {B:4d}: {r:>12,.0f} samples/s")
    print("training, network step only (pre-generated batches):")
    for B in (1, 32, 128):
        r = _training(B, seconds, None)
        out["step32"] = r if B == 32 else out.get("step32")
        print(f"  batch {B:4d}: {r:>12,.0f} samples/s")
    gen = stream.DigitGenerator(2, pool=0)
    for B in (1, 32, 128):
        r = _rate(lambda: gen.batch(B), B, seconds)
        below = " (under the compiled path's smallest batch: numpy's)" if pad.JIT and B < pad.JIT_MIN else ""
        print(f"generator, batch {B:4d}: {r:>12,.0f} samples/s (every sample drawn new, "
              f"through pad.to_network){below}")
    # new digits as the pool draws them: blocks of the stream's chunk, one block a call
    blocks = itertools.count()
    r = _rate(lambda: digits.draw_block(full.entropy, next(blocks), full.chunk), full.chunk, seconds)
    print(f"generator, blocks of {full.chunk}: {r:>10,.0f} samples/s (new digits as the pool draws "
          f"them, through pad.to_network)")
    r = _rate(lambda: full.batch(TrainSettings.prefetch), TrainSettings.prefetch, seconds)
    print(f"generator, batch {TrainSettings.prefetch:4d}: {r:>12,.0f} samples/s (steady state: pool full, "
          f"{stream.POOL_FRESH:.3g} drawn new)")
    return out


def run(args) -> int:
    seconds = 0.3 if args.quick else 2.0
    print(f"Neuron Lab bench ({'quick' if args.quick else 'full'}; {seconds:g} s per figure)")
    # the generator reuses a pool of samples (MNIST's way), drawn whole before its first
    # batch; then a small share of every batch is new. Both are measured.
    keep = pad.JIT
    paths = {}
    try:
        for jit in (True, False):
            pad.JIT = jit
            if jit and pad.kernels() is None:
                print("compiled path: numba does not import here; numpy's path only")
                continue
            print(f"== {PATHS[jit]}")
            paths[jit] = _path_figures(seconds)
    finally:
        pad.JIT = keep
    print("== one image, the exhibit's own process")

    model = MLP(seed=0)
    x = stream.DigitGenerator(3, prefill=False).batch(1)[0][0]
    image = digits.clean_digit(4)
    W1 = model.params["W1"]

    def forward_and_inspector():
        fw = model.forward(x)
        return fw, fw.x[:, None] * W1          # (256, 1) * (256, 16) -> (256, 16) contributions

    def stroke():
        x_net = pad.to_network(image)          # (16, 16) -> (256,)
        fw = model.forward(x_net)
        return fw, fw.x[:, None] * W1

    print(f"one image: forward pass                     {_per_call_us(lambda: model.forward(x), seconds):8.1f} us")
    print(f"one image: forward + Inspector contributions {_per_call_us(forward_and_inspector, seconds):7.1f} us (target < 50 us)")
    print(f"one paint stroke: pad.to_network + both     {_per_call_us(stroke, seconds):8.1f} us")

    if args.torch:
        try:
            import torch
        except ImportError:
            print("torch: not installed (pip install torch to compare; it is not a dependency)")
            return 0
        t_net = _torch_rate(32, seconds, None)
        print(f"PyTorch {torch.__version__} CPU ({torch.get_num_threads()} threads), batch 32:")
        print(f"  network step only:          {t_net:>12,.0f} samples/s")
        keep = pad.JIT
        for jit, f in paths.items():
            pad.JIT = jit                   # PyTorch's batches drawn on the same path as ours
            try:
                t_gen = _torch_rate(32, seconds, f["full"])
            finally:
                pad.JIT = keep
            name = "compiled" if jit else "numpy"
            print(f"  with the same generator on the {name} path (steady state, "
                  f"{TrainSettings.prefetch} samples a draw): {t_gen:>12,.0f} samples/s")
            print(f"ratios on the {name} path:")
            print(f"  ours with data generation (steady) / PyTorch step only:   {f['ours32'] / t_net:5.2f}x")
            print(f"  ours / PyTorch, both with data generation:       {f['ours32'] / t_gen:5.2f}x")
            print(f"  network step only, ours / PyTorch:               {f['step32'] / t_net:5.2f}x")
    return 0
