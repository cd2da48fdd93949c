"""`neuronlab shot` renders each scene through the real window path to a PNG."""
import os

os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")

import pygame
import pytest

from neuronlab.cli import main


@pytest.mark.parametrize("scene", ["graph", "inspector", "draw", "probe"])
def test_shot_writes_a_picture_of_each_scene(tmp_path, scene):
    out = tmp_path / f"{scene}.png"
    assert main(["shot", "--scene", scene, "--frames", "4", "--size", "960x540", "--out", str(out)]) == 0
    img = pygame.surfarray.array3d(pygame.image.load(str(out))).transpose(1, 0, 2)  # (H, W, 3)
    assert img.shape == (540, 960, 3)
    assert img.std() > 15                       # a real picture, not a blank frame
    bright = (img.max(axis=2) > 200).mean()
    assert 0.002 < bright < 0.5                 # lit balls, wires and text; not washed out
    right = img[:, int(960 * 0.68):]            # the scene panel column
    assert right.std() > 15
    if scene == "draw":
        # the 7 sent to the pad appears as cream ink in the pad area
        cream = (right[..., 0] > 200) & (right[..., 1] > 190) & (right[..., 2] > 150)
        assert cream.sum() > 500


def test_a_picture_never_writes_the_exhibits_checkpoint(tmp_path):
    ckpt = tmp_path / "checkpoint.npz"
    cfg = tmp_path / "shot.toml"
    cfg.write_text(f'[state]\ncheckpoint = "{ckpt}"\n[log]\npath = "{tmp_path / "n.log"}"\n')
    out = tmp_path / "g.png"
    assert main(["shot", "--frames", "2", "--size", "640x360", "--config", str(cfg), "--out", str(out)]) == 0
    assert out.exists() and not ckpt.exists()
