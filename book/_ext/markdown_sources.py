"""Sphinx extension: each chapter's MyST markdown source, downloadable beside its .ipynb.

The chapters are written as MyST markdown (notebooks/<chapter>.md, paired with
the executed .ipynb the book shows). The HTML build copies each source into
_static/sources/, and the theme's download menu of a chapter gets a ".md" entry
that links to it, next to the .ipynb.
"""

import shutil
from pathlib import Path


def add_markdown_download(app, pagename, templatename, context, doctree):
    """Offer the chapter's MyST markdown source next to the .ipynb in the download menu."""
    if doctree is None or pagename not in app.config.book_chapter_docnames:
        return
    for button in context.get("header_buttons", []):
        if button.get("type") == "group" and "download" in button.get("label", "").lower():
            button["buttons"].append({
                "type": "link",
                "url": "../" * pagename.count("/") + f"_static/sources/{pagename}.md",
                "text": ".md",
                "tooltip": app.config.book_markdown_source_label,
                "icon": "fas fa-file-code",
                "label": "download-md-button",
            })


def copy_markdown_sources(app, exception):
    """Copy the chapters' sources into the build, where the download entries point."""
    if exception is not None or app.builder.format != "html":
        return
    for docname in app.config.book_chapter_docnames:
        target = Path(app.outdir) / "_static" / "sources" / f"{docname}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(Path(app.srcdir) / f"{docname}.md", target)


def setup(app):
    app.setup_extension("book_settings")
    app.connect("html-page-context", add_markdown_download, priority=900)  # after the theme made its buttons
    app.connect("build-finished", copy_markdown_sources)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
