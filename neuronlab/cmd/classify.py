"""``neuronlab classify --load W.npz IMAGES.npy``: one predicted digit per pad image.

The images, (N, 16, 16) pad images (one (16, 16) image is accepted too), take exactly
the exhibit's path: ``pad.to_network`` then the network. A bad weights or images file
prints one line naming it and exits 1.
"""
from __future__ import annotations

import os
import sys

import numpy as np

from neuronlab.nn import pad
from neuronlab.nn.store import WeightsError, load_weights


class ImagesError(ValueError):
    pass


def load_images(path: str) -> np.ndarray:
    """(N, 16, 16) float32 pad images from a .npy file, or ImagesError (one line)."""
    def fail(reason: str):
        return ImagesError(f"images file {path}: {reason}")

    if not os.path.isfile(path):
        raise fail("not found" if not os.path.exists(path) else "is not a file")
    try:
        a = np.load(path, allow_pickle=False)
    except (ValueError, OSError, EOFError) as e:
        raise fail("is not a readable .npy array (" + " ".join(str(e).split()) + ")") from None
    if not isinstance(a, np.ndarray):
        a.close()
        raise fail("holds several arrays (an .npz), expected one .npy array")
    if a.shape == (16, 16):
        a = a[None]
    if a.ndim != 3 or a.shape[1:] != (16, 16):
        raise fail(f"has shape {a.shape}, expected (N, 16, 16)")
    if not (np.issubdtype(a.dtype, np.floating) or np.issubdtype(a.dtype, np.integer)):
        raise fail(f"has dtype {a.dtype}, expected float32")
    a = a.astype(np.float32)
    if not np.isfinite(a).all():
        raise fail("holds NaN or inf")
    return a


def run(args) -> int:
    try:
        model, _ = load_weights(args.load)
        images = load_images(args.images)
    except (WeightsError, ImagesError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    X = pad.to_network(images)                        # (N, 16, 16) -> (N, 256)
    predictions = model.predict(X) if len(X) else np.zeros(0, int)
    sys.stdout.write("".join(f"{int(d)}\n" for d in predictions))
    return 0
