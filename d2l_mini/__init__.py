"""d2l_mini: the small helper library behind this book's chapters.

Chapters write ``import d2l_mini as d2l`` and then ``d2l.Timer()``,
``d2l.load_data_time_machine(...)`` and so on. Each helper lives in a module
about one idea; the functions a chapter exports for reuse live in a module
generated from that chapter's notebook (see ``tools/export_chapters.py``).
"""

__version__ = "0.1.0"  # the one place the version is written (pyproject.toml reads it)

from .accumulator import Accumulator
from .devices import set_seed, try_gpu
from .download import DataUnavailableError, HashMismatchError, fetch_time_machine
from .parameters import custom_init_  # generated from notebooks/parameters.md
from .plotting import Animator
from .rnn_scratch import (  # generated from notebooks/rnn_scratch.md
    RNNModelScratch,
    TanhRecurrence,
    TrainingHistory,
    evaluate_perplexity,
    fast_rnn_model,
    get_params,
    grad_clipping,
    init_rnn_state,
    predict_ch8,
    rnn,
    rnn_fast,
    sgd,
    train_ch8,
    train_epoch_ch8,
)
from .sequences import (
    SeqDataLoader,
    load_data_time_machine,
    seq_data_iter_random,
    seq_data_iter_sequential,
)
from .text import Vocab, load_corpus_time_machine, read_time_machine, tokenize
from .timing import Timer

__all__ = [
    "Accumulator",
    "Animator",
    "RNNModelScratch",
    "TanhRecurrence",
    "TrainingHistory",
    "DataUnavailableError",
    "HashMismatchError",
    "SeqDataLoader",
    "Timer",
    "Vocab",
    "custom_init_",
    "evaluate_perplexity",
    "fast_rnn_model",
    "fetch_time_machine",
    "get_params",
    "grad_clipping",
    "init_rnn_state",
    "load_corpus_time_machine",
    "load_data_time_machine",
    "predict_ch8",
    "read_time_machine",
    "rnn",
    "rnn_fast",
    "seq_data_iter_random",
    "seq_data_iter_sequential",
    "set_seed",
    "sgd",
    "tokenize",
    "train_ch8",
    "train_epoch_ch8",
    "try_gpu",
]
