"""The RNN chapter's widgets, driven from Python as a notebook front end would.

Most tests fake the training (the ``fake_training`` fixture of conftest.py), so
they take milliseconds; a few train a tiny model for real.
"""

import math
import time

import ipywidgets as widgets
import pytest
import torch
from widget_driving import train_live, wait_for

import d2l_mini as d2l
from d2l_mini import TrainingHistory, fast_rnn_model
from d2l_mini.redraw import RedrawBudget
from d2l_mini.small_runs import NUM_STEPS, outcome, perplexity_by_position
from d2l_mini.widgets import ClipExplorer, GenerationExplorer, SamplingExplorer
from d2l_mini.widgets.generation import PREFIXES
from d2l_mini.widgets.live_training import BackgroundRun, Progress, progress_label
from d2l_mini.widgets.safety import text_html

CPU = torch.device("cpu")
OFF = ClipExplorer.THETAS.index(math.inf)  # the θ slider's "off" stop: θ = ∞, no clipping






def shown(tree):
    """The leaf a page shows of a tree of Stacks: each Stack's selected child, down the tree."""
    while isinstance(tree, widgets.Stack):
        tree = tree.children[tree.selected_index]
    return tree


# --- live runs --------------------------------------------------------------------------------------------------------


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


def test_a_redraw_budget_draws_at_most_once_per_interval():
    draws = []
    budget = RedrawBudget(max_fraction=0.2, min_interval=60)
    for _ in range(5):
        budget.draw_if_due(lambda: draws.append(1))
    assert draws == [1] and budget.spent >= 0


def test_a_redraw_budget_waits_in_proportion_to_the_cost_of_a_draw():
    budget = RedrawBudget(max_fraction=0.5)
    budget.draw(lambda: time.sleep(0.05))  # 50 ms of drawing: the next draw is due 100 ms later
    assert not budget.due()
    time.sleep(0.12)
    assert budget.due()


def test_a_failed_draw_costs_nothing():
    budget = RedrawBudget(max_fraction=0.5)
    with pytest.raises(ZeroDivisionError):
        budget.draw(lambda: 1 / 0)
    assert budget.due() and budget.spent == 0


def test_progress_says_which_epoch_and_about_how_long_is_left():
    label = progress_label()
    Progress(label, 10, "clipped").update(5)
    assert label.value.startswith("clipped: epoch 5 of 10, about ") and label.value.endswith(" s left")


def test_outcome_says_diverged_instead_of_a_capped_number():
    blown_up = TrainingHistory("cpu")
    blown_up.perplexity, blown_up.divergence = [20.0, 13.0], "the loss is inf"
    assert outcome(blown_up) == "diverged in epoch 3"
    healthy = TrainingHistory("cpu")
    healthy.perplexity = [20.0, 5.531]
    assert outcome(healthy) == "perplexity 5.53"


# --- gradient clipping ------------------------------------------------------------------------------------------------


@pytest.fixture
def clip(fake_training):
    return ClipExplorer(theta=0.3, num_epochs=10)


def test_clip_grid_trains_every_theta_and_one_unclipped_run(clip, fake_training):
    assert set(clip.precomputed) == set(ClipExplorer.THETAS)
    trained = [None if math.isinf(theta) else theta for theta in ClipExplorer.THETAS]  # None: unclipped, once
    assert sorted(fake_training.thetas, key=str) == sorted(trained, key=str)
    assert clip.results["unclipped"] is clip.precomputed[math.inf], "the live runs reuse the unclipped run"
    assert all(call["num_epochs"] == 10 for call in fake_training.calls)


def test_clip_opens_on_the_precomputed_result_of_its_theta(clip):
    assert not clip.panel.showing_live
    figure, words = shown(clip.panel.children[0]).children
    assert bytes(figure.value).startswith(b"\x89PNG") and "Clipped at θ = 0.3" in words.value
    assert "scaled down" in words.value


def test_clip_precomputed_off_shows_only_the_unclipped_run(clip):
    results = clip.panel.children[0].children
    assert "Clipped at" not in results[OFF].children[1].value and "No clipping" in results[OFF].children[1].value
    assert all("Clipped at" in result.children[1].value for i, result in enumerate(results) if i != OFF)


def test_moving_theta_at_the_grid_epochs_shows_the_precomputed_result_and_trains_nothing(clip, fake_training):
    train_live(clip)
    assert clip.panel.showing_live
    runs = len(fake_training.calls)
    clip.theta.value = 3
    assert not clip.panel.showing_live and not clip._runner.running
    assert len(fake_training.calls) == runs


