"""Code exported from the chapter "Recurrent Neural Networks from Scratch".

Generated from notebooks/rnn_scratch.md by tools/export_chapters.py; do not edit.
Change the chapter's cells tagged `export` and run `make export`.
"""

import math

import torch
import torch.nn.functional as F
from torch import nn

import d2l_mini as d2l
from d2l_mini.checks import non_negative_int, positive_int, positive_number
from d2l_mini.text import clean_text


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
    """``prefix`` cleaned like the training text: lowercase letters and single spaces.

    A prefix with nothing the vocabulary knows (digits only, or a script with
    no ASCII letters) would silently become a lone space, so it is refused.
    """
    if not isinstance(prefix, str) or not prefix:
        raise ValueError(f"prefix must be a non-empty string, got {prefix!r}.")
    cleaned = clean_text(prefix, strip=False)
    if not any(char in vocab.token_to_idx and char != " " for char in cleaned):
        raise ValueError(f"prefix {prefix!r} has no letter the model knows (it reads only a-z); "
                         f"after cleaning it would be {cleaned!r}. Start it with at least one such letter.")
    return cleaned


def predict_ch8(prefix, num_preds, net, vocab, device, temperature=0.0, generator=None):
    """Continue ``prefix`` by ``num_preds`` characters.

    ``temperature=0`` picks the most likely character each step (greedy);
    a positive temperature samples from softmax(scores / temperature), using
    ``generator`` if given so that samples are reproducible. The unknown
    token is never produced: it stands for "none of the above", not a character.
    """
    prefix = clean_prefix(prefix, vocab)
    num_preds = non_negative_int("num_preds", num_preds)
    if temperature != 0:
        temperature = positive_number("temperature", temperature, none_means="0 for greedy decoding")
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
            scores = scores.reshape(-1).double()
            scores[vocab.unk] = -math.inf
            if temperature == 0:
                outputs.append(int(scores.argmax()))
            else:
                # subtracting the maximum keeps a tiny temperature from turning every score into inf
                probs = torch.softmax((scores - scores.max()) / temperature, dim=0)
                outputs.append(int(torch.multinomial(probs.cpu(), 1, generator=generator)))
    return "".join(vocab.to_tokens(outputs))


def gradient_norm(grads):
    """The joint Euclidean norm of a list of gradient tensors, as a float.

    Squaring entries of 1e20 overflows float32, and squaring entries of 1e-25
    underflows it to zero, so when the quick float32 result is infinite or
    tiny the norm is computed again from gradients scaled by their largest
    entry. A gradient that really holds inf or NaN is an error: no step
    should be taken with it.
    """
    norm = float(torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(g) for g in grads])))
    if math.isfinite(norm) and norm > 1e-18:  # below that, float32 squares lose digits or vanish
        return norm
    if not all(bool(torch.isfinite(g).all()) for g in grads):
        raise FloatingPointError("the gradient contains inf or NaN; no step was taken and the parameters are "
                                 "unchanged. Lower the learning rate or clip gradients with a smaller theta.")
    largest = max(float(g.abs().max()) for g in grads)
    if largest == 0:
        return 0.0
    scaled = [torch.linalg.vector_norm(g.double() / largest) for g in grads]
    return largest * float(torch.linalg.vector_norm(torch.stack(scaled)))


def grad_clipping(net, theta):
    """Scale the gradients of ``net`` so that their joint norm is at most ``theta``.

    ``theta=None`` only measures. Returns the norm before clipping, as a float.
    Raises ``FloatingPointError`` (changing nothing) if a gradient holds inf or NaN.
    """
    theta = positive_number("theta", theta, allow_none=True, none_means="None for no clipping")
    params = net.parameters() if isinstance(net, nn.Module) else net.params
    grads = [p.grad for p in params if p.requires_grad and p.grad is not None]
    if not grads:
        return 0.0
    norm = gradient_norm(grads)
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


def perplexity_of(mean_loss):
    """exp(mean cross-entropy): inf, rather than an OverflowError, for a loss above 709."""
    if math.isnan(mean_loss):
        return math.nan
    return math.exp(mean_loss) if mean_loss < 709 else math.inf


DIVERGENCE_FACTOR = 3  # a loss this many times that of uniform guessing means training has failed


def divergence(mean_loss, vocab_size):
    """Why ``mean_loss`` shows that training has diverged, or None if it does not.

    Guessing uniformly among ``vocab_size`` tokens costs log(vocab_size) per
    token. A loss that is not a finite number, or more than
    ``DIVERGENCE_FACTOR`` times that (a perplexity above vocab_size ** 3),
    means the parameters were thrown far from anything useful.
    """
    limit = DIVERGENCE_FACTOR * math.log(vocab_size)
    if not math.isfinite(mean_loss):
        return f"the loss is {mean_loss}"
    if mean_loss > limit:
        return (f"the loss {mean_loss:.3g} is more than {DIVERGENCE_FACTOR} times that of uniform guessing "
                f"(perplexity {perplexity_of(mean_loss):.3g}, above {vocab_size}^{DIVERGENCE_FACTOR})")
    return None


