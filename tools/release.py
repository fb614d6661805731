"""The release of d2l_mini a reader installs, and where from: its version, its git tag, the pip line.

The version is ``__version__`` in d2l_mini/__init__.py (read, not imported: no
torch needed); the repository is book.yml's ``repository.url``. A reader outside
this repository installs d2l_mini from the git tag ``v<version>`` of that
repository, with the ``widgets`` extra the chapters' live controls need. The
chapters' install cell (tools/install_cell.py), the README's links
(tools/readme_links.py) and the Colab check (tools/colab_test.py) all derive
what they say from here.
"""

import ast
from pathlib import Path
from urllib.parse import urlsplit

from tools.book_config import ROOT, load_book

INIT = ROOT / "d2l_mini" / "__init__.py"
PACKAGE = "d2l-mini"
EXTRA = "widgets"  # the chapters use the live controls


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


def normalized_url(url):
    """A repository URL without surrounding spaces, a trailing slash or .git."""
    url = url.strip().rstrip("/")
    return url.removesuffix(".git")


def repository_url(book=None):
    """The repository URL from book.yml, normalized."""
    return normalized_url((book or load_book())["repository"]["url"])


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
