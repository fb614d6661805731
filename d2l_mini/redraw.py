"""A time budget for redrawing a figure while something else works.

A training curve that redraws after every epoch can cost more than the
training: a PNG takes tens of milliseconds. :class:`RedrawBudget` lets a
figure be redrawn only when doing so keeps drawing below a share of the
time: a draw that took ``t`` seconds makes the next one wait
``t / max_fraction`` seconds (and at least ``min_interval``). The Animator
and the widgets' live figures both draw through it.
"""

import time

from .checks import positive_number


class RedrawBudget:
    """When a figure may be redrawn, so that drawing takes at most ``max_fraction`` of the time."""

    def __init__(self, max_fraction, min_interval=0.0, name="max_fraction"):
        """``name`` is what the caller calls ``max_fraction``, for the error a bad value gets."""
        self.max_fraction = positive_number(name, max_fraction)
        if self.max_fraction > 1:
            raise ValueError(f"{name} must be in (0, 1], got {max_fraction!r}.")
        self.min_interval = min_interval
        self.next_at = 0.0  # the first draw is always due
        self.spent = 0.0  # seconds spent drawing so far

    def due(self):
        """Whether a redraw now stays within the budget."""
        return time.perf_counter() >= self.next_at

    def draw(self, draw):
        """Call ``draw()`` now and charge its time; an exception propagates and charges nothing."""
        started = time.perf_counter()
        result = draw()
        finished = time.perf_counter()
        cost = finished - started
        self.spent += cost
        self.next_at = finished + max(self.min_interval, cost / self.max_fraction)
        return result

    def draw_if_due(self, draw):
        """Call ``draw()`` if a redraw is due now; skip it otherwise."""
        if self.due():
            self.draw(draw)