def train_epoch_ch8(net, train_iter, loss, updater, device, use_random_iter, theta=1,
                    grad_norms=None, should_stop=None):
    """Train ``net`` for one epoch; returns (perplexity, tokens per second).

    ``train_iter`` is any re-iterable of (X, Y) batches. ``theta`` is the
    clipping threshold (None: no clipping). If ``grad_norms`` is a list, each
    batch's gradient norm before clipping is appended to it. ``should_stop()``
    is asked before every batch and ends the epoch early. A gradient holding
    inf or NaN raises ``FloatingPointError`` before any parameter changes.
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
        metric.add(float(l.detach()) * y.numel(), y.numel())
    if metric[1] == 0:
        return math.nan, 0.0
    return perplexity_of(metric[0] / metric[1]), metric[1] / timer.stop()


class TrainingHistory:
    """What a call of ``train_ch8`` produced, epoch by epoch."""

    def __init__(self, device):
        self.device = device
        self.perplexity = []  # one value per finished epoch
        self.grad_norms = []  # one value per batch, before clipping
        self.tokens_per_sec = 0.0
        self.divergence = None  # why training diverged, if it did
        self.stopped = False

    @property
    def diverged(self):
        return self.divergence is not None

    @property
    def final_perplexity(self):
        return self.perplexity[-1] if self.perplexity else math.nan


def train_ch8(net, train_iter, vocab, lr, num_epochs, device, use_random_iter=False, theta=1,
              animate=True, on_epoch=None, should_stop=None, verbose=True):
    """Train a character-level model and return its :class:`TrainingHistory`.

    ``train_iter`` is any re-iterable of (X, Y) batches, such as the loader of
    ``d2l.load_data_time_machine``. ``theta=None`` trains without gradient
    clipping. ``on_epoch(epoch, history)`` is called after each epoch;
    ``should_stop()`` before each batch. Training stops at the first epoch that
    :func:`divergence` condemns, and says why.
    """
    lr = positive_number("lr", lr)
    num_epochs = positive_int("num_epochs", num_epochs)
    theta = positive_number("theta", theta, allow_none=True, none_means="None for no clipping")
    loss = nn.CrossEntropyLoss()
    if isinstance(net, nn.Module):
        updater = torch.optim.SGD(net.parameters(), lr)
    else:
        def updater(batch_size):
            return sgd(net.params, lr, batch_size)
    animator = d2l.Animator(xlabel="epoch", ylabel="perplexity", legend=["train"],
                            xlim=[10, num_epochs]) if animate else None
    history, speeds = TrainingHistory(device), []
    for epoch in range(num_epochs):
        try:
            ppl, speed = train_epoch_ch8(net, train_iter, loss, updater, device, use_random_iter, theta,
                                         grad_norms=history.grad_norms, should_stop=should_stop)
        except FloatingPointError as error:  # a non-finite gradient; no step was taken with it
            ppl, speed, history.divergence = math.nan, 0.0, str(error)
        if should_stop is not None and should_stop():
            history.stopped = True
            break
        if history.divergence is None:
            history.divergence = divergence(math.log(ppl) if ppl > 0 else ppl, len(vocab))
        if history.diverged:
            if verbose:
                print(f"Training diverged in epoch {epoch + 1}: {history.divergence}. "
                      f"Lower the learning rate (lr={lr:g}) or clip gradients (theta={theta}).")
            break
        history.perplexity.append(ppl)
        speeds.append(speed)
        if animator is not None and (epoch + 1) % 10 == 0:
            animator.add(epoch + 1, [ppl])
        if on_epoch is not None:
            on_epoch(epoch + 1, history)
    # harmonic mean: total tokens over total time, as every epoch reads the same number of tokens
    history.tokens_per_sec = len(speeds) / sum(1 / s for s in speeds) if speeds and min(speeds) > 0 else 0.0
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
    """Perplexity of ``net``, parameters fixed, on a token sequence read as ``batch_size`` parallel streams.

    Each stream starts from a zero state and carries it along, in windows of
    ``num_steps``, as sequential-partitioning training does.
    """
    batch_size = positive_int("batch_size", batch_size)
    num_steps = positive_int("num_steps", num_steps)
    stream_length = (len(tokens) - 1) // batch_size
    if stream_length < 1:
        raise ValueError(f"need more than {batch_size} tokens to evaluate with batch_size={batch_size}, "
                         f"got {len(tokens)}.")
    data = torch.as_tensor(tokens[: batch_size * stream_length + 1], device=device)
    Xs = data[:-1].reshape(batch_size, stream_length)
    Ys = data[1:].reshape(batch_size, stream_length)
    state, total = net.begin_state(batch_size=batch_size, device=device), 0.0
    with torch.no_grad():
        for start in range(0, stream_length, num_steps):
            X, Y = Xs[:, start:start + num_steps], Ys[:, start:start + num_steps]
            outputs, state = net(X, state)
            total += F.cross_entropy(outputs, Y.T.reshape(-1), reduction="sum").item()
    return perplexity_of(total / Xs.numel())
