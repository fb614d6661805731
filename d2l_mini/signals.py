"""How a signal fares on its way through a deep MLP at initialization, in numbers and in words.

The chapter "Parameter management" and its initializer explorer ask one
question: does the spread of the activations (forward) and of the gradients
(backward) survive ten layers, or does it vanish or explode? :func:`signal_stats`
answers it for one initializer, activation, depth and width;
:func:`describe_stats` says it in a sentence. Nothing here needs ipywidgets.
"""

import html
import math
from dataclasses import dataclass, field

import torch
from torch import nn
from torch.nn.utils import skip_init

from .chapters.parameters import custom_init_
from .checks import non_negative_int, positive_int, positive_number


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
ACTIVATION_COLOR, GRADIENT_COLOR, REFERENCE_COLOR = "#1f77b4", "#ff7f0e", "#b0b0b0"
# the initializer each activation is drawn against, as the healthy case
REFERENCE = {"tanh": "Xavier uniform", "ReLU": "Kaiming (He) normal"}


@dataclass
class SignalStats:
    """What one forward and backward pass through the MLP looked like."""

    weights: list  # flattened weights of each layer
    activation_std: list  # std of each layer's output, after the nonlinearity
    gradient_std: list  # std of the loss gradient w.r.t. each layer's output
    activations: list = field(default_factory=list)  # each layer's output, (batch, width)


def deep_mlp(depth, width, activation):
    """``depth`` layers of Linear(width, width) + activation, weights not yet initialized."""
    layers = []
    for _ in range(depth):
        layers += [skip_init(nn.Linear, width, width), ACTIVATIONS[activation]()]
    return nn.Sequential(*layers)


def initialized_mlp(initializer, scale, depth, width, activation, seed):
    """A ``depth``-layer MLP initialized with ``initializer`` at ``scale`` (None: its default), from ``seed``.

    It draws from the global random generator, which it seeds: call it inside
    ``torch.random.fork_rng`` to leave the caller's random state alone.
    """
    check_choice("initializer", initializer, INITIALIZERS)
    check_choice("activation", activation, ACTIVATIONS)
    depth, width, seed = positive_int("depth", depth), positive_int("width", width), non_negative_int("seed", seed)
    init = INITIALIZERS[initializer]
    scale = init.default if scale is None else positive_number(f"scale ({init.knob} of {initializer})", scale)
    torch.manual_seed(seed)
    net = deep_mlp(depth, width, activation)
    with torch.no_grad():
        for layer in net:
            if not isinstance(layer, nn.Linear):
                continue
            if initializer == "PyTorch default":
                layer.reset_parameters()  # also draws the bias, as a fresh nn.Linear does
                layer.weight.mul_(scale)
            else:
                init.fill(layer.weight, scale)
                layer.bias.zero_()
    return net


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
    batch_size = positive_int("batch_size", batch_size)
    with torch.random.fork_rng(devices=[]), torch.no_grad():
        net = initialized_mlp(initializer, scale, depth, width, activation, seed)
        linears = [m for m in net if isinstance(m, nn.Linear)]
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
        activations=list(outputs),
    )


def check_choice(name, value, choices):
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"Unknown {name} {value!r}; choose one of {list(choices)}.")



def _fold(factor):
    """'23', '250', '1.2·10<sup>7</sup>': a factor in HTML, short."""
    if factor < 1000:
        return f"{factor:.2g}" if factor < 100 else f"{factor:.0f}"
    exponent = math.floor(math.log10(factor))
    mantissa = round(factor / 10**exponent, 1)
    if mantissa >= 10:  # 9.96 rounds to 10.0
        mantissa, exponent = mantissa / 10, exponent + 1
    return f"{mantissa:g}·10<sup>{exponent}</sup>"


def change_in_words(start, end):
    """How a spread changes from ``start`` to ``end``, in words (HTML) that follow a plural subject.

    Within a factor of 10 counts as healthy; beyond a factor of 100, as
    vanishing or exploding: '<b>shrink</b> 23-fold', 'stay within a factor of 10 ...'.
    """
    if not (math.isfinite(start) and math.isfinite(end)):
        return "<b>overflow</b> (not finite)"
    if start <= 0:
        return "start at exactly 0 (<b>no signal</b>)"
    if end <= 0:
        return "<b>vanish</b> (reach exactly 0)"
    ratio = end / start
    if 0.1 <= ratio <= 10:
        return "stay within a factor of 10 (<b>healthy</b>)"
    direction = "shrink" if ratio < 1 else "grow"
    factor = 1 / ratio if ratio < 1 else ratio
    verdict = "" if factor < 100 else (" (<b>vanishing</b>)" if ratio < 1 else " (<b>exploding</b>)")
    return f"{direction} {_fold(factor)}-fold{verdict}"


SATURATED = 0.99  # a tanh unit beyond ±0.99 has a slope below 0.02: it passes almost no gradient


def saturated_share(activations):
    """The share of tanh outputs beyond ±0.99, where the unit is saturated."""
    values = activations.abs()
    return float((values > SATURATED).float().mean()) if values.numel() else 0.0


def all_units_alike(activations):
    """Whether every unit of a layer has the same output for each example (constant weights do that)."""
    if activations.dim() != 2 or activations.shape[1] < 2 or not torch.isfinite(activations).all():
        return False
    spread_across_units = activations.std(dim=1).max()
    return bool(spread_across_units <= 1e-6 * activations.abs().max().clamp_min(1e-30))


def swatch(color):
    """A small square of ``color`` before a word, naming its curve in the figure (coloured text would be hard
    to read on some backgrounds; a swatch beside plain text reads well on all)."""
    return (f"<span aria-hidden='true' style='display:inline-block;width:0.75em;height:0.75em;"
            f"margin-right:0.25em;background:{color}'></span>")


def describe_stats(stats, settings, knob):
    """One line that says what happened to the signal, for the explorer's summary.

    A spread that holds steady only because most tanh units sit at ±1 is
    called saturated, not healthy; and a layer whose units all compute the
    same value is called symmetric, whatever its spread.
    """
    depth = len(stats.activation_std)
    activations = f"{change_in_words(stats.activation_std[0], stats.activation_std[-1])} from layer 1 to layer {depth}"
    if settings["activation"] == "tanh" and stats.activations:
        share = saturated_share(stats.activations[-1])
        if share > 0.5:
            activations = f"<b>saturate</b> ({share:.0%} of layer {depth}'s are beyond ±{SATURATED})"
    line = (
        f"<b>{html.escape(settings['initializer'])}</b> ({html.escape(knob)} = {settings['scale']:.3g}), "
        f"{html.escape(settings['activation'])}, {depth} layers of {settings['width']}: "
        f"{swatch(ACTIVATION_COLOR)}activations {activations}; "
        f"{swatch(GRADIENT_COLOR)}gradients "
        f"{change_in_words(stats.gradient_std[-1], stats.gradient_std[0])} on the way back to layer 1."
    )
    if stats.activations and all_units_alike(stats.activations[-1]):
        line += (" Every unit of a layer computes the same value: the network is <b>symmetric</b>, in effect "
                 "one unit wide, whatever the spread says.")
    return line