def test_train_live_trains_the_chosen_theta_and_reuses_the_unclipped_run(clip, fake_training):
    clip.theta.value = 3
    runs = len(fake_training.calls)
    train_live(clip)
    assert fake_training.thetas[runs:] == [3]
    assert len(clip.results["clipped"].perplexity) == 10 and clip.panel.showing_live
    assert "Clipped at θ = 3" in clip.outcome.value and clip.progress.value == "done, trained live"
    assert bytes(clip.figure.value).startswith(b"\x89PNG")


def test_other_epochs_train_both_runs_live_and_the_grid_epochs_show_the_precomputed_result(clip, fake_training):
    runs = len(fake_training.calls)
    clip.num_epochs.value = 20
    wait_for(lambda: not clip._runner.running)
    assert fake_training.thetas[runs:] == [None, 0.3]
    assert len(clip.results["clipped"].perplexity) == len(clip.results["unclipped"].perplexity) == 20
    assert clip.panel.showing_live
    clip.num_epochs.value = 10
    assert not clip.panel.showing_live


def test_theta_off_from_the_page_trains_no_clipped_run_live(clip, fake_training):
    train_live(clip)
    clip.theta.index = OFF  # what the front end sends when the slider reaches "off"
    assert not clip.panel.showing_live
    runs = len(fake_training.calls)
    train_live(clip)
    assert len(fake_training.calls) == runs and "clipped" not in clip.results
    assert "clipped at" not in clip.outcome.value


def test_clip_explorer_can_open_with_clipping_off(fake_training):
    assert ClipExplorer(theta=math.inf, num_epochs=10).theta.index == OFF


def test_stop_ends_a_long_real_run_within_seconds(fake_training, monkeypatch):
    explorer = ClipExplorer(num_epochs=10, num_hiddens=16)
    monkeypatch.undo()  # the grid was faked; the live run trains for real
    explorer.num_epochs.value = 200
    wait_for(lambda: "epoch" in explorer.progress.value)
    started = time.monotonic()
    explorer.stop()
    assert time.monotonic() - started < 3 and not explorer._runner.running
    assert explorer.progress.value == "stopped"


# --- sequential partitioning or random sampling -----------------------------------------------------------------------


@pytest.fixture
def sampling(fake_training):
    return SamplingExplorer(num_epochs=3, seeds=(0, 1))


def test_sampling_grid_trains_every_seed_and_mode(sampling, fake_training):
    trained = sorted((call["seed"], call["random"]) for call in fake_training.calls)
    assert trained == [(0, False), (0, True), (1, False), (1, True)], "each seed × mode, once"
    assert {seed: list(runs) for seed, runs in sampling.runs.items()} == {0: ["sequential", "random"],
                                                                         1: ["sequential", "random"]}
    run = sampling.runs[1]["random"]
    assert len(run.history.perplexity) == 3 and len(run.by_position) == NUM_STEPS
    assert run.sample.startswith("time traveller")


def test_sampling_opens_on_seed_0_sequential_precomputed(sampling):
    assert (sampling.seed.value, sampling.mode.value) == (0, "sequential") and not sampling.panel.showing_live
    assert "The sequential model (seed 0)" in shown(sampling.panel.children[0]).children[1].value


def test_sampling_grid_results_sit_at_their_controls_indices(sampling):
    by_seed = sampling.panel.children[0].children
    assert "The random model (seed 1)" in by_seed[1].children[1].children[1].value
    assert "The sequential model (seed 1)" in by_seed[1].children[0].children[1].value


def test_sampling_train_live_retrains_the_chosen_mode_and_seed(sampling, fake_training):
    sampling.seed.value, sampling.mode.value = 1, "random"
    runs = len(fake_training.calls)
    train_live(sampling)
    assert fake_training.calls[runs:] == [dict(theta=1.0, random=True, seed=1, num_epochs=3)]
    assert sampling.panel.showing_live and sampling.progress.value.startswith("random, seed 1: done")
    assert sampling.live["random"].by_position and sampling.live["sequential"] is sampling.runs[1]["sequential"]
    assert bytes(sampling.figure.value).startswith(b"\x89PNG")


@pytest.mark.parametrize("control, value", [("seed", 1), ("mode", "random")])
def test_sampling_another_seed_or_mode_shows_its_precomputed_result(sampling, fake_training, control, value):
    train_live(sampling)
    runs = len(fake_training.calls)
    getattr(sampling, control).value = value
    assert not sampling.panel.showing_live and len(fake_training.calls) == runs


def test_perplexity_by_position_of_a_real_model_is_one_finite_value_per_position():
    _, vocab = d2l.load_data_time_machine(32, 35)
    d2l.set_seed(0)
    by_position = perplexity_by_position(fast_rnn_model(len(vocab), 16, CPU), True, CPU, num_passes=1)
    assert len(by_position) == NUM_STEPS
    assert all(1 <= value < float("inf") for value in by_position)


