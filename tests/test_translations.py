"""The translated editions' catalogs: complete, current and with the English markup.

The first two tests check the committed catalogs of every translated edition in
book.yml against the messages extracted from the chapters as they are now (Sphinx's
gettext builder, a few seconds), so an English sentence that changes makes them name
the translation to update. The others show, on crafted catalogs, that each kind of
problem is caught and named.
"""

import pytest

from tools.book_config import ROOT, translations
from tools.i18n import catalogs, cli
from tools.i18n.catalogs import Entry
from tools.i18n.checks import (
    completeness,
    completeness_problems,
    display_math_messages,
    markup,
    markup_problems,
    report,
)
from tools.i18n.markup import markup_differences

EDITIONS = translations()
CATALOG_DIR = ROOT / "locales" / "xx" / "LC_MESSAGES"
PAGE = "notebooks/chapter"


@pytest.mark.parametrize("edition", EDITIONS, ids=lambda e: e.key)
def test_catalogs_are_complete_and_current(edition):
    found = completeness(edition)
    assert found == [], report(edition, found) + "\n(`make translations` merges new English text into the catalogs)"


@pytest.mark.parametrize("edition", EDITIONS, ids=lambda e: e.key)
def test_translations_keep_the_english_markup(edition):
    found = markup(edition)
    assert found == [], report(edition, found)


def test_every_page_of_the_book_has_messages():
    english = catalogs.english_messages()
    assert {"book/index", "notebooks/parameters", "notebooks/rnn_scratch"} <= english.keys()
    assert all(len(entries) > 5 for entries in english.values())
    assert not any("import " in entry.msgid for entries in english.values() for entry in entries), "code was extracted"
    math = display_math_messages()
    assert math and math <= {entry.msgid for entries in english.values() for entry in entries}


# -- completeness, on crafted catalogs ------------------------------------------------------

ENGLISH = {PAGE: [Entry("Parameter Management"), Entry("We cover")]}


def check(entries, english=ENGLISH):
    return completeness_problems(english, {PAGE: entries}, CATALOG_DIR)


def test_a_complete_catalog_has_no_problems():
    assert check([Entry("Parameter Management", "Parametre Yönetimi"), Entry("We cover", "Konular")]) == []


def test_an_untranslated_message_is_named_with_its_page_and_line():
    found = check([Entry("Parameter Management", "Parametre Yönetimi"), Entry("We cover", "", line=27)])
    assert found == [f'locales/xx/LC_MESSAGES/{PAGE}.po:27 (page {PAGE}): untranslated: "We cover"']


def test_a_fuzzy_translation_is_a_problem():
    found = check([Entry("Parameter Management", "Parametre Yönetimi"), Entry("We cover", "Konular", fuzzy=True)])
    assert len(found) == 1 and "fuzzy" in found[0] and '"We cover"' in found[0] and PAGE in found[0]


def test_a_changed_english_sentence_points_at_its_translation():
    english = {PAGE: [Entry("Parameter Management"), Entry("We cover four things")]}
    found = check([Entry("Parameter Management", "Parametre Yönetimi"), Entry("We cover", "Konular", line=31)], english)
    assert len(found) == 2
    assert "not in the catalog" in found[0] and '"We cover four things"' in found[0]
    assert "no longer in the English page" in found[1] and f"{PAGE}.po:31" in found[1] and '"We cover"' in found[1]


def test_a_missing_catalog_and_a_catalog_without_a_page_are_problems():
    found = completeness_problems(ENGLISH, {"notebooks/gone": [Entry("Old", "Eski")]}, CATALOG_DIR)
    assert any("notebooks/gone" in p and "no such page" in p for p in found)
    assert any(PAGE in p and "no catalog for this page" in p for p in found)


def test_long_messages_are_shortened_but_named():
    sentence = "A long sentence " * 20
    found = check([Entry("Parameter Management", "x"), Entry("We cover", "y"), Entry(sentence, "z")])
    assert len(found) == 1 and found[0].endswith('..."') and sentence[:50] in found[0]


# -- markup, on crafted translations ----------------------------------------------------------

SOURCE = ("**access**: finding `net[2]` by $a = \\sqrt 3$, see {doc}`the chapter <parameters>` "
          "and [PyTorch](https://pytorch.org), *briefly*")


def test_a_faithful_translation_may_reorder_translate_role_titles_and_drop_emphasis():
    translation = ("[PyTorch](https://pytorch.org) ve {doc}`bölüm <parameters>`; **erişim**: $a = \\sqrt 3$ "
                   "ile `net[2]` bulmak, kısaca")
    assert markup_differences(SOURCE, translation) == []


@pytest.mark.parametrize("broken, named", [
    (SOURCE.replace("**access**", "**access"), "** shown as plain text"),
    (SOURCE.replace("`net[2]`", "`net[3]`"), "code `net[2]`"),
    (SOURCE.replace("$a = \\sqrt 3$", "a = \\sqrt 3"), "math $a = \\sqrt 3$"),
    (SOURCE.replace("https://pytorch.org", "https://pytorch.org/docs"), "link to https://pytorch.org"),
    (SOURCE.replace("<parameters>", "<parametreler>"), "role {doc} parameters"),
    (SOURCE.replace("*briefly*", "*briefly"), "* shown as plain text"),
    (SOURCE.replace("`net[2]`", "net[2]`"), "` shown as plain text"),
    ("1. " + SOURCE, "reads as a numbered list, the English as a paragraph"),
], ids=["unclosed bold", "changed code span", "dropped math", "changed link", "changed role target",
        "unclosed emphasis", "unpaired backtick", "a paragraph read as a list"])
def test_a_markup_mismatch_is_named(broken, named):
    differences = markup_differences(SOURCE, broken)
    assert any(named in difference for difference in differences), differences


def test_markup_problems_skip_untranslated_and_fuzzy_entries_and_name_the_rest():
    entries = [Entry(SOURCE, ""), Entry(SOURCE, "**erişim", fuzzy=True), Entry(SOURCE, "**erişim", line=12)]
    found = markup_problems({PAGE: entries}, CATALOG_DIR)
    assert len(found) == 1 and f"{PAGE}.po:12 (page {PAGE})" in found[0] and "markup differs" in found[0]


def test_display_math_is_compared_as_tex_whose_words_may_be_translated():
    source = "w \\sim \\begin{cases}\nU[5, 10] & \\text{with probability } \\tfrac{1}{4}\n\\end{cases}"
    translated = source.replace("with probability ", "olasılıkla ")
    assert markup_differences(source, translated, display_math=True) == []
    assert markup_differences(source, source.replace("{4}", "{3}"), display_math=True) != []
    assert markup_differences(source, source.replace("\\tfrac", "\\frac"), display_math=True) != []


def test_words_in_inline_math_may_be_translated_but_not_the_math():
    source = "the probability $p = \\tfrac{1}{4} \\text{ each}$ holds"
    assert markup_differences(source, "olasılık $p = \\tfrac{1}{4} \\text{ her biri}$ geçerli") == []
    assert markup_differences(source, "olasılık $p = \\tfrac{1}{2} \\text{ her biri}$ geçerli") != []


def test_the_command_line_check_reports_each_edition_and_fails_on_a_problem(monkeypatch, capsys):
    first = EDITIONS[0].key
    monkeypatch.setattr(cli, "problems", lambda edition: [f"{edition.key}: something"] if edition.key == first else [])
    assert cli.main(["check"]) == 1
    output = capsys.readouterr().out
    assert f"{first}: something" in output and "1 problem(s)" in output
    monkeypatch.setattr(cli, "problems", lambda edition: [])
    assert cli.main(["check"]) == 0
