"""Sphinx extension: the landing page lists the chapters, and the top of the build leads to it.

book.yml names the landing page (book/index.md) and the chapters in reading
order; the landing page itself holds no table of contents. This extension
appends one to it, built from book_chapter_docnames, and writes an index.html
at the top of the edition's output that redirects to the landing page (which
is not index.html, since it lives in book/).
"""

from pathlib import Path


def add_chapter_toctree(app, docname, source):
    """Append the chapter list to the landing page, as its table of contents."""
    if docname != app.config.root_doc:
        return
    up = "../" * docname.count("/")
    entries = "\n".join(up + chapter for chapter in app.config.book_chapter_docnames)
    # the caption is a message of the landing page's catalog (book/index.po), like its text
    source[0] += f"\n\n```{{toctree}}\n:maxdepth: 2\n:caption: Chapters\n\n{entries}\n```\n"


def write_front_door(app, exception):
    """An index.html at the top of the build that leads to the landing page."""
    root_doc = app.config.root_doc
    if exception is not None or app.builder.format != "html" or root_doc == "index":
        return
    html_lang = {e["key"]: e["html_lang"] for e in app.config.book_editions}.get(app.config.book_edition, "en")
    title, target = app.config.project, f"{root_doc}.html"
    (Path(app.outdir) / "index.html").write_text(
        f'<!DOCTYPE html>\n<html lang="{html_lang}"><head><meta charset="utf-8">'
        f'<meta http-equiv="refresh" content="0; url={target}"><title>{title}</title></head>'
        f'<body><a href="{target}">{title}</a></body></html>\n',
        encoding="utf-8",
    )


def setup(app):
    app.setup_extension("book_settings")
    app.connect("source-read", add_chapter_toctree)
    app.connect("build-finished", write_front_door)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
