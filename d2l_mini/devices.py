"""Where to compute, and how to make runs repeatable."""

import random

import numpy as np
import torch

from .checks import non_negative_int

LARGEST_SEED = 2**64 - 1  # torch.manual_seed takes 0 .. 2**64 - 1


def try_gpu(i=0):
    """CUDA device ``i`` if this machine has it, otherwise the CPU.

    Chapters call this once so the same code runs on a laptop and on a GPU box.
    """
    i = non_negative_int("try_gpu: the device index i", i)
    if torch.cuda.is_available() and torch.cuda.device_count() > i:
        return torch.device(f"cuda:{i}")
    return torch.device("cpu")


def set_seed(seed):
    """Seed every random generator the book uses: Python's, NumPy's and torch's.

    The data iterators draw from Python's ``random``; initializers and sampling
    draw from torch; plots and tests may use NumPy. Seeding all three makes a
    chapter's printed numbers the same on every run. The seed is checked
    before any generator is touched, so a refused seed changes nothing.
    """
    seed = non_negative_int("set_seed: the seed", seed)
    if seed > LARGEST_SEED:
        raise ValueError(f"set_seed: the seed must be at most 2**64 - 1 = {LARGEST_SEED} (torch's limit), got {seed}.")
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)
