"""Figures for the widgets: sharp on HiDPI screens, and light enough to precompute by the dozen.

A widget figure is drawn at ``SCALE`` times the resolution it is shown at,
so it stays sharp on HiDPI screens, and shown at its natural size in CSS
pixels (at most the width of the page). Its PNG is reduced to a palette of
256 colours, which a plot with a few lines and some text loses nothing
visible to, and which makes it less than half the size: the static book
carries dozens of precomputed figures per widget.
"""

import io
import math

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, Locator, LogLocator, NullLocator
from PIL import Image

CSS_DPI = 96  # CSS pixels per inch: a figure of width w inches is shown w * 96 pixels wide
SCALE = 2  # drawn at twice that


def new_figure(figsize, ncols=1, **margins):
    """A bare matplotlib figure (no pyplot state) with ``ncols`` axes side by side: (fig, axes)."""
    fig = Figure(figsize=figsize, dpi=CSS_DPI * SCALE)
    FigureCanvasAgg(fig)
    fig.subplots_adjust(**{"left": 0.08, "right": 0.98, "bottom": 0.17, "top": 0.88, "wspace": 0.28, **margins})
    return fig, fig.subplots(1, ncols)


def png_bytes(fig):
    """The figure as a palette PNG."""
    fig.canvas.draw()
    width, height = fig.canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), fig.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    palette = image.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE)
    buffer = io.BytesIO()
    palette.save(buffer, format="PNG")
    return buffer.getvalue()


def figure_layout(figsize):
    """Keyword arguments of an ``ipywidgets.Layout`` that shows a figure of ``figsize`` at its natural size."""
    return {"width": f"{figsize[0] * CSS_DPI:.0f}px", "max_width": "100%"}


SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def power_of_ten_label(value, _position=None):
    """A tick label in plain text (no mathtext, which is slow to draw): '0.01', '1', '100', '10⁻⁸'."""
    if value <= 0:
        return ""
    exponent = math.log10(value)
    if abs(exponent - round(exponent)) < 1e-9 and not -3 <= round(exponent) <= 3:
        return "10" + str(round(exponent)).translate(SUPERSCRIPTS)
    return f"{value:g}"


class ReadableLogLocator(Locator):
    """Log-axis ticks that always label something: 1-2-5 steps within a decade or so, decades beyond."""

    def __init__(self, numticks=6):
        self.numticks = numticks

    def __call__(self):
        low, high = self.axis.get_view_interval()
        return self.tick_values(low, high)

    def tick_values(self, vmin, vmax):
        low, high = sorted((vmin, vmax))
        if not (math.isfinite(low) and math.isfinite(high)) or high <= 0:
            return []
        low = low if low > 0 else high / 1000
        subs = (1.0, 2.0, 5.0) if math.log10(high / low) < 1.5 else (1.0,)
        ticks = [t for t in LogLocator(numticks=self.numticks, subs=subs).tick_values(low, high) if low <= t <= high]
        if len(ticks) < 2:  # less than a factor of 2 in view: label both ends
            ticks = [float(f"{low:.2g}"), float(f"{high:.2g}")]
        return ticks


def use_plain_log_ticks(axis, numticks=6):
    """Put a log scale on ``axis`` (ax.xaxis or ax.yaxis) with a few readable, plain-text tick labels."""
    axis.axes.set_yscale("log") if axis is axis.axes.yaxis else axis.axes.set_xscale("log")
    axis.set_major_locator(ReadableLogLocator(numticks))
    axis.set_minor_locator(NullLocator())
    axis.set_major_formatter(FuncFormatter(power_of_ten_label))
