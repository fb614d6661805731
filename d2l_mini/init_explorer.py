"""The initializer explorer: watch signals travel through a deep MLP.

Used by the chapter "Parameter management". Pick an initializer, its scale,
the depth, width and activation of an MLP; one seeded batch goes forward and a
fixed random error signal goes backward, and two panels show the chosen
layer's weights and the spread (std) of activations and gradients layer by
layer. Bad choices make the spread collapse to zero or blow up within a few
layers; Xavier (tanh) and He (ReLU) keep it steady.
"""

import contextlib
import html
import io
from dataclasses import dataclass

import numpy as np
import torch
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from torch import nn
from torch.nn.utils import skip_init

from ._optional import import_ipywidgets
from .checks import non_negative_int, positive_int, positive_number
from .parameters import custom_init_
from .plotting import use_plain_log_ticks
from .widget_safety import error_html, shows_errors

widgets = import_ipywidgets()  # a clear "pip install d2l-mini[widgets]" error if it is missing


@dataclass(frozen=True)
class Initializer:
    """How to fill a weight matrix, and what its one knob means."""

    fill: callable  # fill(weight, scale), in place
    knob: str
    default: float


def _scaled(fill):
    """An initializer whose knob multiplies the weights it draws."""

    def fill_then_scale(weight, scale):
        fill(weight)
        weight.mul_(scale)

    return fill_then_scale


INITIALIZERS = {
    # nn.Linear.reset_parameters: U[-1/sqrt(fan_in), 1/sqrt(fan_in)] for weight and bias
    "PyTorch default": Initializer(
        _scaled(lambda w: nn.init.kaiming_uniform_(w, a=5**0.5)), "× factor", 1.0),
    "Normal(0, σ)": Initializer(lambda w, s: nn.init.normal_(w, 0.0, s), "σ", 0.01),
    "Uniform(-a, a)": Initializer(lambda w, s: nn.init.uniform_(w, -s, s), "a", 0.05),
    "Xavier uniform": Initializer(lambda w, s: nn.init.xavier_uniform_(w, gain=s), "gain", 1.0),
    "Xavier normal": Initializer(lambda w, s: nn.init.xavier_normal_(w, gain=s), "gain", 1.0),
    "Kaiming (He) normal": Initializer(
        _scaled(lambda w: nn.init.kaiming_normal_(w, nonlinearity="relu")), "× factor", 1.0),
    "Constant": Initializer(lambda w, s: nn.init.constant_(w, s), "value", 0.01),
    "Chapter's custom": Initializer(_scaled(custom_init_), "× factor", 1.0),
}

ACTIVATIONS = {"tanh": nn.Tanh, "ReLU": nn.ReLU}
WIDTHS = (16, 32, 64, 128, 256, 512)  # the explorer's width slider
MAX_DEPTH = 20  # the explorer's depth slider
ACTIVATION_FUNCTIONS = {"tanh": torch.tanh, "ReLU": torch.relu}
ACTIVATION_COLOR, GRADIENT_COLOR = "#1f77b4", "#ff7f0e"


@dataclass
class SignalStats:
    """What one forward and backward pass through the MLP looked like."""

    weights: list  # flattened weights of each layer
    activation_std: list  # std of each layer's output, after the nonlinearity
    gradient_std: list  # std of the loss gradient w.r.t. each layer's output


def deep_mlp(depth, width, activation):
    """``depth`` layers of Linear(width, width) + activation, weights not yet initialized."""
    layers = []
    for _ in range(depth):
        layers += [skip_init(nn.Linear, width, width), ACTIVATIONS[activation]()]
    return nn.Sequential(*layers)


