"""The heap trimmer runs once per interval of exhibit time, and for real on glibc."""
from neuronlab.memory import Trimmer


def test_trims_once_per_interval_with_fake_time():
    calls = []
    t = Trimmer(every_s=60.0, trim=lambda: calls.append(1))
    done = [t.update(now) for now in (0.0, 30.0, 59.9, 60.0, 61.0, 119.9, 120.1, 500.0)]
    assert done == [False, False, False, True, False, False, True, True]
    assert len(calls) == t.count == 3


def test_the_real_trim_can_be_called():
    t = Trimmer(every_s=1.0)
    if t.trim is None:  # not glibc: nothing to call, and nothing breaks
        assert t.update(10.0) is False
    else:
        assert t.update(10.0) is True and t.count == 1


# ---------------------------------------------------------------------- allocator settings
import ctypes  # noqa: E402

import pytest  # noqa: E402

from neuronlab import memory  # noqa: E402

GLIBC = memory.mallinfo() is not None


class _FakeMallopt:
    """Records mallopt calls; accepts every parameter but the arena count."""

    def __init__(self):
        self.calls = []

    def __call__(self, param, value):
        self.calls.append((param, value))
        return 0 if param == memory.M_ARENA_MAX else 1


class _FakeLibc:
    def __init__(self):
        self.mallopt = _FakeMallopt()


def test_tune_malloc_passes_each_setting_to_mallopt_and_reports_what_was_refused():
    lib = _FakeLibc()
    done = memory.tune_malloc(arena_max=2, mmap_threshold=256 * 1024, trim_threshold=2**20, lib=lib)
    assert lib.mallopt.calls == [(-8, 2), (-3, 256 * 1024), (-1, 2**20)]
    assert done == {"arena_max": False, "mmap_threshold": True, "trim_threshold": True}


def test_the_drawing_processes_fix_both_thresholds_above_a_blocks_temporaries():
    from neuronlab.nn import allocator
    lib = _FakeLibc()
    assert allocator.tune_for_drawing(lib=lib) == {"mmap_threshold": True, "trim_threshold": True}
    assert lib.mallopt.calls == [(-3, 4 * 2**20), (-1, 8 * 2**20)]
    assert allocator.tune_for_drawing(lib=object()) == {}


def test_tune_malloc_does_nothing_without_glibc():
    assert memory.tune_malloc(lib=object()) == {}
    assert memory.mallinfo(lib=object()) is None and memory.malloc_heaps(lib=object()) is None


_MMAP_PROBE = """
import ctypes, sys
from neuronlab import memory
if sys.argv[1] == "tuned":
    assert all(memory.tune_malloc().values())
libc = ctypes.CDLL(None)
libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
libc.free(libc.malloc(8 * 2**20))      # by default this raises the threshold past 2 MB
before = memory.mallinfo()
p = libc.malloc(2 * 2**20)
during = memory.mallinfo()
libc.free(p)
after = memory.mallinfo()
print(during["mmap"] - before["mmap"], after["mmap"] - before["mmap"])
"""


@pytest.mark.skipif(not GLIBC, reason="glibc only")
def test_blocks_over_the_fixed_mmap_threshold_are_mapped_and_given_back_when_freed():
    # GIVEN a fresh process (a used heap may hold a free piece that fits) WHEN a 2 MB block
    # follows the free of an 8 MB one THEN with the exhibit's settings malloc maps it on its
    # own and unmaps it when freed; glibc's dynamic threshold puts it in the heap instead
    import subprocess
    import sys

    def probe(mode):
        out = subprocess.run([sys.executable, "-c", _MMAP_PROBE, mode], capture_output=True,
                             text=True, check=True).stdout
        return [float(v) for v in out.split()]

    mapped, left = probe("tuned")
    assert mapped >= 2.0 and abs(left) < 0.1
    assert probe("default")[0] < 0.1


_FAULT_PROBE = """
import resource, sys
from neuronlab import memory
from neuronlab.nn import allocator, digits, pad, stream
pad.JIT = False
{"drawing": allocator.tune_for_drawing, "exhibit": memory.tune_malloc}[sys.argv[1]]()
for j in range(3):
    digits.draw_block(7, j, stream.FRESH_CHUNK)
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for j in range(3, 13):
    digits.draw_block(7, j, stream.FRESH_CHUNK)
print((resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / 10)
"""


@pytest.mark.skipif(not GLIBC, reason="glibc only")
def test_the_drawing_settings_keep_a_block_of_new_digits_from_faulting_its_pages_in_again():
    # GIVEN a fresh process drawing blocks of training digits as the feeder does WHEN the
    # drawing's allocator settings are on THEN a block after the first few faults almost
    # no page in; under the exhibit's settings its temporaries are mapped anew each block
    import subprocess
    import sys

    def faults_per_block(tune):
        out = subprocess.run([sys.executable, "-c", _FAULT_PROBE, tune], capture_output=True,
                             text=True, check=True).stdout
        return float(out)

    assert faults_per_block("drawing") < 20
    assert faults_per_block("exhibit") > 200


