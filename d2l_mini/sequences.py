"""Cutting a long token sequence into minibatches of (input, next-token target).

Two ways, as in d2l: random sampling, where each example is a random window
and neighbouring batches are unrelated, and sequential partitioning, where row
``r`` of a batch continues exactly where row ``r`` of the previous batch ended
(so a model may carry its hidden state across batches). Both start at a random
offset in ``[0, num_steps)`` so that every epoch sees different windows.
Python's ``random`` supplies the randomness; ``d2l_mini.set_seed`` fixes it.
"""

import random

import numpy as np
import torch

from .checks import has_integer_dtype, is_bool, non_negative_int, positive_int
from .text import load_corpus_time_machine


def corpus_tensor(corpus):
    """``corpus`` as a 1-D int64 tensor of token indices, or an error that says what is wrong with it.

    A corpus is a flat list (or 1-D tensor or array) of integers >= 0, as
    ``load_corpus_time_machine`` returns. Anything else is refused rather than
    converted: floats would be truncated, bools read as 0 and 1, and a string
    or a list of lines would not be token indices at all.
    """
    if isinstance(corpus, (str, bytes)):
        raise TypeError(
            "The corpus must be a sequence of token indices, got a string; map the text to indices first, "
            "e.g. vocab[list(text)], or use load_corpus_time_machine()."
        )
    if isinstance(corpus, (torch.Tensor, np.ndarray)):
        data = torch.as_tensor(corpus)
    else:
        data = _tensor_from_python(corpus)
    if data.dim() != 1:
        raise ValueError(
            f"The corpus must be a flat sequence of token indices, got shape {tuple(data.shape)}; "
            f"join the lines into one list first."
        )
    if not has_integer_dtype(data):
        raise TypeError(f"Token indices must be integers, got a corpus of {data.dtype}.")
    if data.numel() and int(data.min()) < 0:
        position = int(torch.argmin(data))
        raise ValueError(
            f"Token indices must be >= 0, but the corpus has {int(data[position])} at position {position}."
        )
    return data.to(torch.int64)


def _tensor_from_python(corpus):
    try:
        items = list(corpus)
    except TypeError:
        raise TypeError(f"The corpus must be a sequence of token indices, got {type(corpus).__name__}.") from None
    if not items:
        return torch.zeros(0, dtype=torch.int64)
    if any(is_bool(item) for item in items):
        raise TypeError("Token indices must be integers, but the corpus holds bools (True/False).")
    try:
        return torch.as_tensor(items)
    except (TypeError, ValueError, RuntimeError, OverflowError) as error:
        raise TypeError(
            f"The corpus must be a flat sequence of integer token indices; torch could not read it ({error})."
        ) from None


def _check_sizes(num_tokens, batch_size, num_steps):
    """``batch_size`` and ``num_steps`` as ints, if they are positive and the corpus holds one batch."""
    batch_size, num_steps = positive_int("batch_size", batch_size), positive_int("num_steps", num_steps)
    needed = (batch_size + 1) * num_steps
    if num_tokens < needed:
        raise ValueError(
            f"The corpus has {num_tokens} tokens, too few for one batch: batch_size={batch_size} "
            f"and num_steps={num_steps} need at least (batch_size + 1) * num_steps = {needed}. "
            f"Use a longer corpus or smaller batch_size / num_steps."
        )
    return batch_size, num_steps


