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
