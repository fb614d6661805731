"""Build every edition of the static HTML book as book.yml describes it, and say where it is.

    python -m tools.build_book          # every edition, then the language picker
    python -m tools.build_book tr zh    # only these editions (the picker is left as it is)

Each edition (language) is built by its own Sphinx process with its own doctrees
(_build/doctrees/<edition>/): in a single process the catalogs of the first
language would leak into the next. The process learns its edition from the
environment (tools.sphinx_build), and writes it to <output_dir>/<edition>/;
<output_dir>/index.html lets a reader pick a language (tools.language_picker).
Sphinx compiles the edition's catalogs (locales/<locale>/LC_MESSAGES/*.po) into
.mo files before it reads the pages. The warnings policy is book.yml's.
"""

import argparse
import shutil
import sys
import time

from tools.book_config import ROOT, edition_named, editions, load_book
from tools.language_picker import write_picker
from tools.sphinx_build import run_sphinx

DOCTREES = ROOT / "_build" / "doctrees"


def build_edition(book, edition, output):
    """Build one edition in a Sphinx process of its own; True if it succeeded."""
    started = time.perf_counter()
    status = run_sphinx("html", output / edition.key, DOCTREES / edition.key, edition,
                        warnings_are_errors=book["build"].get("warnings_are_errors", True)).returncode
    if status == 0:
        print(f"  {edition.key} ({edition.name}): {time.perf_counter() - started:.1f} s", flush=True)
    else:
        print(f"  {edition.key} ({edition.name}): the Sphinx build failed (exit status {status}), see above; "
              "the book was not built.")
    return status == 0


def remove_other_entries(output, all_editions):
    """Delete what an older layout or a removed edition left in the output folder."""
    keep = {edition.key for edition in all_editions} | {"index.html"}
    for entry in output.iterdir():
        if entry.name not in keep:
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("editions", nargs="*", help="edition keys from book.yml (default: all)")
    args = parser.parse_args(argv)
    book = load_book()
    all_editions = editions(book)
    chosen = [edition_named(key, book) for key in args.editions] if args.editions else all_editions
    output = ROOT / book["build"]["output_dir"]
    output.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    print(f"Building {len(chosen)} edition(s) of the book:", flush=True)
    for edition in chosen:
        if not build_edition(book, edition, output):
            return 1  # the next editions would fail the same way, most likely (stale notebooks, a broken page)
    if not args.editions:
        remove_other_entries(output, all_editions)
        write_picker(output, all_editions, book)
    print(f"Built the book in {time.perf_counter() - started:.1f} s. Open {output / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
