"""Live controls for the chapter "Recurrent Neural Networks from Scratch".

Three widgets, each a small self-contained app:

* :class:`ClipExplorer`: train with a gradient-clipping threshold θ next to a
  run without clipping, and watch the gradient norms before clipping;
* :class:`SamplingExplorer`: sequential partitioning against random sampling;
* :class:`GenerationExplorer`: generate text from a trained model.

Training runs in a background thread (:class:`BackgroundRun`), so the kernel
keeps handling widget messages: a Stop click or a new request ends the run
within a moment. A run that a widget starts while it is being built (its
default setting) runs to the end before the cell finishes, so a notebook
executed headless stores every widget with its default result.
"""

import io
import threading
import time

import torch
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ._optional import import_ipywidgets
from .checks import non_negative_int, positive_int, positive_number
from .devices import set_seed, try_gpu
from .plotting import use_plain_log_ticks
from .rnn_scratch import clean_prefix, fast_rnn_model, predict_ch8, train_ch8
from .sequences import load_data_time_machine
from .widget_safety import error_html, shows_errors, text_html

widgets = import_ipywidgets()  # a clear "pip install d2l-mini[widgets]" error if it is missing

CLIPPED, UNCLIPPED = "#1f77b4", "#999999"
PERPLEXITY_CAP = 1000  # exploded runs reach 1e30; the plot shows them at the cap


class BackgroundRun:
    """At most one training run at a time, in a thread that can be told to stop."""

    def __init__(self):
        self._thread = None
        self._stop = threading.Event()

    @property
    def running(self):
        return self._thread is not None and self._thread.is_alive()

    def start(self, work):
        """Stop the current run (waiting up to a second or so) and start ``work(should_stop)``."""
        self.stop()
        stop = threading.Event()
        self._stop = stop
        self._thread = threading.Thread(target=work, args=(stop.is_set,), daemon=True)
        self._thread.start()

    def stop(self, timeout=2.0):
        """Ask the current run to stop and wait for it to wind down."""
        self._stop.set()
        if self.running:
            self._thread.join(timeout)


class Progress:
    """'epoch k of N, about s left', computed from the time the run has taken so far."""

    def __init__(self, label, num_epochs, what="training"):
        self.label, self.num_epochs, self.what = label, num_epochs, what
        self.started = time.perf_counter()

    def update(self, epoch):
        elapsed = time.perf_counter() - self.started
        left = elapsed / epoch * (self.num_epochs - epoch)
        self.label.value = f"{self.what}: epoch {epoch} of {self.num_epochs}, about {left:.0f} s left"


class Throttle:
    """Call ``draw`` at most every ``interval`` seconds and at most 20% of the time."""

    def __init__(self, draw, interval=0.4, max_fraction=0.2):
        self.draw, self.interval, self.max_fraction = draw, interval, max_fraction
        self.next_at = 0.0

    def __call__(self):
        now = time.perf_counter()
        if now >= self.next_at:
            self.draw()
            cost = time.perf_counter() - now
            self.next_at = now + max(self.interval, cost / self.max_fraction)


def figure_png(fig):
    """PNG bytes of a matplotlib figure."""
    buffer = io.BytesIO()
    fig.canvas.print_png(buffer)
    return buffer.getvalue()


def progress_label():
    """The line that says what a widget is doing ('epoch k of N, about s left', 'done', 'stopped')."""
    label = widgets.Label()
    label.add_class("d2l-progress")
    return label


def new_figure(ncols, figsize):
    fig = Figure(figsize=figsize, dpi=72)
    FigureCanvasAgg(fig)
    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.17, top=0.88, wspace=0.28)
    return fig, fig.subplots(1, ncols)


def capped(values):
    return [min(v, PERPLEXITY_CAP) for v in values]


def outcome(history):
    """How a run ended, in words: its final perplexity, or that (and when) it diverged."""
    if history.diverged:
        return f"diverged in epoch {len(history.perplexity) + 1}"
    return f"perplexity {history.final_perplexity:.3g}"


