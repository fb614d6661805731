"""The book's settings from book.yml, and its editions (one per language).

book.yml is the one place the book is configured, and this module is the one
place that reads it: book/conf.py and the book's Sphinx extensions, the book
build (tools/build_book.py), the install cells (tools/install_cell.py), the
translation tools (tools/i18n) and the tests all ask it, so every program
agrees on the chapters, the editions, their folders and their words.

An edition is the whole book in one language. The first edition in book.yml is
the source (the chapters are written in its language); the others are
translations, whose text comes from the gettext catalogs in
``locales/<locale>/LC_MESSAGES/<page>.po``.
"""

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
BOOK_FILE = ROOT / "book.yml"
LOCALES = ROOT / "locales"

# The environment variable that tells book/conf.py which edition a Sphinx process builds
# (tools/sphinx_build.py sets it; unset means the source edition).
EDITION_VARIABLE = "D2L_BOOK_EDITION"

# The MyST syntax extensions the book is written with. book/conf.py gives them to Sphinx, and
# the translation tools parse with the same (tools/i18n/myst.py), so both read the chapters alike.
MYST_EXTENSIONS = ("dollarmath", "amsmath")

# The words every edition must give in book.yml; translations also say that code stays English.
EDITION_WORDS = ("name", "title", "read_in", "other_editions", "toggle_show", "toggle_hide", "markdown_source")
TRANSLATION_WORDS = ("kept_in_english",)


@dataclass(frozen=True)
class Edition:
    """One language of the book, as book.yml describes it."""

    key: str  # its folder in the build output, and what `make lab EDITION=...` takes
    locale: str  # Sphinx's `language`, and the catalogs' folder under locales/
    words: dict  # the words that differ by language (title, language name, ...)
    is_source: bool

    @property
    def title(self):
        return self.words["title"]

    @property
    def name(self):
        return self.words["name"]

    @property
    def html_lang(self):
        """The value of <html lang> Sphinx writes for this edition (zh_CN becomes zh-CN)."""
        return self.locale.replace("_", "-")

    @property
    def catalog_dir(self):
        return LOCALES / self.locale / "LC_MESSAGES"


def load_book():
    """book.yml as a dict."""
    return yaml.safe_load(BOOK_FILE.read_text(encoding="utf-8"))


def editions(book=None):
    """Every edition, the source first, as book.yml lists them."""
    book = load_book() if book is None else book
    listed = book.get("editions") or {}
    if not listed:
        raise ValueError(f"{BOOK_FILE.name} lists no editions; it needs at least the source language under `editions`.")
    result = []
    for index, (key, settings) in enumerate(listed.items()):
        is_source = index == 0
        required = EDITION_WORDS + (() if is_source else TRANSLATION_WORDS)
        missing = [word for word in ("locale", *required) if not settings.get(word)]
        if missing:
            raise ValueError(f"{BOOK_FILE.name}: edition {key!r} lacks {', '.join(missing)}; every edition "
                             f"gives {', '.join(EDITION_WORDS)}, and translations {', '.join(TRANSLATION_WORDS)}.")
        words = {name: value for name, value in settings.items() if name != "locale"}
        result.append(Edition(key=key, locale=settings["locale"], words=words, is_source=is_source))
    return result


def translations(book=None):
    """The editions translated from the source: the shipped languages, whose catalogs must be complete."""
    return [edition for edition in editions(book) if not edition.is_source]


def edition_named(key, book=None):
    """The edition whose key (its folder, e.g. "tr") is `key`; a clear error for any other name."""
    known = editions(book)
    for edition in known:
        if edition.key == key:
            return edition
    raise ValueError(f"No edition {key!r} in {BOOK_FILE.name}; the editions are {', '.join(e.key for e in known)}.")


def current_edition():
    """The edition this process builds: $D2L_BOOK_EDITION, or the source edition when it is unset."""
    key = os.environ.get(EDITION_VARIABLE)
    return edition_named(key) if key else editions()[0]


def docname_of(path):
    """Sphinx's name for a source file: its path without the suffix (notebooks/parameters)."""
    return Path(path).with_suffix("").as_posix()


def chapter_docnames(book=None):
    """The chapters' Sphinx names, in reading order."""
    book = load_book() if book is None else book
    return [docname_of(chapter) for chapter in book["chapters"]]


def landing_docname(book=None):
    """The Sphinx name of the landing page (book/index), the first page of every edition."""
    book = load_book() if book is None else book
    return docname_of(book["landing_page"])
