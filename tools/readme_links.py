"""The README's install line and launch links, generated from book.yml.

README.md holds a block between two markers (README_BEGIN, README_END): the pip
line that installs this book's d2l_mini, the published book's address, and for
every chapter its Colab and Binder links. All of it follows from book.yml's
repository, branch, launch services and chapters, and from d2l_mini's version
(tools.release), so it is generated, never edited: `make export` rewrites it
(through tools/install_cell.py), and the tests fail while it is stale.
"""

from pathlib import Path

from tools.book_config import ROOT, load_book
from tools.release import github_slug, repository_url, requirement

README = ROOT / "README.md"
README_BEGIN = "<!-- links: generated from book.yml by tools/install_cell.py (`make export`); do not edit -->"
README_END = "<!-- /links -->"


def readme_block(book=None, version=None):
    """The generated part of README.md: pip line, then Colab and Binder links per chapter."""
    book = book or load_book()
    url = repository_url(book)
    branch = book["repository"].get("branch", "main")
    lines = [README_BEGIN, "", "```bash", f'pip install "{requirement(book, version)}"', "```", ""]
    slug = github_slug(url)
    launch = book.get("launch_buttons", {})
    if slug:
        owner, name = slug.split("/")
        colab_url = launch.get("colab_url", "https://colab.research.google.com").rstrip("/")
        binder_url = launch.get("binderhub_url", "https://mybinder.org").rstrip("/")
        lines.append(f"The published book: <https://{owner.lower()}.github.io/{name}/>\n")
        lines += ["| chapter | Colab | Binder (JupyterLab) |", "| --- | --- | --- |"]
        for chapter in book["chapters"]:
            colab = f"{colab_url}/github/{slug}/blob/{branch}/{chapter}"
            binder = f"{binder_url}/v2/gh/{slug}/{branch}?urlpath=lab/tree/{chapter}"
            lines.append(f"| `{chapter}` | [open in Colab]({colab}) | [open on Binder]({binder}) |")
        lines.append("")
    lines.append(README_END)
    return "\n".join(lines)


def rewrite_readme(text, block):
    """The README's text with the generated block replaced by `block`."""
    begin, end = text.find(README_BEGIN), text.find(README_END)
    if begin < 0 or end < begin:
        raise ValueError(f"README.md lacks the generated block ({README_BEGIN} ... {README_END})")
    return text[:begin] + block + text[end + len(README_END):]


def readme_problems(readme=README, block=None):
    """What is wrong with the README's block (empty list if nothing)."""
    block = block if block is not None else readme_block()
    text = Path(readme).read_text(encoding="utf-8")
    try:
        if rewrite_readme(text, block) == text:
            return []
    except ValueError as error:
        return [str(error)]
    return [f"{Path(readme).name}: the links block differs from the one derived from book.yml; run `make export`."]


def write_readme(readme=README, block=None):
    """Rewrite the README's block; True if the file changed."""
    text = Path(readme).read_text(encoding="utf-8")
    new = rewrite_readme(text, block if block is not None else readme_block())
    if new != text:
        Path(readme).write_text(new, encoding="utf-8")
    return new != text
