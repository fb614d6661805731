"""The initializer explorer: signal statistics, their figures and words, and the precomputed grid it shows."""

import html
import math

import ipywidgets as widgets
import pytest
import torch
from widget_driving import wait_for

from d2l_mini import custom_init_
from d2l_mini.first_steps import GUESSING_LOSS, describe_training, training_curve
from d2l_mini.signals import (
    ACTIVATIONS,
    INITIALIZERS,
    SignalStats,
    change_in_words,
    deep_mlp,
    describe_stats,
    signal_stats,
)
from d2l_mini.widgets import InitializerExplorer
from d2l_mini.widgets.initializer_figures import ActivationHistogram, SpreadFigure, TrainingFigure

PNG = b"\x89PNG"


def test_custom_init_follows_its_distribution():
    torch.manual_seed(0)
    w = custom_init_(torch.empty(400, 300))
    assert abs((w == 0).float().mean().item() - 0.5) < 0.01
    assert abs((w >= 5).float().mean().item() - 0.25) < 0.01
    assert bool((w[w != 0].abs() >= 5).all()) and bool((w.abs() <= 10).all())


def test_hand_written_backward_matches_autograd():
    """The explorer's gradient curve must be what autograd computes."""
    for activation in ("tanh", "ReLU"):
        stats = signal_stats("Xavier normal", depth=4, width=16, activation=activation, batch_size=8, seed=3)
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(3)
            net = deep_mlp(4, 16, activation)
            for layer in net[::2]:
                INITIALIZERS["Xavier normal"].fill(layer.weight.data, 1.0)
                layer.bias.data.zero_()
            X, error = torch.randn(8, 16), torch.randn(8, 16)
        outputs, h = [], X
        for module in net:
            h = module(h)
            if not isinstance(module, torch.nn.Linear):
                h.retain_grad()
                outputs.append(h)
        (h * error).sum().backward()
        expected = [float(o.grad.std()) for o in outputs]
        assert stats.gradient_std == pytest.approx(expected, rel=1e-5)
        assert stats.activation_std == pytest.approx([float(o.detach().std()) for o in outputs], rel=1e-5)


def test_signal_stats_is_seeded_and_leaves_global_rng_alone():
    torch.manual_seed(123)
    before = torch.rand(1)
    torch.manual_seed(123)
    first = signal_stats("Normal(0, σ)", scale=0.05, depth=3, width=32)
    after = torch.rand(1)
    assert torch.equal(before, after)
    assert signal_stats("Normal(0, σ)", scale=0.05, depth=3, width=32).activation_std == first.activation_std


def test_every_initializer_runs_and_has_one_stat_per_layer():
    for name in INITIALIZERS:
        stats = signal_stats(name, depth=3, width=8)
        assert len(stats.activation_std) == len(stats.gradient_std) == len(stats.weights) == 3


def test_vanishing_under_small_normal_but_not_xavier():
    small = signal_stats("Normal(0, σ)", scale=0.01, depth=10, width=256, activation="tanh")
    xavier = signal_stats("Xavier uniform", depth=10, width=256, activation="tanh")
    assert small.activation_std[-1] < 1e-4 * xavier.activation_std[-1]


@pytest.mark.parametrize(
    "kwargs, match",
    [({"initializer": "zeros"}, "initializer"), ({"activation": "gelu"}, "activation"), ({"depth": 0}, "depth")],
)
def test_bad_settings_are_rejected(kwargs, match):
    with pytest.raises(ValueError, match=match):
        signal_stats(**kwargs)


# --- describing the spread in words ------------------------------------------------------------------------------


@pytest.mark.parametrize("start, end, words", [
    (1.0, 5.0, "stay within a factor of 10 (<b>healthy</b>)"),
    (1.0, 0.1, "stay within a factor of 10 (<b>healthy</b>)"),
    (1.0, 10.0, "stay within a factor of 10 (<b>healthy</b>)"),
    (1.0, 0.04, "shrink 25-fold"),
    (1.0, 50.0, "grow 50-fold"),
    (1.0, 1e-4, "shrink 1·10<sup>4</sup>-fold (<b>vanishing</b>)"),
    (1e-3, 1e3, "grow 1·10<sup>6</sup>-fold (<b>exploding</b>)"),
    (1.0, math.inf, "<b>overflow</b> (not finite)"),
    (math.nan, 1.0, "<b>overflow</b> (not finite)"),
    (1.0, 0.0, "<b>vanish</b> (reach exactly 0)"),
])
def test_change_in_words(start, end, words):
    assert change_in_words(start, end) == words


def test_change_in_words_writes_a_few_hundred_fold_plainly():
    assert change_in_words(1.0, 200.0) == "grow 200-fold (<b>exploding</b>)"


# --- the figures ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("layer", [0, 3, -1])
def test_histogram_refuses_a_layer_the_network_lacks(layer):
    stats = signal_stats(depth=2, width=8)
    with pytest.raises(ValueError, match="layer"):
        ActivationHistogram().render(stats, layer, "tanh")


