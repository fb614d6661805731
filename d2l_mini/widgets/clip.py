"""The clipping explorer: how the threshold θ decides whether training at a high learning rate survives.

It trains a small RNN at a deliberately high learning rate, unclipped and
clipped at every θ on its slider, when it is made; the browser switches among
the runs (:mod:`d2l_mini.widgets.precomputed`). With Python behind it, it
also trains live, for other numbers of epochs.
"""

import math

from .._optional import import_ipywidgets
from ..checks import in_range, positive_int
from ..figures import new_figure, png_bytes, use_plain_log_ticks
from ..small_runs import check_training_settings, outcome, small_run, widget_data
from .images import image_widget, plain_text
from .live_training import Progress, TrainsLive, live_redraw_budget
from .precomputed import ResultPanel, choice_tree, live_only, static_note
from .safety import shows_errors

widgets = import_ipywidgets()  # a clear "pip install d2l-mini[widgets]" error if it is missing

HIGHLIGHT, OTHER = "#1f77b4", "#a0a0a0"
PERPLEXITY_CAP = 1000  # exploded runs reach 1e30; the plot shows them at the cap


def capped(values):
    return [min(v, PERPLEXITY_CAP) for v in values]



FIGURE_WORDS = ("Left: perplexity per epoch of the clipped run (blue) and the unclipped run (grey). Right: each "
                "batch's gradient norm before clipping, on a log scale, with θ dashed. ")


class ClipFigure:
    """Perplexity per epoch, and each batch's gradient norm before clipping, of a clipped and an unclipped run."""

    FIGSIZE = (8.0, 2.9)

    def __init__(self):
        self.fig, (self.ppl_ax, self.norm_ax) = new_figure(self.FIGSIZE, 2, top=0.8, bottom=0.19)
        self.lines = {}
        # the unclipped run is drawn wide and underneath: where the two runs coincide, it shows as a grey edge
        for key, color, width in (("unclipped", OTHER, 2.5), ("clipped", HIGHLIGHT, 1)):
            (self.lines[key, "ppl"],) = self.ppl_ax.plot([], [], color=color, lw=2 * width)
            (self.lines[key, "norm"],) = self.norm_ax.plot([], [], color=color, lw=0.8 * width)
            (self.lines[key, "diverged"],) = self.ppl_ax.plot([], [], "x", color=color, ms=10, mew=2.5)
        self.theta_line = self.norm_ax.axhline(1.0, color="black", ls="--", lw=1)
        self.ppl_ax.set(xlabel="epoch", title=f"perplexity (x: diverged; capped at {PERPLEXITY_CAP})")
        self.norm_ax.set(xlabel="batch", title="gradient norm before clipping")
        for ax in (self.ppl_ax, self.norm_ax):
            use_plain_log_ticks(ax.yaxis)
            ax.grid(True, alpha=0.3)
        self.legend = self.fig.legend([self.lines["unclipped", "ppl"], self.lines["clipped", "ppl"],
                                       self.theta_line], ["", "", "θ"], loc="upper center", ncol=3,
                                      frameon=False, fontsize=9)

    def render(self, runs, theta, lr, num_epochs):
        """PNG bytes of ``runs`` ({"unclipped": history, "clipped": history or None}) at threshold ``theta``."""
        for key in ("unclipped", "clipped"):
            history = runs.get(key)
            perplexity = capped(history.perplexity) if history else []
            norms = history.grad_norms if history else []
            self.lines[key, "ppl"].set_data(range(1, len(perplexity) + 1), perplexity)
            self.lines[key, "norm"].set_data(range(1, len(norms) + 1), norms)
            blown_up = history is not None and history.diverged  # an x at the cap, in the epoch it diverged
            self.lines[key, "diverged"].set_data([len(perplexity) + 1] if blown_up else [],
                                                 [PERPLEXITY_CAP] if blown_up else [])
        labels = [f"no clipping (lr {lr:g})",
                  f"clipped at θ = {theta:g}" if theta is not None else "(θ off: no clipped run)", "θ"]
        for text, label in zip(self.legend.get_texts(), labels):
            text.set_text(label)
        self.theta_line.set_visible(theta is not None)
        self.theta_line.set_ydata([theta or 1.0] * 2)
        for ax in (self.ppl_ax, self.norm_ax):
            ax.relim(visible_only=True)
            ax.autoscale_view()
        self.ppl_ax.set_xlim(0.5, num_epochs + 0.5)
        return png_bytes(self.fig)


def clipped_share(history, theta):
    """The share of the steps whose gradient norm was above ``theta``, so that clipping scaled it down."""
    norms = history.grad_norms
    return sum(norm > theta for norm in norms) / len(norms) if norms else 0.0


def clip_outcome_html(runs, theta, lr):
    """The outcome of both runs, in words, and how often clipping fired."""
    clipped, words = runs.get("clipped"), f"Learning rate {lr:g}. "
    if clipped is not None:
        share = clipped_share(clipped, theta)
        fired = (f"it scaled down {share:.0%} of the steps" if share else
                 "it never fired, so this is the unclipped run")
        words += f"Clipped at θ = {theta:g}: <b>{outcome(clipped)}</b>; {fired}. "
    return words + f"No clipping: <b>{outcome(runs['unclipped'])}</b>."


