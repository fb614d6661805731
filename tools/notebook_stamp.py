"""Stamp executed chapters with a hash of what produced their outputs.

A chapter's stored outputs are only as current as the code that made them:
its MyST source, the ``d2l_mini`` package and the pinned requirements. After
``make notebooks`` executes a chapter, this script records a SHA-1 of those
files in the notebook's metadata. The tests and the book build compare it with
the files as they are now, so a book can never show outputs older than its code.

    python -m tools.notebook_stamp notebooks/x.ipynb ...   # stamp
    python -m tools.notebook_stamp --check                 # exit 1 if any chapter is stale
"""

import argparse
import hashlib
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
STAMP_KEY = "d2l_mini"


def sources_sha1(notebook_path):
    """SHA-1 over the chapter's .md source, every d2l_mini module and requirements.txt."""
    notebook_path = Path(notebook_path).resolve()
    files = [notebook_path.with_suffix(".md"), ROOT / "requirements.txt", *sorted((ROOT / "d2l_mini").glob("*.py"))]
    digest = hashlib.sha1()
    for path in files:
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def stamp(notebook_path):
    notebook = nbformat.read(notebook_path, as_version=4)
    notebook.metadata[STAMP_KEY] = {"sources_sha1": sources_sha1(notebook_path)}
    nbformat.write(notebook, notebook_path)


def staleness(notebook_path):
    """Why the stored outputs of a chapter are stale, or None if they are current."""
    notebook = nbformat.read(notebook_path, as_version=4)
    recorded = notebook.metadata.get(STAMP_KEY, {}).get("sources_sha1")
    if recorded is None:
        return f"{Path(notebook_path).name} was never executed by `make notebooks`"
    if recorded != sources_sha1(notebook_path):
        return (f"{Path(notebook_path).name} was executed with other code than today's "
                f"(its chapter source, d2l_mini or requirements.txt changed since)")
    return None


def chapters():
    return sorted((ROOT / "notebooks").glob("*.ipynb"))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--check", action="store_true", help="report stale chapters; exit 1 if any")
    args = parser.parse_args(argv)
    if args.check:
        problems = [reason for path in chapters() if (reason := staleness(path))]
        for reason in problems:
            print(f"stale outputs: {reason}; run `make notebooks`.")
        return 1 if problems else 0
    for path in args.notebooks:
        stamp(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
