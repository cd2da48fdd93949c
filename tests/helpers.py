"""Helpers the exhibit tests share: synthetic fingers, frames, and commands applied."""
import math

import pygame

from neuronlab import commands as cmd


def finger(kind, x, y, fid=1, size=(1280, 720)):
    """An SDL finger event at window pixel (x, y)."""
    et = {"down": pygame.FINGERDOWN, "move": pygame.FINGERMOTION, "up": pygame.FINGERUP}[kind]
    return pygame.event.Event(et, touch_id=1, finger_id=fid, x=x / size[0], y=y / size[1], dx=0.0, dy=0.0)


def frames(app, n, events=(), dt=1 / 60):
    """``n`` frames of ``dt``; ``events`` go to the first."""
    app.frame(dt, events=list(events))
    for _ in range(n - 1):
        app.frame(dt, events=[])


def wait(app, seconds, dt=1 / 20):
    """Let at least ``seconds`` of exhibit time pass in frames of ``dt``, for a test that needs
    the state after a while rather than each frame: the logic runs in fixed steps of its own
    whatever the frame's length, so fewer, longer frames reach the same state for less."""
    frames(app, max(1, math.ceil(seconds / dt - 1e-9)), dt=dt)


def feeder_ready(app, rows=1024, seconds=120.0):
    """Wait (in real time) until the exhibit's feeder process, if it has one, holds
    ``rows`` training rows ready: before that its frames train nothing. True once ready."""
    import time

    available = getattr(app.session.generator, "available", None)
    end = time.monotonic() + seconds
    while available is not None and available() < rows:
        if time.monotonic() > end:
            return False
        time.sleep(0.02)
    return True


def command(app, *commands):
    """Apply commands the way every caller does, and run the frame that carries them out."""
    for c in commands:
        app.apply(c)
    app.frame(1 / 60, events=[])


def switch(app, name):
    command(app, cmd.SwitchScene(name))


def reset(app, speed=4, lang="en"):
    """A clean exhibit for the next test: graph scene, training at ``speed``, nothing
    selected or lit, camera home, signal wires, no kiosk controller, the loop running."""
    app.kiosk = None
    app.running = True
    command(app, cmd.ResetVisitor(language=lang, speed=speed), cmd.SetWiresMode("signal"))


def app_fixtures(size=(1280, 720), trained=False, **kw):
    """``(shared_app, app)`` fixtures: one headless App per module (a window and its GL
    context are costly) and, per test, that App reset to a clean exhibit. With
    ``trained`` the network is a copy of the session's trained model."""
    import pytest

    from neuronlab.app import App

    @pytest.fixture(scope="module")
    def shared_app(request):
        model = request.getfixturevalue("trained_model").copy() if trained else None
        a = App(size, present=False, model=model, **kw)
        yield a
        a.close()

    @pytest.fixture
    def app(shared_app):
        reset(shared_app)
        yield shared_app
        shared_app.kiosk = None

    return shared_app, app
