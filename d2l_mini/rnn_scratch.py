"""Code exported from the chapter "Recurrent Neural Networks from Scratch".

Generated from notebooks/rnn_scratch.md by tools/export_chapters.py; do not edit.
Change the chapter's cells tagged `export` and run `make export`.
"""

import math

import torch
import torch.nn.functional as F
from torch import nn

import d2l_mini as d2l


def get_params(vocab_size, num_hiddens, device):
    """The five RNN parameters: W_xh, W_hh, b_h (hidden layer) and W_hq, b_q (output)."""
    num_inputs = num_outputs = vocab_size

    def normal(shape):
        return torch.randn(size=shape, device=device) * 0.01

    W_xh = normal((num_inputs, num_hiddens))
    W_hh = normal((num_hiddens, num_hiddens))
    b_h = torch.zeros(num_hiddens, device=device)
    W_hq = normal((num_hiddens, num_outputs))
    b_q = torch.zeros(num_outputs, device=device)
    params = [W_xh, W_hh, b_h, W_hq, b_q]
    for param in params:
        param.requires_grad_(True)
    return params


def init_rnn_state(batch_size, num_hiddens, device):
    """A zero hidden state, as a one-element tuple."""
    return (torch.zeros((batch_size, num_hiddens), device=device),)


def rnn(inputs, state, params):
    """Run the RNN over one-hot ``inputs`` of shape (num_steps, batch_size, vocab_size)."""
    W_xh, W_hh, b_h, W_hq, b_q = params
    (H,) = state
    outputs = []
    for X in inputs:
        H = torch.tanh(X @ W_xh + H @ W_hh + b_h)
        outputs.append(H @ W_hq + b_q)
    return torch.cat(outputs, dim=0), (H,)


class RNNModelScratch:
    """An RNN built from plain tensors: parameters plus state and forward functions."""

    def __init__(self, vocab_size, num_hiddens, device, get_params, init_state, forward_fn, one_hot=True):
        self.vocab_size, self.num_hiddens = vocab_size, num_hiddens
        self.params = get_params(vocab_size, num_hiddens, device)
        self.init_state, self.forward_fn = init_state, forward_fn
        self.one_hot = one_hot

    def __call__(self, X, state):
        """Outputs for a (batch_size, num_steps) batch of token indices, and the new state."""
        inputs = X.T
        if self.one_hot:
            inputs = F.one_hot(inputs, self.vocab_size).type(torch.float32)
        return self.forward_fn(inputs, state, self.params)

    def begin_state(self, batch_size, device):
        return self.init_state(batch_size, self.num_hiddens, device)


def clean_prefix(prefix, vocab):
    """Lowercase ``prefix`` and turn characters the vocabulary lacks into single spaces."""
    if not isinstance(prefix, str) or not prefix:
        raise ValueError(f"prefix must be a non-empty string, got {prefix!r}.")
    chars = [c if c in vocab.token_to_idx else " " for c in prefix.lower()]
    cleaned = "".join(c for i, c in enumerate(chars) if c != " " or i == 0 or chars[i - 1] != " ")
    return cleaned


def predict_ch8(prefix, num_preds, net, vocab, device, temperature=0.0, generator=None):
    """Continue ``prefix`` by ``num_preds`` characters.

    ``temperature=0`` picks the most likely character each step (greedy);
    a positive temperature samples from softmax(scores / temperature), using
    ``generator`` if given so that samples are reproducible.
    """
    prefix = clean_prefix(prefix, vocab)
    if not isinstance(num_preds, int) or num_preds < 0:
        raise ValueError(f"num_preds must be a non-negative integer, got {num_preds!r}.")
    if temperature < 0:
        raise ValueError(f"temperature must be 0 (greedy) or positive, got {temperature!r}.")
    state = net.begin_state(batch_size=1, device=device)
    outputs = [vocab[prefix[0]]]

    def last_output():
        return torch.tensor([outputs[-1]], device=device).reshape((1, 1))

    with torch.no_grad():
        for char in prefix[1:]:  # warm-up: only the state matters
            _, state = net(last_output(), state)
            outputs.append(vocab[char])
        for _ in range(num_preds):
            scores, state = net(last_output(), state)
            if temperature == 0:
                outputs.append(int(scores.argmax(dim=1)))
            else:
                probs = torch.softmax(scores.reshape(-1).double() / temperature, dim=0)
                outputs.append(int(torch.multinomial(probs.cpu(), 1, generator=generator)))
    return "".join(vocab.to_tokens(outputs))


