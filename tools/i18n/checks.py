"""Checks that a translated edition's catalogs match the English pages as they are now.

Two checks, each returning a list of problems in words (empty when all is well).
Each problem names the catalog file and line, the page, and the message, so a
translator can go straight to it:

* completeness: every message of every page (as extracted from the current
  sources) is in the page's catalog, translated and not fuzzy; and the catalog
  holds no message the page no longer has. Changing an English sentence thus
  points at its translation: the old msgid is stale and the new one missing,
  and after `make translations` the entry is fuzzy until a translator updates it.
  An untranslated or fuzzy entry would silently show English in the book.
* markup: each translation carries its English message's markup (tools.i18n.markup).

`completeness_problems` and `markup_problems` check given entries; `completeness`,
`markup` and `problems` check an edition's committed catalogs against the book now
(what `python -m tools.i18n check` and tests/test_translations.py run).
"""

from tools.book_config import ROOT, chapter_docnames, landing_docname, load_book
from tools.i18n import catalogs
from tools.i18n.markup import markup_differences
from tools.i18n.messages import message_blocks
from tools.i18n.notebooks import cell_source, read_notebook

MESSAGE_SHOWN = 100  # characters of a message quoted in a problem


def quote(message):
    """A message as a problem quotes it: on one line, shortened when long."""
    text = message.replace("\n", "\\n")
    return f'"{text}"' if len(text) <= MESSAGE_SHOWN else f'"{text[:MESSAGE_SHOWN]}..."'


def _where(catalog_dir, page, entry=None):
    path = catalog_dir / f"{page}.po"
    shown = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)
    line = f":{entry.line}" if entry is not None and entry.line else ""
    return f"{shown}{line} (page {page})"


def completeness_problems(english, translated, catalog_dir):
    """Missing, stale, untranslated and fuzzy messages.

    english: {page: [Entry]} extracted from the sources now; translated: {page: [Entry]}
    from the edition's catalogs in catalog_dir.
    """
    problems = []
    for page in sorted(english.keys() | translated.keys()):
        if page not in translated:
            problems.append(f"{_where(catalog_dir, page)}: no catalog for this page; run `make translations`")
            continue
        if page not in english:
            problems.append(f"{_where(catalog_dir, page)}: the book has no such page any more; delete this catalog")
            continue
        current = {entry.msgid for entry in english[page]}
        listed = {entry.msgid for entry in translated[page]}
        for entry in english[page]:
            if entry.msgid not in listed:
                problems.append(f"{_where(catalog_dir, page)}: not in the catalog (new or changed English text; "
                                f"run `make translations`): {quote(entry.msgid)}")
        for entry in translated[page]:
            if entry.msgid not in current:
                problems.append(f"{_where(catalog_dir, page, entry)}: no longer in the English page (changed or "
                                f"removed; run `make translations`): {quote(entry.msgid)}")
            elif entry.fuzzy:
                problems.append(f"{_where(catalog_dir, page, entry)}: fuzzy (check the translation against the "
                                f"English, then remove the fuzzy flag): {quote(entry.msgid)}")
            elif not entry.msgstr.strip():
                problems.append(f"{_where(catalog_dir, page, entry)}: untranslated: {quote(entry.msgid)}")
    return problems


def markup_problems(translated, catalog_dir, display_math=frozenset()):
    """Translations whose markup differs from their English message's (fuzzy and empty ones are skipped).

    display_math: the msgids that are display-math blocks (their whole text is TeX).
    """
    problems = []
    for page in sorted(translated):
        for entry in translated[page]:
            if entry.fuzzy or not entry.msgstr.strip():
                continue
            differences = markup_differences(entry.msgid, entry.msgstr, entry.msgid in display_math)
            if differences:
                problems.append(f"{_where(catalog_dir, page, entry)}: the markup differs from the English "
                                f"({'; '.join(differences)}): {quote(entry.msgid)}")
    return problems


# -- An edition's committed catalogs, against the book as it is now ---------------------------

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
