"""Unit tests for the functions the RNN chapter exports (d2l_mini.chapters.rnn_scratch)."""

import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn

import d2l_mini as d2l
from d2l_mini import clean_prefix, train_quietly
from d2l_mini.chapters.rnn_scratch import (
    RNNModelScratch,
    TanhRecurrence,
    evaluate_perplexity,
    fast_rnn_model,
    get_params,
    grad_clipping,
    init_rnn_state,
    predict_ch8,
    rnn,
    rnn_fast,
    sgd,
    train_ch8,
    train_epoch_ch8,
)

CPU = torch.device("cpu")


@pytest.fixture(scope="module")
def data():
    d2l.set_seed(0)
    return d2l.load_data_time_machine(8, 10, max_tokens=2000)


def plain_model(vocab_size=28, hidden=16):
    return RNNModelScratch(vocab_size, hidden, CPU, get_params, init_rnn_state, rnn)


def test_get_params_shapes_scale_and_grad():
    torch.manual_seed(0)
    W_xh, W_hh, b_h, W_hq, b_q = get_params(28, 512, CPU)
    assert [tuple(p.shape) for p in (W_xh, W_hh, b_h, W_hq, b_q)] == [(28, 512), (512, 512), (512,), (512, 28), (28,)]
    assert all(p.requires_grad for p in (W_xh, W_hh, b_h, W_hq, b_q))
    assert abs(W_hh.std().item() - 0.01) < 0.001
    assert not b_h.any() and not b_q.any()


def test_init_rnn_state_is_a_zero_tuple():
    state = init_rnn_state(3, 7, CPU)
    assert isinstance(state, tuple) and len(state) == 1
    assert state[0].shape == (3, 7) and not state[0].any()


def test_model_output_and_state_shapes():
    net = RNNModelScratch(28, 512, CPU, get_params, init_rnn_state, rnn)
    X = torch.arange(10).reshape(2, 5)
    Y, state = net(X, net.begin_state(2, CPU))
    assert Y.shape == (10, 28) and state[0].shape == (2, 512)


def test_fast_model_matches_plain_model_outputs_and_gradients():
    torch.manual_seed(0)
    slow = plain_model(hidden=24)
    fast = RNNModelScratch(28, 24, CPU, get_params, init_rnn_state, rnn_fast, one_hot=False)
    fast.params = [p.detach().clone().requires_grad_(True) for p in slow.params]
    X, Y = torch.randint(0, 28, (4, 9)), torch.randint(0, 28, (4, 9))
    H0 = torch.randn(4, 24)
    results = []
    for net in (slow, fast):
        out, (H,) = net(X, (H0,))
        F.cross_entropy(out, Y.T.reshape(-1)).backward()
        results.append((out.detach(), H.detach(), [p.grad for p in net.params]))
    (out_s, H_s, g_s), (out_f, H_f, g_f) = results
    assert torch.allclose(out_s, out_f, atol=1e-6) and torch.allclose(H_s, H_f, atol=1e-6)
    assert all(torch.allclose(a, b, atol=1e-6) for a, b in zip(g_s, g_f))


def test_hand_written_bptt_passes_gradcheck():
    torch.manual_seed(0)
    XW = torch.randn(6, 3, 5, dtype=torch.double, requires_grad=True)
    H0 = torch.randn(3, 5, dtype=torch.double, requires_grad=True)
    W = torch.randn(5, 5, dtype=torch.double, requires_grad=True)
    assert torch.autograd.gradcheck(TanhRecurrence.apply, (XW, H0, W))


def test_bptt_skips_gradient_of_a_detached_state():
    XW = torch.randn(4, 2, 3, requires_grad=True)
    H0 = torch.randn(2, 3)
    W = torch.randn(3, 3, requires_grad=True)
    TanhRecurrence.apply(XW, H0, W).sum().backward()
    assert H0.grad is None and XW.grad is not None and W.grad is not None


def test_clean_prefix():
    vocab = d2l.Vocab(list("abcdefghijklmnopqrstuvwxyz "))
    assert clean_prefix("The Time-Traveller, 1895!", vocab) == "the time traveller "
    assert clean_prefix("!!abc", vocab) == " abc"
    for bad in ("", None, 3):
        with pytest.raises(ValueError, match="prefix"):
            clean_prefix(bad, vocab)


def test_predict_starts_with_prefix_and_has_the_right_length(data):
    _, vocab = data
    net = plain_model()
    text = predict_ch8("Time Traveller", 12, net, vocab, CPU)
    assert text.startswith("time traveller") and len(text) == len("time traveller") + 12
    assert predict_ch8("time", 0, net, vocab, CPU) == "time"


