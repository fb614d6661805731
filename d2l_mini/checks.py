"""Argument checks shared by every public function, so that bad input is refused the same way everywhere.

One rule for all of them: a ``bool`` is never accepted as a number, even though
Python treats ``True`` as ``1``. ``num_epochs=True`` is far more likely a slip
than a request for one epoch, so it gets an error that names the argument.
Numbers that arrive as data (a loss to sum, a point to plot, a token index)
may be Python's, NumPy's or one-element tensors: :func:`as_number` and
:func:`as_integer` take all of them, and nothing else.
"""

import functools
import inspect
import math
import numbers

import numpy as np


def _is_int(value):
    return isinstance(value, numbers.Integral) and not is_bool(value)


def _is_real(value):
    return isinstance(value, numbers.Real) and not is_bool(value)


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


# --- numbers that come from anywhere: Python, NumPy, or a one-element tensor ------------------------------------------


def is_bool(value):
    """Whether ``value`` is a bool: Python's or NumPy's, or a tensor or array of bools."""
    return isinstance(value, (bool, np.bool_)) or str(getattr(value, "dtype", "")) in ("bool", "torch.bool")


def has_integer_dtype(array):
    """Whether a tensor or a NumPy array holds integers (not floats, complex numbers or bools)."""
    if isinstance(array, np.ndarray):
        return array.dtype.kind in "iu"
    dtype = array.dtype
    return not (dtype.is_floating_point or dtype.is_complex or is_bool(array))


def as_number(value, owner):
    """``value`` as a float: a Python or NumPy number, or a one-element tensor or array, never a bool.

    ``owner`` says who asks, for the error message ('Accumulator', 'Animator.add: y').
    A tensor is converted at once, so no autograd graph or device memory is kept
    alive by a number that is only stored or summed.
    """
    if is_bool(value):
        raise TypeError(f"{owner} takes numbers, not bools; got {value!r}. Convert a count with int(...) first.")
    if isinstance(value, numbers.Real):
        return float(value)
    if not (hasattr(value, "item") and hasattr(value, "shape")):
        raise TypeError(f"{owner} takes numbers or one-element tensors, got {type(value).__name__}: {value!r}.")
    size = value.numel() if callable(getattr(value, "numel", None)) else value.size
    if size != 1:
        raise ValueError(f"{owner} takes one-element tensors, got one of shape {tuple(value.shape)}; "
                         f"reduce it first (e.g. .sum()).")
    if hasattr(value, "detach"):
        value = value.detach()
    return float(value.item())


def as_integer(value, owner):
    """``value`` as an int if it is a Python or NumPy integer (never a bool), else a TypeError naming ``owner``."""
    if is_bool(value) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{owner} takes integers, got {value!r} ({type(value).__name__}).")
    return int(value)


def in_range(name, value, low, high, check=positive_number, where="the slider's range"):
    """``value`` checked by ``check`` and within ``[low, high]``, or a ValueError that says so (and ``where``)."""
    value = check(name, value)
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low:g} and {high:g} ({where}), got {value!r}.")
    return value


def clip_threshold(name, value):
    """A gradient-clipping threshold: a finite positive number, or None for no clipping."""
    return positive_number(name, value, allow_none=True, none_means="None for no clipping")


def sampling_temperature(name, value):
    """A sampling temperature: 0 for greedy decoding, or a finite positive number."""
    if _is_real(value) and value == 0:
        return 0.0
    return positive_number(name, value, none_means="0 for greedy decoding")


# --- checking a function's arguments before it runs -----------------------------------------------------------------


def checked(**rules):
    """Decorate a function so that the arguments named in ``rules`` are checked before its body runs.

    Each rule is called as ``rule(name, value)`` and returns the value to use
    (``positive_int("num_epochs", 2)`` gives ``2``) or raises a ``ValueError``
    that names the argument. The function's body can then be the algorithm
    alone: ``@checked(lr=positive_number, num_epochs=positive_int)``.
    """

    def decorate(function):
        signature = inspect.signature(function)
        unknown = sorted(set(rules) - set(signature.parameters))
        if unknown:
            raise TypeError(f"{function.__name__} has no argument {unknown[0]!r} to check.")

        @functools.wraps(function)
        def with_checked_arguments(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            for name, rule in rules.items():
                bound.arguments[name] = rule(name, bound.arguments[name])
            return function(*bound.args, **bound.kwargs)

        return with_checked_arguments

    return decorate
