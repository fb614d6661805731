"""The RNN chapter's widgets, driven from Python as a notebook front end would."""

import time

import pytest
import torch

import d2l_mini as d2l
from d2l_mini.rnn_explorer import BackgroundRun, ClipExplorer, GenerationExplorer, SamplingExplorer
from d2l_mini.rnn_scratch import fast_rnn_model


def wait_for(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the widget")
        time.sleep(0.05)


def test_background_run_stops_the_previous_run():
    runner, log = BackgroundRun(), []

    def work(should_stop, name):
        while not should_stop():
            time.sleep(0.01)
        log.append(name)

    runner.start(lambda should_stop: work(should_stop, "first"))
    runner.start(lambda should_stop: work(should_stop, "second"))
    assert log == ["first"]
    runner.stop()
    assert log == ["first", "second"] and not runner.running


def test_clip_explorer_default_result_and_a_new_threshold():
    explorer = ClipExplorer(theta=0.3, num_epochs=10, num_hiddens=16)
    assert set(explorer.results) == {"clipped", "unclipped"}
    assert len(explorer.results["clipped"].perplexity) == 10
    assert bytes(explorer.figure.value[:4]) == b"\x89PNG"
    first = explorer.results["clipped"]
    explorer.theta.value = 0.01  # like releasing the slider
    wait_for(lambda: explorer.results["clipped"] is not first and not explorer._runner.running)
    assert explorer.progress.value.startswith("done")
    assert explorer.results["clipped"].perplexity != first.perplexity


def test_clip_explorer_stop_ends_a_long_run_quickly():
    explorer = ClipExplorer(num_epochs=10, num_hiddens=16)
    explorer.num_epochs.value = 200  # starts a long run in the background
    wait_for(lambda: "epoch" in explorer.progress.value)
    started = time.monotonic()
    explorer.stop()
    assert time.monotonic() - started < 3 and not explorer._runner.running
    assert explorer.progress.value == "stopped"


def test_clip_explorer_off_trains_without_clipping():
    explorer = ClipExplorer(num_epochs=10, num_hiddens=16)
    explorer.clip.value = False
    wait_for(lambda: not explorer._runner.running and explorer.progress.value.startswith("done"))
    assert explorer.current_theta is None
    assert explorer.results["clipped"].grad_norms == explorer.results["unclipped"].grad_norms


def test_sampling_explorer_trains_the_chosen_mode():
    explorer = SamplingExplorer(num_epochs=3, num_hiddens=16)
    assert set(explorer.results) == {"sequential", "random"}
    before = explorer.results["random"]
    explorer.mode.value = "random"
    wait_for(lambda: explorer.results["random"] is not before and not explorer._runner.running)
    assert "random (run 2)" in explorer.progress.value or explorer.progress.value.startswith("random run 2")
    assert "time traveller" in explorer.samples.value


@pytest.fixture(scope="module")
def trained():
    d2l.set_seed(0)
    train_iter, vocab = d2l.load_data_time_machine(8, 10, max_tokens=2000)
    net = fast_rnn_model(len(vocab), 16, torch.device("cpu"))
    return net, vocab


def test_generation_explorer_follows_its_controls(trained):
    net, vocab = trained
    explorer = GenerationExplorer(net, vocab, torch.device("cpu"), prefix="time ", num_chars=20)
    assert explorer.text().startswith("time ") and len(explorer.text()) == 25
    explorer.prefix.value = "The Traveller"
    assert explorer.text().startswith("the traveller")
    explorer.decoding.value = "sample"
    assert not explorer.temperature.disabled
    sampled = explorer.text()
    explorer.resample.click()
    assert explorer.text() != sampled or len(sampled) == 0
    explorer.prefix.value = ""
    assert explorer.text() == "" and "prefix" in explorer.output.value


def test_outcome_says_diverged_instead_of_a_capped_number():
    from d2l_mini.rnn_explorer import outcome
    from d2l_mini.rnn_scratch import TrainingHistory

    blown_up = TrainingHistory("cpu")
    blown_up.perplexity, blown_up.divergence = [20.0, 13.0], "the loss is inf"
    assert outcome(blown_up) == "diverged in epoch 3"
    healthy = TrainingHistory("cpu")
    healthy.perplexity = [20.0, 5.531]
    assert outcome(healthy) == "perplexity 5.53"
