import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import d2l_mini as d2l

ITERATORS = [d2l.seq_data_iter_random, d2l.seq_data_iter_sequential]

sizes = st.tuples(st.integers(1, 6), st.integers(1, 8), st.integers(0, 60)).map(
    lambda t: (t[0], t[1], (t[0] + 1) * t[1] + t[2])  # batch_size, num_steps, corpus length
)


def batches(iterator, corpus_length, batch_size, num_steps, seed=0):
    d2l.set_seed(seed)
    return list(iterator(list(range(corpus_length)), batch_size, num_steps))


@pytest.mark.parametrize("iterator", ITERATORS)
@settings(max_examples=60, deadline=None)
@given(sizes=sizes, seed=st.integers(0, 10_000))
def test_shapes_dtype_and_shift(iterator, sizes, seed):
    batch_size, num_steps, length = sizes
    result = batches(iterator, length, batch_size, num_steps, seed)
    assert len(result) >= 1
    for X, Y in result:
        assert X.shape == Y.shape == (batch_size, num_steps)
        assert X.dtype == Y.dtype == torch.int64
        # the corpus is 0, 1, 2, ...: a window taken from it counts up by one
        assert torch.equal(Y, X + 1)
        assert torch.equal(X[:, 1:], X[:, :-1] + 1)
        assert int(Y.max()) < length and int(X.min()) >= 0


@pytest.mark.parametrize("iterator", ITERATORS)
@settings(max_examples=40, deadline=None)
@given(sizes=sizes)
def test_offset_is_below_num_steps_and_epoch_length_is_fixed(iterator, sizes):
    batch_size, num_steps, length = sizes
    counts, firsts = set(), set()
    for seed in range(12):
        result = batches(iterator, length, batch_size, num_steps, seed)
        counts.add(len(result))
        firsts.add(min(int(X.min()) for X, _ in result) % num_steps)
    assert len(counts) == 1
    assert all(0 <= first < num_steps for first in firsts)


@settings(max_examples=60, deadline=None)
@given(sizes=sizes, seed=st.integers(0, 10_000))
def test_sequential_rows_continue_across_batches(sizes, seed):
    batch_size, num_steps, length = sizes
    result = batches(d2l.seq_data_iter_sequential, length, batch_size, num_steps, seed)
    for (X_prev, _), (X_next, _) in zip(result, result[1:]):
        assert torch.equal(X_next[:, 0], X_prev[:, -1] + 1)


@settings(max_examples=60, deadline=None)
@given(sizes=sizes, seed=st.integers(0, 10_000))
def test_random_windows_do_not_overlap(sizes, seed):
    batch_size, num_steps, length = sizes
    result = batches(d2l.seq_data_iter_random, length, batch_size, num_steps, seed)
    starts = [int(s) for X, _ in result for s in X[:, 0]]
    assert len(set(starts)) == len(starts)
    assert len({s % num_steps for s in starts}) == 1


@pytest.mark.parametrize("iterator", ITERATORS)
@settings(max_examples=30, deadline=None)
@given(sizes=sizes, seed=st.integers(0, 10_000))
def test_reproducible_under_set_seed(iterator, sizes, seed):
    batch_size, num_steps, length = sizes
    first = batches(iterator, length, batch_size, num_steps, seed)
    second = batches(iterator, length, batch_size, num_steps, seed)
    assert all(torch.equal(a, c) and torch.equal(b, d) for (a, b), (c, d) in zip(first, second))


@pytest.mark.parametrize("iterator", ITERATORS)
@pytest.mark.parametrize(
    "batch_size, num_steps, match",
    [(0, 5, "batch_size"), (-1, 5, "batch_size"), (2, 0, "num_steps"), (2.0, 5, "batch_size"), (20, 10, "too few")],
)
def test_bad_arguments_say_which_and_why(iterator, batch_size, num_steps, match):
    with pytest.raises(ValueError, match=match):
        list(iterator(list(range(100)), batch_size, num_steps))


@pytest.mark.parametrize("use_random_iter", [False, True])
def test_time_machine_loader_is_reiterable_and_len_is_exact(use_random_iter):
    data_iter, vocab = d2l.load_data_time_machine(32, 35, use_random_iter=use_random_iter)
    assert len(vocab) == 28 and len(data_iter.corpus) == 10000
    for seed in range(3):
        d2l.set_seed(seed)
        assert sum(1 for _ in data_iter) == len(data_iter) == 8


def test_time_machine_loader_rejects_nonsense():
    with pytest.raises(ValueError, match="num_steps"):
        d2l.load_data_time_machine(32, 0)
    with pytest.raises(ValueError, match="too few"):
        d2l.load_data_time_machine(32, 35, max_tokens=500)
