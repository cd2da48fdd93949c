"""The process's float mode: subnormals flushed where the platform allows it."""
import platform
import threading

import numpy as np
import pytest

from neuronlab.nn import fpmode

x86_glibc = (platform.system() == "Linux" and platform.machine() == "x86_64"
             and platform.libc_ver()[0] == "glibc")


@pytest.mark.skipif(not x86_glibc, reason="flushed only on x86-64 glibc")
def test_subnormals_flush_to_zero_here_and_in_threads_started_after():
    assert fpmode.flush_subnormals() is True
    tiny = np.float32(np.finfo(np.float32).tiny)
    with np.errstate(under="ignore"):
        assert tiny * np.float32(0.5) == 0                  # would be a subnormal, 5.9e-39
        assert np.float64(1e-300) * np.float64(1e-10) == 0  # float64's too
        assert tiny * np.float32(2) == 2 * tiny             # normal floats untouched
    seen = []
    t = threading.Thread(target=lambda: seen.append(fpmode.flushed()))
    t.start()
    t.join()
    assert seen == [True]
    # numpy's float facts stay what they are (computed before the flush; compared by
    # their bits, since a comparison would read the subnormal as zero)
    assert np.finfo(np.float32).smallest_subnormal.view(np.uint32) == 1


@pytest.mark.skipif(not x86_glibc, reason="flushed only on x86-64 glibc")
def test_blur_of_a_drawn_batch_holds_no_subnormal():
    from neuronlab.nn import digits
    fpmode.flush_subnormals()
    img = digits.draw_pads(np.random.default_rng(3), np.arange(200) % 10)
    tiny = np.finfo(np.float32).tiny
    assert not ((img != 0) & (np.abs(img) < tiny)).any()
    assert 0 < float(img.max()) <= 1.0
