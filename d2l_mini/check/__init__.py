"""Checks for the exercises in which you write the code: each says it is right, or what is wrong.

Call ``d2l.check.<exercise>(your_function)``. The check runs your function on
small cases whose answers are known and returns a :class:`Verdict`: ``✓`` if
every case comes out right, or ``✗`` and the first problem it found, in
words that point at the mistake (a wrong shape, a wrong scale, a changed
direction, a parameter edited outside ``torch.no_grad()``), never just
"wrong". A function that still raises ``NotImplementedError`` is "not written
yet". The checks of each chapter live in a module of their own.
"""

from .parameters import count_parameters, load_matching, xavier_uniform
from .rnn import clip_gradients, perplexity, rnn_step
from .verdict import Verdict

__all__ = ["Verdict", "clip_gradients", "count_parameters", "load_matching", "perplexity", "rnn_step",
           "xavier_uniform"]
