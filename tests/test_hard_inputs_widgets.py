"""No widget raises out of an observer or a button: it shows the problem inside itself and stays usable.

The RNN widgets are driven with training faked (the ``fake_training`` fixture
of conftest.py), so these tests take milliseconds; tests/test_rnn_explorer.py
also trains for real.
"""

import logging
import math
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from widget_driving import train_live

import d2l_mini as d2l
from d2l_mini import fast_rnn_model
from d2l_mini.signals import signal_stats
from d2l_mini.widgets import ClipExplorer, GenerationExplorer, InitializerExplorer, SamplingExplorer, generation
from d2l_mini.widgets.safety import describe, shows_errors, text_html

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
    return InitializerExplorer(depth=2, width=16, training_steps=5)


def images(explorer):
    return bytes(explorer.histogram_image.value), bytes(explorer.spread_image.value)


def test_a_nan_scale_is_shown_not_raised_and_the_explorer_recovers(explorer):
    explorer.scale.value = 0.5
    drawn = images(explorer)
    explorer.scale.value = float("nan")  # the slider clamps 0, negatives and inf, but lets NaN through
    assert "finite positive number" in explorer.summary.value and explorer.panel.showing_live
    assert images(explorer) == drawn, "the last good figures stay"
    explorer.scale.value = 0.2
    assert "finite" not in explorer.summary.value and "0.2" in explorer.summary.value
    assert images(explorer) != drawn


def test_a_failed_depth_change_does_not_leave_the_explorer_deaf(explorer):
    class BrokenSlider:
        value = 1

        @property
        def options(self):
            return (1, 2)

        @options.setter
        def options(self, value):
            raise RuntimeError("the front end went away")

    explorer.layer = BrokenSlider()
    explorer._on_depth({"new": 3})
    assert "went away" in explorer.summary.value and explorer.panel.showing_live
    assert explorer._quiet is False, "a failure in the middle must not leave the explorer ignoring its controls"
    explorer.scale.value = 0.5
    assert "σ = 0.5" in explorer.summary.value


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


def test_an_exploding_setting_is_drawn_live_without_error(explorer):
    """Activations that overflow to inf/NaN on the way: the live figures and the summary still come out."""
    with explorer._quietly():  # one redraw, for all the settings
        explorer.initializer.value, explorer.activation.value = "Constant", "ReLU"
        explorer.depth.value, explorer.width.value = 16, 128
        explorer.scale.value = 10.0  # each layer multiplies the signal by 1280: float32 overflows by layer 13
    explorer.redraw()
    assert "overflow" in explorer.summary.value
    assert explorer.last_error is None and explorer.panel.showing_live
    assert all(image.startswith(b"\x89PNG") for image in images(explorer))


# --- the RNN widgets, with training faked ---------------------------------------------------------------------------






def test_clip_explorer_shows_an_error_of_its_background_run(fake_training):
    explorer = ClipExplorer(num_epochs=10)
    fake_training.fail_with = RuntimeError("training blew up")
    train_live(explorer)
    assert explorer.progress.value == "error: RuntimeError: training blew up"
    assert isinstance(explorer.last_error, RuntimeError)
    fake_training.fail_with = None
    train_live(explorer)
    assert explorer.progress.value == "done, trained live"


def test_sampling_explorer_shows_an_error_of_its_background_run(fake_training):
    explorer = SamplingExplorer(num_epochs=3, seeds=(0,))
    fake_training.fail_with = RuntimeError("training blew up")
    train_live(explorer)
    assert explorer.progress.value == "error: RuntimeError: training blew up"
    fake_training.fail_with = None
    train_live(explorer)
    assert explorer.progress.value.startswith("sequential, seed 0: done")


def test_stop_buttons_never_raise(fake_training, monkeypatch):
    for explorer in (ClipExplorer(num_epochs=10), SamplingExplorer(num_epochs=3, seeds=(0,))):
        monkeypatch.setattr(explorer._runner, "stop", lambda: (_ for _ in ()).throw(RuntimeError("thread stuck")))
        explorer.stop_button.click()
        assert explorer.progress.value == "error: RuntimeError: thread stuck"


@pytest.mark.parametrize("kwargs, match", [
    (dict(theta=0), "theta"), (dict(theta=1000), "theta"), (dict(theta=float("nan")), "theta"),
    (dict(theta=True), "theta"), (dict(theta="off"), "theta"), (dict(num_epochs=5), "num_epochs"),
    (dict(num_epochs=201), "num_epochs"), (dict(num_epochs=True), "num_epochs"), (dict(num_epochs=20.0), "num_epochs"),
    (dict(num_hiddens=0), "num_hiddens"), (dict(lr=float("nan")), "lr"), (dict(lr=-1.0), "lr"),
    (dict(seed=-1), "seed"), (dict(seed=True), "seed"),
])
def test_clip_explorer_arguments_are_checked(fake_training, kwargs, match):
    with pytest.raises(ValueError, match=match):
        ClipExplorer(**kwargs)
    assert fake_training.calls == [], "checked before any training"


