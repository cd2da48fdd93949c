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


def test_nn_imports_numpy_only_and_numba_in_its_kernels_alone():
    # the compiled kernels are the one place numba may appear; every other nn module keeps
    # to numpy, so the numpy path stands on its own where numba is missing
    assert "numba" in third_party(ALL["neuronlab.nn.kernels"])
    for name, imps in ALL.items():
        if in_package(name, "nn"):
            allowed = {"numpy", "numba"} if name == "neuronlab.nn.kernels" else {"numpy"}
            assert third_party(imps) <= allowed, (name, third_party(imps))
            assert all(in_package(i, "nn") for i in ours(imps)), (name, ours(imps))
            if name != "neuronlab.nn.pad":
                assert "neuronlab.nn.kernels" not in imps, name   # loaded lazily, through pad.kernels


def test_numba_is_loaded_only_with_jit_on_and_a_batch_that_needs_it():
    # its import costs ~0.4 s: the exhibit (JIT off) and a paint stroke never pay it
    import subprocess
    code = ("import sys, numpy as np; from neuronlab.nn import digits, pad, stream; big = np.ones((pad.JIT_MIN, 16, 16)); "
            "pad.to_network(big); digits.test_set(200); print('numba' in sys.modules); pad.JIT = True; "
            "pad.to_network(big[0]); stream.DigitGenerator(0, prefill=False).batch(8); print('numba' in sys.modules); "
            "pad.to_network(big); print('numba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False", "True"]