def grad_clipping(net, theta):
    """Scale the gradients of ``net`` so that their joint norm is at most ``theta``.

    ``theta=None`` only measures. Returns the norm before clipping, as a float.
    """
    if theta is not None and not theta > 0:
        raise ValueError(f"theta must be positive (or None for no clipping), got {theta!r}.")
    params = net.parameters() if isinstance(net, nn.Module) else net.params
    grads = [p.grad for p in params if p.requires_grad and p.grad is not None]
    if not grads:
        return 0.0
    norm = torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(g) for g in grads]))
    norm = float(norm)
    if theta is not None and norm > theta:
        for g in grads:
            g.mul_(theta / norm)
    return norm


def sgd(params, lr, batch_size):
    """Minibatch SGD: step against the gradient, then reset it."""
    with torch.no_grad():
        for param in params:
            param.add_(param.grad, alpha=-lr / batch_size)
            param.grad.zero_()


def detach_state(state):
    """The same state values, cut off from the graph of the previous batch."""
    if isinstance(state, tuple):
        return tuple(s.detach() for s in state)
    return state.detach()


def train_epoch_ch8(net, train_iter, loss, updater, device, use_random_iter, theta=1,
                    grad_norms=None, should_stop=None):
    """Train ``net`` for one epoch; returns (perplexity, tokens per second).

    ``theta`` is the clipping threshold (None: no clipping). If ``grad_norms``
    is a list, each batch's gradient norm before clipping is appended to it.
    ``should_stop()`` is asked before every batch and ends the epoch early.
    """
    state, timer = None, d2l.Timer()
    metric = d2l.Accumulator(2)  # sum of losses, number of tokens
    for X, Y in train_iter:
        if should_stop is not None and should_stop():
            break
        if state is None or use_random_iter:
            state = net.begin_state(batch_size=X.shape[0], device=device)
        else:
            state = detach_state(state)
        y = Y.T.reshape(-1).to(device)
        X = X.to(device)
        y_hat, state = net(X, state)
        l = loss(y_hat, y).mean()
        if isinstance(updater, torch.optim.Optimizer):
            updater.zero_grad()
            l.backward()
            norm = grad_clipping(net, theta)
            updater.step()
        else:
            l.backward()
            norm = grad_clipping(net, theta)
            updater(batch_size=1)  # the loss is already a mean
        if grad_norms is not None:
            grad_norms.append(norm)
        metric.add(l * y.numel(), y.numel())
    if metric[1] == 0:
        return float("nan"), 0.0
    return math.exp(metric[0] / metric[1]), metric[1] / timer.stop()


class TrainingHistory:
    """What a call of ``train_ch8`` produced, epoch by epoch."""

    def __init__(self, device):
        self.device = device
        self.perplexity = []  # one value per finished epoch
        self.grad_norms = []  # one value per batch, before clipping
        self.tokens_per_sec = 0.0
        self.diverged = False
        self.stopped = False

    @property
    def final_perplexity(self):
        return self.perplexity[-1] if self.perplexity else float("nan")


def train_ch8(net, train_iter, vocab, lr, num_epochs, device, use_random_iter=False, theta=1,
              animate=True, on_epoch=None, should_stop=None, verbose=True):
    """Train a character-level model and return its :class:`TrainingHistory`.

    ``theta=None`` trains without gradient clipping. ``on_epoch(epoch, history)``
    is called after each epoch; ``should_stop()`` before each batch.
    """
    if not lr > 0:
        raise ValueError(f"lr must be positive, got {lr!r}.")
    if not isinstance(num_epochs, int) or num_epochs < 1:
        raise ValueError(f"num_epochs must be a positive integer, got {num_epochs!r}.")
    loss = nn.CrossEntropyLoss()
    if isinstance(net, nn.Module):
        updater = torch.optim.SGD(net.parameters(), lr)
    else:
        def updater(batch_size):
            return sgd(net.params, lr, batch_size)
    animator = d2l.Animator(xlabel="epoch", ylabel="perplexity", legend=["train"],
                            xlim=[10, num_epochs]) if animate else None
    history, tokens, seconds = TrainingHistory(device), 0.0, 0.0
    for epoch in range(num_epochs):
        ppl, speed = train_epoch_ch8(net, train_iter, loss, updater, device, use_random_iter, theta,
                                     grad_norms=history.grad_norms, should_stop=should_stop)
        if should_stop is not None and should_stop():
            history.stopped = True
            break
        if not math.isfinite(ppl):
            history.diverged = True
            if verbose:
                print(f"Training diverged in epoch {epoch + 1}: the loss is {ppl}. "
                      f"Lower the learning rate (lr={lr}) or clip gradients (theta={theta}).")
            break
        history.perplexity.append(ppl)
        epoch_tokens = len(train_iter) * train_iter.batch_size * train_iter.num_steps
        tokens, seconds = tokens + epoch_tokens, seconds + epoch_tokens / speed
        if animator is not None and (epoch + 1) % 10 == 0:
            animator.add(epoch + 1, [ppl])
        if on_epoch is not None:
            on_epoch(epoch + 1, history)
    history.tokens_per_sec = tokens / seconds if seconds else 0.0
    if verbose and history.perplexity and not history.diverged:
        print(f"perplexity {history.final_perplexity:.1f}, {history.tokens_per_sec:.1f} tokens/sec on {device}")
        print(predict_ch8("time traveller", 50, net, vocab, device))
        print(predict_ch8("traveller", 50, net, vocab, device))
    return history