def signal_stats(initializer="Xavier uniform", scale=None, depth=10, width=256,
                 activation="tanh", batch_size=128, seed=0):
    """Initialize a deep MLP, push one seeded batch through it and back.

    The input is standard normal, and the backward pass starts from a fixed
    standard-normal error signal at the top, so any change of spread along the
    way is the network's doing. The backward pass is written out (the
    gradient w.r.t. each layer's output is the next layer's, times its weight,
    times the activation's slope), which is what autograd would compute, only
    quicker for a live plot. The global random state is left untouched.
    ``scale`` (None: the initializer's default) must be a finite positive number.
    """
    _check_choice("initializer", initializer, INITIALIZERS)
    _check_choice("activation", activation, ACTIVATIONS)
    depth, width = positive_int("depth", depth), positive_int("width", width)
    batch_size, seed = positive_int("batch_size", batch_size), non_negative_int("seed", seed)
    init = INITIALIZERS[initializer]
    scale = init.default if scale is None else positive_number(f"scale ({init.knob} of {initializer})", scale)
    with torch.random.fork_rng(devices=[]), torch.no_grad():
        torch.manual_seed(seed)
        net = deep_mlp(depth, width, activation)
        linears = [m for m in net if isinstance(m, nn.Linear)]
        for layer in linears:
            if initializer == "PyTorch default":
                layer.reset_parameters()  # also draws the bias, as a fresh nn.Linear does
                layer.weight.mul_(scale)
            else:
                init.fill(layer.weight, scale)
                layer.bias.zero_()
        X = torch.randn(batch_size, width)
        grad = torch.randn(batch_size, width)
        outputs, slopes, h = [], [], X
        for layer in linears:
            h = ACTIVATION_FUNCTIONS[activation](layer(h))
            outputs.append(h)
            slopes.append(1 - h * h if activation == "tanh" else (h > 0).to(h.dtype))
        grads = [grad]
        for layer, slope in zip(reversed(linears[1:]), reversed(slopes[1:])):
            grad = (grad * slope) @ layer.weight
            grads.append(grad)
    return SignalStats(
        weights=[layer.weight.detach().flatten() for layer in linears],
        activation_std=[float(o.std()) for o in outputs],
        gradient_std=[float(g.std()) for g in reversed(grads)],
    )


def _check_choice(name, value, choices):
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"Unknown {name} {value!r}; choose one of {list(choices)}.")


class SignalFigure:
    """Two panels: one layer's weights, and the std of activations and gradients per layer.

    The figure and its artists are made once; a redraw only swaps their data.
    Drawing text dominates the cost of a matplotlib figure, so there are few
    axes, few ticks and plain (not mathtext) tick labels.
    """

    def __init__(self, figsize=(9.0, 3.0), dpi=72):
        self.fig = Figure(figsize=figsize, dpi=dpi)
        FigureCanvasAgg(self.fig)
        self.fig.subplots_adjust(left=0.07, right=0.98, bottom=0.16, top=0.9, wspace=0.25)
        self.hist_ax, self.std_ax = self.fig.subplots(1, 2)
        self.hist = self.hist_ax.stairs([0.0], [0.0, 1.0], fill=True, color="tab:blue")
        self.hist_ax.xaxis.set_major_locator(MaxNLocator(5))
        self.hist_ax.set_yticks([])  # counts say nothing here; the shape does
        self.curves = {
            name: self.std_ax.plot([1], [1], style, markersize=4, color=color)[0]
            for name, style, color in (("activations", "o-", ACTIVATION_COLOR), ("gradients", "s--", GRADIENT_COLOR))
        }
        use_plain_log_ticks(self.std_ax.yaxis)
        self.std_ax.xaxis.set_major_locator(MaxNLocator(6, integer=True))
        self.std_ax.set_xlabel("layer")
        self.std_ax.set_title("std per layer: activations (o) and gradients (s)")
        self.std_ax.grid(True, alpha=0.3)

    def render(self, stats, layer=1):
        """PNG bytes of the figure showing ``stats``, with layer ``layer``'s weights (1 = the first layer).

        Weights that overflowed to inf or NaN are left out of the histogram,
        and its title says how many there were.
        """
        layer = positive_int("layer", layer)
        if layer > len(stats.weights):
            raise ValueError(f"layer must be between 1 and {len(stats.weights)} (the depth), got {layer}.")
        weights = stats.weights[layer - 1].numpy()
        finite = weights[np.isfinite(weights)]
        counts, edges = np.histogram(finite, bins=50) if finite.size else (np.zeros(1), np.array([0.0, 1.0]))
        self.hist.set_data(counts, edges)
        not_finite = weights.size - finite.size
        self.hist_ax.set_title(f"weights of layer {layer}" + (f" ({not_finite} not finite)" if not_finite else ""))
        self.hist_ax.relim()
        self.hist_ax.autoscale_view()
        layers = np.arange(1, len(stats.activation_std) + 1)
        for name, values in (("activations", stats.activation_std), ("gradients", stats.gradient_std)):
            self.curves[name].set_data(layers, np.maximum(values, 1e-30))  # a log axis cannot show an exact zero
        self.std_ax.relim()
        self.std_ax.autoscale_view()
        buffer = io.BytesIO()
        self.fig.canvas.print_png(buffer)
        return buffer.getvalue()


