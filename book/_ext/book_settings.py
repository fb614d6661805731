"""Sphinx extension: the book's own settings, which book/conf.py fills in from book.yml.

The other extensions in this folder read the book only through these values, so
conf.py stays the one place that turns book.yml into Sphinx settings. Each of
them loads this one first (app.setup_extension), whatever order conf.py lists
them in.
"""


def setup(app):
    # the edition this build makes (its key in book.yml), and every edition as {key, name, html_lang}
    app.add_config_value("book_edition", "", "html", types=[str])
    app.add_config_value("book_editions", [], "html", types=[list])
    # the chapters' Sphinx names (notebooks/parameters), in reading order
    app.add_config_value("book_chapter_docnames", [], "env", types=[list])
    # words of this edition: the label of the links to other editions, the note that code stays
    # English (empty in the source edition), the tooltip of the .md download
    app.add_config_value("book_other_editions_label", "", "html", types=[str])
    app.add_config_value("book_kept_in_english", "", "env", types=[str])
    app.add_config_value("book_markdown_source_label", "", "html", types=[str])
    # refuse notebooks whose stored outputs are older than their code
    app.add_config_value("book_require_fresh_outputs", True, "html", types=[bool])
    # where the browser libraries from node_modules are copied, served as static files
    app.add_config_value("book_vendor_dir", "", "html", types=[str])
    return {"parallel_read_safe": True, "parallel_write_safe": True}
