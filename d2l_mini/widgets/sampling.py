"""The sampling explorer: sequential partitioning against random sampling, the same model read two ways.

Carrying the hidden state across batches gives every window a warm start;
starting each window from zeros pays for it in the first positions. Both
modes are trained with a few seeds when the explorer is made, and the browser
switches among the runs; with Python behind it, a run can be retrained live.
"""

import html

from .._optional import import_ipywidgets
from ..chapters.rnn_scratch import predict_ch8
from ..checks import non_negative_int, positive_int
from ..devices import try_gpu
from ..figures import new_figure, png_bytes
from ..small_runs import NUM_STEPS, check_training_settings, perplexity_by_position, small_run, widget_data
from .clip import HIGHLIGHT, OTHER
from .images import image_widget
from .live_training import Progress, TrainsLive, live_redraw_budget
from .precomputed import ResultPanel, choice_tree, live_only, static_note
from .safety import shows_errors, text_html

widgets = import_ipywidgets()  # a clear "pip install d2l-mini[widgets]" error if it is missing


class SamplingRun:
    """One finished run of the sampling explorer: its history, its perplexity by position, a sample of its text."""

    def __init__(self, history, by_position, sample):
        self.history, self.by_position, self.sample = history, by_position, sample


class SamplingFigure:
    """Final perplexity of every seed, and perplexity by position in the window for the chosen seed.

    The chosen mode is drawn in colour, the other in grey; the chosen seed's
    dots stand on a shaded band.
    """

    FIGSIZE = (8.0, 2.9)
    COLORS = {"sequential": HIGHLIGHT, "random": "#d62728"}
    MARKERS = {"sequential": "o", "random": "s"}

    def __init__(self):
        self.fig, (self.seed_ax, self.position_ax) = new_figure(self.FIGSIZE, 2, top=0.8, bottom=0.19)
        self.dots = {mode: self.seed_ax.plot([], [], self.MARKERS[mode], ms=8, ls="none")[0] for mode in self.COLORS}
        self.ring = self.seed_ax.axvspan(-0.3, 0.3, color="#f0e68c", alpha=0.5, lw=0)
        self.curves = {mode: self.position_ax.plot([], [], lw=2)[0] for mode in self.COLORS}
        self.seed_ax.set(xlabel="seed", ylabel="perplexity", title="final training perplexity")
        self.position_ax.set(xlabel="position in the 35-character window", title="by position, after training")
        for ax in (self.seed_ax, self.position_ax):
            ax.grid(True, alpha=0.3)
        self.legend = self.fig.legend([self.dots["sequential"], self.dots["random"]], list(self.COLORS),
                                      loc="upper center", ncol=2, frameon=False, fontsize=9)

    def render(self, runs_by_seed, chosen_mode, chosen_seed):
        """PNG bytes of ``runs_by_seed`` ({seed: {mode: SamplingRun or None}})."""
        seeds = list(runs_by_seed)
        finals = []
        for mode in self.COLORS:
            color = self.COLORS[mode] if mode == chosen_mode else OTHER
            values = [runs_by_seed[seed][mode].history.final_perplexity if runs_by_seed[seed][mode] else float("nan")
                      for seed in seeds]
            finals += [v for v in values if v == v]
            self.dots[mode].set(data=(range(len(seeds)), values), color=color, zorder=3 if mode == chosen_mode else 2)
            run = runs_by_seed[chosen_seed][mode]
            by_position = run.by_position if run is not None and run.by_position else []
            self.curves[mode].set_data(range(1, len(by_position) + 1), by_position)
            self.curves[mode].set(color=color, lw=2.5 if mode == chosen_mode else 1.5,
                                  zorder=3 if mode == chosen_mode else 2)
        for handle, mode in zip(self.legend.legend_handles, self.COLORS):
            handle.set_color(self.COLORS[mode] if mode == chosen_mode else OTHER)
        for text, mode in zip(self.legend.get_texts(), self.COLORS):
            text.set_text(mode + (" (in colour)" if mode == chosen_mode else ""))
        position = seeds.index(chosen_seed)
        self.ring.set_x(position - 0.3)
        self.seed_ax.set_xticks(range(len(seeds)), [str(seed) for seed in seeds])
        self.seed_ax.set_xlim(-0.6, len(seeds) - 0.4)
        if finals:
            low, high = min(finals), max(finals)
            margin = max(0.15 * (high - low), 0.02 * high)
            self.seed_ax.set_ylim(low - margin, high + margin)
        self.position_ax.set_xlim(0.5, NUM_STEPS + 0.5)
        self.position_ax.relim()
        self.position_ax.autoscale_view(scalex=False)
        return png_bytes(self.fig)


def sampling_summary_html(runs_by_seed, chosen, seed, prefix):
    """The final perplexities of every seed, and the chosen run's generated text."""
    def finals(mode):
        values = [runs[mode].history.final_perplexity for runs in runs_by_seed.values()]
        return " / ".join(f"{value:.2f}" for value in values)

    seeds = " / ".join(str(s) for s in runs_by_seed)
    run = runs_by_seed[seed][chosen]
    return (f"Final training perplexity, seeds {seeds}: sequential <b>{finals('sequential')}</b>, "
            f"random <b>{finals('random')}</b>.<br>"
            f"The {chosen} model (seed {seed}) continues <code>{html.escape(prefix)}</code>: "
            f"<code>{text_html(run.sample)}</code>")


