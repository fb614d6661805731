"""Hard inputs for devices, Accumulator and Timer: each works or says what is wrong, and changes nothing."""

import random

import numpy as np
import pytest
import torch

import d2l_mini as d2l


@pytest.mark.parametrize("index", [True, False, 0.0, "0", None])
def test_try_gpu_refuses_bools_and_non_integers(index):
    with pytest.raises(ValueError, match="device index"):
        d2l.try_gpu(index)


def test_try_gpu_accepts_numpy_integers():
    assert d2l.try_gpu(np.int64(10_000)) == torch.device("cpu")


def generator_states():
    return random.getstate(), np.random.get_state()[1].tolist(), torch.get_rng_state().tolist()


@pytest.mark.parametrize("seed", [2**64, 2**100])
def test_set_seed_refuses_too_large_seeds_before_seeding_anything(seed):
    d2l.set_seed(123)
    before = generator_states()
    with pytest.raises(ValueError, match="2\\*\\*64 - 1"):
        d2l.set_seed(seed)
    assert generator_states() == before


def test_set_seed_accepts_the_largest_seed_and_numpy_integers():
    d2l.set_seed(2**64 - 1)
    d2l.set_seed(np.uint32(7))
    first = random.random()
    d2l.set_seed(7)
    assert random.random() == first


@pytest.mark.parametrize("n", [True, np.float64(2)])
def test_accumulator_size_refuses_bools_and_floats(n):
    with pytest.raises(ValueError, match="slots"):
        d2l.Accumulator(n)


def test_accumulator_size_accepts_numpy_integers():
    assert len(d2l.Accumulator(np.int64(3))) == 3


@pytest.mark.parametrize("value", [True, np.bool_(True), torch.tensor(True), torch.tensor([False])])
def test_accumulator_refuses_bools_and_keeps_its_sums(value):
    acc = d2l.Accumulator(2)
    acc.add(1, 2)
    with pytest.raises(TypeError, match="bools"):
        acc.add(3, value)
    assert acc.data == [1.0, 2.0]  # the half-added row left no trace


def test_timer_does_not_hide_the_error_of_its_block():
    timer = d2l.Timer()
    with pytest.raises(KeyError, match="the real problem"):
        with timer:
            timer.stop()
            raise KeyError("the real problem")


def test_timer_still_reports_a_stopped_lap_without_an_error():
    timer = d2l.Timer()
    with pytest.raises(RuntimeError, match="start"):
        with timer:
            timer.stop()
