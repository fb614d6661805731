"""Derive the chapters' install cell, and the README's links, from book.yml.

The repository URL is written once, in book.yml. What depends on it outside the
Sphinx build (which reads book.yml through tools.book_config) is generated:

* here, the install cell of each chapter: the first code cell of ``notebooks/*.md``,
  tagged ``install`` (and ``remove-cell``, so the static book hides it). Outside
  this repository (Colab, a bare Jupyter) it installs the ``d2l_mini`` the
  chapter was written for, from the git tag ``v<version>`` of that repository
  (tools.release); where ``d2l_mini`` is importable it does nothing;
* in tools.readme_links, the block of README.md between the ``links`` markers:
  the pip line, and the Colab and Binder links of every chapter.

A chapter is read and written with Jupytext's MyST reader and writer, the ones
that pair it with its .ipynb, which give back every other byte of the chapter
unchanged (the tests check that they do).

    python -m tools.install_cell            # rewrite the install cells and the README block (make export)
    python -m tools.install_cell --check    # exit 1, saying what differs, if anything is stale
    python -m tools.install_cell --print    # print the install requirement
    python -m tools.install_cell --tag      # print the release tag, v<version>
    python -m tools.install_cell --expect-repository URL   # exit 1 unless book.yml names URL
"""

import argparse
import sys
from pathlib import Path

import jupytext

from tools.book_config import ROOT
from tools.readme_links import README, readme_block, readme_problems, write_readme
from tools.release import normalized_url, release_tag, repository_url, requirement

NOTEBOOKS = ROOT / "notebooks"
INSTALL_TAG = "install"
HIDDEN_TAG = "remove-cell"
FORMAT = "md:myst"  # the chapters' format, as Jupytext names it

CELL_TEMPLATE = """\
# Outside this book's repository (Colab, a bare Jupyter), install the d2l_mini this chapter was written for.
import importlib.util

if importlib.util.find_spec("d2l_mini") is None:
    %pip install --quiet "{requirement}\""""


def expected_cell(book=None, version=None):
    return CELL_TEMPLATE.format(requirement=requirement(book, version))


def chapter_sources(notebooks=NOTEBOOKS):
    return sorted(Path(notebooks).glob("*.md"))


def read_chapter(text):
    """A chapter's MyST text as a notebook (Jupytext's reader)."""
    return jupytext.reads(text, fmt=FORMAT)


def write_chapter(notebook):
    """A notebook as a chapter's MyST text (Jupytext's writer)."""
    return jupytext.writes(notebook, fmt=FORMAT)


def is_install_cell(cell):
    return cell.cell_type == "code" and INSTALL_TAG in cell.metadata.get("tags", [])


def chapter_problems(markdown_path, cell_text):
    """What is wrong with a chapter's install cell (empty list if nothing)."""
    name = Path(markdown_path).name
    code = [cell for cell in read_chapter(Path(markdown_path).read_text(encoding="utf-8")).cells
            if cell.cell_type == "code"]
    tagged = [index for index, cell in enumerate(code) if is_install_cell(cell)]
    if not tagged:
        return [f"{name} has no code cell tagged `{INSTALL_TAG}`; its first code cell must be, "
                f"tagged [{HIDDEN_TAG}, {INSTALL_TAG}]:\n{indent(cell_text)}"]
    problems = []
    if len(tagged) > 1:
        problems.append(f"{name} has {len(tagged)} cells tagged `{INSTALL_TAG}`; keep one")
    if tagged[0] != 0:
        problems.append(f"{name}: the cell tagged `{INSTALL_TAG}` must be the first code cell")
    cell = code[tagged[0]]
    if HIDDEN_TAG not in cell.metadata.get("tags", []):
        problems.append(f"{name}: the install cell must also be tagged `{HIDDEN_TAG}` (hidden in the book)")
    if cell.source.strip() != cell_text:
        found = next((line.strip() for line in cell.source.splitlines() if "pip install" in line), "(no pip line)")
        expected = cell_text.splitlines()[-1].strip()
        problems.append(f"{name}: the install cell differs from the one derived from book.yml and "
                        f"d2l_mini.__version__.\n  found:    {found}\n  expected: {expected}\n"
                        f"  Run `make export` (python -m tools.install_cell) to rewrite it.")
    return problems


def indent(text, prefix="    "):
    return "\n".join(prefix + line if line else line for line in text.splitlines())


def rewrite_markdown(text, cell_text):
    """The MyST text with the source of every code cell tagged ``install`` replaced by ``cell_text``."""
    notebook = read_chapter(text)
    for cell in filter(is_install_cell, notebook.cells):
        cell.source = cell_text
    return write_chapter(notebook)


def check(notebooks=NOTEBOOKS, readme=README, book=None, version=None):
    """Everything stale in the install cells and (unless readme is None) the README block, in words."""
    cell_text = expected_cell(book, version)
    problems = [problem for path in chapter_sources(notebooks) for problem in chapter_problems(path, cell_text)]
    if readme is not None:
        problems += readme_problems(readme, readme_block(book, version))
    return problems


def rewrite(notebooks=NOTEBOOKS, readme=README, book=None, version=None):
    """Rewrite the install cells and the README block; return the paths changed."""
    cell_text = expected_cell(book, version)
    changed = []
    for path in chapter_sources(notebooks):
        text = path.read_text(encoding="utf-8")
        new = rewrite_markdown(text, cell_text)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    if readme is not None and write_readme(readme, readme_block(book, version)):
        changed.append(Path(readme))
    return changed


def expect_repository(url):
    """0 if book.yml's repository is `url` (the Pages workflow passes its own); else 1, saying why."""
    if repository_url().lower() == normalized_url(url).lower():
        return 0
    print(f"book.yml's repository.url is {repository_url()}, but this is {url}: the book's launch buttons and "
          f"install cells would point there, not here. Set repository.url in book.yml and run `make export` "
          f"(see the README, \"Publishing your own copy\").", file=sys.stderr)
    return 1


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="report what is stale; exit 1 if anything is")
    mode.add_argument("--print", action="store_true", help="print the install requirement")
    mode.add_argument("--tag", action="store_true", help="print the release tag, v<version>")
    mode.add_argument("--expect-repository", metavar="URL",
                      help="exit 1 unless book.yml's repository is URL (the Pages workflow passes its own)")
    parser.add_argument("--notebooks", type=Path, default=NOTEBOOKS, help="folder of the chapters' .md files")
    parser.add_argument("--readme", type=Path, default=README, help="README to keep in step")
    args = parser.parse_args(argv)
    if args.print:
        print(requirement())
        return 0
    if args.tag:
        print(release_tag())
        return 0
    if args.expect_repository:
        return expect_repository(args.expect_repository)
    if not args.check:
        for path in rewrite(args.notebooks, args.readme):
            print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    problems = check(args.notebooks, args.readme)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
