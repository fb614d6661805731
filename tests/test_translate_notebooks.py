"""The chapters as translated notebooks (`make lab EDITION=tr`): the book's messages, the English code and outputs.

The translator must find in the markdown cells exactly the messages Sphinx extracts
from each chapter (so the notebooks and the HTML book use the same catalog entries),
put every translation in its place without disturbing the markdown around it, and
leave everything that is not prose (code, outputs, widget state) byte for byte as
the English notebook has it.
"""

import json
import os

import nbformat
import pytest

from tools.book_config import ROOT, chapter_docnames, editions, translations
from tools.i18n import catalogs, cli
from tools.i18n.messages import is_one_paragraph, message_blocks, translate_markdown
from tools.i18n.notebooks import NOTEBOOKS, cell_source, read_notebook, translate_chapters, translated_notebook

PAGES = chapter_docnames()
EDITIONS = translations()


def fake(msgid):
    """A stand-in for a complete catalog: every message translated, recognizably."""
    return f"TR {msgid}"


def messages_of(notebook):
    return [block.msgid for cell in notebook["cells"] if cell["cell_type"] == "markdown"
            for block in message_blocks(cell_source(cell))]


def dumped(part):
    return json.dumps(part, sort_keys=True, ensure_ascii=False)


@pytest.mark.parametrize("page", PAGES)
def test_the_translator_finds_exactly_the_messages_sphinx_extracts(page):
    found = set(messages_of(read_notebook(ROOT / f"{page}.ipynb")))
    extracted = {entry.msgid for entry in catalogs.english_messages()[page]}
    assert found - extracted == set(), "the translator sees messages Sphinx does not extract"
    assert extracted - found == set(), "messages Sphinx extracts that the translator cannot find in the cells"


@pytest.mark.parametrize("page", PAGES)
def test_a_complete_catalog_translates_every_message_in_place(page):
    english = read_notebook(ROOT / f"{page}.ipynb")
    translated = translated_notebook(english, fake, note="kept in English")
    expected = [fake(msgid) for msgid in messages_of(english)]
    # the translated cells hold the translations, in order, as blocks of the same kind: nothing left English,
    # nothing merged or split (the note under the title is one extra block)
    assert [m for m in messages_of(translated) if m != "kept in English"] == expected


@pytest.mark.parametrize("edition", EDITIONS, ids=lambda e: e.key)
def test_code_outputs_and_widget_state_are_the_english_notebooks_bytes(edition, tmp_path):
    for path in translate_chapters(edition, tmp_path):
        english = read_notebook(ROOT / "notebooks" / path.name)
        translated = json.loads(path.read_text(encoding="utf-8"))
        assert len(translated["cells"]) == len(english["cells"])
        for before, after in zip(english["cells"], translated["cells"]):
            if before["cell_type"] == "code":
                assert dumped(after) == dumped(before), f"{path.name}: code cell {before.get('id')} changed"
            else:
                assert dumped({**after, "source": None}) == dumped({**before, "source": None})
        assert dumped(translated["metadata"]["widgets"]) == dumped(english["metadata"]["widgets"])
        assert "jupytext" not in translated["metadata"], "the copy must open as a plain notebook, unpaired"
        assert dumped({**translated["metadata"]}) == dumped(
            {key: value for key, value in english["metadata"].items() if key != "jupytext"})
        assert {k: v for k, v in translated.items() if k != "cells" and k != "metadata"} == \
            {k: v for k, v in english.items() if k != "cells" and k != "metadata"}
        nbformat.validate(nbformat.reads(path.read_text(encoding="utf-8"), as_version=nbformat.NO_CONVERT))


@pytest.mark.parametrize("edition", EDITIONS, ids=lambda e: e.key)
def test_a_translated_chapter_opens_with_its_title_and_the_english_code_note(edition, tmp_path):
    for path in translate_chapters(edition, tmp_path):
        first = next(c for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "markdown")
        lines = cell_source(first).split("\n")
        assert lines[0].startswith("# ")
        assert lines[1:3] == ["", f"> {edition.words['kept_in_english']}"]


@pytest.mark.parametrize("edition", EDITIONS, ids=lambda e: e.key)
def test_translated_notebooks_use_the_catalog_translations(edition, tmp_path):
    """What the catalog translates (not fuzzy, not empty) appears in the notebook, as in the book.

    As in the book, a paragraph whose translation does not read as a paragraph stays English
    (the markup check in test_translations.py reports it).
    """
    for path in translate_chapters(edition, tmp_path):
        translate = catalogs.translator(edition, f"notebooks/{path.stem}")
        english = [block for cell in read_notebook(ROOT / "notebooks" / path.name)["cells"]
                   if cell["cell_type"] == "markdown" for block in message_blocks(cell_source(cell))]
        usable = [(block, translate(block.msgid)) for block in english]
        expected = [t if t and (block.is_math or is_one_paragraph(t)) else block.msgid for block, t in usable]
        shown = messages_of(json.loads(path.read_text(encoding="utf-8")))
        assert [m for m in shown if m != edition.words["kept_in_english"]] == expected


