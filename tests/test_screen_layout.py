"""The screen layout at every shape a gallery buys: regions apart, the graph's share, sizes
in millimetres; and the fit that puts every neuron of the home view inside the graph's box."""
from __future__ import annotations

import itertools

import numpy as np
import pytest

from neuronlab.math3d.camera import OrbitCamera, project, projection_matrix, view_matrix
from neuronlab.math3d.fit import fit_into
from neuronlab.ui.screen import REF_PX_PER_MM, screen_layout
from neuronlab.view.layout import layout as make_layout

SHAPES = [(1024, 768), (1280, 800), (1920, 1080), (1080, 1920), (1200, 1920), (3840, 2160)]


@pytest.mark.parametrize("size", SHAPES)
@pytest.mark.parametrize("curious", [False, True])
def test_regions_do_not_overlap_and_stay_on_screen(size, curious):
    lay = screen_layout(size, curious=curious)
    rects = dict(lay.panels(), graph=lay.graph)
    screen = (0, 0, *size)
    for name, r in rects.items():
        assert r.w > 0 and r.h > 0, name
        assert r.x >= 0 and r.y >= 0 and r.right <= size[0] and r.bottom <= size[1], (name, r, screen)
    for (a, ra), (b, rb) in itertools.combinations(rects.items(), 2):
        assert not ra.colliderect(rb), (a, ra, b, rb)


@pytest.mark.parametrize("size", SHAPES)
def test_the_graph_gets_at_least_35_percent_of_the_screen(size):
    assert screen_layout(size).graph_share() >= 0.35
    assert screen_layout(size, curious=True).graph_share() >= 0.27


def test_sizes_follow_the_configured_density_not_the_pixel_count():
    # The same 1920x1080 window on a 24-inch (3.6 px/mm) and a 43-inch (2.0 px/mm) panel:
    # the bar is the same height in millimetres on both, where the graph keeps its share.
    small = screen_layout((1920, 1080), px_per_mm=2.0)
    assert small.s == pytest.approx(2.0 / REF_PX_PER_MM)
    a, b = small.to_mm(small.bottom.h), screen_layout((1920, 1080), px_per_mm=2.71).to_mm(96)
    assert a == pytest.approx(b, rel=0.02)


def test_a_dense_small_screen_shrinks_only_as_far_as_the_graph_needs():
    lay = screen_layout((1024, 768), px_per_mm=3.4)
    assert lay.s < 3.4 / REF_PX_PER_MM
    assert 0.37 <= lay.graph_share() < 0.40


def test_portrait_puts_the_graph_above_what_is_touched():
    lay = screen_layout((1080, 1920))
    assert lay.portrait
    assert lay.graph.bottom <= lay.side.top and lay.side.bottom <= lay.bottom.top
    # the pad's panel and the controls sit in the lower two thirds (reach)
    assert lay.side.top >= 1920 / 3


def test_opening_the_curious_column_never_changes_the_text_scale():
    for size in SHAPES:
        assert screen_layout(size).s == screen_layout(size, curious=True).s


def test_bad_sizes_get_a_clear_message():
    with pytest.raises(ValueError, match="positive"):
        screen_layout((0, 720))
    with pytest.raises(ValueError, match="px_per_mm"):
        screen_layout((1280, 720), px_per_mm=float("nan"))


@pytest.mark.parametrize("size", SHAPES)
def test_fit_puts_every_neuron_inside_the_graph_box(size):
    geo = make_layout()
    cam = OrbitCamera(home_distance=21.0)
    cam.snap()
    box = screen_layout(size).graph
    view = view_matrix(cam)
    proj = projection_matrix(cam, size[0] / size[1])
    fit = fit_into(tuple(box), geo.positions, geo.base_radius, view, proj, size)
    fitted = fit.apply(proj)
    xy, depth = project(geo.positions, view, fitted, (0, 0, *size))
    assert (depth > 0).all()
    assert xy[:, 0].min() >= box.x and xy[:, 0].max() <= box.right
    assert xy[:, 1].min() >= box.y and xy[:, 1].max() <= box.bottom
    # ...and it is as large as the box allows: it touches the box on one pair of sides
    span = xy.max(axis=0) - xy.min(axis=0)
    assert max(span[0] / box.w, span[1] / box.h) > 0.85
    assert not np.shares_memory(fitted, proj)
