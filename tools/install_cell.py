"""Derive the chapters' install cell and the README's links from book.yml.

The repository URL is written once, in book.yml. What depends on it outside the
Sphinx build (which reads book.yml itself) is generated here:

* the install cell of each chapter: the first code cell of ``notebooks/*.md``,
  tagged ``install`` (and ``remove-cell``, so the static book hides it). Outside
  this repository (Colab, a bare Jupyter) it installs the ``d2l_mini`` the
  chapter was written for, from the git tag ``v<version>`` of that repository;
  where ``d2l_mini`` is importable it does nothing;
* the block of README.md between the ``links`` markers: the pip line, and the
  Colab and Binder links of every chapter.

The version comes from ``__version__`` in ``d2l_mini/__init__.py`` (read, not
imported: no torch needed).

    python tools/install_cell.py            # rewrite the install cells and the README block
    python tools/install_cell.py --check    # exit 1, saying what differs, if anything is stale
    python tools/install_cell.py --print    # print the install requirement
    python tools/install_cell.py --tag      # print the release tag, v<version>
    python tools/install_cell.py --expect-repository URL   # exit 1 unless book.yml names URL
"""

import argparse
import ast
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

import jupytext
import yaml

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book.yml"
INIT = ROOT / "d2l_mini" / "__init__.py"
NOTEBOOKS = ROOT / "notebooks"
README = ROOT / "README.md"
INSTALL_TAG = "install"
HIDDEN_TAG = "remove-cell"
PACKAGE = "d2l-mini"
EXTRA = "widgets"  # the chapters use the live controls
README_BEGIN = "<!-- links: generated from book.yml by tools/install_cell.py (`make export`); do not edit -->"
README_END = "<!-- /links -->"

CELL_TEMPLATE = """\
# Outside this book's repository (Colab, a bare Jupyter), install the d2l_mini this chapter was written for.
import importlib.util

if importlib.util.find_spec("d2l_mini") is None:
    %pip install --quiet "{requirement}\""""


def book_config(book_path=BOOK):
    return yaml.safe_load(Path(book_path).read_text(encoding="utf-8"))


def package_version(init_path=INIT):
    """``__version__`` as written in d2l_mini/__init__.py."""
    tree = ast.parse(Path(init_path).read_text(encoding="utf-8"))
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and getattr(node.targets[0], "id", None) == "__version__"
                and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
            return node.value.value
    raise ValueError(f"{init_path} has no `__version__ = \"...\"` line")


def release_tag(version=None):
    return f"v{version or package_version()}"


def repository_url(book=None):
    """The repository URL from book.yml, without a trailing slash or .git."""
    url = (book or book_config())["repository"]["url"].strip().rstrip("/")
    return url[:-4] if url.endswith(".git") else url


def github_slug(url):
    """``owner/name`` of a github.com URL, or None for another host."""
    parts = urlsplit(url)
    path = parts.path.strip("/").split("/")
    if parts.netloc.lower() not in {"github.com", "www.github.com"} or len(path) != 2:
        return None
    return "/".join(path)


def requirement(book=None, version=None):
    """The PEP 508 requirement that installs this book's d2l_mini, e.g. for pip."""
    return f"{PACKAGE}[{EXTRA}] @ git+{repository_url(book)}@{release_tag(version)}"


def expected_cell(book=None, version=None):
    return CELL_TEMPLATE.format(requirement=requirement(book, version))


def readme_block(book=None, version=None):
    """The generated part of README.md: pip line, then Colab and Binder links per chapter."""
    book = book or book_config()
    url = repository_url(book)
    branch = book["repository"].get("branch", "main")
    lines = [README_BEGIN, "", "```bash", f'pip install "{requirement(book, version)}"', "```", ""]
    slug = github_slug(url)
    launch = book.get("launch_buttons", {})
    if slug:
        owner, name = slug.split("/")
        lines.append(f"The published book: <https://{owner.lower()}.github.io/{name}/>\n")
        lines += ["| chapter | Colab | Binder (JupyterLab) |", "| --- | --- | --- |"]
        for chapter in book["chapters"]:
            colab = f"{launch.get('colab_url', 'https://colab.research.google.com').rstrip('/')}" \
                    f"/github/{slug}/blob/{branch}/{chapter}"
            binder = f"{launch.get('binderhub_url', 'https://mybinder.org').rstrip('/')}" \
                     f"/v2/gh/{slug}/{branch}?urlpath=lab/tree/{chapter}"
            lines.append(f"| `{chapter}` | [open in Colab]({colab}) | [open on Binder]({binder}) |")
        lines.append("")
    lines.append(README_END)
    return "\n".join(lines)


