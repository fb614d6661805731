"""Sphinx extension: refuse to build the book from notebooks whose outputs predate their code.

The book shows the outputs stored in the committed notebooks (nothing runs at
build time). `make notebooks` stamps each one with a hash of the code that made
them (tools/notebook_stamp.py); when book_require_fresh_outputs is on (book.yml's
execution.require_fresh_outputs), an HTML build stops with the chapters whose
stamp no longer matches, before it reads a page. The gettext builder, which only
extracts the text to translate, is let through.
"""

from pathlib import Path

from sphinx.errors import ConfigError

from tools.notebook_stamp import staleness


def check_fresh_outputs(app):
    if app.builder.format != "html" or not app.config.book_require_fresh_outputs:
        return
    notebooks = [Path(app.srcdir) / f"{docname}.ipynb" for docname in app.config.book_chapter_docnames]
    problems = [reason for notebook in notebooks if (reason := staleness(notebook))]
    if problems:
        raise ConfigError("; ".join(problems) + ". Run `make notebooks` first.")


def setup(app):
    app.setup_extension("book_settings")
    app.connect("builder-inited", check_fresh_outputs)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
