"""From raw text to token indices: cleaning, tokenizing and the vocabulary."""

import collections
import numbers
import re
import unicodedata
from collections.abc import Iterator

import numpy as np
import torch

from .checks import as_integer, has_integer_dtype, is_bool, non_negative_int, positive_int
from .download import fetch_time_machine

_NON_LETTERS = re.compile("[^a-z]+")

# Latin letters that Unicode does not decompose into an ASCII letter plus accents.
# (casefold already turns 'ß' into 'ss' and capitals into small letters.)
_LATIN_LETTERS_WITHOUT_DECOMPOSITION = str.maketrans(
    {"æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h"}
)


def fold_to_ascii(text):
    """``text`` in small letters, accents removed: 'İstanbul' -> 'istanbul', 'Ça' -> 'ca', 'Straße' -> 'strasse'.

    Unicode's NFKD form writes an accented letter as its base letter followed
    by combining marks (and a ligature such as 'ﬁ' as 'fi'); dropping the marks
    leaves the base letter. Lowercasing comes first (casefold) and again at the
    end: lowercasing 'İ' on its own would give 'i' plus a stray dot. Letters
    with no ASCII form (Greek, Cyrillic, CJK, ...) stay as they are.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    without_marks = "".join(char for char in decomposed if not unicodedata.category(char).startswith("M"))
    return without_marks.translate(_LATIN_LETTERS_WITHOUT_DECOMPOSITION).lower()


def clean_text(text, *, strip=True):
    """Lowercase ASCII letters and single spaces: the one cleaning rule for the corpus and for prompts.

    Letters are folded to ASCII first (see :func:`fold_to_ascii`), so
    'Çà İstanbul!' becomes 'ca istanbul'; then every run of anything that is
    not a letter a-z (digits, punctuation, line breaks, letters with no ASCII
    form) becomes one space. ``strip=False`` keeps that one space at either
    end, which matters for a prompt: 'time traveller ' asks for the next word.
    """
    if not isinstance(text, str):
        raise TypeError(f"clean_text needs a string, got {type(text).__name__}: {text!r}.")
    folded = text.lower() if text.isascii() else fold_to_ascii(text)
    cleaned = _NON_LETTERS.sub(" ", folded)
    return cleaned.strip() if strip else cleaned


def clean_prefix(prefix, vocab):
    """A prompt cleaned like the training text (lowercase letters and single spaces), or a clear error.

    A prefix with nothing the vocabulary knows (digits only, or a script with
    no ASCII letters) would silently become a lone space, so it is refused.
    """
    if not isinstance(prefix, str) or not prefix:
        raise ValueError(f"prefix must be a non-empty string, got {prefix!r}.")
    cleaned = clean_text(prefix, strip=False)
    if not any(char in vocab.token_to_idx and char != " " for char in cleaned):
        raise ValueError(f"prefix {prefix!r} has no letter the model knows (it reads only a-z); "
                         f"after cleaning it would be {cleaned!r}. Start it with at least one such letter.")
    return cleaned


def share_of_unknown_words(text, known_words):
    """The share of the words of ``text`` that are not in ``known_words`` (made-up words, in generated text).

    The last word is left out, since generating may have cut it off; a text
    with no complete word counts as 0.
    """
    words = text.split()[:-1]
    return sum(word not in known_words for word in words) / len(words) if words else 0.0


def clean_line(line):
    """One line of the book, cleaned with :func:`clean_text` (no space at either end)."""
    return clean_text(line)


def read_time_machine():
    """The lines of *The Time Machine*, cleaned with :func:`clean_text`."""
    with open(fetch_time_machine(), encoding="utf-8") as f:
        return [clean_text(line) for line in f]


def tokenize(lines, token="word"):
    """Split each line into words (``token='word'``) or characters (``'char'``).

    ``lines`` is a list of strings; a single string is refused, because
    splitting it "line by line" would quietly treat every character as a line.
    """
    if token not in ("word", "char"):
        raise ValueError(f"tokenize: unknown token kind {token!r}; use 'word' or 'char'.")
    lines = _list_of_lines(lines)
    if token == "word":
        return [line.split() for line in lines]
    return [list(line) for line in lines]


def _list_of_lines(lines):
    if isinstance(lines, str):
        raise TypeError(
            "tokenize needs a list of lines, got one string; pass [text] for a single line "
            "or text.splitlines() for its lines."
        )
    try:
        lines = list(lines)
    except TypeError:
        raise TypeError(f"tokenize needs a list of lines (strings), got {type(lines).__name__}.") from None
    for number, line in enumerate(lines):
        if not isinstance(line, str):
            raise TypeError(
                f"tokenize needs a list of strings, but line {number} is a {type(line).__name__}: {line!r}."
            )
    return lines


def count_corpus(tokens):
    """Token frequencies of a flat list of tokens, or of a list of lines (lists) of tokens."""
    if isinstance(tokens, str):
        raise TypeError(
            "Expected a list of tokens or a list of lines of tokens, got one string; "
            "pass list(text) to count its characters, or tokenize it first."
        )
    try:
        tokens = list(tokens)
    except TypeError:
        raise TypeError(f"Expected a list of tokens, got {type(tokens).__name__}.") from None
    is_line = [isinstance(item, list) for item in tokens]
    if any(is_line):
        if not all(is_line):
            first_token = is_line.index(False)
            raise TypeError(
                f"Expected either tokens or lines (lists) of tokens, got a mix: item {first_token} is "
                f"{tokens[first_token]!r}, while others are lists. Put every token in a line, or flatten the lines."
            )
        tokens = [token for line in tokens for token in line]
    try:
        return collections.Counter(tokens)
    except TypeError:
        unhashable = next(token for token in tokens if not _is_hashable(token))
        raise TypeError(
            f"Tokens must be hashable (strings, usually), got a {type(unhashable).__name__}: {unhashable!r}. "
            f"Lines of tokens are lists of tokens; deeper nesting is not supported."
        ) from None


def _is_hashable(value):
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _reserved_token_list(reserved_tokens):
    """``reserved_tokens`` as a list of distinct tokens, or a ValueError that says what is wrong."""
    if reserved_tokens is None:
        return []
    if isinstance(reserved_tokens, str):
        raise ValueError(
            f"Vocab: reserved_tokens must be a list of tokens, got the string {reserved_tokens!r} "
            f"(which would become {len(reserved_tokens)} one-character tokens); "
            f"pass a list, e.g. [{reserved_tokens!r}]."
        )
    try:
        reserved = list(reserved_tokens)
    except TypeError:
        raise ValueError(
            f"Vocab: reserved_tokens must be a list of tokens, e.g. ['<pad>'], got {reserved_tokens!r}."
        ) from None
    seen = set()
    for token in reserved:
        if not _is_hashable(token):
            raise ValueError(f"Vocab: reserved tokens must be hashable (strings), got {token!r}.")
        if token == "<unk>":
            raise ValueError("Vocab: '<unk>' is always index 0; do not list it in reserved_tokens.")
        if token in seen:
            raise ValueError(f"Vocab: reserved token {token!r} is listed twice; list each reserved token once.")
        seen.add(token)
    return reserved


class Vocab:
    """A two-way map between tokens and integer indices.

    Index 0 is ``<unk>``, which unknown tokens map to; the reserved tokens come
    next, then the tokens seen at least ``min_freq`` times, most frequent first
    (ties keep first-seen order), so the most common tokens get small indices.
    """

    def __init__(self, tokens=None, min_freq=0, reserved_tokens=None):
        min_freq = non_negative_int("Vocab: min_freq", min_freq)
        reserved_tokens = _reserved_token_list(reserved_tokens)
        counter = count_corpus([] if tokens is None else tokens)
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
        """Index of a token, or a list of indices for a list, tuple or string array of tokens.

        Tokens the vocabulary lacks map to ``<unk>`` (0). A tensor or a numeric
        array is refused rather than looked up as one unknown token: it holds
        indices already, which :meth:`to_tokens` turns back into tokens.
        """
        if isinstance(tokens, str):
            return self.token_to_idx.get(tokens, self.unk)
        if isinstance(tokens, (list, tuple)):
            return [self.__getitem__(token) for token in tokens]
        if isinstance(tokens, np.ndarray) and tokens.dtype.kind in "UO":
            return self.__getitem__(tokens.tolist())
        if isinstance(tokens, (torch.Tensor, np.ndarray)):
            raise TypeError(
                f"Vocab[...] looks up tokens, got a {type(tokens).__name__} of {tokens.dtype} numbers, "
                f"which holds indices already; use vocab.to_tokens(...) to turn indices into tokens."
            )
        if isinstance(tokens, Iterator):
            raise TypeError(f"Vocab[...] takes a token or a list of tokens, got a {type(tokens).__name__}; "
                            f"pass list(...) of it.")
        if not _is_hashable(tokens):
            raise TypeError(
                f"Vocab[...] takes a token (a string, usually) or a list or tuple of tokens, "
                f"got a {type(tokens).__name__}: {tokens!r}."
            )
        return self.token_to_idx.get(tokens, self.unk)

    def to_tokens(self, indices):
        """Token of an index; a list of tokens for a list, tuple, 1-D tensor or 1-D array of indices.

        Indices must be integers (Python, NumPy or torch integer types) in
        ``0 .. len(self) - 1``: a float, a bool, a string or a negative index is
        an error, never silently rounded or counted from the end. A 0-d tensor
        gives one token; higher-dimensional ones give nested lists.
        """
        if isinstance(indices, (list, tuple)):
            return [self.to_tokens(index) for index in indices]
        if isinstance(indices, (torch.Tensor, np.ndarray)):
            _require_integer_dtype(indices)
            return self.to_tokens(indices.tolist())
        index = _as_index(indices)
        if not 0 <= index < len(self):
            raise IndexError(f"Vocab.to_tokens: index {index} is outside 0..{len(self) - 1}.")
        return self.idx_to_token[index]


def _require_integer_dtype(array):
    if not has_integer_dtype(array):
        raise TypeError(
            f"Vocab.to_tokens takes integer indices, got a {type(array).__name__} of dtype {array.dtype}; "
            f"indices come from vocab[...] or from argmax, and are integers (convert with .long() if need be)."
        )


def _as_index(value):
    try:
        return as_integer(value, "Vocab.to_tokens")
    except TypeError as error:
        raise TypeError(f"{error} To look up a token's index, use vocab[token].") from None


def load_corpus_time_machine(max_tokens=-1):
    """Character indices of *The Time Machine* and their vocabulary.

    ``max_tokens`` keeps only the first that many characters (-1: all of them).
    """
    if not (isinstance(max_tokens, numbers.Integral) and not is_bool(max_tokens) and max_tokens == -1):
        try:
            max_tokens = positive_int("max_tokens", max_tokens)
        except ValueError:
            raise ValueError(
                f"load_corpus_time_machine: max_tokens must be a positive integer or -1 (all), got {max_tokens!r}."
            ) from None
    tokens = tokenize(read_time_machine(), "char")
    vocab = Vocab(tokens)
    corpus = [vocab[token] for line in tokens for token in line]
    if max_tokens > 0:
        corpus = corpus[:max_tokens]
    return corpus, vocab
