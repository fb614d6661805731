"""No widget raises out of an observer or a button: it shows the problem inside itself and stays usable.

The RNN widgets are driven with training and generation faked, so these tests
take milliseconds; tests/test_rnn_explorer.py runs them for real.
"""

import logging
import time

import numpy as np
import pytest
import torch

import d2l_mini as d2l
from d2l_mini import rnn_explorer
from d2l_mini.init_explorer import InitializerExplorer, SignalFigure, SignalStats, signal_stats
from d2l_mini.rnn_explorer import ClipExplorer, GenerationExplorer, SamplingExplorer
from d2l_mini.rnn_scratch import TrainingHistory
from d2l_mini.widget_safety import describe, shows_errors, text_html

# --- the mechanism --------------------------------------------------------------------------------------------------


class Panel:
    def __init__(self):
        self.status = ""
        self.last_error = None

    def show_error(self, message):
        self.status = message

    @shows_errors
    def handler(self, change):
        if change == "bad":
            raise RuntimeError("multinomial: probability tensor contains inf or nan\nsecond line")
        return "ok"


def test_shows_errors_catches_shows_keeps_and_logs(caplog):
    panel = Panel()
    with caplog.at_level(logging.ERROR, logger="d2l_mini.widgets"):
        assert panel.handler("bad") is None
    assert panel.status == "RuntimeError: multinomial: probability tensor contains inf or nan"
    assert isinstance(panel.last_error, RuntimeError)
    assert "Panel.handler failed" in caplog.text and "Traceback" in caplog.text
    assert panel.handler("good") == "ok"  # still usable


def test_a_failing_show_error_is_logged_not_raised(caplog):
    class Broken(Panel):
        def show_error(self, message):
            raise ValueError("the status widget is gone")

    with caplog.at_level(logging.ERROR, logger="d2l_mini.widgets"):
        assert Broken().handler("bad") is None
    assert "show_error failed" in caplog.text


def test_describe_is_one_short_line():
    assert describe(ValueError("x" * 1000)).endswith("...") and len(describe(ValueError("x" * 1000))) == 300
    assert describe(KeyError()) == "KeyError"


def test_text_html_escapes_and_shows_unk_as_one_character():
    shown = text_html("a<b>&<unk>c")
    assert shown.startswith("a&lt;b&gt;&amp;") and shown.endswith("c")
    assert shown.count("\N{REPLACEMENT CHARACTER}") == 1 and "<unk>" not in shown


# --- the initializer explorer ---------------------------------------------------------------------------------------


@pytest.fixture
def explorer():
    return InitializerExplorer(depth=3, width=16)


def test_a_nan_scale_is_shown_not_raised_and_the_explorer_recovers(explorer):
    figure = bytes(explorer.figure.value)
    explorer.scale.value = float("nan")  # the slider clamps 0, negatives and inf, but lets NaN through
    assert "finite positive number" in explorer.summary.value
    assert bytes(explorer.figure.value) == figure, "the last good figure stays"
    explorer.scale.value = 0.5
    assert "finite" not in explorer.summary.value and "0.5" in explorer.summary.value
    assert bytes(explorer.figure.value) != figure


def test_a_failed_depth_change_does_not_leave_the_explorer_deaf(explorer):
    class BrokenSlider:
        value = 1

        @property
        def max(self):
            return 3

        @max.setter
        def max(self, value):
            raise RuntimeError("the front end went away")

    explorer.layer = BrokenSlider()
    explorer._on_depth({"new": 2})
    assert "went away" in explorer.summary.value
    assert explorer._quiet is False, "a failure in the middle must not leave the explorer ignoring its controls"


@pytest.mark.parametrize("kwargs, match", [
    (dict(depth=0), "depth"), (dict(depth=21), "depth"), (dict(depth=True), "depth"), (dict(depth=2.0), "depth"),
    (dict(width=100), "width"), (dict(width=True), "width"), (dict(initializer="zeros"), "initializer"),
    (dict(activation="gelu"), "activation"),
])
def test_explorer_arguments_are_checked(kwargs, match):
    with pytest.raises(ValueError, match=match):
        InitializerExplorer(**kwargs)


@pytest.mark.parametrize("kwargs, match", [
    (dict(scale=float("nan")), "scale"), (dict(scale=float("inf")), "scale"), (dict(scale=0), "scale"),
    (dict(scale=-1.0), "scale"), (dict(scale=True), "scale"), (dict(depth=True), "depth"),
    (dict(width=0), "width"), (dict(batch_size=0), "batch_size"), (dict(seed=-1), "seed"),
    (dict(initializer=["Xavier uniform"]), "initializer"),
])
def test_signal_stats_arguments_are_checked(kwargs, match):
    with pytest.raises(ValueError, match=match):
        signal_stats(**{"depth": 2, "width": 8, **kwargs})