def test_greedy_is_deterministic_and_sampling_follows_the_generator(data):
    _, vocab = data
    torch.manual_seed(0)
    net = RNNModelScratch(len(vocab), 16, CPU, lambda v, h, d: [p * 100 for p in get_params(v, h, d)],
                          init_rnn_state, rnn)
    assert predict_ch8("the", 30, net, vocab, CPU) == predict_ch8("the", 30, net, vocab, CPU)
    sample = predict_ch8("the", 30, net, vocab, CPU, 1.0, torch.Generator().manual_seed(5))
    assert sample == predict_ch8("the", 30, net, vocab, CPU, 1.0, torch.Generator().manual_seed(5))
    others = {predict_ch8("the", 30, net, vocab, CPU, 1.0, torch.Generator().manual_seed(s)) for s in range(5)}
    assert len(others) > 1


@pytest.mark.parametrize(
    "prefix, num_preds, temperature, match",
    [("", 5, 0.0, "prefix"), ("time", -1, 0.0, "num_preds"), ("time", 2.5, 0.0, "num_preds"),
     ("time", 5, -1.0, "temperature")],
)
def test_predict_rejects_bad_arguments(data, prefix, num_preds, temperature, match):
    _, vocab = data
    with pytest.raises(ValueError, match=match):
        predict_ch8(prefix, num_preds, plain_model(), vocab, CPU, temperature)


def gradients_of(net):
    params = list(net.parameters()) if isinstance(net, nn.Module) else net.params
    return [p.grad.clone() for p in params if p.grad is not None]


def test_grad_clipping_caps_the_norm_and_keeps_the_direction():
    torch.manual_seed(0)
    net = plain_model()
    out, _ = net(torch.randint(0, 28, (4, 6)), net.begin_state(4, CPU))
    (out.pow(2).sum() * 1000).backward()
    before = torch.cat([g.flatten() for g in gradients_of(net)])
    norm = grad_clipping(net, 0.5)
    after = torch.cat([g.flatten() for g in gradients_of(net)])
    assert norm == pytest.approx(before.norm().item(), rel=1e-5) and norm > 0.5
    assert after.norm().item() == pytest.approx(0.5, rel=1e-5)
    assert F.cosine_similarity(before, after, dim=0).item() == pytest.approx(1.0, abs=1e-6)


def test_grad_clipping_works_on_modules_and_skips_missing_gradients():
    torch.manual_seed(0)
    net = nn.ModuleDict({"used": nn.Linear(3, 3), "unused": nn.Linear(3, 3)})
    (net["used"](torch.randn(5, 3)).sum() * 100).backward()
    assert net["unused"].weight.grad is None
    norm = grad_clipping(net, 1.0)
    assert norm > 1.0
    clipped = torch.cat([g.flatten() for g in gradients_of(net)])
    assert clipped.norm().item() == pytest.approx(1.0, rel=1e-5)


def test_grad_clipping_leaves_small_gradients_and_none_only_measures():
    layer = nn.Linear(2, 1)
    layer.weight.grad = torch.tensor([[0.3, 0.4]])
    layer.bias.grad = torch.zeros(1)
    assert grad_clipping(layer, 1.0) == pytest.approx(0.5)
    assert torch.equal(layer.weight.grad, torch.tensor([[0.3, 0.4]]))
    layer.weight.grad = torch.tensor([[3.0, 4.0]])
    assert grad_clipping(layer, None) == pytest.approx(5.0)
    assert torch.equal(layer.weight.grad, torch.tensor([[3.0, 4.0]]))


@pytest.mark.parametrize("theta", [0, -1.0])
def test_grad_clipping_rejects_non_positive_theta(theta):
    with pytest.raises(ValueError, match="theta"):
        grad_clipping(nn.Linear(2, 2), theta)


def test_sgd_steps_and_resets_gradients():
    p = torch.ones(3, requires_grad=True)
    p.grad = torch.full((3,), 2.0)
    sgd([p], lr=0.5, batch_size=2)
    assert torch.equal(p.detach(), torch.full((3,), 0.5)) and not p.grad.any()


class Recorder:
    """Wraps a scratch model and records the state each batch starts from and ends with."""

    def __init__(self, net):
        self.net, self.params, self.begins, self.inputs, self.outputs = net, net.params, 0, [], []

    def begin_state(self, batch_size, device):
        self.begins += 1
        return self.net.begin_state(batch_size, device)

    def __call__(self, X, state):
        self.inputs.append(state[0])
        out, new_state = self.net(X, state)
        self.outputs.append(new_state[0])
        return out, new_state