class ClipExplorer(TrainsLive, widgets.VBox):
    """Gradient clipping: a run clipped at θ beside the same run unclipped, at a high learning rate.

    The default is a deliberately high learning rate on a small RNN, where a
    few batches produce huge gradients: unclipped, training blows up; clipped
    at a modest θ, it learns. Every θ on the slider is trained when the
    explorer is made (each run is short); with Python behind it, the
    explorer also trains live (Train), and for other numbers of epochs.
    """

    THETAS = (0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100, math.inf)  # θ = ∞ ("off"): no clipping
    SHOWING_PRECOMPUTED = "showing the run trained when the explorer was made; Train live to watch it train"

    def __init__(self, theta=0.3, num_epochs=60, num_hiddens=64, lr=5.0, seed=0):
        if theta not in self.THETAS or isinstance(theta, bool):
            raise ValueError(f"theta must be one of the slider's stops {list(self.THETAS)} (math.inf: off), "
                             f"got {theta!r}.")
        self.grid_epochs = in_range("num_epochs", num_epochs, 10, 200, check=positive_int)
        self.num_hiddens, self.lr, self.seed = check_training_settings(num_hiddens, lr, seed)
        self.last_error = None  # the last exception a control or run ran into (shown in the progress line)
        self.theta = widgets.SelectionSlider(options=[(self._label(t), t) for t in self.THETAS], value=theta,
                                             continuous_update=False, description="θ")
        self.num_epochs = widgets.IntSlider(value=num_epochs, min=10, max=200, step=10,
                                            continuous_update=False, description="epochs")
        self.make_live_controls()
        live_only(self.num_epochs, self.train_button, self.stop_button, self.progress)
        self._figure = ClipFigure()
        self.figure = image_widget(b"", ClipFigure.FIGSIZE)
        self.outcome = widgets.HTML()
        self.results = {}  # the live runs: "unclipped" and "clipped"
        self._unclipped_for = None  # the settings the cached unclipped run belongs to
        self._data = widget_data(use_random_iter=False)
        self.precomputed = self._train_grid()
        self.panel = ResultPanel(choice_tree([self.theta], self._precomputed_result),
                                 widgets.VBox([self.figure, self.outcome]))
        controls = widgets.VBox([self.theta, widgets.HBox([self.num_epochs, self.train_button, self.stop_button])])
        super().__init__([controls, static_note("train live, for any number of epochs"), self.progress, self.panel])
        self.add_class("d2l-clip-explorer")
        self.theta.observe(self._on_setting, names="value")
        self.num_epochs.observe(self._on_setting, names="value")
        self.progress.value = self.SHOWING_PRECOMPUTED

    @staticmethod
    def _label(theta):
        return "off" if math.isinf(theta) else f"{theta:g}"

    @property
    def current_theta(self):
        """The chosen θ, or None for no clipping."""
        return None if math.isinf(self.theta.value) else self.theta.value

    def _train_grid(self):
        """One run per θ at the explorer's settings, θ = ∞ being the unclipped run: {θ: history}."""
        runs = {}
        for theta in self.THETAS:
            clip_at = None if math.isinf(theta) else theta
            *_, runs[theta] = small_run(self.num_hiddens, self.lr, self.grid_epochs, clip_at, False, self.seed,
                                        data=self._data)
        self.results["unclipped"] = runs[math.inf]
        self._unclipped_for = (self.grid_epochs, self.num_hiddens, self.lr, self.seed)
        return runs

    def _precomputed_result(self, index):
        theta = self.THETAS[index]
        clipped = None if math.isinf(theta) else self.precomputed[theta]
        runs = {"unclipped": self.precomputed[math.inf], "clipped": clipped}
        theta = None if clipped is None else theta
        words = clip_outcome_html(runs, theta, self.lr)
        return widgets.VBox([image_widget(self._figure.render(runs, theta, self.lr, self.grid_epochs),
                                          ClipFigure.FIGSIZE, FIGURE_WORDS + words),
                             widgets.HTML(words)])

    @shows_errors
    def _on_setting(self, _change=None):
        """A precomputed setting shows at once (the browser already switched it); any other trains live."""
        if self.num_epochs.value == self.grid_epochs:
            self.show_precomputed()
        else:
            self._runner.start(self.run)

    @shows_errors
    def run(self, should_stop):
        """Train the unclipped reference (once per setting) and the clipped run live, redrawing as they go."""
        self.panel.show_live()
        num_epochs = self.num_epochs.value
        settings = (num_epochs, self.num_hiddens, self.lr, self.seed)
        theta = self.current_theta
        self.results.pop("clipped", None)
        if self._unclipped_for != settings:
            self.results.pop("unclipped", None)
            progress = Progress(self.progress, num_epochs, "without clipping")
            *_, history = small_run(self.num_hiddens, self.lr, num_epochs, None, False, self.seed, should_stop,
                                    on_epoch=self._live(progress, "unclipped"), data=self._data)
            if history.stopped:
                return
            self.results["unclipped"], self._unclipped_for = history, settings
        if theta is not None:
            progress = Progress(self.progress, num_epochs, f"clipped at θ = {theta:g}")
            *_, history = small_run(self.num_hiddens, self.lr, num_epochs, theta, False, self.seed, should_stop,
                                    on_epoch=self._live(progress, "clipped"), data=self._data)
            self.results["clipped"] = history
            if history.stopped:
                self.redraw()
                return
        self.redraw()
        self.outcome.value = clip_outcome_html(self.results, theta, self.lr)
        self.figure.tooltip = plain_text(FIGURE_WORDS + self.outcome.value)
        self.progress.value = "done, trained live"

    def _live(self, progress, key):
        budget = live_redraw_budget()

        def on_epoch(epoch, history):
            progress.update(epoch)
            self.results[key] = history
            budget.draw_if_due(self.redraw)

        return on_epoch

    def redraw(self):
        """Draw the live runs so far."""
        self.figure.value = self._figure.render(self.results, self.current_theta, self.lr, self.num_epochs.value)