def num_batches_random(num_tokens, batch_size, num_steps):
    """Batches per epoch of :func:`seq_data_iter_random`, the same for every offset (0 if none fits)."""
    num_tokens = non_negative_int("num_tokens", num_tokens)
    batch_size, num_steps = positive_int("batch_size", batch_size), positive_int("num_steps", num_steps)
    return max(0, ((num_tokens - num_steps) // num_steps) // batch_size)


def num_batches_sequential(num_tokens, batch_size, num_steps):
    """Batches per epoch of :func:`seq_data_iter_sequential`, the same for every offset (0 if none fits)."""
    num_tokens = non_negative_int("num_tokens", num_tokens)
    batch_size, num_steps = positive_int("batch_size", batch_size), positive_int("num_steps", num_steps)
    return max(0, ((num_tokens - num_steps) // batch_size) // num_steps)


def seq_data_iter_random(corpus, batch_size, num_steps):
    """Minibatches of random, non-overlapping windows: ``X, Y`` of shape (batch_size, num_steps).

    ``Y`` is ``X`` shifted one token ahead. The epoch length is computed for the
    largest offset, so every epoch yields the same number of batches. The
    arguments are checked at the call, not at the first batch.
    """
    data = corpus_tensor(corpus)
    batch_size, num_steps = _check_sizes(len(data), batch_size, num_steps)
    return _random_batches(data, batch_size, num_steps)


def _random_batches(data, batch_size, num_steps):
    num_batches = num_batches_random(len(data), batch_size, num_steps)
    offset = random.randrange(num_steps)
    starts = [offset + i * num_steps for i in range(num_batches * batch_size)]
    random.shuffle(starts)
    for first in range(0, len(starts), batch_size):
        batch_starts = torch.tensor(starts[first:first + batch_size]).unsqueeze(1)
        positions = batch_starts + torch.arange(num_steps)
        yield data[positions], data[positions + 1]


def seq_data_iter_sequential(corpus, batch_size, num_steps):
    """Minibatches whose rows continue each other from batch to batch.

    The corpus (after a random offset) is split into ``batch_size`` equal
    streams; batch ``i`` holds the ``i``-th window of ``num_steps`` tokens of
    every stream. ``Y`` is ``X`` shifted one token ahead. The arguments are
    checked at the call, not at the first batch.
    """
    data = corpus_tensor(corpus)
    batch_size, num_steps = _check_sizes(len(data), batch_size, num_steps)
    return _sequential_batches(data, batch_size, num_steps)


def _sequential_batches(data, batch_size, num_steps):
    num_batches = num_batches_sequential(len(data), batch_size, num_steps)
    offset = random.randrange(num_steps)
    stream_length = num_batches * num_steps
    used = batch_size * stream_length
    Xs = data[offset:offset + used].reshape(batch_size, stream_length)
    Ys = data[offset + 1:offset + 1 + used].reshape(batch_size, stream_length)
    for start in range(0, stream_length, num_steps):
        yield Xs[:, start:start + num_steps], Ys[:, start:start + num_steps]


class SeqDataLoader:
    """Re-iterable minibatches of the Time Machine characters; one pass is one epoch."""

    def __init__(self, batch_size, num_steps, use_random_iter, max_tokens):
        positive_int("batch_size", batch_size)  # checked before the book is read
        positive_int("num_steps", num_steps)
        if not is_bool(use_random_iter):
            raise ValueError(
                f"use_random_iter must be True (random sampling) or False (sequential), got {use_random_iter!r}."
            )
        self.corpus, self.vocab = load_corpus_time_machine(max_tokens)
        self.batch_size, self.num_steps = _check_sizes(len(self.corpus), batch_size, num_steps)
        self.use_random_iter = bool(use_random_iter)
        self._tokens = corpus_tensor(self.corpus)  # once, not at every epoch: checking a list costs milliseconds

    def __iter__(self):
        batches = _random_batches if self.use_random_iter else _sequential_batches
        return batches(self._tokens, self.batch_size, self.num_steps)

    def __len__(self):
        count = num_batches_random if self.use_random_iter else num_batches_sequential
        return count(len(self.corpus), self.batch_size, self.num_steps)


def load_data_time_machine(batch_size, num_steps, use_random_iter=False, max_tokens=10000):
    """The Time Machine as ``(data_iter, vocab)`` for character-level language models."""
    data_iter = SeqDataLoader(batch_size, num_steps, use_random_iter, max_tokens)
    return data_iter, data_iter.vocab
