"""The initializer explorer's three figures: one layer's activations, the spread layer by layer, training.

Each figure is made once; a render only swaps the data of its artists and
returns PNG bytes, so the explorer can draw dozens of them for its grid.
"""

import math

import numpy as np
from matplotlib.legend_handler import HandlerTuple
from matplotlib.ticker import MaxNLocator

from ..checks import positive_int
from ..figures import new_figure, png_bytes, use_plain_log_ticks
from ..first_steps import GUESSING_LOSS
from ..signals import ACTIVATION_COLOR, GRADIENT_COLOR, REFERENCE_COLOR


class ActivationHistogram:
    """One layer's activations as a histogram: saturated tanh units pile up at ±1, collapsed ones at 0.

    The figure and its artists are made once; a render only swaps their data.
    """

    FIGSIZE = (4.0, 2.9)

    def __init__(self):
        self.fig, self.ax = new_figure(self.FIGSIZE, left=0.05, right=0.95, bottom=0.2, top=0.86)
        self.bars = self.ax.stairs([0.0], [0.0, 1.0], fill=True, color=ACTIVATION_COLOR)
        self.ax.xaxis.set_major_locator(MaxNLocator(5))
        self.ax.set_yticks([])  # counts say nothing here; the shape does

    RELU_RANGE = 3.0  # ReLU outputs are drawn on [0, 3], so a collapse shows as a spike at 0

    def render(self, stats, layer, activation):
        """PNG bytes of layer ``layer``'s activations (1 = the first layer).

        The axis is fixed, [-1, 1] for tanh and [0, 3] for ReLU, so that a
        collapse shows as one spike at zero whatever its scale. Values beyond
        the axis, or that overflowed to inf or NaN, are left out, and the
        title says how many there were.
        """
        layer = positive_int("layer", layer)
        if layer > len(stats.activations):
            raise ValueError(f"layer must be between 1 and {len(stats.activations)} (the depth), got {layer}.")
        values = stats.activations[layer - 1].numpy().ravel()
        finite = values[np.isfinite(values)]
        value_range = (-1.0, 1.0) if activation == "tanh" else (0.0, self.RELU_RANGE)
        beyond = int((finite > value_range[1]).sum())
        counts, edges = np.histogram(finite, bins=50, range=value_range)
        self.bars.set_data(counts, edges)
        self.ax.set_xlim(*value_range)
        self.ax.set_ylim(0, max(counts.max(), 1) * 1.05)
        left_out = [f"{count} {what}" for count, what in ((values.size - finite.size, "not finite"),
                                                         (beyond, f"beyond {value_range[1]:g}")) if count]
        self.ax.set_title(f"activations after layer {layer}" + (f" ({', '.join(left_out)})" if left_out else ""))
        self.ax.set_xlabel(f"value (std {stats.activation_std[layer - 1]:.2g})")
        return png_bytes(self.fig)


class SpreadFigure:
    """The std of activations and gradients, layer by layer, on a log axis, next to a healthy reference."""

    FIGSIZE = (4.0, 2.9)
    FLOOR, CEILING = 1e-10, 1e2  # the usual view; it widens when values fall outside

    def __init__(self):
        self.fig, self.ax = new_figure(self.FIGSIZE, left=0.17, right=0.97, bottom=0.2, top=0.8)
        self.curves = {
            name: self.ax.plot([1], [1], style, markersize=4, color=color, lw=lw)[0]
            for name, style, color, lw in (
                ("reference activations", "-", REFERENCE_COLOR, 2.5),
                ("reference gradients", "--", REFERENCE_COLOR, 2.5),
                ("activations", "o-", ACTIVATION_COLOR, 1.5),
                ("gradients", "s--", GRADIENT_COLOR, 1.5),
            )
        }
        use_plain_log_ticks(self.ax.yaxis)
        self.ax.xaxis.set_major_locator(MaxNLocator(6, integer=True))
        self.ax.set(xlabel="layer", ylabel="spread (std)")
        self.ax.grid(True, alpha=0.3)
        reference = (self.curves["reference activations"], self.curves["reference gradients"])
        self.legend = self.fig.legend([self.curves["activations"], self.curves["gradients"], reference],
                                      ["activations", "gradients", "reference"], loc="upper center", ncol=2,
                                      fontsize=9, frameon=False, columnspacing=1.2, handlelength=2.6,
                                      handler_map={tuple: HandlerTuple(ndivide=None)})

    def render(self, stats, reference, reference_name):
        """PNG bytes of ``stats`` drawn over ``reference`` (grey), named ``reference_name`` in the legend."""
        layers = np.arange(1, len(stats.activation_std) + 1)
        values = []
        for name, series in (("activations", stats.activation_std), ("gradients", stats.gradient_std),
                             ("reference activations", reference.activation_std),
                             ("reference gradients", reference.gradient_std)):
            series = np.maximum(np.asarray(series, dtype=float), 1e-30)  # a log axis cannot show an exact zero
            self.curves[name].set_data(layers, series)
            values.extend(v for v in series if np.isfinite(v))
        low = min([self.FLOOR, *values]) if values else self.FLOOR
        high = max([self.CEILING, *values]) if values else self.CEILING
        self.ax.set_ylim(low / 2 if low < self.FLOOR else low, high * 2 if high > self.CEILING else high)
        self.ax.set_xlim(0.5, len(layers) + 0.5)
        self.legend.get_texts()[2].set_text(f"{reference_name}, for comparison")
        return png_bytes(self.fig)


class TrainingFigure:
    """The loss of the first SGD steps from the chosen initialization, beside the healthy reference's (grey).

    A run whose loss stopped being finite is drawn up to its last finite step
    and marked with an x at the top of the axis, where it blew up.
    """

    FIGSIZE = (8.0, 2.4)
    CEILING = 2 * GUESSING_LOSS  # losses above this (an exploding start) are drawn at the top

    def __init__(self):
        self.fig, self.ax = new_figure(self.FIGSIZE, left=0.08, right=0.98, bottom=0.21, top=0.84)
        (self.reference,) = self.ax.plot([], [], color=REFERENCE_COLOR, lw=3)
        (self.curve,) = self.ax.plot([], [], color=ACTIVATION_COLOR, lw=1.8)
        (self.blew_up,) = self.ax.plot([], [], "x", color=ACTIVATION_COLOR, ms=10, mew=2.5)
        self.guess = self.ax.axhline(GUESSING_LOSS, color="black", ls=":", lw=1)
        self.ax.set(xlabel="SGD step", ylabel="training loss", ylim=(0, self.CEILING * 1.05))
        self.ax.grid(True, alpha=0.3)
        self.legend = self.fig.legend([self.curve, self.reference, self.guess], ["", "", "guessing (log 10)"],
                                      loc="upper center", ncol=3, frameon=False, fontsize=9)

    def render(self, losses, reference_losses, name, reference_name, steps):
        """PNG bytes of ``losses`` (the chosen initializer, ``name``) over ``reference_losses`` (grey)."""
        for line, series in ((self.curve, losses), (self.reference, reference_losses)):
            finite = [min(loss, self.CEILING) for loss in series if math.isfinite(loss)]
            line.set_data(range(1, len(finite) + 1), finite)
        blown_up = bool(losses) and not math.isfinite(losses[-1])
        self.blew_up.set_data([len(losses)] if blown_up else [], [self.CEILING] if blown_up else [])
        self.ax.set_xlim(0, steps + 1)
        for text, label in zip(self.legend.get_texts(), (name + (" (blew up)" if blown_up else ""),
                                                         f"{reference_name}, for comparison")):
            text.set_text(label)
        return png_bytes(self.fig)
