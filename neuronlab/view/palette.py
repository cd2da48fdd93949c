"""The exhibit's colours, in one frozen record the kiosk config can override by name.

Every colour is an (r, g, b) tuple of floats in 0..1 (linear enough for a dark stage;
the shaders use them as given). ``Palette.with_overrides`` takes a mapping of field
name -> colour (a tuple/list of three numbers in 0..1 or a "#rrggbb" string) and
fails with a message naming the bad field.
"""
from __future__ import annotations

from dataclasses import dataclass, fields, replace

RGB = tuple[float, float, float]


@dataclass(frozen=True)
class Palette:
    background: RGB = (0.016, 0.020, 0.045)   # deep blue-black stage
    background_glow: RGB = (0.045, 0.055, 0.11)  # centre of the vignette behind the graph
    excite: RGB = (1.00, 0.56, 0.16)          # warm: a_i*w_ij > 0, pushes the target up
    inhibit: RGB = (0.20, 0.62, 1.00)         # cool: a_i*w_ij < 0, pulls the target down
    forward: RGB = (1.00, 0.96, 0.80)         # the forward sweep: warm white light, not the cool (holds back) hue
    gradient: RGB = (1.00, 0.25, 0.62)        # backward error gradient
    pulse: RGB = (1.00, 0.45, 0.85)           # gradient pulses travelling back
    ball_base: RGB = (0.16, 0.18, 0.26)       # a silent neuron
    ball_hot: RGB = (1.00, 0.90, 0.62)        # a neuron firing at the top of its scale
    input_off: RGB = (0.10, 0.11, 0.16)       # an input pixel at 0
    input_on: RGB = (0.92, 0.96, 1.00)        # an input pixel at 1
    text: RGB = (0.86, 0.89, 0.96)
    accent: RGB = (0.35, 1.00, 0.55)          # the network's answer (argmax output)

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    def with_overrides(self, overrides: dict) -> "Palette":
        """A copy with the named colours replaced; unknown names or bad values raise ValueError."""
        known = set(self.field_names())
        clean = {}
        for name, value in overrides.items():
            if name not in known:
                raise ValueError(f"palette has no colour {name!r}; known: {', '.join(sorted(known))}")
            clean[name] = parse_colour(value, name)
        return replace(self, **clean)


def parse_colour(value, name: str = "colour") -> RGB:
    """'#rrggbb' or three numbers in 0..1 -> (r, g, b) floats."""
    if isinstance(value, str):
        text = value.strip().lstrip("#")
        if len(text) != 6:
            raise ValueError(f"{name}: expected '#rrggbb', got {value!r}")
        try:
            return tuple(int(text[k:k + 2], 16) / 255.0 for k in (0, 2, 4))  # type: ignore[return-value]
        except ValueError:
            raise ValueError(f"{name}: expected '#rrggbb', got {value!r}") from None
    try:
        rgb = tuple(float(v) for v in value)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected three numbers in 0..1, got {value!r}") from None
    if len(rgb) != 3 or not all(0.0 <= v <= 1.0 for v in rgb):
        raise ValueError(f"{name}: expected three numbers in 0..1, got {value!r}")
    return rgb  # type: ignore[return-value]
