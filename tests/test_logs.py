"""Logging: the file rotates at its size cap, an unwritable path falls back to stderr, and
the rate limiter lets a per-frame failure through once per interval."""
from __future__ import annotations

import io
import logging

import pytest

from neuronlab.logs import LOGGER_NAME, log_limited, once_per, setup_logging


@pytest.fixture
def clean_logger():
    yield
    logger = logging.getLogger(LOGGER_NAME)
    for h in list(logger.handlers):
        logger.removeHandler(h)
        h.close()


def test_file_rotates_past_max_bytes_and_keeps_the_backup_count(tmp_path, clean_logger):
    path = tmp_path / "sub" / "dir" / "neuronlab.log"  # folders are created
    log = setup_logging(path, max_bytes=2000, backups=2, level="info")
    child = logging.getLogger(LOGGER_NAME + ".scenes.draw")  # module loggers inherit
    for i in range(200):
        child.info("frame %04d %s", i, "x" * 40)
    assert path.exists()
    assert (tmp_path / "sub" / "dir" / "neuronlab.log.1").exists()
    assert (tmp_path / "sub" / "dir" / "neuronlab.log.2").exists()
    assert not (tmp_path / "sub" / "dir" / "neuronlab.log.3").exists()
    assert path.stat().st_size <= 2000
    assert "frame 0199" in path.read_text(encoding="utf-8")
    assert log.name == LOGGER_NAME


def test_level_filters(tmp_path, clean_logger):
    path = tmp_path / "n.log"
    log = setup_logging(path, level="warning")
    log.info("quiet")
    log.warning("loud")
    text = path.read_text(encoding="utf-8")
    assert "loud" in text and "quiet" not in text


def test_unwritable_path_falls_back_to_stream_with_one_warning(tmp_path, clean_logger):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    stream = io.StringIO()
    log = setup_logging(blocker / "n.log", stream=stream)
    log.error("still here")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    assert "WARNING" in lines[0] and "not writable" in lines[0] and str(blocker) in lines[0]
    assert lines[1].endswith("still here")


def test_setting_up_twice_does_not_double_lines(tmp_path, clean_logger):
    path = tmp_path / "n.log"
    setup_logging(path)
    log = setup_logging(path)
    log.info("once")
    assert path.read_text(encoding="utf-8").count("once") == 1


def test_once_per_allows_once_per_interval_per_key_with_fake_time():
    limit = once_per(10.0)
    allowed = [now for now in [x * 0.5 for x in range(61)] if limit(now, "frame")]  # 0..30 s
    assert allowed == [0.0, 10.0, 20.0, 30.0]
    assert limit.skipped("frame") == 19  # held back between 20 s and 30 s
    assert limit(0.0, "other")  # keys are independent
    assert limit.skipped("other") == 0


def test_once_per_memory_is_capped():
    limit = once_per(1.0)
    for i in range(10_000):
        limit(float(i), f"key{i}")
    assert len(limit._last) == limit.MAX_KEYS


def test_log_limited_reports_the_count_it_held_back(tmp_path, clean_logger):
    path = tmp_path / "n.log"
    log = setup_logging(path)
    limit = once_per(5.0)
    written = sum(log_limited(log, limit, i / 60, logging.ERROR, "frame failed", key="frame")
                  for i in range(60 * 12))  # 12 s at 60 fps
    lines = path.read_text(encoding="utf-8").splitlines()
    assert written == 3 == len(lines)
    assert lines[0].endswith("frame failed")
    assert lines[1].endswith("frame failed (299 more like this since the last report)")
