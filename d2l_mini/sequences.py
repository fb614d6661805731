"""Cutting a long token sequence into minibatches of (input, next-token target).

Two ways, as in d2l: random sampling, where each example is a random window
and neighbouring batches are unrelated, and sequential partitioning, where row
``r`` of a batch continues exactly where row ``r`` of the previous batch ended
(so a model may carry its hidden state across batches). Both start at a random
offset in ``[0, num_steps)`` so that every epoch sees different windows.
Python's ``random`` supplies the randomness; ``d2l_mini.set_seed`` fixes it.
"""

import random

import torch

from .text import load_corpus_time_machine


def _check_sizes(corpus, batch_size, num_steps):
    for name, value in (("batch_size", batch_size), ("num_steps", num_steps)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}.")
    needed = (batch_size + 1) * num_steps
    if len(corpus) < needed:
        raise ValueError(
            f"The corpus has {len(corpus)} tokens, too few for one batch: batch_size={batch_size} "
            f"and num_steps={num_steps} need at least (batch_size + 1) * num_steps = {needed}. "
            f"Use a longer corpus or smaller batch_size / num_steps."
        )


def num_batches_random(num_tokens, batch_size, num_steps):
    """Batches per epoch of :func:`seq_data_iter_random`, the same for every offset."""
    return ((num_tokens - num_steps) // num_steps) // batch_size


def num_batches_sequential(num_tokens, batch_size, num_steps):
    """Batches per epoch of :func:`seq_data_iter_sequential`, the same for every offset."""
    return ((num_tokens - num_steps) // batch_size) // num_steps


def seq_data_iter_random(corpus, batch_size, num_steps):
    """Minibatches of random, non-overlapping windows: ``X, Y`` of shape (batch_size, num_steps).

    ``Y`` is ``X`` shifted one token ahead. The epoch length is computed for the
    largest offset, so every epoch yields the same number of batches.
    """
    _check_sizes(corpus, batch_size, num_steps)
    num_batches = num_batches_random(len(corpus), batch_size, num_steps)
    offset = random.randrange(num_steps)
    starts = [offset + i * num_steps for i in range(num_batches * batch_size)]
    random.shuffle(starts)
    data = torch.as_tensor(corpus, dtype=torch.int64)
    for first in range(0, len(starts), batch_size):
        batch_starts = torch.tensor(starts[first:first + batch_size]).unsqueeze(1)
        positions = batch_starts + torch.arange(num_steps)
        yield data[positions], data[positions + 1]


def seq_data_iter_sequential(corpus, batch_size, num_steps):
    """Minibatches whose rows continue each other from batch to batch.

    The corpus (after a random offset) is split into ``batch_size`` equal
    streams; batch ``i`` holds the ``i``-th window of ``num_steps`` tokens of
    every stream. ``Y`` is ``X`` shifted one token ahead.
    """
    _check_sizes(corpus, batch_size, num_steps)
    num_batches = num_batches_sequential(len(corpus), batch_size, num_steps)
    offset = random.randrange(num_steps)
    stream_length = num_batches * num_steps
    data = torch.as_tensor(corpus, dtype=torch.int64)
    used = batch_size * stream_length
    Xs = data[offset:offset + used].reshape(batch_size, stream_length)
    Ys = data[offset + 1:offset + 1 + used].reshape(batch_size, stream_length)
    for start in range(0, stream_length, num_steps):
        yield Xs[:, start:start + num_steps], Ys[:, start:start + num_steps]


class SeqDataLoader:
    """Re-iterable minibatches of the Time Machine characters; one pass is one epoch."""

    def __init__(self, batch_size, num_steps, use_random_iter, max_tokens):
        self.corpus, self.vocab = load_corpus_time_machine(max_tokens)
        _check_sizes(self.corpus, batch_size, num_steps)
        self.batch_size, self.num_steps = batch_size, num_steps
        self.use_random_iter = bool(use_random_iter)
        self.data_iter_fn = seq_data_iter_random if use_random_iter else seq_data_iter_sequential

    def __iter__(self):
        return self.data_iter_fn(self.corpus, self.batch_size, self.num_steps)

    def __len__(self):
        count = num_batches_random if self.use_random_iter else num_batches_sequential
        return count(len(self.corpus), self.batch_size, self.num_steps)


def load_data_time_machine(batch_size, num_steps, use_random_iter=False, max_tokens=10000):
    """The Time Machine as ``(data_iter, vocab)`` for character-level language models."""
    data_iter = SeqDataLoader(batch_size, num_steps, use_random_iter, max_tokens)
    return data_iter, data_iter.vocab
