"""The chapters as notebooks in another language, for JupyterLab (`make lab EDITION=tr`).

A translated notebook is generated, never committed: it is the English
notebook (notebooks/<chapter>.ipynb, executed and stamped) with the text of its
markdown cells replaced by the edition's translations. The messages are the
ones Sphinx uses for the HTML book: the same catalogs, compiled the same way,
looked up by the same msgids (tools.i18n.messages finds them in each cell).
A message without a usable translation (empty or fuzzy) stays English, as in
the book. Under the chapter's title, a line says that code, comments and
outputs are kept in English (book.yml's `kept_in_english`).

Everything else is the English notebook's, byte for byte: code cells with their
outputs, cell ids and metadata, the notebook metadata with the widget state,
except Jupytext's pairing, which is left out so that the copy opens and saves
as a plain notebook instead of writing a .md beside it.

A generated notebook is rewritten only when its English notebook, its catalog or
book.yml is newer, so what a reader saves in it survives until then.
"""

import copy
import json
from pathlib import Path

from tools.book_config import BOOK_FILE, ROOT, chapter_docnames
from tools.i18n import catalogs
from tools.i18n.messages import message_blocks, translate_markdown

NOTEBOOKS = ROOT / "notebooks"  # the English chapters, the source you edit
LAB = ROOT / "_build" / "lab"  # _build/lab/<edition>/<chapter>.ipynb


def cell_source(cell):
    """A cell's source as one string (a notebook file stores it as a list of lines)."""
    source = cell["source"]
    return source if isinstance(source, str) else "".join(source)


def as_lines(text):
    """A source string as a notebook file stores it: lines that keep their newline."""
    return text.splitlines(keepends=True)


def with_note_under_title(markdown, note):
    """The markdown with `note` as a quoted line under its first heading (or on top, if it has none)."""
    lines = markdown.split("\n")
    heading = next((block for block in message_blocks(markdown) if lines[block.start].lstrip().startswith("#")), None)
    at = heading.end if heading else 0
    lines[at:at] = ["", f"> {note}", ""] if heading else [f"> {note}", ""]
    return "\n".join(lines)


def translated_notebook(notebook, translate, note):
    """A translated copy of a notebook (a dict as read from the .ipynb JSON); the original is left alone."""
    result = copy.deepcopy(notebook)
    result["metadata"].pop("jupytext", None)
    noted = False
    for cell in result["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        text = translate_markdown(cell_source(cell), translate)
        if not noted:
            text, noted = with_note_under_title(text, note), True
        cell["source"] = as_lines(text)
    return result


def read_notebook(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def write_notebook(notebook, path):
    """Write as nbformat does (sorted keys, indent 1, UTF-8), so unchanged parts keep their bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(notebook, sort_keys=True, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def is_current(target, sources):
    return target.exists() and all(target.stat().st_mtime >= source.stat().st_mtime for source in sources)


def translate_chapters(edition, folder=None):
    """Write every chapter of the book in the edition's language into folder (default _build/lab/<key>/)."""
    if edition.is_source:
        raise ValueError(f"{edition.key} is the source edition: its notebooks are notebooks/*.ipynb themselves.")
    folder = Path(folder) if folder else LAB / edition.key
    catalogs.compile_catalogs(edition)
    written = []
    for page in chapter_docnames():
        english = ROOT / f"{page}.ipynb"
        target = folder / english.name
        catalog = edition.catalog_dir / f"{page}.po"
        if not is_current(target, [english, BOOK_FILE, *([catalog] if catalog.exists() else [])]):
            notebook = translated_notebook(read_notebook(english), catalogs.translator(edition, page),
                                           edition.words["kept_in_english"])
            write_notebook(notebook, target)
        written.append(target)
    return written



def lab_folder(edition):
    """The folder `make lab` opens for an edition: notebooks/ for the source, else its generated notebooks."""
    return NOTEBOOKS if edition.is_source else translate_chapters(edition)[0].parent
