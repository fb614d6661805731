"""From raw text to token indices: cleaning, tokenizing and the vocabulary."""

import collections
import re

from .download import fetch_time_machine

_NON_LETTERS = re.compile("[^A-Za-z]+")


def clean_line(line):
    """Lowercase letters only: every run of other characters becomes one space."""
    return _NON_LETTERS.sub(" ", line).strip().lower()


def read_time_machine():
    """The lines of *The Time Machine*, cleaned with :func:`clean_line`."""
    with open(fetch_time_machine(), encoding="utf-8") as f:
        return [clean_line(line) for line in f]


def tokenize(lines, token="word"):
    """Split each line into words (``token='word'``) or characters (``'char'``)."""
    if token == "word":
        return [line.split() for line in lines]
    if token == "char":
        return [list(line) for line in lines]
    raise ValueError(f"tokenize: unknown token kind {token!r}; use 'word' or 'char'.")


def count_corpus(tokens):
    """Token frequencies of a flat list or a list of lines of tokens."""
    if tokens and isinstance(tokens[0], list):
        tokens = [token for line in tokens for token in line]
    return collections.Counter(tokens)


class Vocab:
    """A two-way map between tokens and integer indices.

    Index 0 is ``<unk>``, which unknown tokens map to; the reserved tokens come
    next, then the tokens seen at least ``min_freq`` times, most frequent first
    (ties keep first-seen order), so the most common tokens get small indices.
    """

    def __init__(self, tokens=None, min_freq=0, reserved_tokens=None):
        if min_freq < 0:
            raise ValueError(f"Vocab: min_freq must be 0 or more, got {min_freq!r}.")
        reserved_tokens = list(reserved_tokens or [])
        if "<unk>" in reserved_tokens:
            raise ValueError("Vocab: '<unk>' is always index 0; do not list it in reserved_tokens.")
        counter = count_corpus(list(tokens or []))
        self.token_freqs = sorted(counter.items(), key=lambda pair: pair[1], reverse=True)
        self.idx_to_token = ["<unk>"] + reserved_tokens
        self.token_to_idx = {token: idx for idx, token in enumerate(self.idx_to_token)}
        for token, freq in self.token_freqs:
            if freq < min_freq:
                break
            if token not in self.token_to_idx:
                self.token_to_idx[token] = len(self.idx_to_token)
                self.idx_to_token.append(token)

    @property
    def unk(self):
        """Index of the unknown token."""
        return 0

    def __len__(self):
        return len(self.idx_to_token)

    def __getitem__(self, tokens):
        """Index of a token, or a list of indices for a list or tuple of tokens."""
        if isinstance(tokens, (list, tuple)):
            return [self.__getitem__(token) for token in tokens]
        return self.token_to_idx.get(tokens, self.unk)

    def to_tokens(self, indices):
        """Token of an index, or a list of tokens for a list of indices."""
        if isinstance(indices, (list, tuple)):
            return [self.to_tokens(index) for index in indices]
        index = int(indices)
        if not 0 <= index < len(self):
            raise IndexError(f"Vocab.to_tokens: index {index} is outside 0..{len(self) - 1}.")
        return self.idx_to_token[index]


def load_corpus_time_machine(max_tokens=-1):
    """Character indices of *The Time Machine* and their vocabulary.

    ``max_tokens`` keeps only the first that many characters (-1: all of them).
    """
    if not isinstance(max_tokens, int) or (max_tokens < 1 and max_tokens != -1):
        raise ValueError(
            f"load_corpus_time_machine: max_tokens must be a positive int or -1 (all), got {max_tokens!r}."
        )
    tokens = tokenize(read_time_machine(), "char")
    vocab = Vocab(tokens)
    corpus = [vocab[token] for line in tokens for token in line]
    if max_tokens > 0:
        corpus = corpus[:max_tokens]
    return corpus, vocab
