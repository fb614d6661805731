"""Accumulator: running sums of several quantities at once."""

from .checks import as_number, positive_int


class Accumulator:
    """Keep ``n`` running sums, e.g. (total loss, number of tokens)."""

    def __init__(self, n):
        self.data = [0.0] * positive_int("Accumulator: the number of slots n", n)

    def add(self, *values):
        """Add one value to each slot, in order: numbers or one-element tensors (converted at once), never bools."""
        if len(values) != len(self.data):
            raise ValueError(f"Accumulator has {len(self.data)} slots but add() got {len(values)} values.")
        self.data = [total + as_number(v, "Accumulator") for total, v in zip(self.data, values)]

    def reset(self):
        """Set every sum back to zero."""
        self.data = [0.0] * len(self.data)

    def __getitem__(self, index):
        return self.data[index]

    def __len__(self):
        return len(self.data)
