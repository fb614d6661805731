"""Timing helpers: a stopwatch that remembers every lap."""

import time


class Timer:
    """Record how long several stretches of work took.

    A lap starts with ``start()`` and ends with ``stop()``; the timer keeps all
    laps so a training loop can report averages and running totals. It also
    works as a context manager, timing the ``with`` block as one lap.
    """

    def __init__(self):
        self.times = []
        self._started_at = None
        self.start()

    def start(self):
        """Start (or restart) the current lap."""
        self._started_at = time.perf_counter()

    def stop(self):
        """End the current lap, remember it and return its length in seconds."""
        if self._started_at is None:
            raise RuntimeError("Timer.stop() called without a running lap; call start() first.")
        lap = time.perf_counter() - self._started_at
        self.times.append(lap)
        self._started_at = None
        return lap

    def avg(self):
        """Mean lap length in seconds (0.0 before any lap)."""
        return self.sum() / len(self.times) if self.times else 0.0

    def sum(self):
        """Total of all laps in seconds."""
        return sum(self.times)

    def cumsum(self):
        """Running totals: the time elapsed at the end of each lap."""
        totals, running = [], 0.0
        for lap in self.times:
            running += lap
            totals.append(running)
        return totals

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, exc_type, exc, traceback):
        if exc_type is not None and self._started_at is None:
            return False  # the block's own error matters more than a lap that was already stopped
        self.stop()
        return False