class TanhRecurrence(torch.autograd.Function):
    """H_t = tanh(XW_t + H_{t-1} W_hh) for all t, with backpropagation through time by hand.

    ``XW`` (num_steps, batch, hidden) holds the input part of every step,
    ``H0`` the initial state. Returns all states H_1..H_T stacked. Every step
    writes into preallocated memory, so the loops do no bookkeeping at all.
    """

    @staticmethod
    def forward(ctx, XW, H0, W_hh):
        num_steps = XW.shape[0]
        states = XW.new_empty((num_steps + 1, *H0.shape))  # H_0, H_1, ..., H_T
        states[0] = H0
        states[1:] = XW  # each step adds H_{t-1} W_hh in place, then applies tanh in place
        H = states.unbind(0)
        for t in range(num_steps):
            H[t + 1].addmm_(H[t], W_hh).tanh_()
        ctx.save_for_backward(states, W_hh)
        return states[1:]

    @staticmethod
    def backward(ctx, grad_Hs):
        states, W_hh = ctx.saved_tensors
        num_steps, num_hiddens = grad_Hs.shape[0], grad_Hs.shape[2]
        W_hh_T = W_hh.T.contiguous()
        Hs = states[1:]
        slope = torch.addcmul(torch.ones_like(Hs), Hs, Hs, value=-1)  # tanh'(A_t) = 1 - H_t^2
        grad_A = grad_Hs.clone(memory_format=torch.contiguous_format)  # becomes dL/dA_t, last step first
        grad_A_t, slopes = grad_A.unbind(0), slope.unbind(0)
        for t in range(num_steps - 1, 0, -1):
            # dL/dH_{t-1} = (from the output at t-1) + (through A_t); then through tanh
            grad_A_t[t - 1].addmm_(grad_A_t[t].mul_(slopes[t]), W_hh_T)
        grad_A_t[0].mul_(slopes[0])
        flat_grad_A = grad_A.reshape(-1, num_hiddens)
        grad_W_hh = states[:-1].reshape(-1, num_hiddens).T @ flat_grad_A
        grad_H0 = grad_A_t[0] @ W_hh_T if ctx.needs_input_grad[1] else None
        return grad_A, grad_H0, grad_W_hh


def rnn_fast(inputs, state, params):
    """The same RNN as ``rnn``, on token indices of shape (num_steps, batch_size)."""
    W_xh, W_hh, b_h, W_hq, b_q = params
    (H,) = state
    XW = F.embedding(inputs, W_xh) + b_h  # one-hot @ W_xh is a row lookup
    Hs = TanhRecurrence.apply(XW, H, W_hh)
    outputs = torch.addmm(b_q, Hs.reshape(-1, Hs.shape[-1]), W_hq)  # all time steps in one product
    return outputs, (Hs[-1],)


def fast_rnn_model(vocab_size, num_hiddens, device):
    """A from-scratch RNN that uses ``rnn_fast``."""
    return RNNModelScratch(vocab_size, num_hiddens, device, get_params, init_rnn_state, rnn_fast, one_hot=False)


def evaluate_perplexity(net, tokens, device, batch_size=32, num_steps=35):
    """Perplexity of ``net`` on a token sequence, read as ``batch_size`` parallel streams."""
    stream_length = (len(tokens) - 1) // batch_size
    if stream_length < 1:
        raise ValueError(f"need more than {batch_size} tokens to evaluate, got {len(tokens)}.")
    data = torch.as_tensor(tokens[: batch_size * stream_length + 1], device=device)
    Xs = data[:-1].reshape(batch_size, stream_length)
    Ys = data[1:].reshape(batch_size, stream_length)
    state, total = net.begin_state(batch_size, device), 0.0
    with torch.no_grad():
        for start in range(0, stream_length, num_steps):
            X, Y = Xs[:, start:start + num_steps], Ys[:, start:start + num_steps]
            outputs, state = net(X, state)
            total += F.cross_entropy(outputs, Y.T.reshape(-1), reduction="sum").item()
    return math.exp(total / Xs.numel())
