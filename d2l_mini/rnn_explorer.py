"""Live controls for the chapter "Recurrent Neural Networks from Scratch".

Three widgets, each teaching one idea:

* :class:`ClipExplorer`: how the clipping threshold θ decides whether
  training at a high learning rate survives;
* :class:`SamplingExplorer`: why carrying the hidden state across batches
  (sequential partitioning) beats starting each batch cold (random sampling);
* :class:`GenerationExplorer`: how the temperature trades safe, repetitive
  text for varied, error-prone text.

Each computes, when it is made, the results of a small grid of settings,
which the browser switches among with no kernel (:mod:`d2l_mini.precomputed`):
that is what the static book shows. With Python behind it, each widget also
trains or generates *live* on request, or for settings off the grid; live
training runs in a background thread (:class:`d2l_mini.live_runs.TrainsLive`).
"""

import html
import math

import torch
import torch.nn.functional as F

from ._optional import import_ipywidgets
from .checks import non_negative_int, positive_int, positive_number
from .devices import set_seed, try_gpu
from .figures import image_widget, new_figure, png_bytes, use_plain_log_ticks
from .live_runs import Progress, Throttle, TrainsLive
from .precomputed import ResultPanel, choice_tree, live_only, static_note
from .rnn_scratch import clean_prefix, detach_state, fast_rnn_model, predict_ch8, train_ch8
from .sequences import load_data_time_machine
from .widget_safety import error_html, shows_errors, text_html

widgets = import_ipywidgets()  # a clear "pip install d2l-mini[widgets]" error if it is missing

HIGHLIGHT, OTHER = "#1f77b4", "#a0a0a0"
PERPLEXITY_CAP = 1000  # exploded runs reach 1e30; the plot shows them at the cap
BATCH_SIZE, NUM_STEPS = 32, 35


def widget_data(use_random_iter):
    """The Time Machine batches every widget run trains on: (train_iter, vocab), read once per widget."""
    return load_data_time_machine(BATCH_SIZE, NUM_STEPS, use_random_iter=use_random_iter)


def small_run(num_hiddens, lr, num_epochs, theta, use_random_iter, seed, should_stop=None, on_epoch=None,
              device=None, data=None):
    """Train a fresh fast scratch RNN at widget-sized settings; returns (net, vocab, history).

    ``data`` is what :func:`widget_data` returns for ``use_random_iter``;
    without it the text is read again.
    """
    device = device or try_gpu()
    set_seed(seed)
    train_iter, vocab = data or widget_data(use_random_iter)
    net = fast_rnn_model(len(vocab), num_hiddens, device)
    history = train_ch8(net, train_iter, vocab, lr, num_epochs, device, use_random_iter=use_random_iter,
                        theta=theta, animate=False, verbose=False, on_epoch=on_epoch, should_stop=should_stop)
    return net, vocab, history


def outcome(history):
    """How a run ended, in words: its final perplexity, or that (and when) it diverged."""
    if history.diverged:
        return f"diverged in epoch {len(history.perplexity) + 1}"
    return f"perplexity {history.final_perplexity:.3g}"


def capped(values):
    return [min(v, PERPLEXITY_CAP) for v in values]


