"""The direction of dependencies, read from each module's imports with ``ast``: the lower
floors (nn, view, math3d, input, render, ui) never reach up, and only the app wires every
scene together."""
import ast
import sys
from pathlib import Path

import neuronlab

ROOT = Path(neuronlab.__file__).parent
STDLIB = set(sys.stdlib_module_names) | {"__future__"}
SCENES = {"neuronlab.scenes.graph", "neuronlab.scenes.inspector", "neuronlab.scenes.draw",
          "neuronlab.scenes.probe"}


def modules():
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT.parent).with_suffix("")
        name = ".".join(rel.parts).removesuffix(".__init__")
        yield name, path


def imports_of(name: str, path: Path) -> set[str]:
    """Every module ``name`` imports (relative imports resolved), at any depth of the file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parent = ".".join(parts[:len(parts) - node.level + 1])
                base = f"{parent}.{base}" if base else parent
            out.add(base)
            out.update(f"{base}.{a.name}" for a in node.names)   # "from pkg import module"
    return out


def third_party(imps: set[str]) -> set[str]:
    return {i.split(".")[0] for i in imps if i.split(".")[0] not in STDLIB and i.split(".")[0] != "neuronlab"}


def ours(imps: set[str]) -> set[str]:
    return {i for i in imps if i == "neuronlab" or i.startswith("neuronlab.")}


ALL = {name: imports_of(name, path) for name, path in modules()}


def in_package(name: str, pkg: str) -> bool:
    return name == f"neuronlab.{pkg}" or name.startswith(f"neuronlab.{pkg}.")


def test_the_module_list_is_read():
    assert {"neuronlab.app", "neuronlab.exhibit", "neuronlab.nn.mlp", "neuronlab.view.graph"} <= set(ALL)
    assert "numpy" in third_party(ALL["neuronlab.nn.mlp"])


def test_nn_imports_numpy_only():
    for name, imps in ALL.items():
        if in_package(name, "nn"):
            assert third_party(imps) <= {"numpy"}, (name, third_party(imps))
            assert all(in_package(i, "nn") for i in ours(imps)), (name, ours(imps))


def test_view_and_math3d_import_numpy_and_pyrr_only():
    for name, imps in ALL.items():
        if in_package(name, "view") or in_package(name, "math3d"):
            assert third_party(imps) <= {"numpy", "pyrr"}, (name, third_party(imps))
            assert all(in_package(i, "view") or in_package(i, "math3d") for i in ours(imps)), (name, ours(imps))


def test_render_ui_and_input_never_import_scenes_or_the_app():
    upper = ("scenes", "app", "exhibit", "kiosk", "bootstrap", "runloop", "router", "controls",
             "graph_renderer", "common_panels", "commands")
    for name, imps in ALL.items():
        if any(in_package(name, p) for p in ("render", "ui", "input")):
            bad = {i for i in ours(imps) if any(in_package(i, u) for u in upper)}
            assert not bad, (name, bad)


def test_only_the_app_knows_every_scene():
    for name, imps in ALL.items():
        known = {s for s in SCENES if s in imps}
        if len(known) > 1:
            assert name == "neuronlab.app", (name, known)
    assert SCENES <= ALL["neuronlab.app"]
