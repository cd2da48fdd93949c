"""The shaders and fonts are package data: found through importlib.resources, and every
bundled file is one the wheel carries."""
import fnmatch
import re
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from neuronlab.render import graph_pass, programs
from neuronlab.resources import asset, asset_path, shader_names
from neuronlab.ui import text

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def _loaded_shader_names() -> set[str]:
    """Every shader program the code compiles, by the name it passes to load_program."""
    names = set()
    for py in (ROOT / "neuronlab").rglob("*.py"):
        names |= set(re.findall(r"load_program\(\s*[\w.]+\s*,\s*\"(\w+)\"", py.read_text()))
    return names


def test_every_shader_the_code_loads_is_bundled_and_reads_as_glsl():
    loaded = _loaded_shader_names()
    assert {"hud", "graph_neuron", "graph_wire", "graph_line"} <= loaded
    assert loaded <= set(shader_names())
    for name in loaded:
        src = programs.shader_source(name)
        assert "#version 330" in src, name
        assert set(programs.stage_sources(src)) >= {"vertex_shader", "fragment_shader"}


def test_the_fonts_are_found_inside_the_package_not_beside_the_source():
    package = Path(str(resources.files("neuronlab.assets")))
    for path in (text.REGULAR, text.BOLD, graph_pass.FONT_PATH):
        assert path.is_file() and path.stat().st_size > 100_000
        assert package in path.parents
    assert asset("fonts/LICENSE-DejaVu.txt").read_text().startswith("Format:")
    assert text.font(20).size("8")[0] > 5        # pygame opens it


def test_a_missing_shader_says_which_one():
    with pytest.raises(FileNotFoundError, match="no shader 'nope'"):
        programs.shader_source("nope")


def test_the_wheel_carries_every_bundled_file_and_every_package():
    data = PYPROJECT["package-data"]["neuronlab.assets"]
    bundled = [p.relative_to(ROOT / "assets").as_posix() for p in (ROOT / "assets").rglob("*")
               if p.is_file() and "__pycache__" not in p.parts and p.name != "__init__.py"]
    assert len(bundled) >= 9
    missing = [f for f in bundled if not any(fnmatch.fnmatch(f, g) for g in data)]
    assert not missing, f"files in assets/ the wheel would leave out: {missing}"
    # The packages are listed by hand (neuronlab.assets lives outside neuronlab/): a new
    # subpackage must be added to the list or the installed exhibit cannot import it.
    source = {".".join(p.parent.relative_to(ROOT).parts)
              for p in (ROOT / "neuronlab").rglob("__init__.py")}
    assert set(PYPROJECT["packages"]) == source | {"neuronlab.assets"}
    assert PYPROJECT["package-dir"]["neuronlab.assets"] == "assets"
    # and the data files that live inside the packages (the training pool's realism table)
    for pkg in sorted(source):
        folder = ROOT.joinpath(*pkg.split("."))
        files = [p.name for p in folder.iterdir() if p.is_file() and p.suffix not in (".py", ".pyc")]
        globs = PYPROJECT["package-data"].get(pkg, [])
        left = [f for f in files if not any(fnmatch.fnmatch(f, g) for g in globs)]
        assert not left, f"files in {pkg} the wheel would leave out: {left}"
    assert "realism.txt" in PYPROJECT["package-data"]["neuronlab.nn"]


def test_an_uninstalled_checkout_finds_its_top_level_assets(monkeypatch):
    from neuronlab import resources as res

    def not_installed(name):
        raise ModuleNotFoundError(f"No module named {name!r}")

    monkeypatch.setattr(res.resources, "files", not_installed)
    assert res.asset("shaders/hud.glsl") == ROOT / "assets" / "shaders" / "hud.glsl"
    assert res.asset_path("fonts/DejaVuSans.ttf").is_file()
