"""Sphinx extension: an edition of the book that knows about the others.

The book is built once per language (tools/build_book.py), each edition in its
own folder of the output: _build/html/en/, _build/html/tr/, ... This extension
adds what ties them together, from the book's settings (book_settings.py):

* every page links to the same page in each other edition (the template
  _templates/edition-links.html puts the links in the article header). The
  links are relative, so they also work when the book is opened from disk;
* every chapter of a translated edition opens with one line saying that the
  code, its comments and its outputs are kept in English.
"""

from docutils import nodes


def edition_links(app, pagename, templatename, context, doctree):
    """The same page in each other edition, as template context `edition_links`."""
    this = app.config.book_edition
    to_output_root = "../" * (pagename.count("/") + 1)
    page = app.builder.get_target_uri(pagename)
    context["edition_links"] = [
        {"url": f"{to_output_root}{edition['key']}/{page}", "name": edition["name"], "lang": edition["html_lang"]}
        for edition in app.config.book_editions
        if edition["key"] != this
    ]
    context["edition_links_label"] = app.config.book_other_editions_label


def kept_in_english_note(app, doctree):
    """Put the edition's "code and outputs are in English" line under a chapter's title."""
    note = app.config.book_kept_in_english
    if not note or app.env.docname not in app.config.book_chapter_docnames:
        return
    section = next(doctree.findall(nodes.section), None)
    if section is None or not isinstance(section[0], nodes.title):
        return
    section.insert(1, nodes.paragraph(note, note, classes=["edition-note"]))


def setup(app):
    app.setup_extension("book_settings")
    app.connect("html-page-context", edition_links)
    app.connect("doctree-read", kept_in_english_note)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
