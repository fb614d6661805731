"""Hard inputs for cleaning, tokenizing and the vocabulary: each works or says what is wrong."""

import hashlib
import re
import string

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import d2l_mini as d2l
from d2l_mini.text import clean_line, clean_text, count_corpus, fold_to_ascii

# --- cleaning -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, cleaned",
    [
        ("İstanbul", "istanbul"),
        ("Ça va", "ca va"),
        ("Straße", "strasse"),
        ("Ærøskøbing", "aeroskobing"),
        ("ﬁne — naïve café!", "fine naive cafe"),
        ("ISTANBUL İZMİR", "istanbul izmir"),
        ("Ελλάδα and Wells", "and wells"),  # no ASCII form: like punctuation
    ],
)
def test_clean_text_folds_letters_to_ascii(text, cleaned):
    assert clean_text(text) == cleaned
    assert clean_line(text) == cleaned


def test_clean_text_keeps_one_space_at_the_ends_when_asked():
    assert clean_text("  Time Traveller, ") == "time traveller"
    assert clean_text("  Time Traveller, ", strip=False) == " time traveller "


def test_clean_text_refuses_non_strings():
    with pytest.raises(TypeError, match="string"):
        clean_text(b"bytes")


def test_time_machine_corpus_is_unchanged_by_unicode_folding():
    """The file is pure ASCII: the first 10,000 tokens and the vocabulary are exactly those of before."""
    corpus, vocab = d2l.load_corpus_time_machine(10000)
    assert vocab.idx_to_token == ["<unk>", " ", "e", "t", "a", "i", "n", "o", "s", "h", "r", "d", "l", "m", "u",
                                  "c", "f", "w", "g", "y", "p", "b", "v", "k", "x", "z", "j", "q"]
    assert hashlib.sha1(",".join(map(str, corpus)).encode()).hexdigest() == "61cc19bacf1155e44b994911eb14ffbf407f5ed9"
    full, _ = d2l.load_corpus_time_machine()
    assert len(full) == 170580
    assert hashlib.sha1(",".join(map(str, full)).encode()).hexdigest() == "d13e08a73ddec8e417157e2cd71010e190cd83ed"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_clean_text_gives_lowercase_words_and_single_spaces(text):
    cleaned = clean_text(text)
    assert re.fullmatch(r"([a-z]+( [a-z]+)*)?", cleaned)
    assert clean_text(cleaned) == cleaned
    assert clean_text(text, strip=False).strip() == cleaned


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_clean_text_of_ascii_is_the_old_rule(text):
    assert clean_text(text) == re.sub("[^A-Za-z]+", " ", text).strip().lower()


def folds_to_ascii_letters(char):
    folded = fold_to_ascii(char)
    return folded.isascii() and folded.isalpha()


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(categories=["Lu", "Ll"]).filter(folds_to_ascii_letters), min_size=1))
def test_clean_text_never_splits_a_word_of_latin_letters(word):
    """A word of letters with an ASCII form stays one word (the 'i stanbul' bug), and loses no letter."""
    assert clean_text(word) == "".join(fold_to_ascii(char) for char in word)
    assert re.fullmatch("[a-z]+", clean_text(word))


# --- tokenize and count_corpus --------------------------------------------------------------------------------------


def test_tokenize_refuses_a_bare_string():
    with pytest.raises(TypeError, match="one string"):
        d2l.tokenize("time traveller")


@pytest.mark.parametrize("lines, match", [(42, "int"), ([["already", "tokens"]], "line 0 is a list"),
                                          (["ok", None], "line 1")])
def test_tokenize_says_which_line_is_wrong(lines, match):
    with pytest.raises(TypeError, match=match):
        d2l.tokenize(lines)


def test_tokenize_accepts_any_iterable_of_lines():
    assert d2l.tokenize(("a b", "c"), "word") == [["a", "b"], ["c"]]
    assert d2l.tokenize(iter(["ab"]), "char") == [["a", "b"]]


def test_count_corpus_edge_cases():
    assert count_corpus([]) == {}
    assert count_corpus([[], []]) == {}
    assert count_corpus(iter("aab")) == {"a": 2, "b": 1}
    with pytest.raises(TypeError, match="one string"):
        count_corpus("aab")
    with pytest.raises(TypeError, match="mix"):
        count_corpus([["a"], "b"])
    with pytest.raises(TypeError, match="hashable"):
        count_corpus([[["too", "deep"]]])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text()))
def test_tokenize_loses_nothing(lines):
    chars = d2l.tokenize(lines, "char")
    words = d2l.tokenize(lines, "word")
    assert ["".join(line) for line in chars] == lines
    assert [" ".join(line) for line in words] == [" ".join(line.split()) for line in lines]


# --- Vocab ----------------------------------------------------------------------------------------------------------


def test_reserved_tokens_listed_twice_are_refused():
    with pytest.raises(ValueError, match="twice"):
        d2l.Vocab(["a"], reserved_tokens=["<pad>", "<pad>"])


def test_reserved_tokens_as_a_bare_string_are_refused():
    with pytest.raises(ValueError, match=r"pass a list, e\.g\. \['<pad>'\]"):
        d2l.Vocab(["a"], reserved_tokens="<pad>")


@pytest.mark.parametrize("reserved", [5, [["<pad>"]]])
def test_reserved_tokens_of_the_wrong_type_are_refused(reserved):
    with pytest.raises(ValueError, match="reserved"):
        d2l.Vocab(["a"], reserved_tokens=reserved)


@pytest.mark.parametrize("min_freq", [True, 1.5, "2", -1])
def test_min_freq_must_be_a_non_negative_int(min_freq):
    with pytest.raises(ValueError, match="min_freq"):
        d2l.Vocab(["a"], min_freq=min_freq)


