"""Bad, odd and hostile inputs to the functions the RNN chapter exports: each works or says what is wrong."""

import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

import d2l_mini as d2l
from d2l_mini import clean_prefix, divergence, gradient_norm, perplexity_of
from d2l_mini.chapters.rnn_scratch import evaluate_perplexity, fast_rnn_model, grad_clipping, predict_ch8, train_ch8

CPU = torch.device("cpu")


@pytest.fixture(scope="module")
def data():
    d2l.set_seed(0)
    return d2l.load_data_time_machine(8, 10, max_tokens=2000)


def layer_with_grad(value):
    layer = nn.Linear(2, 2, bias=False)
    layer.weight.grad = torch.full((2, 2), value)
    return layer


def test_clipping_a_huge_but_finite_gradient_keeps_its_norm_and_direction():
    layer = layer_with_grad(1e20)
    norm = grad_clipping(layer, 1.0)
    assert norm == pytest.approx(2e20, rel=1e-6)
    assert torch.allclose(layer.weight.grad, torch.full((2, 2), 0.5))


@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan])
def test_clipping_refuses_a_non_finite_gradient_and_changes_nothing(bad):
    layer = layer_with_grad(1.0)
    layer.weight.grad[0, 0] = bad
    before = layer.weight.grad.clone()
    with pytest.raises(FloatingPointError, match="inf or NaN"):
        grad_clipping(layer, 1.0)
    assert torch.equal(layer.weight.grad.nan_to_num(), before.nan_to_num())


FLOAT32_VALUES = st.floats(min_value=-1e30, max_value=1e30, allow_subnormal=False).map(lambda v: float(torch.tensor(v)))


@settings(max_examples=60, deadline=None)
@given(st.lists(FLOAT32_VALUES, min_size=1, max_size=12), st.floats(min_value=1e-6, max_value=1e6))
def test_clipping_property_norm_at_most_theta_and_same_direction(values, theta):
    grad = torch.tensor(values, dtype=torch.float32)
    param = nn.Parameter(torch.zeros(len(values)))
    param.grad = grad.clone()
    model = nn.Module()
    model.p = param
    norm = grad_clipping(model, theta)
    true_norm = float(torch.linalg.vector_norm(grad.double()))
    assert norm == pytest.approx(true_norm, rel=1e-4, abs=1e-30)
    clipped = float(torch.linalg.vector_norm(param.grad.double()))
    assert clipped <= theta * (1 + 1e-5) + 1e-30
    if true_norm > 0 and clipped > 0:
        cosine = float(param.grad.double() @ grad.double()) / (clipped * true_norm)
        assert cosine == pytest.approx(1.0, abs=1e-4)


@pytest.mark.parametrize("theta", [True, 0, -1, math.nan, math.inf, "1"])
def test_clipping_threshold_must_be_a_positive_number(theta):
    with pytest.raises(ValueError, match="theta"):
        grad_clipping(nn.Linear(2, 2), theta)


class D2LStyleModel(nn.Module):
    """A model whose begin_state takes (device, batch_size) the way d2l's concise RNN does."""

    def __init__(self):
        super().__init__()
        self.inner = fast_rnn_model(28, 8, CPU)

    def forward(self, X, state):
        return self.inner(X, state)

    def begin_state(self, device, batch_size=1):
        return self.inner.begin_state(batch_size=batch_size, device=device)


def test_evaluate_perplexity_passes_keywords_to_begin_state():
    tokens = list(range(28)) * 10
    assert evaluate_perplexity(D2LStyleModel(), tokens, CPU, batch_size=4, num_steps=5) == pytest.approx(28, rel=0.05)


@pytest.mark.parametrize("kwargs", [{"num_steps": -5}, {"num_steps": 0}, {"batch_size": 0}, {"batch_size": True},
                                    {"num_steps": 2.5}])
def test_evaluate_perplexity_refuses_bad_sizes(kwargs):
    with pytest.raises(ValueError, match="batch_size|num_steps"):
        evaluate_perplexity(fast_rnn_model(28, 8, CPU), list(range(28)) * 10, CPU, **kwargs)


