"""The initializer explorer: watch signals travel through a deep MLP (chapter "Parameter management").

Pick an initializer and an activation; one seeded batch goes forward and a
fixed random error signal goes backward through a ten-layer MLP, and two
panels show the chosen layer's activations and the spread (std) of
activations and gradients layer by layer. Bad choices make the spread
collapse to zero or blow up within a few layers; Xavier (tanh) and He (ReLU)
keep it steady. A third panel shows what follows: the first SGD steps from
that initialization, learning or stuck. The numbers come from
:mod:`d2l_mini.signals` and :mod:`d2l_mini.first_steps`.
"""

import contextlib
import math

from .._optional import import_ipywidgets
from ..checks import in_range, is_bool, positive_int
from ..first_steps import STEPS, describe_training, training_curve
from ..signals import (
    ACTIVATIONS,
    INITIALIZERS,
    MAX_DEPTH,
    REFERENCE,
    WIDTHS,
    check_choice,
    describe_stats,
    signal_stats,
)
from .images import image_widget, plain_text
from .initializer_figures import ActivationHistogram, SpreadFigure, TrainingFigure
from .live_training import BackgroundRun
from .precomputed import ResultPanel, choice_tree, live_only, static_note
from .safety import error_html, shows_errors

widgets = import_ipywidgets()  # a clear "pip install d2l-mini[widgets]" error if it is missing


