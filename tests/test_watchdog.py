"""The systemd notifier sends READY and rate-limited WATCHDOG datagrams, and is silent
without a NOTIFY_SOCKET."""
import socket

from neuronlab.watchdog import Notifier


def test_notifier_is_off_without_a_socket():
    n = Notifier(env={})
    assert not n.enabled
    assert n.ready() is False and n.beat(0.0) is False


def test_ready_then_heartbeats_at_most_every_interval(tmp_path):
    path = str(tmp_path / "notify")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(path)
    server.settimeout(1.0)
    n = Notifier(env={"NOTIFY_SOCKET": path}, every_s=5.0)
    try:
        assert n.ready()
        assert server.recv(64) == b"READY=1"
        sent = [n.beat(t) for t in (0.0, 1.0, 4.9, 5.0, 7.0, 10.5)]
        assert sent == [True, False, False, True, False, True]
        assert [server.recv(64) for _ in range(3)] == [b"WATCHDOG=1"] * 3
    finally:
        n.close()
        server.close()