@pytest.mark.parametrize("kwargs, match", [
    (dict(num_epochs=0), "num_epochs"), (dict(num_epochs=True), "num_epochs"), (dict(num_hiddens=1.5), "num_hiddens"),
    (dict(lr=0), "lr"), (dict(seeds=()), "seeds"), (dict(seeds=(0, 1, 0)), "seeds"), (dict(seeds=(0, -1)), "seed"),
    (dict(seeds=(0.5,)), "seed"), (dict(seeds=(True,)), "seed"),
])
def test_sampling_explorer_arguments_are_checked(fake_training, kwargs, match):
    with pytest.raises(ValueError, match=match):
        SamplingExplorer(**kwargs)
    assert fake_training.calls == [], "checked before any training"


def test_sampling_explorer_escapes_generated_text(fake_training):
    explorer = SamplingExplorer(num_epochs=3, seeds=(0,))
    by_mode = explorer.panel.children[0].children[0].children
    for result in by_mode:
        summary = result.children[1].value
        assert "time traveller&lt;b&gt;x" in summary and summary.count("\N{REPLACEMENT CHARACTER}") == 1
        assert "<b>x" not in summary and "<unk>" not in summary


# --- the generation explorer ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def model():
    d2l.set_seed(0)
    _, vocab = d2l.load_data_time_machine(8, 10, max_tokens=2000)
    return fast_rnn_model(len(vocab), 16, torch.device("cpu")), vocab


def generation_explorer(model, **kwargs):
    net, vocab = model
    return GenerationExplorer(net, vocab, torch.device("cpu"), **{"prefixes": ("time ",), "num_chars": 20, **kwargs})


def precomputed_html(explorer):
    """The precomputed result the controls select."""
    return explorer.panel.children[0].children[explorer.prefix.index].children[explorer.temperature.index].value


def bold_part(output):
    return output[output.index("<b>") + 3:output.index("</b>")]


def test_generation_bold_part_is_exactly_the_cleaned_prefix(model, monkeypatch):
    monkeypatch.setattr(generation, "predict_ch8",
                        lambda prefix, num_preds, *args, **kwargs: "time traveller <unk>" + "x" * (num_preds - 1))
    explorer = generation_explorer(model, prefixes=("Time-Traveller!! ",), num_chars=10)
    explorer.own_prefix.value = "TIME-traveller!! "  # typed: generated live
    for shown in (precomputed_html(explorer), explorer.output.value):
        assert bold_part(shown) == "time traveller "
        assert "<unk>" not in shown  # one visible mark per row, one row per temperature
        assert shown.count("\N{REPLACEMENT CHARACTER}") == len(GenerationExplorer.TEMPERATURES)


def test_generation_escapes_markup_in_generated_text(model, monkeypatch):
    monkeypatch.setattr(generation, "predict_ch8", lambda prefix, num_preds, *args, **kwargs: "time <i>ok</i>")
    explorer = generation_explorer(model, num_chars=9)
    explorer.num_chars.value = 10  # generated live
    for shown in (precomputed_html(explorer), explorer.output.value):
        assert "&lt;i&gt;ok&lt;/i&gt;" in shown and "<i>" not in shown


def test_generation_with_a_real_model_bolds_the_prefix_as_read(model):
    explorer = generation_explorer(model, prefixes=("The Time-Traveller, 1895!",))
    assert explorer.text().startswith(bold_part(precomputed_html(explorer)))
    assert bold_part(precomputed_html(explorer)).strip() == "the time traveller"


@pytest.mark.parametrize("temperature", [math.nan, 5e-324, math.inf])
def test_generation_never_raises_for_odd_temperatures(model, temperature):
    """Whatever temperature reaches the generator (the slider's stops are all fine today), it never raises."""
    explorer = generation_explorer(model)
    slider, explorer.temperature = explorer.temperature, SimpleNamespace(value=temperature)
    explorer.generate({"name": "value", "new": temperature})  # the observer
    assert explorer.text() == "" or explorer.text().startswith("time ")
    if explorer.text() == "":
        assert "temperature" in explorer.output.value and explorer.panel.showing_live
    explorer.temperature = slider
    slider.value = 0.8
    assert explorer.text() == explorer.precomputed["time ", 0.8] and not explorer.panel.showing_live


def test_generation_shows_any_error_not_only_value_errors(model, monkeypatch):
    explorer = generation_explorer(model)

    def failing(*args, **kwargs):
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")

    monkeypatch.setattr(generation, "predict_ch8", failing)
    explorer.num_chars.value = 30  # an observer, off the grid: generates live
    assert "RuntimeError" in explorer.output.value and explorer.text() == "" and explorer.panel.showing_live
    explorer.resample.click()  # a button
    assert "RuntimeError" in explorer.output.value
    monkeypatch.undo()
    explorer.num_chars.value = 40
    assert explorer.text().startswith("time ") and "Error" not in explorer.output.value


@pytest.mark.parametrize("kwargs, match", [
    (dict(num_chars=0), "num_chars"), (dict(num_chars=401), "num_chars"), (dict(num_chars=True), "num_chars"),
    (dict(prefixes=None), "prefixes"), (dict(prefixes="time "), "prefixes"), (dict(prefixes=()), "prefixes"),
    (dict(prefixes=("time ", 3)), "prefixes"), (dict(prefixes=(np.str_("ok"),), num_chars=2.0), "num_chars"),
    (dict(prefixes=("time ", "1895")), "prefix '1895' has no letter"),
])
def test_generation_arguments_are_checked(model, kwargs, match):
    with pytest.raises(ValueError, match=match):
        generation_explorer(model, **kwargs)