class InitializerExplorer(widgets.VBox):
    """Pick an initializer and an activation: does the signal survive the MLP, and does the network learn?

    Every initializer (at its default scale) × both activations × each
    layer's histogram, and the first SGD steps of each, are computed when the
    explorer is made, at its depth and width; the browser switches among them,
    so the explorer responds even on a static page. With Python behind it, the
    scale, depth and width can be changed too: the figures are then drawn
    live, and the training runs in the background.
    """

    def __init__(self, initializer="Normal(0, σ)", depth=10, width=256, activation="tanh", training_steps=STEPS):
        check_choice("initializer", initializer, INITIALIZERS)
        check_choice("activation", activation, ACTIVATIONS)
        depth = in_range("depth", depth, 1, MAX_DEPTH, check=positive_int)
        if is_bool(width) or width not in WIDTHS:
            raise ValueError(f"width must be one of {list(WIDTHS)} (the slider's stops), got {width!r}.")
        self.grid_depth, self.grid_width = depth, int(width)
        self.training_steps = positive_int("training_steps", training_steps)
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
        self._histogram, self._spread, self._training = ActivationHistogram(), SpreadFigure(), TrainingFigure()
        self.histogram_image = image_widget(b"", ActivationHistogram.FIGSIZE)
        self.spread_image = image_widget(b"", SpreadFigure.FIGSIZE)
        self.training_image = image_widget(b"", TrainingFigure.FIGSIZE)
        self.summary, self.training_summary = widgets.HTML(), widgets.HTML()
        self._trainer = BackgroundRun()
        self.panel = ResultPanel(self._precomputed(), widgets.VBox([
            widgets.HBox([self.histogram_image, self.spread_image]), self.training_image,
            self.summary, self.training_summary]))
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
        grid = [(i, a) for i in range(len(names)) for a in range(len(activations))]
        size = dict(depth=self.grid_depth, width=self.grid_width)
        stats = {(i, a): signal_stats(names[i], activation=activations[a], **size) for i, a in grid}
        self.curves = {(names[i], activations[a]): training_curve(names[i], activation=activations[a],
                                                                   steps=self.training_steps, **size)
                       for i, a in grid}

        def histogram(i, a, layer):
            return image_widget(self._histogram.render(stats[i, a], layer + 1, activations[a]),
                                ActivationHistogram.FIGSIZE,
                                histogram_words(stats[i, a], layer + 1, names[i], activations[a]))

        def spread(i, a):
            reference = REFERENCE[activations[a]]
            return image_widget(self._spread.render(stats[i, a], stats[names.index(reference), a], reference),
                                SpreadFigure.FIGSIZE,
                                f"Spread (standard deviation) of the activations and gradients, layer by layer, on a "
                                f"log scale, beside {reference} in grey. " + describe_stats(
                                    stats[i, a], settings(i, a), INITIALIZERS[names[i]].knob))

        def training(i, a):
            reference = REFERENCE[activations[a]]
            png = self._training.render(self.curves[names[i], activations[a]],
                                        self.curves[reference, activations[a]], names[i], reference,
                                        self.training_steps)
            return image_widget(png, TrainingFigure.FIGSIZE,
                                f"Training loss over the first {self.training_steps} SGD steps from this "
                                f"initialization, beside {reference} in grey. "
                                + describe_training(self.curves[names[i], activations[a]]))

        def settings(i, a):
            return dict(initializer=names[i], scale=INITIALIZERS[names[i]].default, activation=activations[a],
                        **size)

        def summary(i, a):
            return widgets.HTML(describe_stats(stats[i, a], settings(i, a), INITIALIZERS[names[i]].knob) + "<br>"
                                + describe_training(self.curves[names[i], activations[a]]))

        grid_controls = [self.initializer, self.activation]
        self.grid = {  # each a tree of Stacks, one level per control: initializer, activation (, layer)
            "histograms": choice_tree([*grid_controls, self.layer], histogram),
            "spreads": choice_tree(grid_controls, spread),
            "training": choice_tree(grid_controls, training),
            "summaries": choice_tree(grid_controls, summary),
        }
        return widgets.VBox([widgets.HBox([self.grid["histograms"], self.grid["spreads"]]),
                             self.grid["training"], self.grid["summaries"]])

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
        """Show the precomputed result of the current settings, or draw it live (training in the background)."""
        if self._quiet:
            return
        if self.on_grid():
            self._trainer.stop()
            self.panel.show_precomputed()
            return
        settings = self.settings()
        reference = REFERENCE[settings["activation"]]
        stats = signal_stats(**settings)
        reference_stats = signal_stats(reference, depth=settings["depth"], width=settings["width"],
                                       activation=settings["activation"])
        layer = min(self.layer.value, settings["depth"])
        self.histogram_image.value = self._histogram.render(stats, layer, settings["activation"])
        self.histogram_image.tooltip = histogram_words(stats, layer, settings["initializer"], settings["activation"])
        self.spread_image.value = self._spread.render(stats, reference_stats, reference)
        self.summary.value = describe_stats(stats, settings, self.scale.description)
        self.spread_image.tooltip = plain_text(self.summary.value)
        self.training_summary.value = f"Training: the first {self.training_steps} SGD steps are running…"
        self.training_image.value = self._training.render([], [], settings["initializer"], reference,
                                                          self.training_steps)  # empty axes until the run ends
        self.training_image.tooltip = self.training_summary.value
        self.panel.show_live()
        self._trainer.start(lambda should_stop: self._train_live(settings, should_stop))

    @shows_errors
    def _train_live(self, settings, should_stop):
        """Train from the current settings and from the reference initializer; draw both when done."""
        reference = REFERENCE[settings["activation"]]
        steps = self.training_steps
        losses = training_curve(**settings, steps=steps, should_stop=should_stop)
        reference_losses = training_curve(reference, depth=settings["depth"], width=settings["width"],
                                          activation=settings["activation"], steps=steps, should_stop=should_stop)
        if should_stop():
            return
        self.training_image.value = self._training.render(losses, reference_losses, settings["initializer"],
                                                          reference, steps)
        self.training_summary.value = describe_training(losses)
        self.training_image.tooltip = plain_text(self.training_summary.value)


def histogram_words(stats, layer, initializer, activation):
    """What the histogram of one layer shows, in words."""
    return (f"Histogram of the activations after layer {layer} for {initializer} with {activation}; their "
            f"standard deviation is {stats.activation_std[layer - 1]:.2g}.")