def test_min_freq_accepts_numpy_integers():
    assert d2l.Vocab(list("aab"), min_freq=np.int64(2)).idx_to_token == ["<unk>", "a"]


def test_vocab_refuses_a_bare_string_of_tokens():
    with pytest.raises(TypeError, match=r"list\(text\)"):
        d2l.Vocab("hello")


def test_vocab_accepts_tokens_from_a_tensor_free_iterable():
    assert d2l.Vocab(iter(["a", "b", "a"])).idx_to_token == ["<unk>", "a", "b"]


@pytest.fixture
def vocab():
    return d2l.Vocab(list("hello world"))


def test_to_tokens_accepts_1d_and_0d_tensors_and_arrays(vocab):
    X = torch.tensor([[vocab["h"], vocab["e"], vocab["l"]], [1, 2, 3]])
    assert vocab.to_tokens(X[0]) == ["h", "e", "l"]
    assert vocab.to_tokens(X[0, 1]) == "e"
    assert vocab.to_tokens(np.array([vocab["o"], 0])) == ["o", "<unk>"]
    assert vocab.to_tokens(np.int64(vocab["w"])) == "w"
    assert vocab.to_tokens(torch.tensor([], dtype=torch.int64)) == []
    assert vocab.to_tokens(X) == [vocab.to_tokens(row) for row in X.tolist()]


@pytest.mark.parametrize("bad", [2.7, -0.5, "3", True, np.bool_(True), None, 3.0])
def test_to_tokens_refuses_non_integers(vocab, bad):
    with pytest.raises(TypeError, match="integer"):
        vocab.to_tokens(bad)


@pytest.mark.parametrize("bad", [torch.tensor([1.0, 2.0]), torch.tensor([True]), np.array([0.5])])
def test_to_tokens_refuses_non_integer_tensors(vocab, bad):
    with pytest.raises(TypeError, match="dtype"):
        vocab.to_tokens(bad)


@pytest.mark.parametrize("bad", [-1, -100, 10**6, [0, -1]])
def test_to_tokens_refuses_indices_out_of_range(vocab, bad):
    with pytest.raises(IndexError, match="outside"):
        vocab.to_tokens(bad)


def test_getitem_maps_string_arrays_and_refuses_index_tensors(vocab):
    assert vocab[np.array(["h", "z"])] == [vocab["h"], 0]
    assert vocab[("h", "e")] == [vocab["h"], vocab["e"]]
    with pytest.raises(TypeError, match="to_tokens"):
        vocab[torch.tensor([1, 2])]
    with pytest.raises(TypeError, match="to_tokens"):
        vocab[np.array([1, 2])]
    with pytest.raises(TypeError, match="set"):
        vocab[{"h"}]
    with pytest.raises(TypeError, match="list"):
        vocab[(c for c in "he")]


tokens_strategy = st.lists(st.text(alphabet="abcde", min_size=1, max_size=2), max_size=40)


@settings(max_examples=200, deadline=None)
@given(tokens=tokens_strategy, reserved=st.lists(st.sampled_from(["<pad>", "<bos>", "<eos>"]), unique=True),
       min_freq=st.integers(0, 3))
def test_vocab_is_a_consistent_two_way_map(tokens, reserved, min_freq):
    vocab = d2l.Vocab(tokens, min_freq=min_freq, reserved_tokens=reserved)
    assert vocab.idx_to_token[: 1 + len(reserved)] == ["<unk>"] + reserved
    assert len(set(vocab.idx_to_token)) == len(vocab)  # no token twice
    assert all(vocab.token_to_idx[token] == index for index, token in enumerate(vocab.idx_to_token))
    counts = count_corpus(tokens)
    kept = [token for token in vocab.idx_to_token[1 + len(reserved):]]
    assert set(kept) == {token for token, n in counts.items() if n >= min_freq} - set(reserved)
    assert [counts[token] for token in kept] == sorted((counts[token] for token in kept), reverse=True)
    round_trip = vocab.to_tokens(vocab[tokens])
    assert round_trip == [token if token in vocab.token_to_idx else "<unk>" for token in tokens]
    indices = vocab[tokens]
    assert vocab.to_tokens(torch.tensor(indices, dtype=torch.int64)) == round_trip
    assert vocab.to_tokens(np.array(indices, dtype=np.int32)) == round_trip


@settings(max_examples=200, deadline=None)
@given(tokens=tokens_strategy, index=st.integers())
def test_to_tokens_of_any_int_is_a_token_or_an_index_error(tokens, index):
    vocab = d2l.Vocab(tokens)
    if 0 <= index < len(vocab):
        assert vocab.to_tokens(index) == vocab.idx_to_token[index]
    else:
        with pytest.raises(IndexError):
            vocab.to_tokens(index)


@settings(max_examples=100, deadline=None)
@given(lines=st.lists(st.text(alphabet=string.ascii_lowercase + " ", max_size=20), max_size=10))
def test_vocab_of_lines_equals_vocab_of_their_flattened_tokens(lines):
    tokens = d2l.tokenize(lines, "char")
    flat = [token for line in tokens for token in line]
    assert d2l.Vocab(tokens).idx_to_token == d2l.Vocab(flat).idx_to_token


# --- load_corpus_time_machine ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("max_tokens", [True, False, 1.0, "10", None, -1.0])
def test_corpus_refuses_bools_and_non_integers(max_tokens):
    with pytest.raises(ValueError, match="max_tokens"):
        d2l.load_corpus_time_machine(max_tokens)


def test_corpus_accepts_numpy_integers():
    corpus, _ = d2l.load_corpus_time_machine(np.int64(5))
    assert len(corpus) == 5
