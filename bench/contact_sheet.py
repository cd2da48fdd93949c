"""Contact sheets: what the network reads, side by side, as PNG files. A looking tool.

Saves upscaled grids of 16x16 network inputs (after ``pad.to_network``) so the
generator's digits can be compared by eye with real handwriting:

    real.png       real digits placed on the pad, one row per digit: scikit-learn's ('varied'
                   layout), or with --real mnist|finger the MNIST dev half placed large or
                   drawn with the pad's brush
    generated.png  the generator's training samples, one row per digit
    mistakes.png   the real digits a network trained on the generator gets wrong,
                   each labelled "true>guess" (and, with --raw, their pad images before
                   normalisation in raw_mistakes.png)
    mean.png       per-digit mean input: real (top row) against generated (bottom row)
    digit_D.png    with --digit D: four rows of real D above four rows of generated D

    .venv/bin/python bench/contact_sheet.py [--out /tmp/sheets] [--per-row 16]
        [--samples 300000] [--seed 0] [--set digits.BLUR_FRACTION=0.3]
        [--real sklearn|mnist|finger]

Needs no display (pygame surfaces only). Prints the paths and a few numbers that the
eye cannot read off a picture: mean ink per image, mean stroke width, bounding box.
"""
from __future__ import annotations

import argparse
import os
from pathlib import Path

import numpy as np

if __package__ in (None, ""):   # run as a script from anywhere: make the repo importable
    import sys
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

from bench.real_handwriting import set_knobs, sgd_train, sklearn_pads  # noqa: E402
from neuronlab.nn import pad, stream  # noqa: E402
from neuronlab.nn.mlp import MLP  # noqa: E402

CELL = 4          # screen pixels per image pixel
GAP = 2


def _grid(images: np.ndarray, cols: int, captions: list[str] | None = None):
    """(N, 16, 16) or (N, 256) images in [0, 1] -> a pygame Surface of a cols-wide grid."""
    import pygame
    images = np.asarray(images, np.float32).reshape(-1, 16, 16)
    n = len(images)
    rows = max(1, -(-n // cols))
    cap_h = 12 if captions else 0
    cw, ch = 16 * CELL + GAP, 16 * CELL + GAP + cap_h
    surf = pygame.Surface((cols * cw + GAP, rows * ch + GAP))
    surf.fill((60, 20, 20))
    font = None
    if captions:
        pygame.font.init()
        font = pygame.font.Font(None, 14)
    for i, im in enumerate(images):
        g = (np.clip(im, 0, 1) * 255).astype(np.uint8)
        big = np.kron(g, np.ones((CELL, CELL), np.uint8))             # (64, 64)
        rgb = np.repeat(big.T[:, :, None], 3, axis=2)                   # surfarray is (x, y)
        tile = pygame.surfarray.make_surface(rgb)
        x, y = GAP + (i % cols) * cw, GAP + (i // cols) * ch
        surf.blit(tile, (x, y + cap_h))
        if font is not None:
            surf.blit(font.render(captions[i], True, (255, 220, 80)), (x, y))
    return surf


def _per_digit(X: np.ndarray, y: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """k random samples of each digit, rows in digit order -> (10 * k, 256)."""
    rows = []
    for d in range(10):
        idx = np.flatnonzero(y == d)
        rows.append(X[rng.choice(idx, size=k, replace=len(idx) < k)])
    return np.concatenate(rows)


def _stats(name: str, X: np.ndarray) -> None:
    im = X.reshape(-1, 16, 16)
    ink = im.sum(axis=(1, 2))
    edge = np.abs(np.diff(im, axis=1)).sum(axis=(1, 2)) + np.abs(np.diff(im, axis=2)).sum(axis=(1, 2))
    width = ink / np.maximum(edge / 2, 1e-6)                            # ink / stroke length
    on = im > 0.3
    h = np.array([np.ptp(np.flatnonzero(o.any(axis=1))) + 1 if o.any() else 0 for o in on])
    w = np.array([np.ptp(np.flatnonzero(o.any(axis=0))) + 1 if o.any() else 0 for o in on])
    full = (im > 0.9).sum(axis=(1, 2)) / np.maximum((im > 0.1).sum(axis=(1, 2)), 1)
    print(f"{name:10s} ink {ink.mean():6.1f}  width {width.mean():4.2f}  bbox h {h.mean():4.1f} "
          f"w {w.mean():4.1f}  full-ink share {full.mean():.2f}")


def main() -> None:
    import pygame
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="/tmp/sheets")
    ap.add_argument("--per-row", type=int, default=16)
    ap.add_argument("--samples", type=int, default=300_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--set", nargs="*", default=[], metavar="MODULE.NAME=VALUE")
    ap.add_argument("--raw", action="store_true", help="also save the mistakes' pad images")
    ap.add_argument("--digit", type=int, nargs="*", default=[],
                    help="also save digit_D.png: 4 rows real, then 4 rows generated")
    ap.add_argument("--real", choices=("sklearn", "mnist", "finger"), default="sklearn",
                    help="the real set: scikit-learn's digits, MNIST dev placed large, or "
                         "MNIST dev drawn with the pad's brush (bench/real_sets.py)")
    a = ap.parse_args()
    set_knobs(a.set)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    k = a.per_row

    if a.real == "sklearn":
        pads, t = sklearn_pads("varied")
    else:   # the dev half only: the holdout half is for reported figures, never for looking
        from bench import real_sets
        X, t = real_sets.mnist_split("dev")
        pads = (real_sets.finger_pads(X, "large", seed=1) if a.real == "finger"
                else real_sets.placed_pads(X, "large", seed=1))
    real = pad.to_network(pads)
    pygame.image.save(_grid(_per_digit(real, t, k, rng), k), str(out / "real.png"))

    raw, gy = stream.DigitGenerator(a.seed, pool=0).raw_batch(2000)
    gen = pad.to_network(raw)
    pygame.image.save(_grid(_per_digit(gen, gy, k, rng), k), str(out / "generated.png"))

    means = [real[t == d].mean(axis=0) for d in range(10)] + [gen[gy == d].mean(axis=0) for d in range(10)]
    pygame.image.save(_grid(np.stack(means), 10), str(out / "mean.png"))
    _stats("real", real)
    _stats("generated", gen)
    for d in a.digit:
        r = real[t == d][:4 * k]
        g = gen[gy == d][:4 * k]
        pygame.image.save(_grid(np.concatenate([r, g]), k), str(out / f"digit_{d}.png"))
        _stats(f"real {d}", r)
        _stats(f"gen {d}", g)

    model = MLP(seed=a.seed)
    sgd_train(model, stream.DigitGenerator(a.seed), a.samples)
    guess = model.predict(real)
    wrong = np.flatnonzero(guess != t)
    wrong = wrong[np.argsort(t[wrong], kind="stable")]
    print(f"real accuracy {1 - len(wrong) / len(t):.4f}  ({len(wrong)} wrong)")
    caps = [f"{t[i]}>{guess[i]}" for i in wrong]
    pygame.image.save(_grid(real[wrong], k, caps), str(out / "mistakes.png"))
    if a.raw:
        pygame.image.save(_grid(pads[wrong], k, caps), str(out / "raw_mistakes.png"))
    for name in ("real", "generated", "mean", "mistakes"):
        print(out / f"{name}.png")


if __name__ == "__main__":
    main()
