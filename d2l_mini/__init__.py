"""d2l_mini: the small helper library behind this book's chapters.

Chapters write ``import d2l_mini as d2l`` and then ``d2l.Timer()``,
``d2l.load_data_time_machine(...)`` and so on. Each helper lives in a module
about one idea; the functions a chapter exports for reuse live in
``d2l_mini.chapters.<chapter>``, generated from that chapter's notebook
(``tools/export_chapters.py``), and are re-exported here. The chapters' live
controls are in ``d2l_mini.widgets``, which alone needs ipywidgets.
"""

__version__ = "0.1.0"  # the one place the version is written (pyproject.toml reads it)

from . import check  # d2l.check.<exercise>(your_function)
from .accumulator import Accumulator
from .chapters import parameters as _parameters
from .chapters import rnn_scratch as _rnn_scratch
from .chapters.parameters import *  # noqa: F403  (what the chapter exports, listed in its __all__)
from .chapters.rnn_scratch import *  # noqa: F403
from .devices import set_seed, try_gpu
from .download import DataUnavailableError, HashMismatchError, fetch_time_machine
from .gradients import gradient_norm
from .plotting import Animator
from .sequences import (
    SeqDataLoader,
    load_data_time_machine,
    seq_data_iter_random,
    seq_data_iter_sequential,
)
from .small_runs import train_quietly
from .text import Vocab, clean_prefix, load_corpus_time_machine, read_time_machine, share_of_unknown_words, tokenize
from .timing import Timer
from .training_history import TrainingHistory, divergence, perplexity_of

__all__ = [
    "Accumulator",
    "check",
    "Animator",
    "DataUnavailableError",
    "HashMismatchError",
    "SeqDataLoader",
    "Timer",
    "TrainingHistory",
    "Vocab",
    "clean_prefix",
    "divergence",
    "fetch_time_machine",
    "gradient_norm",
    "load_corpus_time_machine",
    "load_data_time_machine",
    "perplexity_of",
    "read_time_machine",
    "seq_data_iter_random",
    "seq_data_iter_sequential",
    "set_seed",
    "share_of_unknown_words",
    "tokenize",
    "train_quietly",
    "try_gpu",
    *_parameters.__all__,  # generated from the chapters, with their code
    *_rnn_scratch.__all__,
]
