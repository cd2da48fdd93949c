"""Helpers the exhibit tests share: synthetic fingers, frames, and commands applied."""
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


def command(app, *commands):
    """Apply commands the way every caller does, and run the frame that carries them out."""
    for c in commands:
        app.apply(c)
    app.frame(1 / 60, events=[])


def switch(app, name):
    command(app, cmd.SwitchScene(name))
