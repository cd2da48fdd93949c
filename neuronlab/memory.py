"""Memory hygiene for weeks of running, and the instruments that show where memory goes.

Owns three things:

* ``tune_malloc``: glibc allocator settings (fixed mmap and trim thresholds), applied
  once at start-up by the app's ``Trimmer`` (see its docstring for the why); the
  processes that draw training digits set others (``nn.allocator``).
* ``Trimmer``: applies them, then hands freed heap pages back to the OS now and then
  (``malloc_trim(0)`` once a minute of exhibit time, a few milliseconds). Panels are
  re-rendered as surfaces of many sizes, and glibc's allocator keeps the freed pieces.
* ``smaps_split`` / ``mallinfo`` / ``malloc_heaps`` / ``MemorySampler``: the resident
  size split by mapping (heap, anonymous, each library's pages) and glibc's own in-use vs
  free bytes, so a soak can tell a leak (in-use grows) from fragmentation (free grows) from
  a cache filling (growth that plateaus).
* ``PyGrowth``: ``tracemalloc`` snapshots every N seconds (time passed in) compared with
  the first, so Python-level growth late in a long run shows with its traceback.

Everything glibc-specific goes through ctypes and does nothing elsewhere. No import-time
side effects; time is passed in.
"""
from __future__ import annotations

import ctypes
import math
import os
import re
import tempfile
import tracemalloc

from neuronlab.nn import allocator
from neuronlab.nn.allocator import M_ARENA_MAX, M_MMAP_THRESHOLD, M_TRIM_THRESHOLD, MB


def _glibc_trim():
    lib = allocator.libc()
    fn = getattr(lib, "malloc_trim", None) if lib is not None else None
    if fn is None:
        return None
    fn.argtypes = [ctypes.c_size_t]
    return lambda: fn(0)


# ---------------------------------------------------------------------- allocator settings
def tune_malloc(arena_max: int | None = None, mmap_threshold: int = 256 * 1024,
                trim_threshold: int = 1 * MB, lib=None) -> dict[str, bool]:
    """Apply glibc allocator settings; returns which ones glibc accepted (empty elsewhere).

    Why each (the thresholds are process-wide and take effect at once; an arena cap only
    affects threads that have not allocated yet):

    * ``M_ARENA_MAX`` (left alone by default): each thread that allocates gets an arena
      of its own; in the soak the renderer's and SDL's threads hold about 0.1 MB each, so
      capping them buys nothing here. It is there for drivers whose threads allocate more.
    * ``M_MMAP_THRESHOLD`` fixed: glibc otherwise raises the threshold to the largest
      block ever freed (up to 32 MB), after which full-size pixel buffers and numpy batches
      come from the heap and leave holes there; fixed, blocks above it that no free piece
      of the heap fits are mapped and unmapped whole, giving their pages back at once.
    * ``M_TRIM_THRESHOLD``: the top of the heap is returned once this much is free there
      (setting it also stops glibc from moving it with the mmap threshold).
    """
    return allocator.mallopt((("arena_max", M_ARENA_MAX, arena_max),
                              ("mmap_threshold", M_MMAP_THRESHOLD, mmap_threshold),
                              ("trim_threshold", M_TRIM_THRESHOLD, trim_threshold)), lib)


class Trimmer:
    """The exhibit's allocator keeper: made once at start-up, it applies ``tune_malloc``'s
    settings (``tune=None`` leaves the allocator alone; ``settings`` records what glibc
    accepted), then ``update(now)`` trims once per ``every_s`` of exhibit time."""

    def __init__(self, every_s: float = 60.0, trim=None, tune=tune_malloc):
        self.every_s = float(every_s)
        self.settings = tune() if tune is not None else {}
        self.trim = trim if trim is not None else _glibc_trim()
        self.next_at = self.every_s
        self.count = 0

    def update(self, now: float) -> bool:
        """Trim if ``every_s`` of exhibit time passed since the last trim."""
        if self.trim is None or now < self.next_at:
            return False
        self.next_at = now + self.every_s
        self.trim()
        self.count += 1
        return True


# ---------------------------------------------------------------------- measuring
class _Mallinfo2(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks",
                 "uordblks", "fordblks", "keepcost")]


