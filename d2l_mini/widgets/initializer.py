"""The initializer explorer: watch signals travel through a deep MLP (chapter "Parameter management").

Pick an initializer and an activation; one seeded batch goes forward and a
fixed random error signal goes backward through a ten-layer MLP, and two
panels show the chosen layer's activations and the spread (std) of
activations and gradients layer by layer. Bad choices make the spread
collapse to zero or blow up within a few layers; Xavier (tanh) and He (ReLU)
keep it steady. The numbers come from :mod:`d2l_mini.signals`.
"""

import contextlib
import math

import numpy as np
from matplotlib.legend_handler import HandlerTuple
from matplotlib.ticker import MaxNLocator

from .._optional import import_ipywidgets
from ..checks import positive_int
from ..figures import new_figure, png_bytes, use_plain_log_ticks
from ..signals import (
    ACTIVATION_COLOR,
    ACTIVATIONS,
    GRADIENT_COLOR,
    INITIALIZERS,
    MAX_DEPTH,
    REFERENCE,
    REFERENCE_COLOR,
    WIDTHS,
    check_choice,
    describe_stats,
    signal_stats,
)
from .images import image_widget
from .precomputed import ResultPanel, choice_tree, live_only, static_note
from .safety import error_html, shows_errors

widgets = import_ipywidgets()  # a clear "pip install d2l-mini[widgets]" error if it is missing


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



