"""Where to compute, and how to make runs repeatable."""

import random

import numpy as np
import torch


def try_gpu(i=0):
    """CUDA device ``i`` if this machine has it, otherwise the CPU.

    Chapters call this once so the same code runs on a laptop and on a GPU box.
    """
    if not isinstance(i, int) or i < 0:
        raise ValueError(f"try_gpu needs a non-negative device index, got i={i!r}.")
    if torch.cuda.is_available() and torch.cuda.device_count() > i:
        return torch.device(f"cuda:{i}")
    return torch.device("cpu")


def set_seed(seed):
    """Seed every random generator the book uses: Python's, NumPy's and torch's.

    The data iterators draw from Python's ``random``; initializers and sampling
    draw from torch; plots and tests may use NumPy. Seeding all three makes a
    chapter's printed numbers the same on every run.
    """
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"set_seed needs a non-negative integer, got {seed!r}.")
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)