@pytest.mark.skipif(not GLIBC, reason="glibc only")
def test_mallinfo_counts_small_blocks_in_use_then_free():
    libc = ctypes.CDLL(None)
    libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    before = memory.mallinfo()
    ptrs = [libc.malloc(1024) for _ in range(4096)]        # 4 MB in 1 KB pieces, in the heap
    during = memory.mallinfo()
    for p in ptrs:
        libc.free(p)
    after = memory.mallinfo()
    assert during["in_use"] - before["in_use"] >= 4.0
    assert during["in_use"] - after["in_use"] >= 4.0
    assert memory.malloc_heaps()[0] >= during["in_use"] - during["mmap"] - 1.0   # main arena


# ---------------------------------------------------------------------- where memory goes
SMAPS = """\
55d1c0000000-55d1c2000000 rw-p 00000000 00:00 0                          [heap]
Size:              32768 kB
Rss:               20480 kB
Private_Dirty:     20000 kB
7f0000000000-7f0000400000 rw-p 00000000 00:00 0 
Rss:                3072 kB
Private_Dirty:      3072 kB
7f0000400000-7f0000410000 rwxp 00000000 00:00 0 
Rss:                  64 kB
7f1000000000-7f1000100000 r-xp 00000000 08:01 123 /usr/lib/x86_64-linux-gnu/libLLVM-15.so.1
Rss:                1024 kB
Private_Dirty:         0 kB
7f1000100000-7f1000110000 rw-p 00100000 08:01 123 /usr/lib/x86_64-linux-gnu/libLLVM-15.so.1
Rss:                  64 kB
Private_Dirty:        64 kB
7f2000000000-7f2000001000 r--p 00000000 08:01 9 /x/_multiarray_umath.cpython-311-x86_64-linux-gnu.so
Rss:                   4 kB
"""


def test_smaps_split_groups_mappings_by_heap_anonymous_size_and_library():
    split = memory.smaps_split(SMAPS)
    assert split["[heap]"] == 20.0
    assert split["anon-large"] == 3.0 and split["anon-small"] == 0.0625 and split["#anon"] == 2
    assert split["libLLVM-15"] == 1.0625                 # both of its mappings
    assert split["_multiarray_umath"] == 4 / 1024
    dirty = memory.smaps_split(SMAPS, field="Private_Dirty")
    assert dirty["[heap]"] == 20000 / 1024 and dirty["libLLVM-15"] == 0.0625


def test_smaps_split_of_this_process_adds_up_to_its_resident_size():
    split = memory.smaps_split()
    if not split:
        pytest.skip("no /proc")
    total = sum(v for k, v in split.items() if k != "#anon")
    assert abs(total - memory.rss_mb()) < 0.05 * memory.rss_mb() + 2.0


def test_sampler_gives_a_line_per_interval_with_changes_since_the_first():
    s = memory.MemorySampler(every_s=60.0)
    snaps = iter([{"rss": 100.0, "split": {"[heap]": 10.0, "anon-large": 5.0}, "malloc": {},
                   "arenas": [10.0]},
                  {"rss": 103.5, "split": {"[heap]": 12.0, "anon-large": 5.0, "libX": 1.5},
                   "malloc": {}, "arenas": [12.0, 0.1]}])
    s.snapshot = lambda: next(snaps)
    first = s.update(0.0)
    assert s.update(30.0) is None
    second = s.update(60.0)
    assert "rss 100.0(+0.0)" in first
    assert "rss 103.5(+3.5)" in second and "[heap] 12.0(+2.0)" in second and "libX 1.5(+1.5)" in second
    assert "arenas MB 12.0 0.1" in second and s.samples == 2


def test_trimmer_applies_the_allocator_settings_once_when_made():
    calls = []
    t = Trimmer(trim=lambda: None, tune=lambda: calls.append(1) or {"mmap_threshold": True})
    t.update(120.0)
    assert calls == [1] and t.settings == {"mmap_threshold": True}
    assert Trimmer(trim=lambda: None, tune=None).settings == {}


@pytest.mark.skipif(not GLIBC, reason="glibc only")
def test_the_exhibits_trimmer_tunes_the_real_allocator():
    assert Trimmer().settings == {"mmap_threshold": True, "trim_threshold": True}


_KEPT: list = []


def _grow_a_python_list(n: int) -> None:
    blocks = [None] * n                              # the list's own buffer: another line
    for i in range(n):
        blocks[i] = bytes(1024)                      # n blocks of ~1 KiB, exactly n allocations
    _KEPT.append(blocks)                             # kept alive


def test_python_growth_names_the_line_that_grew_since_the_first_snapshot():
    import tracemalloc

    was_tracing = tracemalloc.is_tracing()
    g = memory.PyGrowth(every_s=60.0, frames=4, top=3)
    assert g.update(1000.0) is None                  # nothing before start
    g.start(0.0)
    try:
        _grow_a_python_list(2000)
        assert g.update(59.0) is None                # not yet due
        lines = g.update(60.0)
        head, top = lines[0], lines[1]
        traced = float(head.split("traced ")[1].split("(")[1].split(")")[0])
        assert traced >= 2000 * 1024 / memory.MB    # the ~2 MB kept shows in the total
        grew_kib = float(top.split()[1])
        assert 2000 <= grew_kib < 2600 and "count +2000" in top
        assert "test_memory.py" in lines[2]          # the allocation site comes first
        assert g.update(90.0) is None and g.update(120.0) is not None
    finally:
        _KEPT.clear()
        g.stop()
    assert tracemalloc.is_tracing() == was_tracing
