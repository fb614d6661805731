"""Keep the translation catalogs in step with the English chapters, and check them.

    python tools/translations.py update   # re-extract the English messages; merge them into every catalog
    python tools/translations.py check    # list what is untranslated, fuzzy, stale or has other markup; exit 1 if any

`make translations` runs `update`: after an English text changes, it adds the new
messages to locales/<locale>/LC_MESSAGES/<page>.po (a changed sentence keeps its
old translation, marked fuzzy) and marks vanished ones obsolete. Translators then
fill in the empty and fuzzy entries. `check` is what `make test` runs (through
tests/test_translations.py) for every translated edition in book.yml.
"""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tools import catalogs  # noqa: E402
from tools.book_config import chapter_docnames, landing_docname, load_book, translations  # noqa: E402
from tools.markdown_messages import message_blocks  # noqa: E402
from tools.translate_notebooks import cell_source, read_notebook  # noqa: E402
from tools.translation_checks import completeness_problems, markup_problems  # noqa: E402


def translated_entries(edition):
    """{page: [Entry]} from the edition's committed catalogs."""
    return {page: catalogs.read_entries(path) for page, path in catalogs.catalog_files(edition).items()}


def book_markdown():
    """The markdown the book is written in: the landing page, and every markdown cell of the chapters."""
    book = load_book()
    texts = [(ROOT / f"{landing_docname(book)}.md").read_text(encoding="utf-8")]
    for page in chapter_docnames(book):
        notebook = read_notebook(ROOT / f"{page}.ipynb")
        texts += [cell_source(cell) for cell in notebook["cells"] if cell["cell_type"] == "markdown"]
    return texts


def display_math_messages():
    """The msgids that are display-math blocks, whose markup is compared as TeX."""
    return {block.msgid for text in book_markdown() for block in message_blocks(text) if block.is_math}


def completeness(edition):
    """Missing, stale, untranslated and fuzzy messages in one edition's catalogs, against the pages now."""
    return completeness_problems(catalogs.english_messages(), translated_entries(edition), edition.catalog_dir)


def markup(edition):
    """Translations in one edition's catalogs whose markup differs from the English."""
    return markup_problems(translated_entries(edition), edition.catalog_dir, display_math_messages())


def problems(edition):
    """Everything the checks find in one edition's catalogs."""
    return completeness(edition) + markup(edition)


def report(edition, found):
    """The problems of one edition, as a block of text with a heading."""
    heading = f"The {edition.name} catalogs ({edition.catalog_dir.relative_to(ROOT)}/) have {len(found)} problem(s):"
    return "\n".join([heading, *(f"  {problem}" for problem in found)])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["update", "check"])
    args = parser.parse_args(argv)
    editions = translations()
    if args.action == "update":
        catalogs.update_catalogs(editions)
        print(f"Updated the catalogs of {', '.join(e.key for e in editions)} in {catalogs.LOCALES}; "
              f"now translate the empty and fuzzy entries (`python tools/translations.py check` lists them).")
        return 0
    failed = False
    for edition in editions:
        found = problems(edition)
        print(report(edition, found) if found else f"The {edition.name} catalogs are complete and current.")
        failed = failed or bool(found)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
