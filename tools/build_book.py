"""Build the static HTML book as book.yml describes it, and say where it is.

    python tools/build_book.py

Reads the output folder and the warnings policy from book.yml; everything
else is in book/conf.py, which reads the same file.
"""

import sys
import time
from pathlib import Path

import yaml
from sphinx.cmd.build import build_main

ROOT = Path(__file__).resolve().parents[1]


def main():
    book = yaml.safe_load((ROOT / "book.yml").read_text(encoding="utf-8"))
    output = ROOT / book["build"]["output_dir"]
    args = ["-b", "html", "-c", str(ROOT / "book"), "-d", str(ROOT / "_build" / "doctrees"), "-q"]
    if book["build"].get("warnings_are_errors", True):
        args += ["-W", "--keep-going"]
    started = time.perf_counter()
    status = build_main([*args, str(ROOT), str(output)])
    if status == 0:
        print(f"Built the book in {time.perf_counter() - started:.1f} s. Open {output / 'index.html'}")
    return status


if __name__ == "__main__":
    sys.exit(main())