class InitializerExplorer(widgets.VBox):
    """Pick an initializer and an activation, and see whether the signal survives the trip through the MLP.

    Every initializer (at its default scale) × both activations × each
    layer's histogram is computed when the explorer is made, at its depth and
    width; the browser switches among them, so the explorer responds even on
    a static page. With Python behind it, the scale, depth and width can be
    changed too, and the figure is then drawn live.
    """

    def __init__(self, initializer="Normal(0, σ)", depth=10, width=256, activation="tanh"):
        check_choice("initializer", initializer, INITIALIZERS)
        check_choice("activation", activation, ACTIVATIONS)
        depth = positive_int("depth", depth)
        if depth > MAX_DEPTH:
            raise ValueError(f"depth must be between 1 and {MAX_DEPTH} (the slider's range), got {depth}.")
        if isinstance(width, bool) or width not in WIDTHS:
            raise ValueError(f"width must be one of {list(WIDTHS)} (the slider's stops), got {width!r}.")
        self.grid_depth, self.grid_width = depth, int(width)
        style = {"description_width": "110px"}
        self.initializer = widgets.Dropdown(options=list(INITIALIZERS), value=initializer,
                                            description="initializer", style=style)
        self.activation = widgets.ToggleButtons(options=list(ACTIVATIONS), value=activation,
                                                description="activation",
                                                style={**style, "button_width": "70px"})
        self.layer = widgets.SelectionSlider(options=list(range(1, depth + 1)), value=depth,
                                             continuous_update=True, description="histogram of layer", style=style)
        self.scale = widgets.FloatLogSlider(value=INITIALIZERS[initializer].default, base=10, min=-3, max=1,
                                            step=0.05, readout_format=".3g", continuous_update=False,
                                            description=INITIALIZERS[initializer].knob, style=style)
        self.depth = widgets.IntSlider(value=depth, min=1, max=MAX_DEPTH, continuous_update=False,
                                       description="depth", style=style)
        self.width = widgets.SelectionSlider(options=list(WIDTHS), value=int(width),
                                             continuous_update=False, description="width", style=style)
        live_only(self.scale, self.depth, self.width)
        self._quiet = False
        self.last_error = None  # the last exception a control's handler ran into (shown in the summary)
        self._histogram, self._spread = ActivationHistogram(), SpreadFigure()
        self.histogram_image = image_widget(b"", ActivationHistogram.FIGSIZE)
        self.spread_image = image_widget(b"", SpreadFigure.FIGSIZE)
        self.summary = widgets.HTML()
        self.panel = ResultPanel(self._precomputed(),
                                 widgets.VBox([widgets.HBox([self.histogram_image, self.spread_image]), self.summary]))
        self.initializer.layout.width = "330px"
        self.layer.layout.width = "480px"
        self.layer.style.description_width = "initial"
        controls = widgets.VBox([widgets.HBox([self.initializer, self.activation]), self.layer,
                                 widgets.HBox([self.scale, self.depth, self.width])])
        super().__init__([controls, static_note("change the scale, depth and width too"), self.panel])
        self.add_class("d2l-initializer-explorer")
        self.initializer.observe(self._on_initializer, names="value")
        self.depth.observe(self._on_depth, names="value")
        for control in (self.scale, self.width, self.activation, self.layer):
            control.observe(self.redraw, names="value")

    def _precomputed(self):
        """Every initializer × activation (× layer for the histogram) at the default scale, depth and width."""
        names, activations = list(INITIALIZERS), list(ACTIVATIONS)
        stats = {(i, a): signal_stats(names[i], depth=self.grid_depth, width=self.grid_width,
                                      activation=activations[a])
                 for i in range(len(names)) for a in range(len(activations))}
        references = {a: stats[names.index(REFERENCE[activation]), a] for a, activation in enumerate(activations)}

        def settings(i, a):
            return dict(initializer=names[i], scale=INITIALIZERS[names[i]].default, depth=self.grid_depth,
                        width=self.grid_width, activation=activations[a])

        def histogram(i, a, layer):
            return image_widget(self._histogram.render(stats[i, a], layer + 1, activations[a]),
                               ActivationHistogram.FIGSIZE)

        def spread(i, a):
            return image_widget(self._spread.render(stats[i, a], references[a], REFERENCE[activations[a]]),
                               SpreadFigure.FIGSIZE)

        def summary(i, a):
            return widgets.HTML(describe_stats(stats[i, a], settings(i, a), INITIALIZERS[names[i]].knob))

        grid_controls = [self.initializer, self.activation]
        return widgets.VBox([
            widgets.HBox([choice_tree([*grid_controls, self.layer], histogram),
                          choice_tree(grid_controls, spread)]),
            choice_tree(grid_controls, summary),
        ])

    def show_error(self, message):
        """Show a problem in the summary line; the figure keeps the last good settings."""
        self.panel.show_live()
        self.summary.value = error_html(f"Cannot draw these settings: {message}")

    @contextlib.contextmanager
    def _quietly(self):
        """Change several controls with one redraw at the end, not one per change; never stuck quiet."""
        self._quiet = True
        try:
            yield
        finally:
            self._quiet = False

    @shows_errors
    def _on_initializer(self, change):
        init = INITIALIZERS[change["new"]]
        with self._quietly():
            self.scale.description, self.scale.value = init.knob, init.default
        self.redraw()

    @shows_errors
    def _on_depth(self, change):
        chosen = self.layer.value or 1  # setting the options resets the slider to its first stop
        with self._quietly():
            self.layer.options = list(range(1, change["new"] + 1))
            self.layer.value = min(chosen, change["new"])
        self.redraw()

    def settings(self):
        """The current choices, as keyword arguments of :func:`signal_stats`."""
        return dict(initializer=self.initializer.value, scale=self.scale.value, depth=self.depth.value,
                    width=self.width.value, activation=self.activation.value)

    def on_grid(self):
        """Whether the current settings are among the precomputed ones."""
        settings = self.settings()
        return (settings["depth"] == self.grid_depth and settings["width"] == self.grid_width
                and math.isclose(settings["scale"], INITIALIZERS[settings["initializer"]].default, rel_tol=1e-6))

    @shows_errors
    def redraw(self, _change=None):
        """Show the precomputed result of the current settings, or compute and draw it live if there is none."""
        if self._quiet:
            return
        if self.on_grid():
            self.panel.show_precomputed()
            return
        settings = self.settings()
        stats = signal_stats(**settings)
        reference = signal_stats(REFERENCE[settings["activation"]], depth=settings["depth"],
                                 width=settings["width"], activation=settings["activation"])
        self.histogram_image.value = self._histogram.render(stats, min(self.layer.value, settings["depth"]),
                                                            settings["activation"])
        self.spread_image.value = self._spread.render(stats, reference, REFERENCE[settings["activation"]])
        self.summary.value = describe_stats(stats, settings, self.scale.description)
        self.panel.show_live()