def test_render_refuses_a_layer_the_network_lacks():
    stats = signal_stats(depth=2, width=8)
    for layer in (0, 3, -1):
        with pytest.raises(ValueError, match="layer"):
            SignalFigure().render(stats, layer=layer)


def test_render_survives_weights_that_overflowed():
    weights = torch.tensor([1.0, float("inf"), -float("inf"), float("nan"), 2.0])
    stats = SignalStats(weights=[weights], activation_std=[float("nan")], gradient_std=[float("inf")])
    figure = SignalFigure()
    assert figure.render(stats).startswith(b"\x89PNG")
    assert "3 not finite" in figure.hist_ax.get_title()
    all_bad = SignalStats(weights=[torch.full((4,), float("inf"))], activation_std=[1.0], gradient_std=[1.0])
    assert figure.render(all_bad).startswith(b"\x89PNG")


# --- the RNN widgets, with training faked ---------------------------------------------------------------------------


def fake_history(num_epochs):
    """A real TrainingHistory with made-up numbers, so the fake keeps the interface the widgets use."""
    history = TrainingHistory("cpu")
    history.perplexity = [20.0 - epoch * 0.1 for epoch in range(num_epochs)]
    history.grad_norms = [1.0, 2.0, 0.5]
    return history


@pytest.fixture
def fake_training(monkeypatch):
    calls = []

    def small_run(num_hiddens, lr, num_epochs, theta, use_random_iter, seed, should_stop=None, on_epoch=None,
                  device=None):
        calls.append(theta)
        if theta is not None and theta > 50:
            raise RuntimeError("training blew up")
        return None, None, fake_history(num_epochs)

    monkeypatch.setattr(rnn_explorer, "small_run", small_run)
    monkeypatch.setattr(rnn_explorer, "predict_ch8", lambda prefix, *args, **kwargs: prefix + "<b>x<unk>y")
    return calls


def wait_for(condition, timeout=10):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the widget"
        time.sleep(0.01)


def test_clip_explorer_shows_a_bad_theta_and_trains_nothing(fake_training):
    explorer = ClipExplorer(num_epochs=10)
    runs = len(fake_training)
    explorer.theta.value = float("nan")
    assert explorer.progress.value.startswith("error: ValueError: θ must be a finite positive number")
    assert len(fake_training) == runs and not explorer._runner.running
    explorer.clip.value = False  # clipping off: θ does not matter, so this trains
    wait_for(lambda: explorer.progress.value.startswith("done"))


def test_clip_explorer_shows_an_error_of_its_background_run(fake_training):
    explorer = ClipExplorer(num_epochs=10)
    explorer.theta.value = 60  # the fake training fails for θ > 50
    wait_for(lambda: explorer.progress.value.startswith("error"))
    assert explorer.progress.value == "error: RuntimeError: training blew up"
    assert isinstance(explorer.last_error, RuntimeError)
    explorer.theta.value = 0.3
    wait_for(lambda: explorer.progress.value.startswith("done"))


def test_stop_buttons_never_raise(fake_training, monkeypatch):
    for explorer in (ClipExplorer(num_epochs=10), SamplingExplorer(num_epochs=3)):
        monkeypatch.setattr(explorer._runner, "stop", lambda: (_ for _ in ()).throw(RuntimeError("thread stuck")))
        explorer.stop_button.click()
        assert explorer.progress.value == "error: RuntimeError: thread stuck"


@pytest.mark.parametrize("kwargs, match", [
    (dict(theta=0), "theta"), (dict(theta=1000), "theta"), (dict(theta=float("nan")), "theta"),
    (dict(theta=True), "theta"), (dict(num_epochs=5), "num_epochs"), (dict(num_epochs=True), "num_epochs"),
    (dict(num_epochs=20.0), "num_epochs"), (dict(num_hiddens=0), "num_hiddens"), (dict(lr=float("nan")), "lr"),
    (dict(lr=-1.0), "lr"), (dict(seed=-1), "seed"), (dict(seed=True), "seed"),
])
def test_clip_explorer_arguments_are_checked(fake_training, kwargs, match):
    with pytest.raises(ValueError, match=match):
        ClipExplorer(**kwargs)