def mallinfo(lib=None) -> dict[str, float] | None:
    """glibc's totals over all arenas, in MB: ``heap`` (bytes the arenas hold from the
    OS), ``in_use`` and ``free`` within them, ``mmap`` (blocks mapped on their own).
    None where there is no ``mallinfo2`` (glibc < 2.33 or not glibc)."""
    lib = lib if lib is not None else allocator.libc()
    fn = getattr(lib, "mallinfo2", None) if lib is not None else None
    if fn is None:
        return None
    fn.restype = _Mallinfo2
    fn.argtypes = []
    m = fn()
    return {"heap": m.arena / MB, "in_use": m.uordblks / MB, "free": m.fordblks / MB,
            "mmap": m.hblkhd / MB}


_HEAP_RE = re.compile(r'<heap nr="(\d+)">.*?<system type="current" size="(\d+)"/>', re.S)


def malloc_heaps(lib=None) -> list[float] | None:
    """The size of each glibc arena in MB (from ``malloc_info``): how many threads' arenas
    exist and how big each grew. None where ``malloc_info`` is missing."""
    lib = lib if lib is not None else allocator.libc()
    info = getattr(lib, "malloc_info", None) if lib is not None else None
    fdopen, fclose = getattr(lib, "fdopen", None), getattr(lib, "fclose", None)
    if info is None or fdopen is None or fclose is None:
        return None
    fdopen.restype, fdopen.argtypes = ctypes.c_void_p, [ctypes.c_int, ctypes.c_char_p]
    fclose.argtypes = [ctypes.c_void_p]
    info.argtypes = [ctypes.c_int, ctypes.c_void_p]
    with tempfile.TemporaryFile() as f:
        fp = fdopen(os.dup(f.fileno()), b"w")
        if not fp:
            return None
        info(0, fp)
        fclose(fp)
        f.seek(0)
        xml = f.read().decode("ascii", "replace")
    return [int(size) / MB for _, size in _HEAP_RE.findall(xml)]


def _group(path: str) -> str:
    """A mapping's group: [heap], [stack], anon, or a file's name up to ``.so``."""
    if not path:
        return "anon"
    if path.startswith("["):
        return "anon" if path.startswith("[anon") else path
    base = os.path.basename(path)
    return base.split(".cpython-")[0].split(".so")[0] or base


def smaps_split(text: str | None = None, field: str = "Rss") -> dict[str, float]:
    """Resident MB per mapping group from ``/proc/self/smaps`` (or the given text):
    ``[heap]`` (the main arena), ``anon-large`` (anonymous mappings of 1 MB or more:
    malloc's mapped blocks, the threads' arenas, pixel buffers), ``anon-small`` (JIT
    code, thread stacks, small mappings), ``#anon`` (how many anonymous mappings, a
    count, not MB), and each file (library) by name. ``field`` may be
    ``Private_Dirty`` to count only pages this process wrote. Empty where there is no
    /proc."""
    if text is None:
        try:
            with open("/proc/self/smaps") as f:
                text = f.read()
        except OSError:
            return {}
    out: dict[str, float] = {}
    group = None
    key = field + ":"
    for line in text.splitlines():
        head = line.split(None, 5)
        if len(head) >= 5 and "-" in head[0] and not head[0].endswith(":"):
            group = _group(head[5].strip() if len(head) > 5 else "")
            if group == "anon":
                # Small anonymous mappings are mostly JIT code and thread stacks; large
                # ones are malloc's own mapped blocks and pixel buffers. Their count
                # grows when mappings are made and never unmapped.
                lo, hi = (int(v, 16) for v in head[0].split("-"))
                group = "anon-large" if hi - lo >= MB else "anon-small"
                out["#anon"] = out.get("#anon", 0) + 1
        elif group is not None and head and head[0] == key:
            out[group] = out.get(group, 0.0) + int(head[1]) / 1024.0
    return out


