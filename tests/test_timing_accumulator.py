import time
import warnings

import pytest
import torch

import d2l_mini as d2l


def test_timer_laps_sum_avg_cumsum():
    timer = d2l.Timer()
    timer.stop()
    timer.start()
    time.sleep(0.01)
    second = timer.stop()
    assert second >= 0.01
    assert len(timer.times) == 2
    assert timer.sum() == pytest.approx(sum(timer.times))
    assert timer.avg() == pytest.approx(timer.sum() / 2)
    assert timer.cumsum() == pytest.approx([timer.times[0], timer.sum()])


def test_timer_as_context_manager():
    timer = d2l.Timer()
    timer.times.clear()
    with timer:
        time.sleep(0.005)
    assert len(timer.times) == 1 and timer.times[0] >= 0.005


def test_timer_stop_without_start_is_an_error():
    timer = d2l.Timer()
    timer.stop()
    with pytest.raises(RuntimeError, match="start"):
        timer.stop()


def test_timer_avg_of_no_laps_is_zero():
    timer = d2l.Timer()
    assert timer.avg() == 0.0 and timer.cumsum() == []


def test_accumulator_sums_numbers_and_tensors():
    acc = d2l.Accumulator(2)
    acc.add(1, 2.5)
    acc.add(torch.tensor(3.0), torch.tensor([4]))
    assert (acc[0], acc[1]) == (4.0, 6.5)
    assert len(acc) == 2
    acc.reset()
    assert acc.data == [0.0, 0.0]


def test_accumulator_drops_autograd_graph_without_warning():
    weight = torch.ones(3, requires_grad=True)
    loss = (weight * 2).sum()
    acc = d2l.Accumulator(1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        acc.add(loss)
    assert isinstance(acc[0], float) and acc[0] == 6.0


@pytest.mark.parametrize("n", [0, -1, 1.5])
def test_accumulator_rejects_bad_size(n):
    with pytest.raises(ValueError, match="positive"):
        d2l.Accumulator(n)


def test_accumulator_rejects_wrong_arity_and_big_tensors():
    acc = d2l.Accumulator(2)
    with pytest.raises(ValueError, match="2 slots"):
        acc.add(1)
    with pytest.raises(ValueError, match="one-element"):
        acc.add(torch.ones(3), 1)
    with pytest.raises(TypeError):
        acc.add("three", 1)
