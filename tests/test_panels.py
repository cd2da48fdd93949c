"""Panel pictures show the true numbers: each cell of a weight or digit picture is the
colour its value maps to, in the right place."""
import numpy as np
import pygame
import pytest

from neuronlab.ui import panels


def _rgb(surf):
    return pygame.surfarray.array3d(surf).transpose(1, 0, 2)   # (H, W, 3), row 0 at the top


def test_weight_picture_cells_are_their_weights_colours():
    # GIVEN weights with the largest magnitude at row 2, column 5 (positive) and a negative
    # half-size weight at row 9, column 0, the rest 0
    w = np.zeros(256, np.float32)
    w[2 * 16 + 5] = 0.8
    w[9 * 16 + 0] = -0.4
    cell = 6
    img = _rgb(panels.weight_picture(w, cell))
    assert img.shape == (16 * cell, 16 * cell, 3)
    # THEN the strongest cell is the full warm colour, the negative one half-way to cool
    # from the dark ground, and a zero weight the ground itself -- over the whole cell
    block = img[2 * cell:3 * cell, 5 * cell:6 * cell]
    assert (block == panels.WARM).all()
    half = [int(12 + (t - 12) * 0.5) for t in panels.COOL]
    assert (img[9 * cell:10 * cell, 0:cell] == half).all()
    assert (img[0:cell, 0:cell] == 12).all()
    assert pygame.surfarray.array_alpha(panels.weight_picture(w, cell)).min() == 255


def test_digit_image_cells_follow_ink_and_grid_lines_sit_on_cell_edges():
    img16 = np.zeros((16, 16), np.float32)
    img16[4, 7] = 1.0
    img16[10, 3] = 0.5
    cell = 10
    img = _rgb(panels.digit_image(img16, cell, grid=True, tint=(200, 100, 50)))
    # inside a cell (clear of the grid lines on its edges): ink 1 is the tint, ink 0.5 half-way
    assert (img[4 * cell + 1:5 * cell - 1, 7 * cell + 1:8 * cell - 1] == (200, 100, 50)).all()
    half = [int(18 + (t - 18) * 0.5) for t in (200, 100, 50)]
    assert (img[10 * cell + 1:11 * cell - 1, 3 * cell + 1:4 * cell - 1] == half).all()
    assert (img[1:cell - 1, 1:cell - 1] == (8, 10, 18)).all()       # no ink: the ground
    assert (img[:, 5 * cell] == (40, 48, 70)).all()                   # a grid line


@pytest.mark.parametrize("cell", [1, 3, 8, 17, 41])
def test_every_pixel_of_a_cell_picture_is_its_cells_colour_and_opaque(cell):
    rgb16 = np.random.default_rng(cell).integers(0, 256, (16, 16, 3), dtype=np.uint8)
    surf = panels._cells(rgb16, cell)
    assert surf.get_size() == (16 * cell, 16 * cell)
    want = np.repeat(np.repeat(rgb16, cell, axis=0), cell, axis=1)           # (y, x, 3)
    np.testing.assert_array_equal(pygame.surfarray.array3d(surf).transpose(1, 0, 2), want)
    assert (pygame.surfarray.array_alpha(surf) == 255).all()