def overflowed(values):
    """Statistics of a one-layer network whose activations overflowed."""
    return SignalStats(weights=[torch.ones(2)], activation_std=[math.nan], gradient_std=[math.inf],
                       activations=[torch.tensor(values)])


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_histogram_survives_activations_that_overflowed_and_counts_them(activation):
    histogram = ActivationHistogram()
    assert histogram.render(overflowed([1.0, math.inf, -math.inf, math.nan, 0.5]), 1, activation).startswith(PNG)
    assert histogram.ax.get_title() == "activations after layer 1 (3 not finite)"
    assert histogram.render(overflowed([math.inf] * 4), 1, activation).startswith(PNG)
    assert "(4 not finite)" in histogram.ax.get_title()


def test_spread_figure_survives_spreads_that_overflowed_or_vanished():
    bad = SignalStats(weights=[], activation_std=[1.0, math.inf, math.nan], gradient_std=[0.0, 1e-40, 1e40])
    reference = signal_stats(depth=3, width=8)
    assert SpreadFigure().render(bad, reference, "Xavier uniform").startswith(PNG)


# --- the explorer --------------------------------------------------------------------------------------------------


def precomputed_trees(explorer):
    """The precomputed histograms, spread figures and summaries: each a tree of Stacks, one level per control."""
    return explorer.grid["histograms"], explorer.grid["spreads"], explorer.grid["summaries"]


def leaves(tree):
    return [leaf for child in tree.children for leaf in leaves(child)] if isinstance(tree, widgets.Stack) else [tree]


def shown(tree):
    """The leaf a page shows: each Stack's selected child, down the tree."""
    while isinstance(tree, widgets.Stack):
        tree = tree.children[tree.selected_index]
    return tree


@pytest.fixture(scope="module")
def grid_explorer():
    """An explorer that tests only look at (building one draws 64 figures)."""
    return InitializerExplorer(depth=3, width=16, training_steps=5)


@pytest.fixture
def explorer():
    return InitializerExplorer(depth=2, width=16, training_steps=5)


def test_grid_has_every_initializer_activation_and_layer(grid_explorer):
    histograms, spreads, summaries = precomputed_trees(grid_explorer)
    combinations = len(INITIALIZERS) * len(ACTIVATIONS)
    assert len(leaves(histograms)) == combinations * 3
    assert len(leaves(spreads)) == len(leaves(summaries)) == combinations
    assert all(bytes(image.value).startswith(PNG) for image in leaves(histograms) + leaves(spreads))
    first_initializer_tanh = histograms.children[0].children[0]
    assert len({bytes(image.value) for image in first_initializer_tanh.children}) == 3, "one histogram per layer"


def test_grid_results_sit_at_their_controls_indices(grid_explorer):
    _, _, summaries = precomputed_trees(grid_explorer)
    for i, name in enumerate(grid_explorer.initializer.options):
        for a, activation in enumerate(grid_explorer.activation.options):
            summary = summaries.children[i].children[a].value
            assert summary.startswith(f"<b>{html.escape(name)}</b>") and f", {activation}, 3 layers of 16" in summary


def test_explorer_opens_on_the_failing_case_precomputed(grid_explorer):
    explorer = grid_explorer
    assert (explorer.initializer.value, explorer.activation.value) == ("Normal(0, σ)", "tanh")
    assert explorer.on_grid() and not explorer.panel.showing_live
    histograms, _, summaries = precomputed_trees(explorer)
    last_layer = explorer.layer.index  # the histogram opens on the last layer, where a collapse shows
    assert explorer.layer.value == explorer.depth.value
    assert shown(histograms) is histograms.children[explorer.initializer.index].children[0].children[last_layer]
    assert "Normal(0, σ)" in shown(summaries).value and "vanishing" in shown(summaries).value


@pytest.mark.parametrize("control, value, words", [("scale", 0.5, "σ = 0.5"), ("depth", 3, "3 layers of 16"),
                                                   ("width", 32, "2 layers of 32")])
def test_a_live_only_setting_draws_live_and_going_back_shows_the_precomputed_result(explorer, control, value, words):
    default = getattr(explorer, control).value
    getattr(explorer, control).value = value
    assert not explorer.on_grid() and explorer.panel.showing_live
    assert words in explorer.summary.value
    assert bytes(explorer.histogram_image.value).startswith(PNG) and bytes(explorer.spread_image.value).startswith(PNG)
    getattr(explorer, control).value = default
    assert explorer.on_grid() and not explorer.panel.showing_live


def test_another_initializer_resets_the_scale_and_shows_its_precomputed_result(explorer):
    explorer.scale.value = 0.5
    explorer.initializer.value = "Xavier uniform"
    assert explorer.scale.description == "gain" and explorer.scale.value == pytest.approx(1.0)
    assert explorer.on_grid() and not explorer.panel.showing_live