@pytest.mark.parametrize("use_random_iter", [False, True])
def test_train_epoch_state_handling(use_random_iter):
    d2l.set_seed(0)
    train_iter, vocab = d2l.load_data_time_machine(4, 10, use_random_iter=use_random_iter, max_tokens=500)
    net = Recorder(fast_rnn_model(len(vocab), 8, CPU))
    ppl, speed = train_epoch_ch8(net, train_iter, nn.CrossEntropyLoss(), lambda batch_size: sgd(net.params, 1, 1),
                                 CPU, use_random_iter)
    assert math.isfinite(ppl) and speed > 0
    batches = len(train_iter)
    if use_random_iter:
        assert net.begins == batches
        assert all(not s.any() for s in net.inputs)
    else:
        assert net.begins == 1
        for previous_end, start in zip(net.outputs, net.inputs[1:]):
            assert torch.equal(previous_end.detach(), start)  # the same values carry over...
            assert start.grad_fn is None and not start.requires_grad  # ...without the old graph


def test_train_ch8_history_and_learning(data, capsys):
    train_iter, vocab = data
    d2l.set_seed(0)
    net = fast_rnn_model(len(vocab), 32, CPU)
    history = train_ch8(net, train_iter, vocab, lr=1, num_epochs=6, device=CPU)
    assert len(history.perplexity) == 6 and len(history.grad_norms) == 6 * len(train_iter)
    assert history.perplexity[-1] < history.perplexity[0] < 29
    assert history.tokens_per_sec > 0 and not history.diverged and not history.stopped
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("perplexity ") and "tokens/sec on cpu" in printed[0]
    assert printed[1].startswith("time traveller") and printed[2].startswith("traveller")


def test_train_ch8_without_clipping_records_raw_norms(data):
    train_iter, vocab = data
    d2l.set_seed(0)
    net = fast_rnn_model(len(vocab), 16, CPU)
    history = train_ch8(net, train_iter, vocab, lr=1, num_epochs=2, device=CPU, theta=None)
    assert len(history.grad_norms) == 2 * len(train_iter)


def test_train_ch8_stops_cleanly_when_training_diverges(data, capsys):
    train_iter, vocab = data
    d2l.set_seed(0)
    net = fast_rnn_model(len(vocab), 16, CPU)
    history = train_ch8(net, train_iter, vocab, lr=1e38, num_epochs=50, device=CPU, theta=None)
    assert history.diverged and len(history.perplexity) < 50
    out = capsys.readouterr().out
    assert "diverged" in out and "Traceback" not in out


def test_quiet_training_honours_should_stop_and_reports_each_epoch(data, capsys):
    train_iter, vocab = data
    calls, epochs = [], []

    def stop_after_three_epochs():
        calls.append(1)
        return len(calls) > 3

    net = fast_rnn_model(len(vocab), 16, CPU)
    history = train_quietly(net, train_iter, vocab, 1, 100, CPU, should_stop=stop_after_three_epochs,
                            on_epoch=lambda epoch, history: epochs.append((epoch, len(history.perplexity))))
    assert history.stopped and len(history.perplexity) == 3 and len(history.grad_norms) == 3 * len(train_iter)
    assert epochs == [(1, 1), (2, 2), (3, 3)]
    assert capsys.readouterr().out == "", "quiet: no printout"


def test_quiet_training_is_train_ch8_without_its_printout(data, capsys):
    train_iter, vocab = data
    histories = []
    for train in (train_ch8, train_quietly):
        d2l.set_seed(0)
        histories.append(train(fast_rnn_model(len(vocab), 16, CPU), train_iter, vocab, 1, 3, CPU))
    assert histories[0].perplexity == histories[1].perplexity
    assert histories[0].grad_norms == histories[1].grad_norms


@pytest.mark.parametrize("lr, num_epochs, match", [(0, 5, "lr"), (-1, 5, "lr"), (1, 0, "num_epochs"),
                                                   (1, 2.5, "num_epochs")])
def test_train_ch8_rejects_bad_arguments(data, lr, num_epochs, match):
    train_iter, vocab = data
    with pytest.raises(ValueError, match=match):
        train_ch8(fast_rnn_model(len(vocab), 8, CPU), train_iter, vocab, lr, num_epochs, CPU)


def test_evaluate_perplexity_of_an_untrained_model_is_near_uniform():
    torch.manual_seed(0)
    net = fast_rnn_model(28, 16, CPU)
    tokens = torch.randint(0, 28, (2000,)).tolist()
    assert evaluate_perplexity(net, tokens, CPU) == pytest.approx(28, rel=0.02)
    with pytest.raises(ValueError, match="tokens"):
        evaluate_perplexity(net, tokens[:10], CPU)
