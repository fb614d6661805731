"""The front page of the built book: a reader picks a language.

tools/build_book.py writes it to the top of the output folder, above the one
folder per edition (_build/html/index.html, beside _build/html/en/ ...). It is
a plain page with no scripts and nothing to load, so it works from disk and
offline like the editions themselves; each link leads to an edition's landing
page and is marked with that edition's language.
"""

from html import escape

from tools.book_config import landing_docname

STYLE = """
body { font-family: system-ui, sans-serif; margin: 0; display: grid; place-items: center; min-height: 100vh;
       background: #f7f7f8; color: #222; }
main { max-width: 36rem; padding: 2rem; }
h1 { font-size: 1.6rem; margin-bottom: 1.5rem; }
ul { list-style: none; padding: 0; display: grid; gap: 0.8rem; }
a { display: block; padding: 1rem 1.2rem; border-radius: 0.5rem; background: #fff; border: 1px solid #ddd;
    color: inherit; text-decoration: none; }
a:hover, a:focus { border-color: #2a6fdb; }
.title { display: block; font-size: 1.15rem; font-weight: 600; }
.read { display: block; color: #2a6fdb; margin-top: 0.2rem; }
"""


def picker_html(editions, book=None):
    """The page, as text: one link per edition, the source edition's title as its heading."""
    landing = landing_docname(book)
    items = "\n".join(
        f'    <li lang="{edition.html_lang}"><a href="{escape(edition.key)}/{landing}.html" '
        f'hreflang="{edition.html_lang}"><span class="title">{escape(edition.title)}</span>'
        f'<span class="read">{escape(edition.words["read_in"])}</span></a></li>'
        for edition in editions
    )
    source = editions[0]
    return (
        f'<!DOCTYPE html>\n<html lang="{source.html_lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(source.title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
        f"  <h1>{escape(source.title)}</h1>\n  <ul class=\"editions\">\n{items}\n  </ul>\n</main>\n</body>\n</html>\n"
    )


def write_picker(output, editions, book=None):
    """Write the picker to output/index.html and return its path."""
    path = output / "index.html"
    path.write_text(picker_html(editions, book), encoding="utf-8")
    return path