def in_slider_range(name, value, low, high, check=positive_number):
    """``value`` checked by ``check`` and within a slider's ``[low, high]``, or a ValueError that says so."""
    value = check(name, value)
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low:g} and {high:g} (the slider's range), got {value!r}.")
    return value


def check_training_settings(num_hiddens, lr, seed):
    """The settings a widget passes to every run, checked once when the widget is made."""
    return positive_int("num_hiddens", num_hiddens), positive_number("lr", lr), non_negative_int("seed", seed)


def small_run(num_hiddens, lr, num_epochs, theta, use_random_iter, seed, should_stop=None, on_epoch=None,
              device=None):
    """Train a fresh fast scratch RNN at widget-sized settings; returns (net, vocab, history)."""
    device = device or try_gpu()
    set_seed(seed)
    train_iter, vocab = load_data_time_machine(32, 35, use_random_iter=use_random_iter)
    net = fast_rnn_model(len(vocab), num_hiddens, device)
    history = train_ch8(net, train_iter, vocab, lr, num_epochs, device, use_random_iter=use_random_iter,
                        theta=theta, animate=False, verbose=False, on_epoch=on_epoch, should_stop=should_stop)
    return net, vocab, history


class ClipExplorer(widgets.VBox):
    """Gradient clipping, live: a run clipped at θ beside the same run unclipped.

    The default is a deliberately high learning rate on a small RNN, where a
    few batches produce huge gradients: unclipped, training blows up; clipped
    at a modest θ, it learns.
    """

    def __init__(self, theta=0.3, num_epochs=60, num_hiddens=64, lr=5.0, seed=0):
        theta = in_slider_range("theta", theta, 0.01, 100)
        num_epochs = in_slider_range("num_epochs", num_epochs, 10, 200, check=positive_int)
        self.num_hiddens, self.lr, self.seed = check_training_settings(num_hiddens, lr, seed)
        self.last_error = None  # the last exception a control or run ran into (shown in the progress line)
        self.theta = widgets.FloatLogSlider(value=theta, base=10, min=-2, max=2, step=0.1, readout_format=".2g",
                                            continuous_update=False, description="θ")
        self.clip = widgets.Checkbox(value=True, description="clip (uncheck: off)", indent=False)
        self.num_epochs = widgets.IntSlider(value=num_epochs, min=10, max=200, step=10,
                                            continuous_update=False, description="epochs")
        self.train_button = widgets.Button(description="Train", button_style="primary", icon="play")
        self.stop_button = widgets.Button(description="Stop", icon="stop")
        self.progress = progress_label()
        self.figure = widgets.Image(format="png", layout=widgets.Layout(width="100%"))
        self.results = {}
        self._unclipped_for = None  # the settings the cached unclipped run belongs to
        self._runner = BackgroundRun()
        self._build_figure()
        controls = widgets.VBox([widgets.HBox([self.theta, self.clip]),
                                 widgets.HBox([self.num_epochs, self.train_button, self.stop_button])])
        super().__init__([controls, self.progress, self.figure])
        self.add_class("d2l-clip-explorer")
        self.theta.observe(self._request, names="value")
        self.clip.observe(self._request, names="value")
        self.num_epochs.observe(self._request, names="value")
        self.train_button.on_click(self._request)
        self.stop_button.on_click(self._on_stop)
        self.run(should_stop=lambda: False)  # the default result, before the cell ends

    @property
    def current_theta(self):
        return self.theta.value if self.clip.value else None

    def show_error(self, message):
        self.progress.value = f"error: {message}"

    @shows_errors
    def _request(self, _change=None):
        """Start a run with the current settings, once they are checked (a bad θ is shown, not trained)."""
        if self.clip.value:
            positive_number("θ", self.theta.value)
        self._runner.start(self.run)

    @shows_errors
    def _on_stop(self, _button):
        self.stop()

    def stop(self):
        """End the current run; what it has trained so far stays on screen."""
        self._runner.stop()
        self.progress.value = "stopped"

    @shows_errors
    def run(self, should_stop):
        """Train the unclipped reference (once per setting) and the clipped run, redrawing as they go."""
        num_epochs = self.num_epochs.value
        settings = (num_epochs, self.num_hiddens, self.lr, self.seed)
        if self._unclipped_for != settings:
            self.results.pop("unclipped", None)
            progress = Progress(self.progress, num_epochs, "without clipping")
            *_, history = small_run(self.num_hiddens, self.lr, num_epochs, None, False, self.seed, should_stop,
                                    on_epoch=self._live(progress, "unclipped"))
            if history.stopped:
                return
            self.results["unclipped"], self._unclipped_for = history, settings
        theta = self.current_theta
        progress = Progress(self.progress, num_epochs, f"clipped at θ = {theta:.2g}" if theta else "no clipping")
        *_, history = small_run(self.num_hiddens, self.lr, num_epochs, theta, False, self.seed, should_stop,
                                on_epoch=self._live(progress, "clipped"))
        self.results["clipped"] = history
        self.redraw()
        if not history.stopped:
            self.progress.value = (f"done (lr {self.lr:g}): clipped run {outcome(history)}; "
                                   f"unclipped run {outcome(self.results['unclipped'])}")

    def _live(self, progress, key):
        redraw = Throttle(self.redraw)

        def on_epoch(epoch, history):
            progress.update(epoch)
            self.results[key] = history
            redraw()

        return on_epoch

    def _build_figure(self):
        self._fig, (self._ppl_ax, self._norm_ax) = new_figure(2, (9.0, 3.0))
        self._lines = {}
        for key, color in (("unclipped", UNCLIPPED), ("clipped", CLIPPED)):
            (self._lines[key, "ppl"],) = self._ppl_ax.plot([], [], color=color, lw=2)
            (self._lines[key, "norm"],) = self._norm_ax.plot([], [], color=color, lw=0.8)
            (self._lines[key, "diverged"],) = self._ppl_ax.plot([], [], "x", color=color, ms=10, mew=2.5)
        self._theta_line = self._norm_ax.axhline(1.0, color="black", ls="--", lw=1)
        self._ppl_ax.set(xlabel="epoch", title=f"perplexity (capped at {PERPLEXITY_CAP}), lr {self.lr:g}")
        self._norm_ax.set(xlabel="batch", title="gradient norm before clipping; dashed: θ")
        for ax in (self._ppl_ax, self._norm_ax):
            use_plain_log_ticks(ax.yaxis)
            ax.grid(True, alpha=0.3)
        self._legend = self._ppl_ax.legend([self._lines["unclipped", "ppl"], self._lines["clipped", "ppl"]],
                                           ["no clipping", "clipped"], loc="upper right", fontsize=8)

    def redraw(self):
        """Draw perplexity and gradient norms of the runs so far."""
        theta = self.current_theta
        for key in ("unclipped", "clipped"):
            history = self.results.get(key)
            perplexity = capped(history.perplexity) if history else []
            norms = history.grad_norms if history else []
            self._lines[key, "ppl"].set_data(range(1, len(perplexity) + 1), perplexity)
            self._lines[key, "norm"].set_data(range(1, len(norms) + 1), norms)
            blown_up = history is not None and history.diverged  # an x at the cap, in the epoch it diverged
            self._lines[key, "diverged"].set_data([len(perplexity) + 1] if blown_up else [],
                                                  [PERPLEXITY_CAP] if blown_up else [])
        labels = {"unclipped": "no clipping",
                  "clipped": f"clipped at θ = {theta:.2g}" if theta else "no clipping either"}
        for text, key in zip(self._legend.get_texts(), ("unclipped", "clipped")):
            history = self.results.get(key)
            text.set_text(labels[key] + (": diverged (x)" if history is not None and history.diverged else ""))
        self._theta_line.set_visible(theta is not None)
        self._theta_line.set_ydata([theta or 1.0] * 2)
        for ax in (self._ppl_ax, self._norm_ax):
            ax.relim(visible_only=True)
            ax.autoscale_view()
        self._ppl_ax.set_xlim(1, self.num_epochs.value)
        self.figure.value = figure_png(self._fig)


class SamplingExplorer(widgets.VBox):
    """Sequential partitioning against random sampling, one fresh model per choice."""

    MODES = {"sequential": False, "random": True}

    def __init__(self, num_epochs=40, num_hiddens=128, lr=1.0, seed=0):
        self.num_epochs = positive_int("num_epochs", num_epochs)
        self.num_hiddens, self.lr, self.seed = check_training_settings(num_hiddens, lr, seed)
        self.last_error = None  # the last exception a control or run ran into (shown in the progress line)
        self.mode = widgets.ToggleButtons(options=list(self.MODES), value="sequential", description="train with")
        self.stop_button = widgets.Button(description="Stop", icon="stop")
        self.progress = progress_label()
        self.figure = widgets.Image(format="png", layout=widgets.Layout(width="100%"))
        self.samples = widgets.HTML()
        self.results, self._texts, self._runs = {}, {}, {mode: 0 for mode in self.MODES}
        self._runner = BackgroundRun()
        self._build_figure()
        super().__init__([widgets.HBox([self.mode, self.stop_button]), self.progress, self.figure, self.samples])
        self.add_class("d2l-sampling-explorer")
        self.mode.observe(self._on_mode, names="value")
        self.stop_button.on_click(self._on_stop)
        for mode in self.MODES:  # the default result: one run of each mode
            self.train(mode, should_stop=lambda: False)
        self.progress.value = "one run of each mode; pick a mode to train it again with a new seed"

    def show_error(self, message):
        self.progress.value = f"error: {message}"

    @shows_errors
    def _on_mode(self, _change):
        self._runner.start(self.run)

    @shows_errors
    def _on_stop(self, _button):
        self.stop()

    def stop(self):
        self._runner.stop()
        self.progress.value = "stopped"

    @shows_errors
    def run(self, should_stop):
        """Train the chosen mode again (in the background thread); a problem is shown in the progress line."""
        self.train(self.mode.value, should_stop)

    def train(self, mode, should_stop):
        """Train a fresh model with ``mode``; each new run of a mode gets a new seed."""
        progress = Progress(self.progress, self.num_epochs, f"{mode} run {self._runs[mode] + 1}")
        redraw = Throttle(self.redraw)

        def on_epoch(epoch, history):
            progress.update(epoch)
            self.results[mode] = history
            redraw()

        net, vocab, history = small_run(self.num_hiddens, self.lr, self.num_epochs, 1.0, self.MODES[mode],
                                        self.seed + self._runs[mode], should_stop, on_epoch)
        if history.stopped:
            return
        self._runs[mode] += 1
        self.results[mode] = history
        self._texts[mode] = predict_ch8("time traveller", 60, net, vocab, try_gpu())
        self.redraw()
        self.progress.value = f"{mode} run {self._runs[mode]} done: perplexity {history.final_perplexity:.2f}"

    def _build_figure(self):
        self._fig, axes = new_figure(2, (9.0, 2.8))
        self._panels = {}
        for ax, mode, color in zip(axes, self.MODES, (CLIPPED, "#d62728")):
            (line,) = ax.plot([], [], lw=2, color=color)
            note = ax.text(0.97, 0.9, "", transform=ax.transAxes, ha="right")
            ax.set(xlabel="epoch", ylabel="perplexity", xlim=(1, self.num_epochs))
            ax.grid(True, alpha=0.3)
            self._panels[mode] = (ax, line, note)

    def redraw(self):
        """Both modes' latest curves on a shared scale, and their generated text."""
        upper = max((max(h.perplexity) for h in self.results.values() if h.perplexity), default=10)
        for mode, (ax, line, note) in self._panels.items():
            history = self.results.get(mode)
            perplexity = history.perplexity if history else []
            line.set_data(range(1, len(perplexity) + 1), perplexity)
            note.set_text(f"final {perplexity[-1]:.2f}" if perplexity else "")
            ax.set_title(f"{mode} (run {self._runs[mode]})")
            ax.set_ylim(1, upper * 1.05)
        self.figure.value = figure_png(self._fig)
        rows = "".join(f"<tr><td><b>{mode}</b></td><td><code>{text_html(self._texts.get(mode, ''))}</code></td></tr>"
                       for mode in self.MODES)
        self.samples.value = f"<table>{rows}</table>"


class GenerationExplorer(widgets.VBox):
    """Type a prefix, get text from a trained model: greedy or sampled with a temperature."""

    def __init__(self, net, vocab, device, prefix="time traveller ", num_chars=80):
        if not isinstance(prefix, str):
            raise ValueError(f"prefix must be a string, got {prefix!r}.")
        num_chars = in_slider_range("num_chars", num_chars, 1, 400, check=positive_int)
        self.net, self.vocab, self.device = net, vocab, device
        self.last_error = None  # the last exception generating ran into (shown in place of the text)
        self.prefix = widgets.Text(value=prefix, description="prefix", continuous_update=True)
        self.num_chars = widgets.IntSlider(value=num_chars, min=1, max=400, continuous_update=False,
                                           description="characters")
        self.decoding = widgets.ToggleButtons(options=["greedy", "sample"], value="greedy", description="decoding")
        self.temperature = widgets.FloatSlider(value=0.8, min=0.1, max=2.0, step=0.1, continuous_update=False,
                                               description="temperature", disabled=True,
                                               style={"description_width": "initial"})
        self.resample = widgets.Button(description="New sample", icon="refresh", disabled=True)
        self.output = widgets.HTML()
        self._sample_seed = 0
        self._text = ""
        super().__init__([widgets.HBox([self.prefix, self.num_chars]),
                          widgets.HBox([self.decoding, self.temperature, self.resample]), self.output])
        self.add_class("d2l-generation-explorer")
        for control in (self.prefix, self.num_chars, self.decoding, self.temperature):
            control.observe(self.generate, names="value")
        self.resample.on_click(self._new_sample)
        self.generate()

    def text(self):
        """The text shown now ('' after an error)."""
        return self._text

    def show_error(self, message):
        """Show the problem in place of the text, which is then empty."""
        self._text = ""
        self.output.value = error_html(message)

    @shows_errors
    def _new_sample(self, _button):
        self._sample_seed += 1
        self.generate()

    @shows_errors
    def generate(self, _change=None):
        """Regenerate from the current settings (a few milliseconds per character).

        The prefix, as the model read it, is shown in bold: exactly the cleaned
        prefix, however many characters cleaning removed.
        """
        sampling = self.decoding.value == "sample"
        self.temperature.disabled = self.resample.disabled = not sampling
        temperature = positive_number("temperature", self.temperature.value) if sampling else 0.0
        generator = torch.Generator().manual_seed(self._sample_seed)
        self._text = predict_ch8(self.prefix.value, self.num_chars.value, self.net, self.vocab, self.device,
                                 temperature=temperature, generator=generator)
        prefix_as_read = self._prefix_as_read()
        split = len(prefix_as_read) if self._text.startswith(prefix_as_read) else 0
        self.output.value = (f"<pre style='white-space:pre-wrap'><b>{text_html(self._text[:split])}</b>"
                             f"{text_html(self._text[split:])}</pre>")

    def _prefix_as_read(self):
        """The cleaned prefix, each character turned into its token and back, as predict_ch8 writes it."""
        cleaned = clean_prefix(self.prefix.value, self.vocab)
        return "".join(self.vocab.to_tokens(self.vocab[list(cleaned)]))