@pytest.mark.parametrize("kwargs, match", [
    (dict(num_epochs=0), "num_epochs"), (dict(num_epochs=True), "num_epochs"), (dict(num_hiddens=1.5), "num_hiddens"),
    (dict(lr=0), "lr"), (dict(seed=0.5), "seed"),
])
def test_sampling_explorer_arguments_are_checked(fake_training, kwargs, match):
    with pytest.raises(ValueError, match=match):
        SamplingExplorer(**kwargs)


def test_sampling_explorer_escapes_generated_text(fake_training):
    explorer = SamplingExplorer(num_epochs=3)
    samples = explorer.samples.value
    assert "time traveller&lt;b&gt;x" in samples and samples.count("\N{REPLACEMENT CHARACTER}") == 2  # one per mode
    assert "<b>x" not in samples and "<unk>" not in samples


@pytest.fixture(scope="module")
def model():
    d2l.set_seed(0)
    _, vocab = d2l.load_data_time_machine(8, 10, max_tokens=2000)
    return rnn_explorer.fast_rnn_model(len(vocab), 16, torch.device("cpu")), vocab


def bold_part(output):
    return output[output.index("<b>") + 3:output.index("</b>")]


def test_generation_bold_part_is_exactly_the_cleaned_prefix(model, monkeypatch):
    net, vocab = model
    monkeypatch.setattr(rnn_explorer, "predict_ch8",
                        lambda prefix, num_preds, *args, **kwargs: "time traveller <unk>" + "x" * (num_preds - 1))
    explorer = GenerationExplorer(net, vocab, torch.device("cpu"), prefix="Time-Traveller!! ", num_chars=10)
    assert bold_part(explorer.output.value) == "time traveller "
    assert "<unk>" not in explorer.output.value
    assert explorer.output.value.count("\N{REPLACEMENT CHARACTER}") == 1


def test_generation_escapes_markup_in_generated_text(model, monkeypatch):
    net, vocab = model
    monkeypatch.setattr(rnn_explorer, "predict_ch8", lambda prefix, num_preds, *args, **kwargs: "time <i>ok</i>")
    explorer = GenerationExplorer(net, vocab, torch.device("cpu"), prefix="time ", num_chars=9)
    assert "&lt;i&gt;ok&lt;/i&gt;" in explorer.output.value and "<i>" not in explorer.output.value


def test_generation_with_a_real_model_bolds_the_prefix_as_read(model):
    net, vocab = model
    explorer = GenerationExplorer(net, vocab, torch.device("cpu"), prefix="The Time-Traveller, 1895!", num_chars=20)
    assert explorer.text().startswith(bold_part(explorer.output.value))
    assert bold_part(explorer.output.value).strip() == "the time traveller"


@pytest.mark.parametrize("temperature", [float("nan"), 5e-324, float("inf")])
def test_generation_never_raises_for_odd_temperatures(model, temperature):
    net, vocab = model
    explorer = GenerationExplorer(net, vocab, torch.device("cpu"), prefix="time ", num_chars=20)
    explorer.decoding.value = "sample"
    explorer.temperature.value = temperature  # the slider clamps inf, but lets NaN through
    assert explorer.text() == "" or explorer.text().startswith("time ")
    if explorer.text() == "":
        assert "temperature" in explorer.output.value or "Error" in explorer.output.value
    explorer.temperature.value = 0.8
    assert explorer.text().startswith("time ") and "Error" not in explorer.output.value


def test_generation_shows_any_error_not_only_value_errors(model, monkeypatch):
    net, vocab = model
    explorer = GenerationExplorer(net, vocab, torch.device("cpu"), prefix="time ", num_chars=20)

    def failing(*args, **kwargs):
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")

    monkeypatch.setattr(rnn_explorer, "predict_ch8", failing)
    explorer.decoding.value = "sample"  # an observer
    assert "RuntimeError" in explorer.output.value and explorer.text() == ""
    explorer.resample.click()  # a button
    assert "RuntimeError" in explorer.output.value
    monkeypatch.undo()
    explorer.num_chars.value = 30
    assert explorer.text().startswith("time ") and "Error" not in explorer.output.value


@pytest.mark.parametrize("kwargs, match", [(dict(num_chars=0), "num_chars"), (dict(num_chars=401), "num_chars"),
                                           (dict(num_chars=True), "num_chars"), (dict(prefix=None), "prefix"),
                                           (dict(prefix=np.str_("ok"), num_chars=2.0), "num_chars")])
def test_generation_arguments_are_checked(model, kwargs, match):
    net, vocab = model
    with pytest.raises(ValueError, match=match):
        GenerationExplorer(net, vocab, torch.device("cpu"), **kwargs)