def plot_signal_stats(stats, layer=1):
    """PNG bytes of a fresh :class:`SignalFigure` showing ``stats``."""
    return SignalFigure().render(stats, layer)


class InitializerExplorer(widgets.VBox):
    """Controls on top, one figure below; every change redraws the figure."""

    def __init__(self, initializer="Xavier uniform", depth=10, width=256, activation="tanh"):
        _check_choice("initializer", initializer, INITIALIZERS)
        _check_choice("activation", activation, ACTIVATIONS)
        depth = positive_int("depth", depth)
        if depth > MAX_DEPTH:
            raise ValueError(f"depth must be between 1 and {MAX_DEPTH} (the slider's range), got {depth}.")
        if isinstance(width, bool) or width not in WIDTHS:
            raise ValueError(f"width must be one of {list(WIDTHS)} (the slider's stops), got {width!r}.")
        style = {"description_width": "90px"}
        self.initializer = widgets.Dropdown(options=list(INITIALIZERS), value=initializer,
                                            description="initializer", style=style)
        self.scale = widgets.FloatLogSlider(value=INITIALIZERS[initializer].default, base=10, min=-3, max=1,
                                            step=0.05, readout_format=".3g", continuous_update=False,
                                            description=INITIALIZERS[initializer].knob, style=style)
        self.depth = widgets.IntSlider(value=depth, min=1, max=MAX_DEPTH, continuous_update=False,
                                       description="depth", style=style)
        self.width = widgets.SelectionSlider(options=list(WIDTHS), value=int(width),
                                             continuous_update=False, description="width", style=style)
        self.activation = widgets.ToggleButtons(options=list(ACTIVATIONS), value=activation,
                                                description="activation",
                                                style={**style, "button_width": "70px"})
        self.layer = widgets.IntSlider(value=1, min=1, max=depth, continuous_update=False,
                                       description="histogram of", style=style)
        self.figure = widgets.Image(format="png", layout=widgets.Layout(width="100%"))
        self.summary = widgets.HTML()
        self._canvas = SignalFigure()
        self._quiet = False
        self.last_error = None  # the last exception a control's handler ran into (shown in the summary)
        control_list = [self.initializer, self.scale, self.activation, self.depth, self.width, self.layer]
        for control in control_list:
            control.layout.width = "auto"  # fill the grid cell instead of a fixed 300px
        controls = widgets.GridBox(
            control_list,
            layout=widgets.Layout(grid_template_columns="repeat(3, minmax(0, 1fr))", grid_gap="4px 12px"),
        )
        super().__init__([controls, self.figure, self.summary])
        self.add_class("d2l-initializer-explorer")
        self.initializer.observe(self._on_initializer, names="value")
        self.depth.observe(self._on_depth, names="value")
        for control in (self.scale, self.width, self.activation, self.layer):
            control.observe(self.redraw, names="value")
        self.redraw()

    def show_error(self, message):
        """Show a problem in the summary line; the figure keeps the last good settings."""
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
        with self._quietly():
            self.layer.max = change["new"]
        self.redraw()

    def settings(self):
        """The current choices, as keyword arguments of :func:`signal_stats`."""
        return dict(initializer=self.initializer.value, scale=self.scale.value, depth=self.depth.value,
                    width=self.width.value, activation=self.activation.value)

    @shows_errors
    def redraw(self, _change=None):
        """Recompute the statistics and replace the figure (a problem is shown in the summary line)."""
        if self._quiet:
            return
        settings = self.settings()
        stats = signal_stats(**settings)
        self.figure.value = self._canvas.render(stats, layer=min(self.layer.value, settings["depth"]))
        self.summary.value = (
            f"{html.escape(settings['initializer'])} ({html.escape(self.scale.description)} = "
            f"{settings['scale']:.3g}) in a "
            f"{settings['depth']}-layer, {settings['width']}-wide {html.escape(settings['activation'])} MLP: "
            f"<span style='color:{ACTIVATION_COLOR}'>activation std</span> "
            f"<b>{stats.activation_std[0]:.3g}</b> after layer 1, "
            f"<b>{stats.activation_std[-1]:.3g}</b> after layer {settings['depth']}; "
            f"<span style='color:{GRADIENT_COLOR}'>gradient std</span> <b>{stats.gradient_std[0]:.3g}</b> at layer 1."
        )
