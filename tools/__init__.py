"""The programs behind the Makefile: building, checking and translating the book.

Each module is run from the repository's root as ``python -m tools.<name>``
(README.md, "The tools", lists them); tools.book_config is the one reader of
book.yml, and tools.i18n holds the translation tools.
"""
