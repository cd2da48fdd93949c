"""Frame figures of the real exhibit: fps, p99, the worst frame, CPU per frame.

    SDL_VIDEODRIVER=offscreen .venv/bin/python bench/exhibit.py [--runs 3] [--iters 16]
        [--size 1920x1080] [--baseline DIR] [--pool-cache on|off]

Each run is a fresh process (``--child``) that opens the real App with training at K
iterations per frame, calls ``ctx.finish()`` every frame (as a display would wait), and
measures, in order:

* launch: from the process's start to the first rendered frame (imports, window, shaders,
  gradcheck, the first frame), timed by the parent around the whole child;
* the second frame alone: it carries what start-up leaves for later;
* start: the first seconds, the frames from the third on (``--start-frames``, 480: about
  5 s), the Graph scene's home view, whatever the training pool is doing meanwhile (drawn
  whole before its first batch by the feeder, or, in older code, filling batch by batch);
* steady: the home view again once the pool is full (filled outside the timing) and the
  compiled training step has loaded;
* paint: the Draw scene while a finger paints (one FINGERMOTION a frame, each stroke
  re-fires the graph), after the steady frames trained the network;
* bold: a bold digit already painted, still being painted over: every frame re-fires it
  with thousands of wires lit (the most the pass draws is printed);
* after the child, headless training at the same checkout (``main.py train --samples
  1200000 --seed 1``, its last progress line: the pool full, the compiled step), so the
  steady frame's training time per sample is printed against it.

Per phase: fps, p99 and the worst frame (ms), CPU of all threads per frame (llvmpipe's
raster threads included: steadier than fps on a shared machine), minor page faults a
frame (the exhibit's process and the feeder's), and the split of the
frame (train, the training's own thread CPU, view, gl, hud, finish). With ``--baseline DIR`` (another checkout of the
project, e.g. ``git worktree add --detach /tmp/base main``) the same child runs that
code, interleaved run by run, and every figure is printed with its ratio against it;
``--env NAME=VALUE`` sets a variable for this code's runs only (a setting against none).
``--pool-cache on`` (the default) measures a start after the first: the training pool file
the first start leaves is made before the runs and each run's feeder takes it back (code
without one draws its pool as it always does); ``off`` measures the first start after an
install, the pool drawn at start. The load average is printed before and after. Figures only; nothing is asserted.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()
ROOT = HERE.parents[1]
PHASES = ("start", "steady", "paint", "bold")
METRICS = (("fps", "fps", "{:.1f}"), ("p99_ms", "p99 ms", "{:.1f}"), ("max_ms", "worst ms", "{:.1f}"),
           ("cpu_ms", "CPU ms/frame", "{:.1f}"))


# ---------------------------------------------------------------------------- child
def _bind_checkout(root: Path) -> None:
    """Import ``neuronlab`` and its bundled assets from ``root``, whatever is installed."""
    import importlib.util

    sys.path.insert(0, str(root))
    import neuronlab  # noqa: F401  (from root: first on the path)

    if not str(Path(neuronlab.__file__)).startswith(str(root)):
        raise SystemExit(f"neuronlab imported from {neuronlab.__file__}, not {root}")
    # an editable install maps neuronlab.assets to its own checkout: bind this one's
    spec = importlib.util.spec_from_file_location("neuronlab.assets", root / "assets" / "__init__.py",
                                                  submodule_search_locations=[str(root / "assets")])
    mod = importlib.util.module_from_spec(spec)
    sys.modules["neuronlab.assets"] = mod
    spec.loader.exec_module(mod)


def _phase(app, frames: int, events_for=None, until=None) -> dict:
    """Run up to ``frames`` frames (stopping early when ``until()`` is true) and time them."""
    for k in app.timings:
        app.timings[k] = 0.0
    gp = app.renderer.graph_pass
    times, wires = [], 0
    f0, pf0 = _feeder_cpu(app), _feeder_faults(app)
    mf0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    seen0 = app.session.trainer.stats.samples_seen
    c0, t0 = time.process_time(), time.perf_counter()
    for i in range(frames):
        if until is not None and until():
            break
        ev = events_for(i) if events_for else []
        a = time.perf_counter()
        app.frame(1 / 60, events=ev)
        times.append(time.perf_counter() - a)
        wires = max(wires, int(getattr(gp, "n_wires_drawn", 0)))
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    feeder = _feeder_cpu(app) - f0
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - mf0
    feeder_faults = _feeder_faults(app) - pf0
    cpu += feeder
    n = max(1, len(times))
    s = sorted(times)
    return {"frames": len(times), "fps": n / wall, "mean_ms": wall / n * 1e3,
            "p99_ms": s[min(len(s) - 1, int(len(s) * 0.99))] * 1e3 if s else 0.0,
            "max_ms": s[-1] * 1e3 if s else 0.0, "cpu_ms": cpu / n * 1e3, "wires_max": wires,
            "split": {**{k: v / n * 1e3 for k, v in app.timings.items()}, "feeder": feeder / n * 1e3},
            "samples": app.session.trainer.stats.samples_seen,
            "trained_per_frame": (app.session.trainer.stats.samples_seen - seen0) / n,
            "faults_per_frame": faults / n, "feeder_faults_per_frame": feeder_faults / n}


def _feeder_stat(app) -> list[str] | None:
    """The feeder process's /proc stat fields after its name (None without one)."""
    gen = app.session.generator     # a served stream is its process; a generator has a feeder
    feeder = getattr(gen, "feeder", gen)
    if getattr(feeder, "pid", None) is None:
        return None
    try:
        return Path(f"/proc/{feeder.pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _feeder_cpu(app) -> float:
    """CPU seconds the feeder process has used so far (0 without one): part of the frame's
    cost, though another process pays it."""
    fields = _feeder_stat(app)
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK") if fields else 0.0


def _feeder_faults(app) -> int:
    """Minor page faults of the feeder process so far (0 without one): each is a page
    the allocator handed back and took again, zeroed by the kernel."""
    fields = _feeder_stat(app)
    return int(fields[7]) if fields else 0


def _strokes(app, fid: int, path):
    """Events for frame i: a finger down at the path's start, moving along it, up at its end."""
    import pygame

    w, h = app.size

    def ev(kind, x, y):
        et = {"down": pygame.FINGERDOWN, "move": pygame.FINGERMOTION, "up": pygame.FINGERUP}[kind]
        return pygame.event.Event(et, touch_id=1, finger_id=fid, x=x / w, y=y / h, dx=0.0, dy=0.0)

    def events_for(i):
        k = i % (len(path) + 1)
        if k == len(path):
            return [ev("up", *path[-1])]
        return [ev("down" if k == 0 else "move", *path[k])]
    return events_for


def _zigzag(rect, rows: int, steps: int):
    """A finger path that sweeps the pad left-right-left over ``rows`` rows."""
    pts = []
    for r in range(rows):
        y = rect.y + rect.h * (0.12 + 0.76 * r / max(1, rows - 1))
        xs = [rect.x + rect.w * (0.12 + 0.76 * s / (steps - 1)) for s in range(steps)]
        pts += [(x, y) for x in (xs if r % 2 == 0 else xs[::-1])]
    return pts


def child(args) -> None:
    t_start = float(args.t0)
    _bind_checkout(Path(args.child).resolve())
    try:    # as the command line does before the exhibit starts (absent in older checkouts)
        from neuronlab.nn import fpmode
        fpmode.flush_subnormals()
    except ImportError:
        pass
    from neuronlab import commands as cmd
    import inspect

    from neuronlab.app import App

    w, h = (int(v) for v in args.size.split("x"))
    params = inspect.signature(App).parameters
    kw = {"feeder": args.feeder == "on"} if "feeder" in params else {}
    if args.pool_file and "pool_cache" in params:
        kw["pool_cache"] = args.pool_file
    app = App((w, h), present=False, iters_per_frame=args.iters, **kw)
    app.frame(1 / 60, events=[])
    launch = time.time() - t_start
    gen = app.session.generator
    out = {"launch_s": launch}
    # the frame after the first carries what start-up left for later (the pool's first
    # batch, llvmpipe's first draws of each kind): shown on its own line
    a = time.perf_counter()
    app.frame(1 / 60, events=[])
    out["second_frame_ms"] = (time.perf_counter() - a) * 1e3
    out["start"] = _phase(app, args.start_frames)
    available = getattr(gen, "available", None)
    while not getattr(gen, "pool_full", True):   # the steady state: pool full
        if available is None or available() >= 1024:
            gen.batch(1024)
        else:                                    # a served stream's rows still coming
            time.sleep(0.001)
    app.frame(1 / 60, events=[])
    loader = getattr(app, "step_loader", None)    # ...and the compiled step loaded
    for _ in range(2000):
        if loader is None or app.session.trainer.step_kernels is not None or loader.done.is_set():
            break
        app.frame(1 / 60, events=[])
    out["steady"] = _phase(app, args.frames)

    app.apply(cmd.SwitchScene("draw"))
    for _ in range(5):
        app.frame(1 / 60, events=[])
    pad = app.scenes["draw"].pad_rect(app.stage)
    # a digit being written: a light zigzag, one stroke of several rows
    out["paint"] = _phase(app, args.frames, _strokes(app, 1, _zigzag(pad, 3, 20)))
    # bold: the pad swept densely, then painted over again and again
    out["bold"] = _phase(app, args.frames, _strokes(app, 2, _zigzag(pad, 9, 14)))
    app.close()
    print("RESULT " + json.dumps(out))


# ---------------------------------------------------------------------------- parent
def _run_child(root: Path, args, extra_env=None, feeder: str = "on", pool_cache: str = "") -> dict:
    cmdline = [sys.executable, str(HERE), "--child", str(root), "--size", args.size, "--feeder", feeder,
               "--pool-file", pool_cache,
               "--iters", str(args.iters), "--frames", str(args.frames),
               "--start-frames", str(args.start_frames), "--t0", repr(time.time())]
    env = dict(os.environ, SDL_VIDEODRIVER=os.environ.get("SDL_VIDEODRIVER", "offscreen"), **(extra_env or {}))
    p = subprocess.run(cmdline, capture_output=True, text=True, env=env, cwd=str(root))
    for line in p.stdout.splitlines():
        if line.startswith("RESULT "):
            out = json.loads(line[7:])
            out["headless_us"] = _headless_us(root, env)
            return out
    raise SystemExit(f"the run of {root} failed:\n{p.stdout[-2000:]}\n{p.stderr[-4000:]}")


def _pool_file(root: Path, path: Path) -> str:
    """The training pool file a first start of the exhibit at ``root`` leaves (its feeder's
    stream, seed 0), made at ``path``; "" where that code keeps none."""
    code = ("import sys; from neuronlab.nn import pad, pool_cache, stream; pad.JIT = True; "
            "g = stream.DigitGenerator(0); g.prefill(); pool_cache.save(sys.argv[1], g)")
    p = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, cwd=str(root))
    return str(path) if p.returncode == 0 else ""