def test_a_translation_that_does_not_read_as_a_paragraph_keeps_the_english_as_sphinx_does():
    markdown = "Code for exercises 1 and 2.\n\nMore text.\n"
    translations = {"Code for exercises 1 and 2.": "1. ve 2. alıştırmalar.", "More text.": "Daha fazla."}
    assert translate_markdown(markdown, translations.get) == "Code for exercises 1 and 2.\n\nDaha fazla.\n"
    translations["Code for exercises 1 and 2."] = "1\\. ve 2. alıştırmalar."
    assert translate_markdown(markdown, translations.get) == "1\\. ve 2. alıştırmalar.\n\nDaha fazla.\n"


def test_a_saved_notebook_is_kept_until_its_sources_change(tmp_path):
    edition = EDITIONS[0]
    [first, *_] = translate_chapters(edition, tmp_path)
    first.write_text(first.read_text(encoding="utf-8").replace('"cells"', '"cells" ', 1), encoding="utf-8")
    saved = first.read_text(encoding="utf-8")
    translate_chapters(edition, tmp_path)
    assert first.read_text(encoding="utf-8") == saved, "a reader's saved notebook was overwritten"
    english = ROOT / "notebooks" / first.name
    os.utime(first, (english.stat().st_mtime - 10, english.stat().st_mtime - 10))
    translate_chapters(edition, tmp_path)
    assert first.read_text(encoding="utf-8") != saved, "an outdated translation was not regenerated"


MARKDOWN = """\
## A heading ##

A paragraph with $x^2$ and `code`,\\
over two lines.

* an item
  that continues
* a second item

1. An exercise.

   ```{admonition} Solution
   :class: dropdown

   The solution's text.

   $$
   a = b
     + c
   $$
   ```

$$
x = 1
$$
"""

TRANSLATED = """\
## TR A heading ##

TR A paragraph with $x^2$ and `code`, over two lines.

* TR an item that continues
* TR a second item

1. TR An exercise.

   ```{admonition} TR Solution
   :class: dropdown

   TR The solution's text.

   $$
   TR a = b
     + c
   $$
   ```

$$
TR x = 1
$$
"""


def test_translating_markdown_keeps_markers_indentation_and_everything_else():
    assert [b.msgid for b in message_blocks(MARKDOWN)] == [
        "A heading", "A paragraph with $x^2$ and `code`, over two lines.", "an item that continues",
        "a second item", "An exercise.", "Solution", "The solution's text.", "a = b\n  + c", "x = 1"]
    assert translate_markdown(MARKDOWN, fake) == TRANSLATED


def test_a_message_without_translation_stays_english():
    assert translate_markdown(MARKDOWN, lambda msgid: None) == MARKDOWN
    assert translate_markdown(MARKDOWN, lambda msgid: "" if msgid == "A heading" else None) == MARKDOWN


def test_make_lab_opens_the_english_chapters_for_the_source_edition_or_none(capsys):
    for argv in (["lab"], ["lab", ""], ["lab", editions()[0].key]):
        assert cli.main(argv) == 0
        assert capsys.readouterr().out.strip() == str(NOTEBOOKS)


@pytest.mark.parametrize("edition", EDITIONS, ids=lambda e: e.key)
def test_make_lab_opens_an_editions_generated_chapters(edition, capsys, monkeypatch, tmp_path):
    folder = tmp_path / edition.key
    monkeypatch.setattr("tools.i18n.notebooks.LAB", tmp_path)
    assert cli.main(["lab", edition.key]) == 0
    assert capsys.readouterr().out.strip() == str(folder)
    assert sorted(path.name for path in folder.iterdir()) == sorted(f"{page.split('/')[-1]}.ipynb" for page in PAGES)


def test_make_lab_refuses_an_edition_book_yml_does_not_list_and_names_those_it_does(capsys):
    assert cli.main(["lab", "fr"]) == 2
    assert capsys.readouterr().err.strip() == "No edition 'fr' in book.yml; the editions are en, tr, zh."


def test_the_source_edition_has_no_generated_notebooks(tmp_path):
    with pytest.raises(ValueError, match="source edition"):
        translate_chapters(editions()[0], tmp_path)
