"""The typed commands that change the exhibit: what a tap, the attract tour or the kiosk
asks for, as small frozen values.

They are queued with ``Exhibit.apply`` and take effect together at one point of the frame
(``Exhibit.flush``, called by ``App.frame`` before the fixed-step update), in the order
they were made. Nothing here acts: ``exhibit.py`` says what each one does.
"""
from __future__ import annotations

from dataclasses import dataclass

from neuronlab.session import Neuron


@dataclass(frozen=True)
class SwitchScene:
    name: str                      # "graph" | "inspector" | "draw" | "probe"


@dataclass(frozen=True)
class SetSpeed:
    iters: int                     # training iterations per frame; 0 pauses


@dataclass(frozen=True)
class Step:
    """Pause, then train exactly one sample."""


@dataclass(frozen=True)
class Reset:
    """Start over: fresh weights, empty history and time machine, every neuron on, learning
    from nothing at the story pace until it meets the current speed."""


@dataclass(frozen=True)
class SetLanguage:
    """Speak ``lang``; None: the language button's tap (the other one of two, or the
    picker opened or closed when more are offered)."""

    lang: str | None = None


@dataclass(frozen=True)
class SetWiresMode:
    mode: str                      # "signal" | "weight" | "gradient"


@dataclass(frozen=True)
class ResetCamera:
    pass


@dataclass(frozen=True)
class FocusNeuron:
    neuron: Neuron


@dataclass(frozen=True)
class OrbitCamera:
    dx: float
    dy: float


@dataclass(frozen=True)
class PanCamera:
    dx: float
    dy: float
    viewport_h: float


@dataclass(frozen=True)
class ZoomCamera:
    factor: float
    about: tuple[float, float, float] | None = None   # a world point that stays put


@dataclass(frozen=True)
class Pick:
    """A tap on the 3D graph hit ``neuron`` (None: empty space); the scene decides."""

    neuron: Neuron | None


@dataclass(frozen=True)
class Select:
    neuron: Neuron | None


@dataclass(frozen=True)
class Highlight:
    wire: tuple[int, int, int] | None   # (layer, source i, target j); None: nothing lit


@dataclass(frozen=True)
class ShowTraining:
    """Put the training sample of the moment back on display."""


@dataclass(frozen=True)
class ShowDrawing:
    """Keep the Draw pad's digit on display (when it has ink), in whatever scene."""


@dataclass(frozen=True)
class Pen:
    """A pen on the Draw pad (a visitor's finger or the tour's): down / move / up at a cell."""

    pid: object
    kind: str                      # "down" | "move" | "up"
    x: float = 0.0
    y: float = 0.0


@dataclass(frozen=True)
class ClearPad:
    pass


@dataclass(frozen=True, eq=False)
class SetPad:
    """Put a whole 16x16 image (0..1) on the Draw pad, as if painted."""

    image: object


@dataclass(frozen=True)
class SceneButton:
    """A button of the active scene's own bar was tapped (its ``action``)."""

    scene: str
    action: object


@dataclass(frozen=True)
class Teach:
    """The visitor says what the drawing on the pad really is: the network learns it, in
    view, over the next second or two (a lesson, ``nn/teach.py``)."""

    label: int                     # 0-9


@dataclass(frozen=True)
class StartDemo:
    """Put the learned network aside (with its history) and learn from scratch."""


@dataclass(frozen=True)
class EndDemo:
    """Bring back the network put aside by ``StartDemo``, if any."""


@dataclass(frozen=True)
class ResetVisitor:
    """A clean exhibit: fingers released, pad cleared, nothing selected or lit, the present
    network with every neuron on, graph scene, training at ``speed`` (None: the current one,
    no story pace), camera home, ``language`` (None: kept)."""

    language: str | None = None
    speed: int | None = None


@dataclass(frozen=True)
class SetCurious:
    """Open (True) or close (False) the "for the curious" layer: the full stats, the speeds,
    the wires' modes and Start over. None: the other way round."""

    open: bool | None = None


@dataclass(frozen=True)
class TimeTravel:
    """Show the network as it was at the time machine's snapshot ``index`` (training waits)."""

    index: int


@dataclass(frozen=True)
class BackToNow:
    """The live network back, bit for bit; training goes on from where it was."""


@dataclass(frozen=True)
class KnockOut:
    """Switch a hidden neuron off, or back on if it is off (other layers: nothing)."""

    neuron: Neuron


@dataclass(frozen=True)
class RestoreUnits:
    """Every neuron switched back on."""


Command = (SwitchScene | SetSpeed | Step | Reset | SetLanguage | SetWiresMode | ResetCamera
           | FocusNeuron | OrbitCamera | PanCamera | ZoomCamera | Pick | Select | Highlight | ShowTraining | ShowDrawing | Pen
           | ClearPad | SetPad | SceneButton | Teach | StartDemo | EndDemo | ResetVisitor
           | SetCurious | TimeTravel | BackToNow | KnockOut | RestoreUnits)