def test_train_ch8_accepts_a_plain_list_of_batches(data):
    train_iter, vocab = data
    batches = list(train_iter)
    d2l.set_seed(0)
    history = train_ch8(fast_rnn_model(len(vocab), 8, CPU), batches, vocab, 1, 3, CPU)
    assert len(history.perplexity) == 3 and history.tokens_per_sec > 0


@pytest.mark.parametrize("kwargs", [{"num_epochs": True}, {"theta": True}, {"lr": True}, {"num_epochs": 2.0}])
def test_train_ch8_refuses_bools_and_floats_as_counts(data, kwargs):
    train_iter, vocab = data
    args = {"lr": 1, "num_epochs": 1, **kwargs}
    with pytest.raises(ValueError):
        train_ch8(fast_rnn_model(len(vocab), 8, CPU), train_iter, vocab, args.pop("lr"), args.pop("num_epochs"),
                  CPU, **args)


def test_a_huge_finite_loss_ends_training_with_a_message_not_an_overflow(data, capsys):
    train_iter, vocab = data
    d2l.set_seed(0)
    history = train_ch8(fast_rnn_model(len(vocab), 64, CPU), train_iter, vocab, 50, 3, CPU, theta=None)
    assert history.diverged and "Training diverged" in capsys.readouterr().out


def test_divergence_rule():
    assert divergence(math.log(28), 28) is None
    assert divergence(math.inf, 28) and divergence(math.nan, 28)
    assert divergence(3.1 * math.log(28), 28) and divergence(76.0, 28)  # perplexity 1e33
    assert perplexity_of(1000.0) == math.inf and math.isnan(perplexity_of(math.nan))


def test_predict_refuses_bools_and_degenerate_temperatures(data):
    _, vocab = data
    net = fast_rnn_model(len(vocab), 8, CPU)
    for bad in (True, 2.5, -1):
        with pytest.raises(ValueError, match="num_preds"):
            predict_ch8("time", bad, net, vocab, CPU)
    for bad in (math.nan, math.inf, -0.5, True):
        with pytest.raises(ValueError, match="temperature"):
            predict_ch8("time", 5, net, vocab, CPU, temperature=bad)
    tiny = predict_ch8("time", 5, net, vocab, CPU, temperature=5e-324, generator=torch.Generator().manual_seed(0))
    assert tiny == predict_ch8("time", 5, net, vocab, CPU)  # a vanishing temperature is greedy


def test_prefix_without_known_letters_is_refused():
    vocab = d2l.Vocab(list("abcdefghijklmnopqrstuvwxyz "))
    for bad in ("123!!", "世界", "  "):
        with pytest.raises(ValueError, match="no letter"):
            clean_prefix(bad, vocab)
    assert clean_prefix("İstanbul", vocab) == "istanbul"


@settings(max_examples=40, deadline=None)
@given(prefix=st.text(min_size=1, max_size=20), num_preds=st.integers(0, 15),
       temperature=st.one_of(st.just(0.0), st.floats(min_value=1e-3, max_value=50)))
def test_prediction_property_prefix_length_and_no_unk(data, prefix, num_preds, temperature):
    _, vocab = data
    torch.manual_seed(0)
    net = fast_rnn_model(len(vocab), 8, CPU)
    with torch.no_grad():
        net.params[3].mul_(300)  # an untrained but opinionated model, so <unk> would get real probability
        net.params[4][vocab.unk] = 50.0
    try:
        cleaned = clean_prefix(prefix, vocab)
    except ValueError:
        with pytest.raises(ValueError):
            predict_ch8(prefix, num_preds, net, vocab, CPU, temperature)
        return
    text = predict_ch8(prefix, num_preds, net, vocab, CPU, temperature, torch.Generator().manual_seed(0))
    assert text.startswith(cleaned) and len(text) == len(cleaned) + num_preds
    assert "<unk>" not in text


def test_gradient_norm_of_tiny_entries_is_not_lost_to_float32_underflow():
    """Squares of 1e-25 are 0 in float32; the norm must still be the true, tiny one (found by hypothesis)."""
    grads = [torch.tensor([0.0, 7.4313200980747015e-28]), torch.tensor([3e-28, -4e-28])]
    expected = math.sqrt(7.4313200980747015e-28**2 + 3e-28**2 + 4e-28**2)
    assert gradient_norm(grads) == pytest.approx(expected, rel=1e-6)
    assert gradient_norm([torch.zeros(3)]) == 0.0
