"""Side by side: a picture of the exhibit before and after, each half labelled.

    python bench/compare_pictures.py BEFORE.png AFTER.png OUT.png [--width 1920]

Both pictures are scaled to half the width, kept in proportion, on one dark sheet.
"""
from __future__ import annotations

import argparse
import os

os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")

import pygame  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("out")
    ap.add_argument("--width", type=int, default=1920)
    args = ap.parse_args()
    pygame.init()
    font = pygame.font.Font(None, 40)
    half = args.width // 2
    pics = []
    for path in (args.before, args.after):
        im = pygame.image.load(path)
        w, h = im.get_size()
        pics.append(pygame.transform.smoothscale(im, (half, round(h * half / w))))
    top = 48
    sheet = pygame.Surface((args.width, top + max(p.get_height() for p in pics)))
    sheet.fill((12, 14, 22))
    for k, (pic, name) in enumerate(zip(pics, ("before", "after"))):
        sheet.blit(pic, (k * half, top))
        sheet.blit(font.render(name, True, (240, 200, 90)), (k * half + 16, 10))
    pygame.image.save(sheet, args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
