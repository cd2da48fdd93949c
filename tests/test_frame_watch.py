"""The frame-rate watch: slow frames after start-up are named in the log once, with a
display mode that would fit; fast frames, start-up and single hitches are not."""
import logging
from types import SimpleNamespace

import pytest

from neuronlab import runloop
from neuronlab.frame_watch import FrameWatch, expected_fps, smaller_mode

LLVMPIPE = "llvmpipe (LLVM 15.0.7, 256 bits)"


def _run(watch, durations, start=100.0):
    """Feed frame durations in turn; every message the watch returned."""
    now, said = start, []
    for dt in durations:
        now += dt
        msg = watch.feed(now, dt)
        if msg:
            said.append(msg)
    return said


def test_slow_frames_after_start_up_are_named_once_with_a_smaller_mode():
    watch = FrameWatch((1920, 1080), LLVMPIPE, warmup_s=30, window=600)
    said = _run(watch, [1 / 60] * 1800 + [1 / 40] * 2000)
    assert len(said) == 1
    line = said[0]
    assert "25.0 ms (40 fps, smooth is 60)" in line and "1920x1080" in line and "llvmpipe" in line
    assert "fullscreen_size = [1280, 720]" in line and "about 58 fps here" in line
    assert "smooth needs a GPU" in line      # 58 is short of 60


def test_smooth_frames_and_a_slow_start_say_nothing():
    assert _run(FrameWatch((1920, 1080), LLVMPIPE), [1 / 60] * 5000) == []
    # 20 s of slow start-up (the pool filling), then smooth
    assert _run(FrameWatch((1920, 1080), LLVMPIPE, warmup_s=30),
                [1 / 20] * 400 + [1 / 60] * 3000) == []


def test_hitches_among_smooth_frames_are_not_a_slow_host():
    frames = ([1 / 60] * 9 + [0.1]) * 500          # every tenth frame 100 ms
    assert _run(FrameWatch((1920, 1080), LLVMPIPE, warmup_s=0), frames) == []


def test_a_portrait_screen_gets_the_mode_turned_and_a_gpu_no_mode():
    said = _run(FrameWatch((1080, 1920), LLVMPIPE, warmup_s=0, window=100), [1 / 45] * 200)
    assert len(said) == 1 and "fullscreen_size = [720, 1280]" in said[0]
    said = _run(FrameWatch((1920, 1080), "NVIDIA GeForce GTX 1050/PCIe/SSE2", warmup_s=0,
                           window=100), [1 / 30] * 200)
    assert len(said) == 1 and "fullscreen_size" not in said[0] and "driver" in said[0]


def test_a_display_slower_than_sixty_hertz_sets_what_smooth_is():
    # a 50 Hz display paces healthy frames at 20 ms: not slow; at 30 ms it is
    assert _run(FrameWatch((1920, 1080), LLVMPIPE, refresh_hz=50, warmup_s=0, window=100),
                [1 / 50] * 300) == []
    said = _run(FrameWatch((1920, 1080), LLVMPIPE, refresh_hz=50, warmup_s=0, window=100),
                [0.030] * 300)
    assert len(said) == 1 and "smooth is 50" in said[0]
    # a 144 Hz one still asks only for 60
    assert _run(FrameWatch((1920, 1080), LLVMPIPE, refresh_hz=144, warmup_s=0, window=100),
                [1 / 60] * 300) == []


def test_the_expected_rate_follows_the_slow_hosts_measurement():
    # that host ran 1280x720 1.45 times as fast as 1920x1080
    assert expected_fps(38.5, (1920, 1080), (1280, 720)) == pytest.approx(38.5 * 1.45, rel=0.01)
    assert expected_fps(40, (1920, 1080), (1920, 1080)) == pytest.approx(40)


@pytest.mark.parametrize("size,fps,mode", [((1920, 1080), 50, (1600, 900)),
                                           ((1920, 1080), 40, (1280, 720)),
                                           ((3840, 2160), 34, (1600, 900)),
                                           ((3840, 2160), 45, (2560, 1440)),
                                           ((1280, 720), 20, None)])
def test_the_mode_suggested_is_the_largest_expected_to_reach_sixty(size, fps, mode):
    found = smaller_mode(size, fps)
    if mode is None:
        assert found is None
        return
    got, expected = found
    assert got == mode and expected == pytest.approx(expected_fps(fps, size, mode))
    larger = [m for m in ((3840, 2160), (2560, 1440), (1920, 1080), (1600, 900), (1280, 720))
              if mode[0] * mode[1] < m[0] * m[1] < size[0] * size[1]]
    assert all(expected_fps(fps, size, m) < 60 for m in larger)
    assert expected >= 60 or mode == (1280, 720)


def test_a_host_too_slow_for_any_mode_is_told_a_gpu_is_the_remedy():
    said = _run(FrameWatch((1920, 1080), LLVMPIPE, warmup_s=0, window=100), [1 / 20] * 200)
    assert len(said) == 1 and "[1280, 720]" in said[0] and "about 29 fps here" in said[0]
    assert "smooth needs a GPU" in said[0]
    said = _run(FrameWatch((1280, 720), LLVMPIPE, warmup_s=0, window=100), [1 / 20] * 200)
    assert len(said) == 1 and "fullscreen_size" not in said[0] and "a GPU would" in said[0]


def test_the_running_loop_logs_a_slow_host_once(monkeypatch, caplog):
    clock = {"t": 0.0}

    def perf_counter():
        clock["t"] += 1 / 40                    # every frame 25 ms
        return clock["t"]

    class SlowApp:
        running, frames, kiosk = True, 0, None
        ctx = SimpleNamespace(info={"GL_RENDERER": LLVMPIPE})
        drawable_size = (1920, 1080)

        def frame(self, dt):
            self.frames += 1
            self.running = self.frames < 3000       # 75 s of frames

    monkeypatch.setattr(runloop.time, "perf_counter", perf_counter)
    monkeypatch.setattr(runloop.gc, "freeze", lambda: None)
    with caplog.at_level(logging.WARNING, logger="neuronlab"):
        assert runloop.run(SlowApp()) == 0
    slow = [r.getMessage() for r in caplog.records if "frames are slow" in r.getMessage()]
    assert len(slow) == 1 and "40 fps" in slow[0] and "[1280, 720]" in slow[0]
    assert "smooth is 60" in slow[0]          # no display rate known: 60
