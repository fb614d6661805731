"""Shared test fixtures.

The tests make no network calls of their own (downloads are faked). The real
Time Machine text comes through the loader: from ``$D2L_MINI_DATA``, which CI
and ../shared/data provide, or on other machines (GitHub Actions) from the
loader's verified download into its cache.
"""

import os
from pathlib import Path

import pytest

import d2l_mini as d2l

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def pytest_configure(config):
    if not os.environ.get("D2L_MINI_DATA") and (SHARED_DATA / "timemachine.txt").is_file():
        os.environ["D2L_MINI_DATA"] = str(SHARED_DATA)


@pytest.fixture
def no_data_dir(monkeypatch, time_machine_bytes):
    """Run a test as on a machine where D2L_MINI_DATA is not set (the real text is read first)."""
    monkeypatch.delenv("D2L_MINI_DATA", raising=False)


@pytest.fixture(scope="session")
def time_machine_bytes():
    """The real Time Machine text, through the loader's normal path (here: $D2L_MINI_DATA)."""
    return d2l.fetch_time_machine().read_bytes()


class FakeHandle:
    """A display handle that counts how often the shown figure was replaced."""

    def __init__(self):
        self.updates = 0

    def update(self, obj):
        self.updates += 1


class FakeShell:
    """Just enough of an IPython shell to register the post-cell hook."""

    def __init__(self):
        self.events = self

    def register(self, name, callback):
        self.hook = (name, callback)


@pytest.fixture
def fake_notebook(monkeypatch):
    """Pretend to run inside IPython; each displayed figure gets a handle that counts its updates."""
    import IPython.display

    from d2l_mini import plotting

    shown = []

    def fake_display(obj, display_id=False):
        handle = FakeHandle()
        shown.append((obj, handle))
        return handle

    monkeypatch.setattr(plotting, "_ipython_shell", lambda: FakeShell())
    monkeypatch.setattr(plotting, "_hook_installed", False)
    monkeypatch.setattr(plotting, "_undrawn_animators", set())
    monkeypatch.setattr(IPython.display, "display", fake_display)
    return shown


class FakeTraining:
    """What the RNN widgets' faked training was asked to do; set ``fail_with`` to make the next runs fail."""

    def __init__(self):
        self.calls = []  # one dict of small_run's settings per run
        self.fail_with = None

    @property
    def thetas(self):
        return [call["theta"] for call in self.calls]


@pytest.fixture
def fake_training(monkeypatch):
    """Fake the RNN widgets' training, evaluation and generation, so a widget is made in milliseconds.

    The fake ``small_run`` keeps the real one's interface: it returns a real
    TrainingHistory, reports each epoch to ``on_epoch`` and honours ``should_stop``.
    """
    from d2l_mini import TrainingHistory
    from d2l_mini.small_runs import NUM_STEPS
    from d2l_mini.widgets import clip, generation, sampling

    fake = FakeTraining()

    def small_run(num_hiddens, lr, num_epochs, theta, use_random_iter, seed, should_stop=None, on_epoch=None,
                  device=None, data=None):
        fake.calls.append(dict(theta=theta, random=use_random_iter, seed=seed, num_epochs=num_epochs))
        if fake.fail_with is not None:
            raise fake.fail_with
        history = TrainingHistory("cpu")
        history.grad_norms = [1.0, 2.0, 0.5]
        for epoch in range(1, num_epochs + 1):
            if should_stop is not None and should_stop():
                history.stopped = True
                break
            history.perplexity.append(20.0 - epoch * 0.1 - seed)
            if on_epoch is not None:
                on_epoch(epoch, history)
        return "net", "vocab", history

    for module in (clip, sampling):
        monkeypatch.setattr(module, "small_run", small_run)
        monkeypatch.setattr(module, "widget_data", lambda use_random_iter: None)  # the fake reads no text
    for module in (sampling, generation):
        monkeypatch.setattr(module, "predict_ch8", lambda prefix, *args, **kwargs: prefix + "<b>x<unk>y")
    monkeypatch.setattr(sampling, "perplexity_by_position",
                        lambda net, use_random_iter, device, **kwargs: [5.0] * NUM_STEPS)
    return fake
