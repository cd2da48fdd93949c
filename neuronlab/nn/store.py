"""Weights files: save atomically, load with one clear line for every way a file is bad.

Format: an uncompressed ``.npz`` holding W1 (256,16), b1 (16,), W2 (16,12), b2 (12,),
W3 (12,10), b3 (10,) as float32, and ``meta``: a 0-d unicode array holding a JSON
object (samples seen, accuracy, settings... plus ``"format": 1``). Nothing is pickled;
files are read with ``allow_pickle=False``.

Loading accepts any floating dtype (float16/32/64) and converts to float32 — a file
written by another tool in float64 is still a good set of weights — but refuses
integer, bool, complex or object arrays. A file without ``meta`` loads with ``{}``.

Saving survives a power cut at any moment: the file is written to a temp file in the
same folder, fsynced, then ``os.replace``d over the target, and the folder is fsynced
where the platform allows, so the path holds either the old file or the new one.
Imports numpy and the standard library only.
"""
from __future__ import annotations

import json
import os
import tempfile
import zipfile

import numpy as np

from neuronlab.nn.mlp import MLP, PARAM_NAMES, PARAM_SHAPES

FORMAT = 1


class WeightsError(ValueError):
    """A weights file that cannot be used. ``str()`` is one line naming the file."""

    def __init__(self, path, reason: str):
        self.path = os.fspath(path)
        self.reason = " ".join(str(reason).split())      # one line, whatever the cause said
        super().__init__(f"weights file {self.path}: {self.reason}")


def save_weights(path, model: MLP, meta: dict | None = None) -> None:
    """Write ``model``'s parameters (as float32) and ``meta`` to ``path`` atomically.
    ``meta`` must be JSON-serialisable."""
    meta = dict(meta or {})
    meta.setdefault("format", FORMAT)
    arrays = {k: np.ascontiguousarray(model.params[k], dtype=np.float32) for k in PARAM_NAMES}
    arrays["meta"] = np.array(json.dumps(meta, sort_keys=True, default=_plain))
    save_npz_atomically(path, arrays)


def save_npz_atomically(path, arrays: dict) -> None:
    """An uncompressed ``.npz`` of ``arrays`` at ``path``: a temp file in the same folder,
    fsynced, ``os.replace``d over it, the folder fsynced (the old file or the new, never
    half of one)."""
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp",
                               dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_dir(folder)


def _plain(o):
    """numpy scalars and arrays in meta become plain JSON numbers and lists."""
    if isinstance(o, (np.generic, np.ndarray)):
        return o.tolist()
    raise TypeError(f"meta value {o!r} is not JSON-serialisable")


def _fsync_dir(folder: str) -> None:
    """Make the rename itself durable (POSIX); harmless where directories can't be opened."""
    try:
        dfd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)


def load_weights(path) -> tuple[MLP, dict]:
    """Read a weights file into a fresh float32 MLP. Raises WeightsError (one line naming
    the file) if it is missing, empty, not a valid .npz, lacks an array, or holds an
    array of the wrong shape or dtype, or NaN/inf."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise WeightsError(path, "not found")
    if os.path.isdir(path):
        raise WeightsError(path, "is a folder, not a file")
    try:
        if os.path.getsize(path) == 0:
            raise WeightsError(path, "is empty (0 bytes)")
        if not zipfile.is_zipfile(path):
            raise WeightsError(path, "is not an .npz archive (truncated or another kind of file)")
        with np.load(path, allow_pickle=False) as npz:
            params = {k: _read_param(path, npz, k) for k in PARAM_NAMES}
            meta = _read_meta(path, npz)
    except WeightsError:
        raise
    except (zipfile.BadZipFile, EOFError) as e:
        raise WeightsError(path, f"is damaged (truncated or corrupt archive: {e})") from None
    except (OSError, ValueError, KeyError) as e:
        raise WeightsError(path, f"cannot be read: {e}") from None
    return MLP(params), meta


def _read_param(path: str, npz, name: str) -> np.ndarray:
    if name not in npz.files:
        raise WeightsError(path, f"has no {name} array")
    try:
        a = npz[name]
    except ValueError as e:          # e.g. a pickled object array: never unpickled
        raise WeightsError(path, f"{name} cannot be read: {e}") from None
    expected = PARAM_SHAPES[name]
    if a.shape != expected:
        raise WeightsError(path, f"{name} has shape {a.shape}, expected {expected}")
    if not np.issubdtype(a.dtype, np.floating):
        raise WeightsError(path, f"{name} has dtype {a.dtype}, expected float32")
    a = a.astype(np.float32)
    bad = int(np.count_nonzero(~np.isfinite(a)))
    if bad:
        raise WeightsError(path, f"{name} holds {bad} non-finite value(s) (NaN or inf)")
    return a


def _read_meta(path: str, npz) -> dict:
    if "meta" not in npz.files:
        return {}
    raw = npz["meta"]
    if raw.shape != () or raw.dtype.kind != "U":
        raise WeightsError(path, "meta is not a JSON string")
    try:
        meta = json.loads(str(raw))
    except ValueError:
        raise WeightsError(path, "meta is not valid JSON") from None
    if not isinstance(meta, dict):
        raise WeightsError(path, "meta is not a JSON object")
    return meta
