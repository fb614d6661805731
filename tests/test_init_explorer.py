import pytest
import torch

from d2l_mini.init_explorer import INITIALIZERS, InitializerExplorer, deep_mlp, signal_stats
from d2l_mini.parameters import custom_init_


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


def test_explorer_redraws_on_change_and_resets_the_knob():
    explorer = InitializerExplorer(depth=3, width=16)
    first = bytes(explorer.figure.value)
    explorer.initializer.value = "Normal(0, σ)"
    assert explorer.scale.description == "σ" and explorer.scale.value == pytest.approx(0.01)
    assert bytes(explorer.figure.value) != first
    explorer.depth.value = 2
    assert explorer.layer.max == 2
    assert "2-layer" in explorer.summary.value
