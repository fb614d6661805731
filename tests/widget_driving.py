"""Driving a widget from Python as a reader's clicks would: click, then wait for the background run."""

import time


def wait_for(condition, timeout=60):
    """Poll ``condition()`` until it holds, or fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the widget"
        time.sleep(0.01)


def train_live(explorer):
    """Click Train live and wait for the run to end."""
    explorer.train_button.click()
    wait_for(lambda: not explorer._runner.running)
