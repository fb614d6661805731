"""Training that runs in the background of a widget, and the line that reports on it.

A widget that trains must keep the kernel free to handle its other controls:
a Stop click, or a new request, has to end the current run within a moment.
So a run goes to a thread (:class:`BackgroundRun`), reports each epoch to a
progress line (:class:`Progress`), and redraws its figure within a time
budget (:func:`live_redraw_budget`, the Animator's :class:`~d2l_mini.redraw.RedrawBudget`),
so drawing never costs the run much of its time.
:class:`TrainsLive` puts these together for a widget: its Train live and
Stop buttons, its progress line and its one background run.
"""

import threading
import time

from .._optional import import_ipywidgets
from ..redraw import RedrawBudget
from .safety import shows_errors

widgets = import_ipywidgets()  # a clear "pip install d2l-mini[widgets]" error if it is missing


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


def live_redraw_budget():
    """How often a live figure redraws: at most every 0.4 s, and at most 20% of the run's time."""
    return RedrawBudget(max_fraction=0.2, min_interval=0.4)


def progress_label():
    """The line that says what a widget is doing ('epoch k of N, about s left', 'done', 'stopped')."""
    label = widgets.Label()
    label.add_class("d2l-progress")
    return label


class TrainsLive:
    """What a widget that trains live needs, written once: Train live and Stop buttons, a progress line, a runner.

    The widget calls :meth:`make_live_controls` in its constructor, provides
    ``run(should_stop)`` (the live run) and ``panel`` (a
    :class:`~d2l_mini.precomputed.ResultPanel`), and sets
    ``SHOWING_PRECOMPUTED``, the progress line shown with a precomputed result.
    """

    SHOWING_PRECOMPUTED = "showing the result computed when the widget was made"

    def make_live_controls(self):
        self.train_button = widgets.Button(description="Train live", button_style="primary", icon="play")
        self.stop_button = widgets.Button(description="Stop", icon="stop")
        self.progress = progress_label()
        self._runner = BackgroundRun()
        self.train_button.on_click(self._on_train)
        self.stop_button.on_click(self._on_stop)

    def show_error(self, message):
        self.progress.value = f"error: {message}"

    def show_precomputed(self):
        """End any live run and show the stored result (the browser has already switched it to the settings)."""
        self._runner.stop()
        self.panel.show_precomputed()
        self.progress.value = self.SHOWING_PRECOMPUTED

    @shows_errors
    def _on_train(self, _button=None):
        self._runner.start(self.run)

    @shows_errors
    def _on_stop(self, _button):
        self.stop()

    def stop(self):
        """End the current run; what it has trained so far stays on screen."""
        self._runner.stop()
        self.progress.value = "stopped"