def _headless_us(root: Path, env: dict) -> float | None:
    """µs a sample of headless training's steady state at ``root``: the last progress line
    of ``main.py train --samples 1200000 --seed 1`` (None where it prints none)."""
    with tempfile.TemporaryDirectory() as tmp:
        run_env = dict(env, HOME=tmp, XDG_STATE_HOME=str(Path(tmp) / "state"))
        p = subprocess.run([sys.executable, str(root / "main.py"), "train", "--samples", "1200000",
                            "--seed", "1", "--save", str(Path(tmp) / "w.npz")],
                           capture_output=True, text=True, env=run_env, cwd=str(root))
    rates = re.findall(r"^samples\s+[\d,]+/[\d,]+\s+([\d,]+) samples/s", p.stdout, re.M)
    return 1e6 / float(rates[-1].replace(",", "")) if rates else None


def _train_us(r: dict, phase: str) -> float:
    """µs a sample of the phase's training, by wall time."""
    per = r[phase].get("trained_per_frame", 0.0)
    return r[phase]["split"].get("train", 0.0) * 1e3 / per if per else 0.0


def _span(vals, fmt) -> str:
    if not vals:
        return "-"
    lo, hi = min(vals), max(vals)
    return fmt.format(lo) if fmt.format(lo) == fmt.format(hi) else f"{fmt.format(lo)}-{fmt.format(hi)}"


