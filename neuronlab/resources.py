"""Where the bundled files are: the shaders and fonts of ``neuronlab.assets``.

They sit in the repository's top-level ``assets/`` folder and are installed inside the
package (pyproject.toml maps the folder to ``neuronlab.assets``), so they are found through
``importlib.resources`` from an editable install, a wheel or pipx alike.
"""
from __future__ import annotations

import atexit
import contextlib
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

_unpacked = contextlib.ExitStack()
atexit.register(_unpacked.close)


def _root() -> Traversable:
    try:
        return resources.files("neuronlab.assets")
    except ModuleNotFoundError:
        # a source checkout run without installing it (python main.py, bench/*.py)
        checkout = Path(__file__).resolve().parents[1] / "assets"
        if not checkout.is_dir():
            raise
        return checkout


def asset(relative: str) -> Traversable:
    """The bundled file ``relative`` (for example ``"shaders/hud.glsl"``)."""
    ref = _root()
    for part in relative.split("/"):
        ref = ref / part
    return ref


def asset_path(relative: str) -> Path:
    """A file-system path to the bundled file, for libraries that open files by name
    (pygame's fonts); an install that is not a plain folder is unpacked once."""
    ref = asset(relative)
    if isinstance(ref, Path):
        return ref
    return _unpacked.enter_context(resources.as_file(ref))


def shader_names() -> list[str]:
    """Every bundled shader program, by name."""
    return sorted(f.name[:-len(".glsl")] for f in asset("shaders").iterdir()
                  if f.name.endswith(".glsl"))
