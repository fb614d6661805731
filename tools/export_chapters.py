"""Generate ``d2l_mini`` modules from the chapters' exported cells.

A chapter marks a code cell for reuse with the cell tag ``export`` (d2l's
``#@save``). This script collects those cells, in order, from
``notebooks/<chapter>.md`` and writes them to ``d2l_mini/<chapter>.py`` under a
header that says where they came from. The notebook stays the one place the
code is written; ``--check`` (run by ``make test``) fails if a generated module
no longer matches its chapter.

    python -m tools.export_chapters           # regenerate
    python -m tools.export_chapters --check   # exit 1 if anything is stale
"""

import argparse
import os
import stat
import sys
import uuid
from pathlib import Path

import jupytext

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
PACKAGE = ROOT / "d2l_mini"
EXPORT_TAG = "export"


def chapter_title(notebook):
    """The first markdown heading of a notebook, without the leading #."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return "Untitled chapter"


def exported_cells(notebook):
    """Sources of the code cells tagged for export, in notebook order."""
    return [
        cell.source.strip()
        for cell in notebook.cells
        if cell.cell_type == "code" and EXPORT_TAG in cell.metadata.get("tags", [])
    ]


def render_module(markdown_path):
    """The text of the generated module for one chapter, or None if it exports nothing."""
    notebook = jupytext.read(markdown_path)
    cells = exported_cells(notebook)
    if not cells:
        return None
    relative = markdown_path.relative_to(ROOT).as_posix()
    header = (
        f'"""Code exported from the chapter "{chapter_title(notebook)}".\n\n'
        f"Generated from {relative} by tools/export_chapters.py; do not edit.\n"
        f"Change the chapter's cells tagged `{EXPORT_TAG}` and run `make export`.\n"
        '"""\n'
    )
    return header + "\n" + "\n\n\n".join(cells) + "\n"


def planned_modules():
    """Map each generated module path to its expected text."""
    plan = {}
    for markdown_path in sorted(NOTEBOOKS.glob("*.md")):
        text = render_module(markdown_path)
        if text is not None:
            plan[PACKAGE / f"{markdown_path.stem}.py"] = text
    return plan


def stale_modules():
    """Generated modules whose file is missing or differs from its chapter."""
    return [
        path for path, text in planned_modules().items()
        if not path.is_file() or path.read_text(encoding="utf-8") != text
    ]


def write_atomically(path, text):
    """Replace ``path`` with ``text`` in one step: readers see the old file or the new one, never half of it.

    The text goes to a temporary file in the same folder (so that the final
    rename stays on one file system), keeps the old file's permissions, and
    is renamed over ``path`` only once it is fully on disk. If anything fails
    (a full disk, say), the temporary file is removed and ``path`` is untouched.
    """
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(temporary, "x", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        if path.exists():
            os.chmod(temporary, stat.S_IMODE(path.stat().st_mode))
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale modules; exit 1 if any")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_modules()
        for path in stale:
            print(f"stale: {path.relative_to(ROOT)} differs from its chapter; run `make export`.")
        return 1 if stale else 0
    for path, text in planned_modules().items():
        try:
            write_atomically(path, text)
        except OSError as error:
            print(f"could not write {path.relative_to(ROOT)} ({error}); the previous version is left as it was.",
                  file=sys.stderr)
            return 1
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