def test_depth_sets_the_layers_the_histogram_can_show(explorer):
    explorer.depth.value = 4
    assert explorer.layer.options == (1, 2, 3, 4)
    explorer.layer.value = 4
    assert explorer._histogram.ax.get_title() == "activations after layer 4"
    explorer.depth.value = 2
    assert explorer.layer.options == (1, 2) and explorer.layer.value in (1, 2)


def test_a_depth_change_keeps_the_chosen_layer_where_it_can(explorer):
    explorer.layer.value = 2
    explorer.depth.value = 4
    assert explorer.layer.value == 2


def summary_of(initializer, activation):
    stats = signal_stats(initializer, depth=10, width=64, activation=activation)
    settings = dict(initializer=initializer, scale=1.0, width=64, activation=activation)
    return describe_stats(stats, settings, "knob")


def test_a_steady_spread_of_saturated_units_is_not_called_healthy():
    summary = summary_of("Chapter's custom", "tanh")
    assert "<b>saturate</b>" in summary and "healthy" not in summary.split("gradients")[0]


def test_constant_weights_are_called_symmetric_whatever_the_spread():
    assert "<b>symmetric</b>" in summary_of("Constant", "tanh")
    assert "symmetric" not in summary_of("Xavier uniform", "tanh")


def test_relu_histogram_has_a_fixed_axis_and_counts_what_falls_beyond_it():
    figure = ActivationHistogram()
    figure.render(signal_stats("Chapter's custom", depth=3, width=16, activation="ReLU"), 3, "ReLU")
    assert figure.ax.get_xlim() == (0.0, ActivationHistogram.RELU_RANGE)
    assert "beyond 3" in figure.ax.get_title()
    figure.render(signal_stats("Normal(0, σ)", depth=3, width=16, activation="ReLU"), 3, "ReLU")
    assert figure.ax.get_xlim() == (0.0, ActivationHistogram.RELU_RANGE) and "beyond" not in figure.ax.get_title()


# -- the first steps of training ------------------------------------------------------------------------------------


def test_a_vanishing_start_does_not_learn_and_xavier_does():
    vanishing = training_curve("Normal(0, σ)", depth=6, width=64, activation="tanh", steps=100)
    healthy = training_curve("Xavier uniform", depth=6, width=64, activation="tanh", steps=100)
    assert len(vanishing) == len(healthy) == 100
    assert abs(sum(vanishing[-10:]) / 10 - GUESSING_LOSS) < 0.05, "stuck at the loss of guessing"
    assert sum(healthy[-10:]) / 10 < 0.7 * GUESSING_LOSS
    assert "does not learn" in describe_training(vanishing) and "learns" in describe_training(healthy)


def test_a_blown_up_run_ends_at_its_first_non_finite_loss():
    losses = training_curve("Chapter's custom", depth=10, width=256, activation="ReLU", steps=20)
    assert not math.isfinite(losses[-1]) and all(math.isfinite(loss) for loss in losses[:-1])
    assert "blew up" in describe_training(losses)
    png = TrainingFigure().render(losses, [2.3, 1.0], "Chapter's custom", "Kaiming (He) normal", 20)
    assert png.startswith(PNG)


def test_a_training_curve_repeats_and_leaves_the_global_random_state_alone():
    torch.manual_seed(123)
    before = torch.rand(1)
    torch.manual_seed(123)
    first = training_curve("Xavier normal", depth=2, width=16, steps=5, seed=3)
    assert torch.rand(1) == before
    assert training_curve("Xavier normal", depth=2, width=16, steps=5, seed=3) == first


def test_training_stops_when_asked():
    assert training_curve("Xavier uniform", depth=2, width=16, steps=50, should_stop=lambda: True) == []


def test_grid_trains_every_initializer_and_activation(grid_explorer):
    training = grid_explorer.grid["training"]
    assert set(grid_explorer.curves) == {(i, a) for i in INITIALIZERS for a in ACTIVATIONS}
    assert all(bytes(image.value).startswith(PNG) for image in leaves(training))
    assert shown(training) is training.children[grid_explorer.initializer.index].children[0]
    assert "Training" in shown(grid_explorer.grid["summaries"]).value


def test_off_the_grid_the_training_runs_in_the_background_and_is_drawn(explorer):
    explorer.scale.value = 0.5
    assert "running" in explorer.training_summary.value
    wait_for(lambda: not explorer._trainer.running)
    assert bytes(explorer.training_image.value).startswith(PNG)
    assert "Training" in explorer.training_summary.value and "running" not in explorer.training_summary.value
    explorer.scale.value = 0.01  # back on the grid: the precomputed result, and no run left behind
    assert explorer.on_grid() and not explorer._trainer.running


def test_every_precomputed_figure_says_what_it_shows_and_the_words_change_with_the_choice(grid_explorer):
    for tree in ("histograms", "spreads", "training"):
        images = leaves(grid_explorer.grid[tree])
        words = [image.tooltip for image in images]
        assert all(words) and "<" not in "".join(words), tree  # plain text, no markup
        assert len(set(words)) > len(images) // 2, tree