def test_sampling_explorer_trains_for_real():
    explorer = SamplingExplorer(num_epochs=1, num_hiddens=16, seeds=(0,))
    for run in explorer.runs[0].values():
        assert len(run.history.perplexity) == 1
        assert run.history.final_perplexity < 28, "better than a uniform guess among the 28 tokens"
        assert len(run.by_position) == NUM_STEPS and run.sample.startswith("time traveller")


# --- generating text --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def model():
    d2l.set_seed(0)
    _, vocab = d2l.load_data_time_machine(8, 10, max_tokens=2000)
    return fast_rnn_model(len(vocab), 16, CPU), vocab


@pytest.fixture
def generation(model):
    net, vocab = model
    return GenerationExplorer(net, vocab, CPU, num_chars=20)


def displayed(explorer):
    """The texts the reader sees now, as HTML: the live output, or the precomputed result the controls select.

    (A page's links keep each Stack on its control's index; without a page, we follow the indices here.)
    """
    by_prefix = explorer.panel.children[0]
    precomputed = by_prefix.children[explorer.prefix.index].children[explorer.temperature.index]
    html = explorer.output.value if explorer.panel.showing_live else precomputed.value
    return html.replace("<b>", "").replace("</b>", "")


def test_generation_grid_has_every_prefix_and_temperature(generation):
    assert set(generation.precomputed) == {(prefix, temperature) for prefix in PREFIXES
                                           for _, temperature in GenerationExplorer.TEMPERATURES}
    assert all(text.startswith(prefix) and len(text) == len(prefix) + 20
               for (prefix, _), text in generation.precomputed.items())


def test_generation_opens_on_the_greedy_text_of_the_first_prefix(generation):
    assert generation.text() == generation.precomputed[generation.prefixes[0], 0.0]
    assert not generation.panel.showing_live and text_html(generation.text()) in displayed(generation)


def test_generation_grid_settings_show_their_precomputed_text(generation):
    last = generation.prefixes[-1]
    generation.prefix.value, generation.temperature.value = last, 1.5
    assert generation.text() == generation.precomputed[last, 1.5]
    assert not generation.panel.showing_live and text_html(generation.text()) in displayed(generation)


def test_own_prefix_generates_live_and_clearing_it_returns_to_the_precomputed_text(generation):
    generation.own_prefix.value = "the sun "
    assert generation.panel.showing_live and generation.text().startswith("the sun ")
    assert text_html(generation.text()) in displayed(generation)
    generation.own_prefix.value = "  "
    assert not generation.panel.showing_live
    assert generation.text() == generation.precomputed[generation.prefixes[0], 0.0]


def test_typing_a_menu_prefix_shows_the_typed_prefix(generation):
    generation.own_prefix.value = generation.prefixes[1]
    assert generation.text().startswith(generation.prefixes[1])
    assert text_html(generation.text()) in displayed(generation)


def test_other_lengths_generate_live(generation):
    generation.num_chars.value = 30
    assert generation.panel.showing_live and len(generation.text()) == len(generation.prefixes[0]) + 30
    generation.num_chars.value = 20
    assert not generation.panel.showing_live


def test_new_sample_generates_another_text_live(generation):
    generation.temperature.value = 1.0
    first = generation.text()
    generation.resample.click()
    assert generation.panel.showing_live and generation.text() != first
    assert text_html(generation.text()) in displayed(generation)


def test_an_own_prefix_without_a_known_letter_is_shown_as_an_error(generation):
    generation.own_prefix.value = "1895 "
    assert generation.text() == "" and generation.panel.showing_live
    assert "no letter the model knows" in generation.output.value
    generation.own_prefix.value = ""
    assert not generation.panel.showing_live and generation.text()


def test_generation_shows_every_temperature_and_marks_the_chosen_one(model):
    net, vocab = model
    explorer = GenerationExplorer(net, vocab, CPU, num_chars=20, known_words={"the", "time"}, temperature=0.8)
    shown = displayed(explorer)
    assert shown.count("<tr") == 1 + len(GenerationExplorer.TEMPERATURES) and "made-up words" in shown
    assert shown.count("▶") == 1 and "▶ 0.8" in shown
    for _, temperature in GenerationExplorer.TEMPERATURES:
        assert text_html(explorer.precomputed[explorer.prefixes[0], temperature]) in shown
    explorer.temperature.value = 1.5
    assert "▶ 1.5" in displayed(explorer) and explorer.text() == explorer.precomputed[explorer.prefixes[0], 1.5]


def test_generation_refuses_a_temperature_off_the_slider(model):
    net, vocab = model
    with pytest.raises(ValueError, match="temperature"):
        GenerationExplorer(net, vocab, CPU, num_chars=20, temperature=0.7)


def test_every_precomputed_clip_figure_says_what_it_shows(clip):
    words = [result.children[0].tooltip for result in clip.panel.children[0].children]
    assert all(w and "perplexity" in w and "<" not in w for w in words) and len(set(words)) == len(words)