def rss_mb(pid: int | None = None) -> float:
    """The resident size of this process (or of process ``pid``) in MB, from /proc; where
    there is none, this process's peak (or 0 for another process)."""
    try:
        with open(f"/proc/{pid or 'self'}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / MB
    except (OSError, ValueError, IndexError):
        if pid is not None:
            return 0.0
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class MemorySampler:
    """One line of memory figures every ``every_s`` seconds (time passed in), each
    compared with the first sample, so growth shows where it happens."""

    def __init__(self, every_s: float = 60.0, top: int = 6):
        self.every_s = float(every_s)
        self.top = int(top)
        self.next_at = 0.0
        self.first: dict | None = None
        self.samples = 0

    def snapshot(self) -> dict:
        mi = mallinfo() or {}
        heaps = malloc_heaps()
        return {"rss": rss_mb(), "split": smaps_split(), "malloc": mi,
                "arenas": heaps or []}

    def line(self, now: float, snap: dict) -> str:
        if self.first is None:
            self.first = snap
        f = self.first
        d = lambda a, b: f"{a:.1f}({a - b:+.1f})"  # noqa: E731 -- value(change since first)
        parts = [f"t {now:6.0f}s rss {d(snap['rss'], f['rss'])}"]
        mi, fm = snap["malloc"], f["malloc"]
        if mi:
            parts.append("malloc in_use " + d(mi["in_use"], fm["in_use"]) + " free " +
                         d(mi["free"], fm["free"]) + " mmap " + d(mi["mmap"], fm["mmap"]))
        parts.append("arenas MB " + " ".join(f"{a:.1f}" for a in snap["arenas"]))
        split, fsplit = snap["split"], f["split"]
        keys = sorted(split, key=lambda k: -abs(split[k] - fsplit.get(k, 0.0)))
        main = ("[heap]", "anon-large", "anon-small", "#anon")
        keys = list(main) + [k for k in keys if k not in main][: self.top]
        parts.append(" ".join(f"{k} {d(split.get(k, 0.0), fsplit.get(k, 0.0))}" for k in keys))
        self.samples += 1
        return " | ".join(parts)

    def update(self, now: float) -> str | None:
        """A line if ``every_s`` passed since the last one (the first call always gives one)."""
        if now < self.next_at:
            return None
        self.next_at = now + self.every_s
        return self.line(now, self.snapshot())

    def warm(self, now: float) -> None:
        """Told by the soak when its warm-up is over; subclasses start tracing there."""


class PyGrowth:
    """Python-level growth: ``start(now)`` starts ``tracemalloc`` (``frames`` deep) and
    keeps a first snapshot; ``update(now)`` then, every ``every_s``, gives report lines:
    the resident size, malloc's in-use bytes and the traced total, each with its change
    since the first, and the ``top`` tracebacks that grew most since the first snapshot.
    Native growth (in-use rises, the traced total does not) reads apart from a Python
    structure that fills (one traceback's size climbs snapshot after snapshot).
    ``stop()`` ends tracing. Tracing slows Python: for profiles, never the exhibit."""

    def __init__(self, every_s: float = 300.0, frames: int = 8, top: int = 15):
        self.every_s, self.frames, self.top = float(every_s), int(frames), int(top)
        self.first = None
        self.first_rss = self.first_in_use = 0.0
        self.next_at = math.inf
        self.started_here = False

    def _snap(self):
        # The tracer's own bookkeeping is not the exhibit's growth.
        return tracemalloc.take_snapshot().filter_traces(
            (tracemalloc.Filter(False, tracemalloc.__file__),))

    def start(self, now: float) -> None:
        if not tracemalloc.is_tracing():
            tracemalloc.start(self.frames)
            self.started_here = True
        self.first = self._snap()
        self.first_rss = rss_mb()
        self.first_in_use = (mallinfo() or {}).get("in_use", 0.0)
        self.next_at = now + self.every_s

    def update(self, now: float) -> list[str] | None:
        if self.first is None or now < self.next_at:
            return None
        self.next_at = now + self.every_s
        snap = self._snap()
        rss, in_use = rss_mb(), (mallinfo() or {}).get("in_use", 0.0)
        traced = sum(s.size for s in snap.statistics("filename")) / MB
        traced0 = sum(s.size for s in self.first.statistics("filename")) / MB
        lines = [f"t {now:6.0f}s rss {rss:.1f}({rss - self.first_rss:+.1f}) malloc in_use "
                 f"{in_use:.1f}({in_use - self.first_in_use:+.1f}) traced "
                 f"{traced:.2f}({traced - traced0:+.2f}) MB"]
        diff = snap.compare_to(self.first, "traceback")
        for i, st in enumerate(diff[: self.top]):
            lines.append(f"  #{i + 1} {st.size_diff / 1024:+.1f} KiB now {st.size / 1024:.1f} KiB "
                         f"count {st.count_diff:+d} ({st.count})")
            for fr in list(st.traceback)[::-1]:      # the allocation site first
                lines.append(f"      {fr.filename}:{fr.lineno}")
        return lines

    def stop(self) -> None:
        if self.started_here:
            tracemalloc.stop()
            self.started_here = False
