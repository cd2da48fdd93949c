"""Shader programs, loaded by name from the bundled ``shaders/<name>.glsl``.

One file per program; its stages are sections of the same source, chosen by
``#if defined VERTEX_SHADER`` / ``#elif defined FRAGMENT_SHADER`` (and
``GEOMETRY_SHADER`` if the file has one). The stage's define, and any variant defines the
caller names, are inserted right after the ``#version`` line, which GLSL requires to
come first.
"""
from __future__ import annotations

from pathlib import Path

import moderngl

from neuronlab.resources import asset

STAGES = {"vertex_shader": "VERTEX_SHADER", "fragment_shader": "FRAGMENT_SHADER",
          "geometry_shader": "GEOMETRY_SHADER"}


def shader_source(name: str, shader_dir: Path | None = None) -> str:
    path = shader_dir / f"{name}.glsl" if shader_dir else asset(f"shaders/{name}.glsl")
    if not path.is_file():
        raise FileNotFoundError(f"no shader {name!r} (looked for {path})")
    return path.read_text(encoding="utf-8")


def stage_sources(source: str, defines: tuple[str, ...] = ()) -> dict[str, str]:
    """Keyword arguments for ``ctx.program``: one full source per stage present, each with
    ``defines`` (names, defined as 1) as well as its stage's."""
    lines = source.splitlines()
    at = next((k for k, ln in enumerate(lines) if ln.strip().startswith("#version")), None)
    if at is None:
        raise ValueError("shader source has no #version line")
    out = {}
    for kw, define in STAGES.items():
        if f"defined {define}" not in source:
            continue
        extra = [f"#define {d} 1" for d in (define, *defines)]
        out[kw] = "\n".join(lines[:at + 1] + extra + lines[at + 1:]) + "\n"
    if "vertex_shader" not in out or "fragment_shader" not in out:
        raise ValueError("shader source needs VERTEX_SHADER and FRAGMENT_SHADER sections")
    return out


def load_program(ctx: moderngl.Context, name: str, shader_dir: Path | None = None,
                 defines: tuple[str, ...] = ()) -> moderngl.Program:
    """Compile and link ``<name>.glsl`` (with the variant ``defines``); compile errors
    name the file."""
    try:
        return ctx.program(**stage_sources(shader_source(name, shader_dir), tuple(defines)))
    except moderngl.Error as e:
        raise moderngl.Error(f"shader {name!r}: {e}") from None
