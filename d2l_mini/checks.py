"""Argument checks shared by every public function, so that bad input is refused the same way everywhere.

One rule for all of them: a ``bool`` is never accepted as a number, even though
Python treats ``True`` as ``1``. ``num_epochs=True`` is far more likely a slip
than a request for one epoch, so it gets a ``ValueError`` that names the argument.
"""

import math
import numbers


def _is_int(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _is_real(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def positive_int(name, value):
    """``value`` if it is an integer >= 1, else a ``ValueError`` naming ``name``."""
    if not _is_int(value) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}.")
    return int(value)


def non_negative_int(name, value):
    """``value`` if it is an integer >= 0, else a ``ValueError`` naming ``name``."""
    if not _is_int(value) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}.")
    return int(value)


def positive_number(name, value, *, allow_none=False, none_means=""):
    """``value`` as a float if it is a finite number > 0 (or None when ``allow_none``).

    ``none_means`` completes the error message, e.g. "None for no clipping".
    """
    if value is None and allow_none:
        return None
    if not _is_real(value) or not math.isfinite(value) or value <= 0:
        alternative = f" (or {none_means})" if none_means else ""
        raise ValueError(f"{name} must be a finite positive number{alternative}, got {value!r}.")
    return float(value)
