"""Sphinx configuration for the static book.

Every choice about the book lives in ../book.yml; this file translates it into
Sphinx settings and adds only what Sphinx itself requires. It also makes the
book self-contained: MathJax, RequireJS and the Jupyter widget manager are
copied from the npm packages that `make book` installs (node_modules/) into
the build, so the pages load nothing from the network.
"""

import shutil
import sys
from pathlib import Path

import yaml
from sphinx.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tools.notebook_stamp import staleness  # noqa: E402

BOOK = yaml.safe_load((ROOT / "book.yml").read_text(encoding="utf-8"))
VENDOR = ROOT / "_build" / "vendor"  # browser assets copied from node_modules at build time


def _without_suffix(path):
    return str(Path(path).with_suffix("")).replace("\\", "/")


def _vendor_assets():
    """Copy the browser libraries the book serves itself into _build/vendor."""
    node_modules = ROOT / "node_modules"
    sources = {
        "mathjax": node_modules / "mathjax" / "es5",
        "require.min.js": node_modules / "requirejs" / "require.js",
        "html-manager": node_modules / "@jupyter-widgets" / "html-manager" / "dist",
    }
    missing = [str(path) for path in sources.values() if not path.exists()]
    if missing:
        # ConfigError: Sphinx prints just the message, not a traceback of this file
        raise ConfigError(f"Missing browser assets {missing}; run `make book`, which installs them with npm.")
    for name, source in sources.items():
        target = VENDOR / name
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("sre", "*.map", "*-full*.js"))
        else:
            shutil.copy2(source, target)


def _check_fresh_outputs():
    """Refuse to build from notebooks whose outputs predate the code."""
    if not BOOK["execution"].get("require_fresh_outputs", True):
        return
    problems = [reason for chapter in BOOK["chapters"] if (reason := staleness(ROOT / chapter))]
    if problems:
        raise ConfigError("; ".join(problems) + ". Run `make notebooks` first.")


_vendor_assets()
_check_fresh_outputs()

# -- What the book is -----------------------------------------------------------
project = BOOK["title"]
author = BOOK["author"]
copyright = f"{BOOK['copyright']}, {author}"
language = BOOK["language"]
root_doc = _without_suffix(BOOK["landing_page"])
include_patterns = [BOOK["landing_page"], *BOOK["chapters"]]
exclude_patterns = ["_build", ".venv", "node_modules", "**.ipynb_checkpoints"]

extensions = ["myst_nb", "sphinx_copybutton", "sphinx_togglebutton"]
myst_enable_extensions = ["dollarmath", "amsmath"]

# -- Notebooks: stored outputs, no execution at build time ------------------------
nb_execution_mode = BOOK["execution"]["mode"]
nb_merge_streams = True

# -- Offline assets ----------------------------------------------------------------
html_static_path = ["_static", str(VENDOR)]
mathjax_path = "mathjax/tex-svg.js"
mathjax3_config = {"svg": {"fontCache": "global"}}
nb_ipywidgets_js = {  # loaded in this order on pages with widgets
    "require.min.js": {},
    "widgets-setup.js": {},
    "html-manager/embed-amd.js": {},
}

# -- Look and buttons ----------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = BOOK["title"]
repository = BOOK["repository"]
launch = BOOK["launch_buttons"]
html_theme_options = {
    "repository_url": repository["url"],
    "repository_branch": repository["branch"],
    "use_repository_button": True,
    "use_download_button": True,
    "use_source_button": False,
    "use_fullscreen_button": False,
    "launch_buttons": {key: value for key, value in launch.items() if value},
    "path_to_docs": "",
    "show_toc_level": 2,
}
html_context = {"default_mode": "auto"}  # light/dark follows the reader's system until they switch
html_last_updated_fmt = None


def add_markdown_download(app, pagename, templatename, context, doctree):
    """Offer the chapter's MyST markdown source next to the .ipynb in the download menu."""
    source = ROOT / f"{pagename}.md"
    if doctree is None or not source.exists() or not (ROOT / f"{pagename}.ipynb").exists():
        return
    for button in context.get("header_buttons", []):
        if button.get("type") == "group" and "download" in button.get("label", "").lower():
            depth = pagename.count("/")
            button["buttons"].append({
                "type": "link",
                "url": "../" * depth + f"_static/sources/{pagename}.md",
                "text": ".md",
                "tooltip": "Download the MyST markdown source",
                "icon": "fas fa-file-code",
                "label": "download-md-button",
            })


def add_chapter_toctree(app, docname, source):
    """Append the chapter list from book.yml to the landing page, as its table of contents."""
    if docname != root_doc:
        return
    depth = docname.count("/")
    entries = "\n".join("../" * depth + _without_suffix(chapter) for chapter in BOOK["chapters"])
    source[0] += f"\n\n```{{toctree}}\n:maxdepth: 2\n:caption: Chapters\n\n{entries}\n```\n"


def copy_markdown_sources(app, exception):
    if exception is not None:
        return
    for chapter in BOOK["chapters"]:
        source = ROOT / Path(chapter).with_suffix(".md")
        target = Path(app.outdir) / "_static" / "sources" / source.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)


def write_front_door(app, exception):
    """An index.html at the top of the build that leads to the landing page."""
    if exception is not None or root_doc == "index":
        return
    target = f"{root_doc}.html"
    (Path(app.outdir) / "index.html").write_text(
        f'<!DOCTYPE html>\n<html lang="{language}"><head><meta charset="utf-8">'
        f'<meta http-equiv="refresh" content="0; url={target}"><title>{project}</title></head>'
        f'<body><a href="{target}">{project}</a></body></html>\n',
        encoding="utf-8",
    )


def setup(app):
    app.connect("source-read", add_chapter_toctree)
    app.connect("html-page-context", add_markdown_download, priority=900)
    app.connect("build-finished", copy_markdown_sources)
    app.connect("build-finished", write_front_door)
