"""Accumulator: running sums of several quantities at once."""

import numbers

import numpy as np

from .checks import positive_int


def _as_float(value):
    """A plain Python float from a number or a one-element tensor or array.

    Converting at once (rather than storing the tensor) means no autograd graph
    or device memory is kept alive by a metric that is only being summed.
    A bool (Python, NumPy or a bool tensor) is refused: ``True`` is far more
    likely a slip than a count of one.
    """
    if isinstance(value, (bool, np.bool_)) or str(getattr(value, "dtype", "")) in ("bool", "torch.bool"):
        raise TypeError(f"Accumulator takes numbers, not bools; got {value!r}. Convert a count with int(...) first.")
    if isinstance(value, numbers.Real):
        return float(value)
    item = getattr(value, "item", None)
    if item is None:
        raise TypeError(f"Accumulator takes numbers or one-element tensors, got {type(value).__name__}.")
    numel = getattr(value, "numel", None)
    size = numel() if callable(numel) else getattr(value, "size", 1)
    if size != 1:
        raise ValueError(
            f"Accumulator takes one-element tensors, got one with {size} elements; reduce it first (e.g. .sum())."
        )
    if hasattr(value, "detach"):
        value = value.detach()
    return float(value.item())


class Accumulator:
    """Keep ``n`` running sums, e.g. (total loss, number of tokens)."""

    def __init__(self, n):
        self.data = [0.0] * positive_int("Accumulator: the number of slots n", n)

    def add(self, *values):
        """Add one value to each slot, in order."""
        if len(values) != len(self.data):
            raise ValueError(f"Accumulator has {len(self.data)} slots but add() got {len(values)} values.")
        self.data = [total + _as_float(v) for total, v in zip(self.data, values)]

    def reset(self):
        """Set every sum back to zero."""
        self.data = [0.0] * len(self.data)

    def __getitem__(self, index):
        return self.data[index]

    def __len__(self):
        return len(self.data)
