"""The translation catalogs: the messages of the English pages, and each language's .po files.

Sphinx's gettext builder extracts the translatable messages of every page (the
text of the markdown cells: paragraphs, headings, admonition titles, display
math; never code or outputs) into one template per page, <page>.pot. Each
translated edition has one catalog per page, committed as
locales/<locale>/LC_MESSAGES/<page>.po, which `make translations` creates and
merges from the templates with sphinx-intl. Sphinx compiles the catalogs into
.mo files (build output, not committed) and translates with those; the
notebook translator compiles and reads them the same way, so both use the
same messages, and both fall back to English for an entry that is empty or
fuzzy.
"""

import gettext
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po
from sphinx.util.i18n import CatalogRepository

from tools.book_config import LOCALES, ROOT
from tools.sphinx_build import run_sphinx

TEMPLATES = ROOT / "_build" / "gettext"  # where `make translations` extracts the templates


@dataclass(frozen=True)
class Entry:
    """One message of a catalog: the English text, its translation, and where it is written."""

    msgid: str
    msgstr: str = ""
    fuzzy: bool = False
    line: int | None = None  # the line of the .po file where the entry starts


def extract_templates(output_dir):
    """Run Sphinx's gettext builder on the current sources, into output_dir/<page>.pot; return output_dir.

    It runs in a process of its own, like every Sphinx build of this book (tools.sphinx_build),
    on the source edition, English.
    """
    output_dir = Path(output_dir)
    with tempfile.TemporaryDirectory(prefix="d2l-gettext-doctrees-") as doctrees:
        result = run_sphinx("gettext", output_dir, doctrees, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"Extracting the messages failed ({' '.join(result.args)}):\n{result.stdout}{result.stderr}")
    return output_dir


def read_entries(path):
    """The entries of a .po or .pot file, without its header and obsolete (#~) entries."""
    with open(path, "rb") as file:
        catalog = read_po(file)
    return [Entry(message.id, message.string or "", message.fuzzy, message.lineno)
            for message in catalog if message.id]


def pages_in(folder, suffix):
    """{page: path} for every catalog file in folder, the page named as Sphinx names it (notebooks/parameters)."""
    folder = Path(folder)
    return {path.relative_to(folder).with_suffix("").as_posix(): path for path in sorted(folder.rglob(f"*{suffix}"))}


@cache
def english_messages():
    """{page: [Entry]} as extracted from the sources now (once per process: it takes a few seconds)."""
    with tempfile.TemporaryDirectory(prefix="d2l-gettext-") as folder:
        extract_templates(folder)
        return {page: read_entries(path) for page, path in pages_in(folder, ".pot").items()}


def catalog_files(edition):
    """{page: path of its .po} for one translated edition."""
    return pages_in(edition.catalog_dir, ".po")


def compile_catalogs(edition):
    """Compile the edition's outdated .po files into .mo files beside them, as Sphinx does before a build."""
    repository = CatalogRepository(ROOT, [LOCALES.relative_to(ROOT).as_posix()], edition.locale, "utf-8")
    for catalog in repository.catalogs:
        if catalog.is_outdated():
            catalog.write_mo(edition.locale, use_fuzzy=False)


def translator(edition, page):
    """A function msgid -> translation (None where the catalog has none) from the page's compiled catalog."""
    mo_file = edition.catalog_dir / f"{page}.mo"
    if not mo_file.exists():
        return lambda msgid: None
    with open(mo_file, "rb") as file:
        translations = gettext.GNUTranslations(file)

    def translate(msgid):
        translation = translations.gettext(msgid)  # the msgid itself when there is no translation
        return translation if translation != msgid else None

    return translate


def update_catalogs(editions, templates=TEMPLATES):
    """Re-extract the templates and merge them into every edition's .po files (sphinx-intl update).

    New messages are added empty; a message whose English text changed keeps its old
    translation, marked fuzzy, until a translator checks it; vanished ones become obsolete (#~).
    """
    extract_templates(templates)
    languages = [argument for edition in editions for argument in ("-l", edition.locale)]
    command = [sys.executable, "-m", "sphinx_intl", "update", "-p", str(templates), "-d", str(LOCALES), *languages]
    subprocess.run(command, cwd=ROOT, check=True)
