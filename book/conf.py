"""Sphinx configuration for the static book, one edition (language) per build.

Every choice about the book lives in ../book.yml; this file translates it into
Sphinx settings and adds only what Sphinx itself requires. It builds the edition
that $D2L_BOOK_EDITION names (tools/build_book.py sets it; unset means the source
edition, English): its language, title and words from book.yml, and its text
from the gettext catalogs in ../locales/<locale>/LC_MESSAGES/, one per page.

It also makes the book self-contained: MathJax, RequireJS and the Jupyter
widget manager are copied from the npm packages that `make book` installs
(node_modules/) into the build, so the pages load nothing from the network.
"""

import shutil
import sys
from pathlib import Path

from sphinx.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent / "_ext"))
from tools.book_config import (  # noqa: E402
    LOCALES,
    MYST_EXTENSIONS,
    chapter_docnames,
    current_edition,
    docname_of,
    editions,
    landing_docname,
    load_book,
)
from tools.notebook_stamp import staleness  # noqa: E402

BOOK = load_book()
EDITION = current_edition()
WORDS = EDITION.words
VENDOR = ROOT / "_build" / "vendor"  # browser assets copied from node_modules at build time
VENDOR.mkdir(parents=True, exist_ok=True)  # Sphinx checks html_static_path before the assets are copied in


def _vendor_assets():
    """Copy the browser libraries the book serves itself into _build/vendor (once for all editions)."""
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


def prepare_html_build(app):
    """Before an HTML build (not the gettext builder's message extraction): assets and fresh outputs."""
    if app.builder.format == "html":
        _vendor_assets()
        _check_fresh_outputs()


# -- What the book is -----------------------------------------------------------
project = EDITION.title
author = BOOK["author"]
copyright = f"{BOOK['copyright']}, {author}"
root_doc = landing_docname(BOOK)
include_patterns = [BOOK["landing_page"], *BOOK["chapters"]]
exclude_patterns = ["_build", ".venv", "node_modules", "**.ipynb_checkpoints"]

extensions = ["myst_nb", "sphinx_copybutton", "sphinx_togglebutton", "book_editions", "chinese_search"]
myst_enable_extensions = list(MYST_EXTENSIONS)

# -- Editions: this one's language and catalogs, and the others it links to -----------
language = EDITION.locale
# Relative to the source folder (the repository root, not this folder). Sphinx compiles each .po
# into a .mo beside it (git ignores those); a catalog it cannot find would translate nothing, silently.
locale_dirs = [LOCALES.relative_to(ROOT).as_posix()]
if not EDITION.is_source and not EDITION.catalog_dir.is_dir():
    raise ConfigError(f"No catalogs for the {EDITION.key} edition in {EDITION.catalog_dir}; "
                      "run `make translations` to create them from the English pages.")
gettext_compact = False  # one catalog per page (notebooks/parameters.po); the HTML build looks for the same
book_edition = EDITION.key
book_editions = [{"key": e.key, "name": e.name, "html_lang": e.html_lang} for e in editions(BOOK)]
book_other_editions_label = WORDS["other_editions"]
book_kept_in_english = WORDS.get("kept_in_english", "")
book_chapter_docnames = chapter_docnames(BOOK)
togglebutton_hint = WORDS["toggle_show"]
togglebutton_hint_hide = WORDS["toggle_hide"]

# -- Notebooks: stored outputs, no execution at build time ------------------------
nb_execution_mode = BOOK["execution"]["mode"]
nb_merge_streams = True

# -- Offline assets ----------------------------------------------------------------
html_static_path = ["_static", str(VENDOR)]
templates_path = ["_templates"]
html_css_files = ["editions.css"]
html_js_files = ["ngettext-fix.js"]  # loaded after Sphinx's translations.js (user files come last)
mathjax_path = "mathjax/tex-svg.js"
mathjax3_config = {"svg": {"fontCache": "global"}}
nb_ipywidgets_js = {  # loaded in this order on pages with widgets
    "require.min.js": {},
    "widgets-setup.js": {},
    "html-manager/embed-amd.js": {},
}

# -- Look and buttons ----------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = EDITION.title
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
    "article_header_start": ["toggle-primary-sidebar.html", "edition-links.html"],
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
                "tooltip": WORDS["markdown_source"],
                "icon": "fas fa-file-code",
                "label": "download-md-button",
            })


def add_chapter_toctree(app, docname, source):
    """Append the chapter list from book.yml to the landing page, as its table of contents."""
    if docname != root_doc:
        return
    depth = docname.count("/")
    entries = "\n".join("../" * depth + docname_of(chapter) for chapter in BOOK["chapters"])
    # the caption is a message of the landing page's catalog (book/index.po), like its text
    source[0] += f"\n\n```{{toctree}}\n:maxdepth: 2\n:caption: Chapters\n\n{entries}\n```\n"


def copy_markdown_sources(app, exception):
    """The chapters' MyST sources, for the .md download button."""
    if exception is not None or app.builder.format != "html":
        return
    for chapter in BOOK["chapters"]:
        source = ROOT / Path(chapter).with_suffix(".md")
        target = Path(app.outdir) / "_static" / "sources" / source.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)


def write_front_door(app, exception):
    """An index.html at the top of the build that leads to the landing page."""
    if exception is not None or app.builder.format != "html" or root_doc == "index":
        return
    target = f"{root_doc}.html"
    (Path(app.outdir) / "index.html").write_text(
        f'<!DOCTYPE html>\n<html lang="{EDITION.html_lang}"><head><meta charset="utf-8">'
        f'<meta http-equiv="refresh" content="0; url={target}"><title>{project}</title></head>'
        f'<body><a href="{target}">{project}</a></body></html>\n',
        encoding="utf-8",
    )


def setup(app):
    app.connect("builder-inited", prepare_html_build)
    app.connect("source-read", add_chapter_toctree)
    app.connect("html-page-context", add_markdown_download, priority=900)
    app.connect("build-finished", copy_markdown_sources)
    app.connect("build-finished", write_front_door)