def figure_words(runs_by_seed, mode, seed):
    """What the sampling explorer's figure shows, in words, ahead of its summary."""
    positions = {m: runs_by_seed[seed][m].by_position for m in runs_by_seed[seed] if runs_by_seed[seed][m]}
    first = "; ".join(f"{m} {values[0]:.3g}" for m, values in positions.items() if values)
    return (f"Left: final training perplexity of each seed, {mode} in colour. Right: perplexity at each position of "
            f"the 35-character window for seed {seed}; at position 1, {first}. ")


class SamplingExplorer(TrainsLive, widgets.VBox):
    """Sequential partitioning against random sampling: the same model and data, read two ways.

    Both modes are trained with each of a few seeds when the explorer is
    made; the browser switches among the runs. With Python behind it, Train
    live trains the chosen mode and seed again while you watch.
    """

    MODES = {"sequential": False, "random": True}
    PREFIX = "time traveller"
    SHOWING_PRECOMPUTED = "showing runs trained when the explorer was made; Train live to watch one train"

    def __init__(self, num_epochs=60, num_hiddens=64, lr=2.0, seeds=(0, 1, 2)):
        self.num_epochs = positive_int("num_epochs", num_epochs)
        self.num_hiddens, self.lr, _ = check_training_settings(num_hiddens, lr, 0)
        if isinstance(seeds, (str, bytes)) or not hasattr(seeds, "__iter__"):
            raise ValueError(f"seeds must be a list of seeds, e.g. (0, 1, 2), got {seeds!r}.")
        seeds = tuple(non_negative_int("seed", seed) for seed in seeds)
        if not seeds or len(set(seeds)) != len(seeds):
            raise ValueError(f"seeds must be one or more different seeds, got {seeds!r}.")
        self.last_error = None  # the last exception a control or run ran into (shown in the progress line)
        self.mode = widgets.ToggleButtons(options=list(self.MODES), value="sequential", description="model")
        self.seed = widgets.ToggleButtons(options=[(str(seed), seed) for seed in seeds], value=seeds[0],
                                          description="seed", style={"button_width": "40px"})
        self.make_live_controls()
        live_only(self.train_button, self.stop_button, self.progress)
        self._figure = SamplingFigure()
        self.figure = image_widget(b"", SamplingFigure.FIGSIZE)
        self.samples = widgets.HTML()
        self._data = {mode: widget_data(use_random_iter) for mode, use_random_iter in self.MODES.items()}
        self.runs = {seed: {mode: self._train(mode, seed) for mode in self.MODES} for seed in seeds}
        self.live = {}  # the live runs of the chosen seed, by mode
        self.panel = ResultPanel(choice_tree([self.seed, self.mode], self._precomputed_result),
                                 widgets.VBox([self.figure, self.samples]))
        super().__init__([widgets.HBox([self.seed, self.mode]), widgets.HBox([self.train_button, self.stop_button]),
                          static_note("watch a run train live"), self.progress, self.panel])
        self.add_class("d2l-sampling-explorer")
        self.mode.observe(self._on_setting, names="value")
        self.seed.observe(self._on_setting, names="value")
        self.progress.value = self.SHOWING_PRECOMPUTED

    def _train(self, mode, seed, should_stop=None, on_epoch=None):
        """Train a fresh model with ``mode`` and ``seed``; a :class:`SamplingRun`, or None if it was stopped."""
        device = try_gpu()
        net, vocab, history = small_run(self.num_hiddens, self.lr, self.num_epochs, 1.0, self.MODES[mode], seed,
                                        should_stop, on_epoch, device, data=self._data[mode])
        if history.stopped:
            return None
        by_position = perplexity_by_position(net, self.MODES[mode], device, seed=seed, data=self._data[mode])
        return SamplingRun(history, by_position, predict_ch8(self.PREFIX, 60, net, vocab, device))

    def _precomputed_result(self, seed_index, mode_index):
        seed, mode = self.seed.options[seed_index][1], list(self.MODES)[mode_index]
        words = sampling_summary_html(self.runs, mode, seed, self.PREFIX)
        return widgets.VBox([image_widget(self._figure.render(self.runs, mode, seed), SamplingFigure.FIGSIZE,
                                          figure_words(self.runs, mode, seed) + words),
                             widgets.HTML(words)])

    @shows_errors
    def _on_setting(self, _change=None):
        """Every mode and seed is precomputed: show it (the browser already switched to it)."""
        self.show_precomputed()

    @shows_errors
    def run(self, should_stop):
        """Train the chosen mode and seed live, beside the other mode's precomputed run of that seed."""
        mode, seed = self.mode.value, self.seed.value
        other = next(m for m in self.MODES if m != mode)
        self.live = {mode: None, other: self.runs[seed][other]}
        self.panel.show_live()
        progress = Progress(self.progress, self.num_epochs, f"{mode}, seed {seed}")
        budget = live_redraw_budget()

        def on_epoch(epoch, history):
            progress.update(epoch)
            self.live[mode] = SamplingRun(history, None, "")
            budget.draw_if_due(self.redraw)

        run = self._train(mode, seed, should_stop, on_epoch)
        if run is None:
            return
        self.live[mode] = run
        self.redraw()
        with_live_run = {**self.runs, seed: {**self.runs[seed], mode: run}}
        self.samples.value = sampling_summary_html(with_live_run, mode, seed, self.PREFIX)
        self.progress.value = f"{mode}, seed {seed}: done, trained live: perplexity {run.history.final_perplexity:.2f}"

    def redraw(self):
        """Draw the live run so far, in place of its precomputed twin."""
        seed = self.seed.value
        runs = {**self.runs, seed: self.live}
        self.figure.value = self._figure.render(runs, self.mode.value, seed)