def report(results: dict, names: list[str]) -> None:
    this = results[names[0]]
    base = results.get(names[1]) if len(names) > 1 else None
    col = f"{'':<9}{'':<14}" + "".join(f"{n:>22}" for n in names) + ("    ratio (this/base, per run)" if base else "")
    print(col)

    def row(phase, label, get, fmt):
        a = [get(r) for r in this]
        line = f"{phase:<9}{label:<14}{_span(a, fmt):>22}"
        if base:
            b = [get(r) for r in base]
            line += f"{_span(b, fmt):>22}    " + _span([x / y for x, y in zip(a, b) if y], "{:.2f}")
        print(line)

    row("launch", "s", lambda r: r["launch_s"], "{:.2f}")
    row("2nd frame", "ms", lambda r: r.get("second_frame_ms", 0.0), "{:.0f}")
    for ph in PHASES:
        for key, label, fmt in METRICS:
            row(ph, label, lambda r, ph=ph, key=key: r[ph][key], fmt)
        row(ph, "wires (max)", lambda r, ph=ph: r[ph]["wires_max"], "{:.0f}")
        row(ph, "trained/frame", lambda r, ph=ph: r[ph].get("trained_per_frame", 0.0), "{:.0f}")
        row(ph, "faults/frame", lambda r, ph=ph: r[ph].get("faults_per_frame", 0.0), "{:.0f}")
        row(ph, "feeder faults", lambda r, ph=ph: r[ph].get("feeder_faults_per_frame", 0.0), "{:.0f}")
        for part in this[0][ph]["split"]:
            row(ph, f"  {part} ms", lambda r, ph=ph, part=part: r[ph]["split"].get(part, 0.0), "{:.2f}")
    row("steady", "train us/sample", lambda r: _train_us(r, "steady"), "{:.2f}")
    row("headless", "us/sample", lambda r: r.get("headless_us") or 0.0, "{:.2f}")
    row("steady", "train/headless", lambda r: _train_us(r, "steady") / r["headless_us"]
        if r.get("headless_us") else 0.0, "{:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--frames", type=int, default=240, help="frames per phase (steady, paint, bold)")
    ap.add_argument("--start-frames", type=int, default=480, help="frames of the start phase")
    ap.add_argument("--iters", type=int, default=16)
    ap.add_argument("--size", default="1920x1080")
    ap.add_argument("--baseline", default=None, help="another checkout, measured interleaved")
    ap.add_argument("--json", default=None, help="write every run's figures here")
    ap.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                    help="set for this code's runs only (e.g. LP_NUM_THREADS=1 against the "
                         "same checkout as --baseline)")
    ap.add_argument("--feeder", choices=("on", "off"), default="on",
                    help="this code's runs: new digits drawn in the feeder process, as the exhibit "
                         "runs (with code that has one)")
    ap.add_argument("--baseline-feeder", choices=("on", "off"), default="off",
                    help="the same for the baseline's runs")
    ap.add_argument("--pool-cache", choices=("on", "off"), default="on",
                    help="on: a start after the first, its training pool taken back from the file "
                         "the first start saved (made before the runs); off: the pool drawn at start")
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--pool-file", default="", help=argparse.SUPPRESS)
    ap.add_argument("--t0", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args)
        return
    roots = [ROOT] + ([Path(args.baseline).resolve()] if args.baseline else [])
    names = ["this"] + (["baseline"] if args.baseline else [])
    extra = dict(kv.split("=", 1) for kv in args.env)
    results = {n: [] for n in names}
    load0 = os.getloadavg()
    print(f"{os.cpu_count()} CPUs; load average {load0[0]:.2f} {load0[1]:.2f} {load0[2]:.2f}; "
          f"{args.size} at x{args.iters}; {args.runs} runs" + (f"; baseline {roots[1]}" if args.baseline else "")
          + (f"; this with {extra}" if extra else "") + f"; feeder {args.feeder}"
          + (f", baseline's {args.baseline_feeder}" if args.baseline else ""))
    cache_dir = tempfile.TemporaryDirectory()
    caches = {n: _pool_file(root, Path(cache_dir.name) / f"{n}.npz") if args.pool_cache == "on" else ""
              for n, root in zip(names, roots)}
    for r in range(args.runs):
        order = list(zip(names, roots))
        if r % 2:
            order.reverse()   # neither code always runs first
        for name, root in order:
            this = name == "this"
            results[name].append(_run_child(root, args, extra if this else None,
                                            args.feeder if this else args.baseline_feeder, caches[name]))
            print(f"  run {r + 1} {name}: {results[name][-1]['steady']['fps']:.1f} fps steady", flush=True)
    load1 = os.getloadavg()
    print(f"load average after: {load1[0]:.2f} {load1[1]:.2f} {load1[2]:.2f}")
    report(results, names)
    if args.json:
        Path(args.json).write_text(json.dumps({"load": [load0, load1], "runs": results}, indent=1))


if __name__ == "__main__":
    main()
