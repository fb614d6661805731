"""The widgets' figures: palette PNGs drawn at twice their CSS size, and log axes that always label something."""

import io
import math

import pytest
from PIL import Image

from d2l_mini.figures import (
    CSS_DPI,
    SCALE,
    ReadableLogLocator,
    figure_layout,
    new_figure,
    png_bytes,
    power_of_ten_label,
    use_plain_log_ticks,
)


@pytest.mark.parametrize("value, label", [(1e-8, "10⁻⁸"), (0.01, "0.01"), (1, "1"), (100, "100"), (1e4, "10⁴"),
                                          (0.001, "0.001"), (1000, "1000"), (0.002, "0.002"), (0, "")])
def test_power_of_ten_label_is_plain_text(value, label):
    assert power_of_ten_label(value) == label


@pytest.mark.parametrize("low, high", [(0.31, 0.33), (0.9, 1.1), (0.2, 0.7), (3.0, 800.0), (1e-10, 100.0),
                                       (1e-30, 1e30)])
def test_log_ticks_label_at_least_two_values_in_view(low, high):
    fig, ax = new_figure((4.0, 3.0))
    use_plain_log_ticks(ax.yaxis)
    ax.set_ylim(low, high)
    ticks = [t for t in ax.yaxis.get_majorticklocs() if low <= t <= high]
    assert len(ticks) >= 2, ticks
    assert len(ReadableLogLocator().tick_values(low, high)) >= 2


def test_log_ticks_step_1_2_5_within_about_a_decade_and_by_decades_beyond():
    assert ReadableLogLocator().tick_values(1.0, 20.0) == pytest.approx([1, 2, 5, 10, 20])
    wide = ReadableLogLocator().tick_values(1e-10, 100.0)
    assert all(math.log10(t) == pytest.approx(round(math.log10(t))) for t in wide)


@pytest.mark.parametrize("low, high", [(-1.0, 0.0), (0.0, 0.0), (math.nan, 1.0), (1.0, math.inf), (-5.0, -1.0)])
def test_log_ticks_of_impossible_limits_are_empty_not_an_error(low, high):
    assert ReadableLogLocator().tick_values(low, high) == []


def test_log_ticks_with_a_zero_lower_limit_still_label_the_view():
    ticks = ReadableLogLocator().tick_values(0.0, 10.0)
    assert len(ticks) >= 2 and all(0 < t <= 10 for t in ticks)


def test_use_plain_log_ticks_works_on_either_axis():
    fig, ax = new_figure((4.0, 3.0))
    use_plain_log_ticks(ax.xaxis)
    assert ax.get_xscale() == "log" and ax.get_yscale() == "linear"
    assert ax.xaxis.get_major_formatter()(1e-8) == "10⁻⁸"


def test_png_is_a_palette_image_at_twice_the_css_size():
    figsize = (4.0, 3.0)
    fig, axes = new_figure(figsize, ncols=2)
    assert len(axes) == 2
    axes[0].plot([1, 2, 3], [3, 1, 2])
    image = Image.open(io.BytesIO(png_bytes(fig)))
    assert image.format == "PNG" and image.mode == "P"
    assert image.size == (figsize[0] * CSS_DPI * SCALE, figsize[1] * CSS_DPI * SCALE) == (768, 576)


def test_figure_layout_shows_the_figure_at_its_css_width_and_no_wider_than_the_page():
    assert figure_layout((4.0, 2.9)) == {"width": "384px", "max_width": "100%"}
