import string

import pytest

import d2l_mini as d2l
from d2l_mini.text import clean_line


def test_clean_line_keeps_lowercase_letters_only():
    assert clean_line("The Time-Machine, by H. G. Wells [1898]\n") == "the time machine by h g wells"


def test_read_time_machine_lines_are_clean():
    lines = d2l.read_time_machine()
    assert lines[0] == "the time machine by h g wells"
    allowed = set(string.ascii_lowercase + " ")
    assert all(set(line) <= allowed for line in lines)


def test_tokenize_words_and_chars():
    assert d2l.tokenize(["a bc", ""], "word") == [["a", "bc"], []]
    assert d2l.tokenize(["a b"], "char") == [["a", " ", "b"]]


def test_tokenize_rejects_unknown_kind():
    with pytest.raises(ValueError, match="'byte'"):
        d2l.tokenize(["abc"], token="byte")


def test_vocab_orders_by_frequency_after_unk_and_reserved():
    vocab = d2l.Vocab([["b", "a", "b"], ["c", "b", "a"]], reserved_tokens=["<pad>"])
    assert vocab.idx_to_token == ["<unk>", "<pad>", "b", "a", "c"]
    assert vocab.token_freqs == [("b", 3), ("a", 2), ("c", 1)]
    assert len(vocab) == 5


def test_vocab_lookups_both_ways():
    vocab = d2l.Vocab(list("hello"))
    assert vocab["l"] == 1
    assert vocab["z"] == 0
    assert vocab[["h", "z"]] == [vocab["h"], 0]
    assert vocab.to_tokens(1) == "l"
    assert vocab.to_tokens([1]) == ["l"]
    assert vocab.to_tokens([0, 1]) == ["<unk>", "l"]


def test_vocab_min_freq_drops_rare_tokens():
    vocab = d2l.Vocab(list("aaabbc"), min_freq=2)
    assert vocab.idx_to_token == ["<unk>", "a", "b"]


def test_vocab_bad_arguments():
    with pytest.raises(ValueError, match="min_freq"):
        d2l.Vocab(["a"], min_freq=-1)
    with pytest.raises(ValueError, match="<unk>"):
        d2l.Vocab(["a"], reserved_tokens=["<unk>"])
    with pytest.raises(IndexError, match="outside"):
        d2l.Vocab(["a"]).to_tokens(5)


def test_empty_vocab_has_only_unk():
    vocab = d2l.Vocab()
    assert len(vocab) == 1 and vocab["x"] == 0


def test_time_machine_corpus_facts():
    corpus, vocab = d2l.load_corpus_time_machine(10000)
    assert len(corpus) == 10000
    assert len(vocab) == 28
    assert set(vocab.idx_to_token) == set(string.ascii_lowercase) | {" ", "<unk>"}
    full, _ = d2l.load_corpus_time_machine()
    assert len(full) > 10000 and full[:10000] == corpus


@pytest.mark.parametrize("max_tokens", [0, -2, 1.5])
def test_corpus_rejects_bad_max_tokens(max_tokens):
    with pytest.raises(ValueError, match="max_tokens"):
        d2l.load_corpus_time_machine(max_tokens)
