"""What an exercise check found: right, not written yet, or the first problem, in words."""

import traceback

import torch


class Verdict:
    """The outcome of checking one exercise; it prints as one line."""

    def __init__(self, exercise, problem=None):
        self.exercise, self.problem = exercise, problem

    @property
    def passed(self):
        return self.problem is None

    def __bool__(self):
        return self.passed

    def __repr__(self):
        if self.passed:
            return f"✓ {self.exercise}: right on every case the check tried."
        return f"✗ {self.exercise}: {self.problem}"


class Problem(Exception):
    """Raised inside a check to stop at the first problem found; its message is what the reader sees."""


def run_check(exercise, function, cases):
    """Run ``cases(function)``, which raises :class:`Problem` at the first mistake, and turn it into a Verdict.

    An exception from the reader's function becomes a verdict too: "not
    written yet" for ``NotImplementedError``, else its type and message and
    the line of the reader's code that raised it.
    """
    if not callable(function):
        return Verdict(exercise, f"pass your function itself, e.g. check.{exercise}(my_function); "
                                 f"got {type(function).__name__} {function!r}.")
    try:
        with torch.random.fork_rng(devices=[]):  # the checks seed what they draw; the reader's random state stays
            cases(function)
    except Problem as problem:
        return Verdict(exercise, str(problem))
    except NotImplementedError:
        return Verdict(exercise, f"not written yet: replace `raise NotImplementedError` in "
                                 f"{getattr(function, '__name__', 'your function')} with your code.")
    except Exception as error:
        return Verdict(exercise, f"your function raised {type(error).__name__}: {_first_line(error)}"
                                 f"{_where(error, function)}")
    return Verdict(exercise)


def _first_line(error):
    text = str(error).strip()
    return text.splitlines()[0] if text else "(no message)"


def _where(error, function):
    """' (in my_function: `weight.uniform_(-a, a)`)': the last line of the reader's code the error passed."""
    code = getattr(function, "__code__", None)
    frames = [frame for frame in traceback.extract_tb(error.__traceback__)
              if code is not None and frame.filename == code.co_filename]
    if not frames:
        return ""
    frame = frames[-1]
    return f" (in {frame.name}: `{frame.line}`)" if frame.line else f" (in {frame.name})"
