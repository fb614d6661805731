"""Hard inputs for the minibatch iterators: each works or says what is wrong, and no token is altered."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import d2l_mini as d2l
from d2l_mini.sequences import num_batches_random, num_batches_sequential

ITERATORS = [d2l.seq_data_iter_random, d2l.seq_data_iter_sequential]


@pytest.mark.parametrize("iterator", ITERATORS)
@pytest.mark.parametrize("batch_size, num_steps", [(True, 5), (2, True), (np.float64(2), 5)])
def test_bools_and_floats_are_not_sizes(iterator, batch_size, num_steps):
    with pytest.raises(ValueError, match="batch_size|num_steps"):
        iterator(list(range(100)), batch_size, num_steps)


@pytest.mark.parametrize("iterator", ITERATORS)
def test_numpy_integer_sizes_work(iterator):
    X, Y = next(iter(iterator(list(range(100)), np.int64(2), np.int32(5))))
    assert X.shape == (2, 5)


@pytest.mark.parametrize("iterator", ITERATORS)
@pytest.mark.parametrize(
    "corpus, error, match",
    [
        ("abcdefghijklmnopqrstuvwxyz" * 4, TypeError, "string"),
        ([0.5, 1.7] * 50, TypeError, "integers"),
        (torch.rand(100), TypeError, "integers"),
        ([True, False] * 50, TypeError, "bools"),
        (list(range(99)) + [-3], ValueError, "-3 at position 99"),
        (torch.arange(100).reshape(10, 10), ValueError, "flat"),
        ([[1, 2, 3]] * 40, ValueError, "flat"),
        (42, TypeError, "int"),
        ([1, "2", 3] * 40, TypeError, "integer"),
    ],
)
def test_bad_corpus_is_refused_at_the_call(iterator, corpus, error, match):
    with pytest.raises(error, match=match):
        iterator(corpus, 2, 5)  # no next(): the call itself checks


@pytest.mark.parametrize("iterator", ITERATORS)
def test_empty_corpus_says_too_few(iterator):
    with pytest.raises(ValueError, match="too few"):
        iterator([], 2, 5)


@pytest.mark.parametrize("use_random_iter", ["sequential", 1, None])
def test_loader_wants_a_real_bool_for_use_random_iter(use_random_iter):
    with pytest.raises(ValueError, match="use_random_iter"):
        d2l.load_data_time_machine(2, 5, use_random_iter=use_random_iter)


@pytest.mark.parametrize("kwargs, match", [(dict(batch_size=True, num_steps=5), "batch_size must"),
                                           (dict(batch_size=2, num_steps=5, max_tokens=True), "max_tokens")])
def test_loader_refuses_bools(kwargs, match):
    with pytest.raises(ValueError, match=match):
        d2l.load_data_time_machine(**kwargs)


def test_epoch_length_is_never_negative():
    assert num_batches_random(5, 2, 10) == 0
    assert num_batches_sequential(5, 2, 10) == 0
    with pytest.raises(ValueError, match="num_tokens"):
        num_batches_random(-1, 2, 10)


corpora = st.one_of(
    st.lists(st.integers(0, 2**40), min_size=1, max_size=200),
    st.lists(st.integers(0, 27), min_size=1, max_size=200),
)


def windows_of(corpus, X, Y):
    """Each row of X is a window of the corpus and Y the window one token later; return the starts."""
    text = list(corpus)
    starts = []
    for x_row, y_row in zip(X.tolist(), Y.tolist()):
        candidates = [i for i in range(len(text) - len(x_row)) if text[i:i + len(x_row)] == x_row
                      and text[i + 1:i + 1 + len(y_row)] == y_row]
        assert candidates, "a row that is not a window of the corpus"
        starts.append(candidates)
    return starts


@pytest.mark.parametrize("iterator", ITERATORS)
@settings(max_examples=60, deadline=None)
@given(corpus=corpora, batch_size=st.integers(1, 4), num_steps=st.integers(1, 6), seed=st.integers(0, 1000))
def test_any_valid_corpus_gives_windows_of_itself(iterator, corpus, batch_size, num_steps, seed):
    if len(corpus) < (batch_size + 1) * num_steps:
        with pytest.raises(ValueError, match="too few"):
            iterator(corpus, batch_size, num_steps)
        return
    d2l.set_seed(seed)
    batches = list(iterator(corpus, batch_size, num_steps))
    assert len(batches) >= 1
    for X, Y in batches:
        assert X.shape == Y.shape == (batch_size, num_steps) and X.dtype == torch.int64
        windows_of(corpus, X, Y)


@pytest.mark.parametrize("iterator", ITERATORS)
@settings(max_examples=40, deadline=None)
@given(corpus=st.lists(st.integers(0, 27), min_size=30, max_size=120), seed=st.integers(0, 1000),
       kind=st.sampled_from(["list", "tuple", "tensor", "int32 tensor", "numpy"]))
def test_list_tensor_and_array_corpora_give_the_same_batches(iterator, corpus, seed, kind):
    as_kind = {"list": list, "tuple": tuple, "tensor": torch.tensor,
               "int32 tensor": lambda c: torch.tensor(c, dtype=torch.int32), "numpy": np.array}[kind]
    d2l.set_seed(seed)
    expected = list(iterator(corpus, 3, 4))
    d2l.set_seed(seed)
    got = list(iterator(as_kind(corpus), 3, 4))
    assert len(got) == len(expected)
    assert all(torch.equal(a, c) and torch.equal(b, d) for (a, b), (c, d) in zip(got, expected))


@settings(max_examples=60, deadline=None)
@given(corpus=st.lists(st.integers(0, 27), min_size=1, max_size=150), position=st.integers(0, 149),
       bad=st.one_of(st.integers(max_value=-1), st.floats(allow_nan=True), st.booleans()))
def test_one_bad_token_anywhere_is_found(corpus, position, bad):
    corpus = list(corpus)
    corpus[position % len(corpus)] = bad
    for iterator in ITERATORS:
        with pytest.raises((TypeError, ValueError)):
            iterator(corpus, 1, 1)


@settings(max_examples=100, deadline=None)
@given(num_tokens=st.integers(0, 500), batch_size=st.integers(1, 10), num_steps=st.integers(1, 10),
       seed=st.integers(0, 100))
def test_epoch_length_formulas_match_the_iterators(num_tokens, batch_size, num_steps, seed):
    corpus = list(range(num_tokens))
    for iterator, count in ((d2l.seq_data_iter_random, num_batches_random),
                            (d2l.seq_data_iter_sequential, num_batches_sequential)):
        assert count(num_tokens, batch_size, num_steps) >= 0
        if num_tokens >= (batch_size + 1) * num_steps:
            d2l.set_seed(seed)
            assert sum(1 for _ in iterator(corpus, batch_size, num_steps)) == count(num_tokens, batch_size, num_steps)
