import random

import numpy as np
import pytest
import torch

import d2l_mini as d2l


def test_try_gpu_falls_back_to_cpu_for_missing_devices():
    assert d2l.try_gpu(10_000) == torch.device("cpu")
    if not torch.cuda.is_available():
        assert d2l.try_gpu() == torch.device("cpu")
    else:
        assert d2l.try_gpu() == torch.device("cuda:0")


def test_try_gpu_rejects_negative_index():
    with pytest.raises(ValueError, match="non-negative"):
        d2l.try_gpu(-1)


def test_set_seed_makes_every_generator_repeat():
    def draw():
        return random.random(), float(np.random.rand()), float(torch.rand(1))

    d2l.set_seed(7)
    first = draw()
    d2l.set_seed(7)
    assert draw() == first
    d2l.set_seed(8)
    assert draw() != first


@pytest.mark.parametrize("seed", [-1, 1.5, "1", True])
def test_set_seed_rejects_non_integers(seed):
    with pytest.raises(ValueError, match="seed"):
        d2l.set_seed(seed)
