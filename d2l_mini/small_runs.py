"""Small training runs, as the RNN chapter's widgets and comparisons make them.

:func:`train_quietly` runs the epochs of the chapter's ``train_ch8`` without
its plot and printout, with the hooks a widget needs. :func:`small_run`
trains a fresh fast scratch RNN (:func:`d2l_mini.fast_rnn_model`) on the Time
Machine batches with it, seeded so that it can be repeated. :func:`perplexity_by_position` looks inside
a trained model: how well it predicts each position of the training windows.
Nothing here needs ipywidgets.
"""

import math

import torch
import torch.nn.functional as F
from torch import nn

from .chapters.rnn_scratch import detach_state, fast_rnn_model, sgd, train_epoch_ch8
from .checks import non_negative_int, positive_int, positive_number
from .devices import set_seed, try_gpu
from .sequences import load_data_time_machine
from .training_history import TrainingHistory

BATCH_SIZE, NUM_STEPS = 32, 35


def widget_data(use_random_iter):
    """The Time Machine batches every widget run trains on: (train_iter, vocab), read once per widget."""
    return load_data_time_machine(BATCH_SIZE, NUM_STEPS, use_random_iter=use_random_iter)


def train_quietly(net, train_iter, vocab, lr, num_epochs, device, use_random_iter=False, theta=1,
                  should_stop=None, on_epoch=None):
    """The epochs of the chapter's ``train_ch8``, without its plot and printout; returns the TrainingHistory.

    For runs that are compared rather than watched (a grid of settings, a
    widget's runs). ``on_epoch(epoch, history)`` is called after each epoch,
    and ``should_stop()`` before each (a widget's Stop button): it ends the run
    with ``history.stopped``.
    """
    loss, history = nn.CrossEntropyLoss(), TrainingHistory(len(vocab))
    if isinstance(net, nn.Module):
        updater = torch.optim.SGD(net.parameters(), lr)
    else:
        def updater(batch_size):
            sgd(net.params, lr, batch_size)
    for epoch in range(1, num_epochs + 1):
        if should_stop is not None and should_stop():
            history.stopped = True
            break
        try:
            ppl, speed = train_epoch_ch8(net, train_iter, loss, updater, device, use_random_iter, theta,
                                         history.grad_norms)
        except FloatingPointError:  # a gradient of inf or NaN: diverged, and no step was taken with it
            ppl, speed = math.inf, 0.0
        history.add_epoch(ppl, speed)
        if history.diverged:
            break
        if on_epoch is not None:
            on_epoch(epoch, history)
    return history


def small_run(num_hiddens, lr, num_epochs, theta, use_random_iter, seed, should_stop=None, on_epoch=None,
              device=None, data=None):
    """Train a fresh fast scratch RNN at widget-sized settings, quietly; returns (net, vocab, history).

    ``data`` is what :func:`widget_data` returns for ``use_random_iter``;
    without it the text is read again.
    """
    device = device or try_gpu()
    set_seed(seed)
    train_iter, vocab = data or widget_data(use_random_iter)
    net = fast_rnn_model(len(vocab), num_hiddens, device)
    history = train_quietly(net, train_iter, vocab, lr, num_epochs, device, use_random_iter, theta,
                            should_stop=should_stop, on_epoch=on_epoch)
    return net, vocab, history


def outcome(history):
    """How a run ended, in words: its final perplexity, or that (and when) it diverged."""
    if history.diverged:
        return f"diverged in epoch {len(history.perplexity) + 1}"
    return f"perplexity {history.final_perplexity:.3g}"


def check_training_settings(num_hiddens, lr, seed):
    """The settings a widget passes to every run, checked once when the widget is made."""
    return positive_int("num_hiddens", num_hiddens), positive_number("lr", lr), non_negative_int("seed", seed)


def perplexity_by_position(net, use_random_iter, device, num_passes=4, seed=0, data=None):
    """Perplexity at each position of the training windows, parameters fixed, read the way training read them.

    Random sampling starts every window from a zero state, so the first
    characters of a window are predicted with no context at all; sequential
    partitioning carries the state over from the previous window. Returns one
    perplexity per position (``NUM_STEPS`` of them), averaged over
    ``num_passes`` passes through the data, each from its own random offset.
    ``data`` is what :func:`widget_data` returns for ``use_random_iter``.
    """
    set_seed(seed)
    train_iter, _ = data or widget_data(use_random_iter)
    total, count = torch.zeros(NUM_STEPS), 0
    with torch.no_grad():
        for _ in range(num_passes):
            state = None
            for X, Y in train_iter:
                if state is None or use_random_iter:
                    state = net.begin_state(batch_size=X.shape[0], device=device)
                else:
                    state = detach_state(state)
                outputs, state = net(X.to(device), state)
                losses = F.cross_entropy(outputs, Y.T.reshape(-1).to(device), reduction="none")
                total += losses.reshape(NUM_STEPS, -1).sum(dim=1).cpu()
                count += X.shape[0]
    return (total / count).exp().tolist()