# -- Chapters ------------------------------------------------------------------------

def chapter_sources(notebooks=NOTEBOOKS):
    return sorted(Path(notebooks).glob("*.md"))


def chapter_problems(markdown_path, cell_text):
    """What is wrong with a chapter's install cell (empty list if nothing)."""
    name = Path(markdown_path).name
    notebook = jupytext.read(markdown_path)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    tagged = [index for index, cell in enumerate(code) if INSTALL_TAG in cell.metadata.get("tags", [])]
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
                        f"  Run `make export` (tools/install_cell.py) to rewrite it.")
    return problems


def indent(text, prefix="    "):
    return "\n".join(prefix + line if line else line for line in text.splitlines())


_FENCE = re.compile(r"^(`{3,})\{code-cell\}")


def _cell_tags(meta_lines):
    """Tags of a MyST code cell from its option lines (``:tags: [...]``) or YAML block."""
    if meta_lines and meta_lines[0].strip() == "---":
        data = yaml.safe_load("\n".join(meta_lines[1:-1])) or {}
    else:
        data = yaml.safe_load("\n".join(line.strip()[1:] for line in meta_lines)) or {}
    tags = data.get("tags", [])
    return [tags] if isinstance(tags, str) else list(tags)


def rewrite_markdown(text, cell_text):
    """The MyST text with the body of every code cell tagged ``install`` replaced by ``cell_text``."""
    lines = text.split("\n")
    out, index = [], 0
    while index < len(lines):
        line = lines[index]
        match = _FENCE.match(line)
        if not match:
            out.append(line)
            index += 1
            continue
        fence = match.group(1)
        out.append(line)
        index += 1
        meta = []
        if index < len(lines) and lines[index].strip() == "---":  # YAML block
            meta.append(lines[index])
            index += 1
            while index < len(lines) and lines[index].strip() != "---":
                meta.append(lines[index])
                index += 1
            meta.append(lines[index])
            index += 1
        else:
            while index < len(lines) and lines[index].startswith(":"):
                meta.append(lines[index])
                index += 1
        out.extend(meta)
        body = []
        while index < len(lines) and lines[index].rstrip() != fence:
            body.append(lines[index])
            index += 1
        if INSTALL_TAG in _cell_tags(meta):
            body = ([""] if meta and meta[0].strip() != "---" else []) + cell_text.split("\n")
        out.extend(body)
        if index < len(lines):
            out.append(lines[index])  # the closing fence
            index += 1
    return "\n".join(out)


def rewrite_readme(text, block):
    begin, end = text.find(README_BEGIN), text.find(README_END)
    if begin < 0 or end < begin:
        raise ValueError(f"README.md lacks the generated block ({README_BEGIN} ... {README_END})")
    return text[:begin] + block + text[end + len(README_END):]


def readme_problems(readme=README, block=None):
    block = block if block is not None else readme_block()
    text = Path(readme).read_text(encoding="utf-8")
    try:
        if rewrite_readme(text, block) == text:
            return []
    except ValueError as error:
        return [str(error)]
    return [f"{Path(readme).name}: the links block differs from the one derived from book.yml; run `make export`."]


def check(notebooks=NOTEBOOKS, readme=README, book=None, version=None):
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
    if readme is not None:
        text = Path(readme).read_text(encoding="utf-8")
        new = rewrite_readme(text, readme_block(book, version))
        if new != text:
            Path(readme).write_text(new, encoding="utf-8")
            changed.append(Path(readme))
    return changed


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
        ours, theirs = repository_url().lower(), args.expect_repository.strip().rstrip("/").lower()
        theirs = theirs[:-4] if theirs.endswith(".git") else theirs
        if ours != theirs:
            print(f"book.yml's repository.url is {repository_url()}, but this is {args.expect_repository}: "
                  f"the book's launch buttons and install cells would point there, not here. Set repository.url in "
                  f"book.yml and run `make export` (see the README, \"Publishing your own copy\").",
                  file=sys.stderr)
            return 1
        return 0
    if not args.check:
        for path in rewrite(args.notebooks, args.readme):
            print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    problems = check(args.notebooks, args.readme)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