def in_slider_range(name, value, low, high, check=positive_number):
    """``value`` checked by ``check`` and within a slider's ``[low, high]``, or a ValueError that says so."""
    value = check(name, value)
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low:g} and {high:g} (the slider's range), got {value!r}.")
    return value


def check_training_settings(num_hiddens, lr, seed):
    """The settings a widget passes to every run, checked once when the widget is made."""
    return positive_int("num_hiddens", num_hiddens), positive_number("lr", lr), non_negative_int("seed", seed)


# --- gradient clipping ------------------------------------------------------------------------------------------------


class ClipFigure:
    """Perplexity per epoch, and each batch's gradient norm before clipping, of a clipped and an unclipped run."""

    FIGSIZE = (8.0, 2.9)

    def __init__(self):
        self.fig, (self.ppl_ax, self.norm_ax) = new_figure(self.FIGSIZE, 2, top=0.8, bottom=0.19)
        self.lines = {}
        for key, color in (("unclipped", OTHER), ("clipped", HIGHLIGHT)):
            (self.lines[key, "ppl"],) = self.ppl_ax.plot([], [], color=color, lw=2)
            (self.lines[key, "norm"],) = self.norm_ax.plot([], [], color=color, lw=0.8)
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


def clip_outcome_html(runs, theta, lr):
    """The outcome of both runs, in words."""
    clipped = runs.get("clipped")
    first = f"clipped at θ = {theta:g}: <b>{outcome(clipped)}</b>; " if clipped is not None else ""
    return f"Learning rate {lr:g}. {first}no clipping: <b>{outcome(runs['unclipped'])}</b>."


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
        self.grid_epochs = in_slider_range("num_epochs", num_epochs, 10, 200, check=positive_int)
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
        return widgets.VBox([image_widget(self._figure.render(runs, theta, self.lr, self.grid_epochs),
                                          ClipFigure.FIGSIZE),
                             widgets.HTML(clip_outcome_html(runs, theta, self.lr))])

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
        self.progress.value = "done, trained live"

    def _live(self, progress, key):
        redraw = Throttle(self.redraw)

        def on_epoch(epoch, history):
            progress.update(epoch)
            self.results[key] = history
            redraw()

        return on_epoch

    def redraw(self):
        """Draw the live runs so far."""
        self.figure.value = self._figure.render(self.results, self.current_theta, self.lr, self.num_epochs.value)


# --- sequential partitioning or random sampling -----------------------------------------------------------------------


def perplexity_by_position(net, use_random_iter, device, num_passes=4, seed=0, data=None):
    """Perplexity at each position of the training windows, parameters fixed, read the way training read them.

    Random sampling starts every window from a zero state, so the first
    characters of a window are predicted with no context at all; sequential
    partitioning carries the state over from the previous window. Returns one
    perplexity per position (``NUM_STEPS`` of them), averaged over
    ``num_passes`` passes through the data, each from its own random offset.
    ``data`` is what :func:`widget_data` returns for ``use_random_iter``.
    """
    set_seed(seed)
    train_iter, _ = data or widget_data(use_random_iter)
    total, count = torch.zeros(NUM_STEPS), 0
    with torch.no_grad():
        for _ in range(num_passes):
            state = None
            for X, Y in train_iter:
                if state is None or use_random_iter:
                    state = net.begin_state(batch_size=X.shape[0], device=device)
                else:
                    state = detach_state(state)
                outputs, state = net(X.to(device), state)
                losses = F.cross_entropy(outputs, Y.T.reshape(-1).to(device), reduction="none")
                total += losses.reshape(NUM_STEPS, -1).sum(dim=1).cpu()
                count += X.shape[0]
    return (total / count).exp().tolist()


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
        return widgets.VBox([image_widget(self._figure.render(self.runs, mode, seed), SamplingFigure.FIGSIZE),
                             widgets.HTML(sampling_summary_html(self.runs, mode, seed, self.PREFIX))])

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
        redraw = Throttle(self.redraw)

        def on_epoch(epoch, history):
            progress.update(epoch)
            self.live[mode] = SamplingRun(history, None, "")
            redraw()

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


# --- generating text --------------------------------------------------------------------------------------------------


PREFIXES = ("time traveller ", "filby ", "the psychologist ", "the medical man ")  # characters of the story


class GenerationExplorer(widgets.VBox):
    """Text from a trained model: greedy, or sampled at a temperature.

    Every prefix on the menu × every temperature on the slider is generated
    when the explorer is made (milliseconds each). With Python behind it, you
    can also type your own prefix, change the length, and draw new samples.
    """

    TEMPERATURES = (("greedy", 0.0), ("0.5", 0.5), ("0.8", 0.8), ("1", 1.0), ("1.5", 1.5))

    def __init__(self, net, vocab, device, prefixes=PREFIXES, num_chars=80):
        if isinstance(prefixes, str) or not prefixes or not all(isinstance(p, str) for p in prefixes):
            raise ValueError(f"prefixes must be a non-empty list of strings (the menu), got {prefixes!r}.")
        self.prefixes = tuple(prefixes)
        self.grid_chars = in_slider_range("num_chars", num_chars, 1, 400, check=positive_int)
        self.net, self.vocab, self.device = net, vocab, device
        self.last_error = None  # the last exception generating ran into (shown in place of the text)
        self.prefix = widgets.Dropdown(options=list(self.prefixes), value=self.prefixes[0], description="prefix")
        self.temperature = widgets.SelectionSlider(options=list(self.TEMPERATURES), value=0.0,
                                                   continuous_update=False, description="temperature",
                                                   style={"description_width": "initial"})
        self.own_prefix = widgets.Text(value="", placeholder="or type your own prefix", continuous_update=True)
        self.num_chars = widgets.IntSlider(value=num_chars, min=1, max=400, continuous_update=False,
                                           description="characters")
        self.resample = widgets.Button(description="New sample", icon="refresh")
        live_only(self.own_prefix, self.num_chars, self.resample)
        self.output = widgets.HTML()
        self._sample_seed = 0
        self._text = ""
        self.precomputed = {(p, t): self._generate(p, self.grid_chars, t, 0)
                            for p in self.prefixes for _, t in self.TEMPERATURES}
        self.panel = ResultPanel(choice_tree([self.prefix, self.temperature], self._precomputed_result), self.output)
        super().__init__([widgets.HBox([self.prefix, self.temperature]),
                          widgets.HBox([self.own_prefix, self.num_chars, self.resample]),
                          static_note("type your own prefix, change the length and draw new samples"), self.panel])
        self.add_class("d2l-generation-explorer")
        for control in (self.prefix, self.temperature, self.own_prefix, self.num_chars):
            control.observe(self.generate, names="value")
        self.resample.on_click(self._new_sample)
        self.generate()

    def _generate(self, prefix, num_chars, temperature, sample_seed):
        generator = torch.Generator().manual_seed(sample_seed)
        return predict_ch8(prefix, num_chars, self.net, self.vocab, self.device, temperature=temperature,
                           generator=generator)

    def _precomputed_result(self, prefix_index, temperature_index):
        prefix, temperature = self.prefixes[prefix_index], self.TEMPERATURES[temperature_index][1]
        return widgets.HTML(self._text_html(prefix, self.precomputed[prefix, temperature]))

    def text(self):
        """The text shown now ('' after an error)."""
        return self._text

    def show_error(self, message):
        """Show the problem in place of the text, which is then empty."""
        self._text = ""
        self.panel.show_live()
        self.output.value = error_html(message)

    @shows_errors
    def _new_sample(self, _button):
        self._sample_seed += 1
        self.generate()

    def current_prefix(self):
        """The typed prefix if there is one, else the menu's."""
        return self.own_prefix.value if self.own_prefix.value.strip() else self.prefix.value

    @shows_errors
    def generate(self, _change=None):
        """Show the text for the current settings: precomputed if it is on the grid, else generated now."""
        temperature = self.temperature.value
        if temperature:
            positive_number("temperature", temperature)
        prefix = self.current_prefix()
        typed = bool(self.own_prefix.value.strip())
        key = (prefix, temperature)
        if not typed and key in self.precomputed and self.num_chars.value == self.grid_chars and not self._sample_seed:
            self._text = self.precomputed[key]
            self.panel.show_precomputed()
            return
        self._text = self._generate(prefix, self.num_chars.value, temperature, self._sample_seed)
        self.output.value = self._text_html(prefix, self._text)
        self.panel.show_live()

    def _text_html(self, prefix, text):
        """``text`` with the prefix, as the model read it, in bold: exactly the cleaned prefix."""
        prefix_as_read = self._prefix_as_read(prefix)
        split = len(prefix_as_read) if text.startswith(prefix_as_read) else 0
        return (f"<pre style='white-space:pre-wrap'><b>{text_html(text[:split])}</b>"
                f"{text_html(text[split:])}</pre>")

    def _prefix_as_read(self, prefix):
        """The cleaned prefix, each character turned into its token and back, as predict_ch8 writes it."""
        cleaned = clean_prefix(prefix, self.vocab)
        return "".join(self.vocab.to_tokens(self.vocab[list(cleaned)]))
