"""Sphinx configuration for the static book, one edition (language) per build: settings only.

Every choice about the book lives in ../book.yml, which tools.book_config reads;
this file translates it into Sphinx settings and adds only what Sphinx itself
requires. It builds the edition that $D2L_BOOK_EDITION names (unset means the
source edition, English): its language, title and words from book.yml, and its
text from the gettext catalogs in ../locales/<locale>/LC_MESSAGES/, one per page.

What the book does beyond Sphinx's settings is done by its extensions in _ext/:
the links between editions (book_editions), the landing page's chapter list
(landing_page), the .md downloads (markdown_sources), the refusal of stale
outputs (fresh_outputs), the browser libraries served offline (offline_assets)
and the Chinese search fix (chinese_search); book_settings declares the book_*
values below that they read.

Sphinx runs it through tools/sphinx_build.py (`make book`, `make translations`),
which puts the repository root on PYTHONPATH for the import of tools.book_config.
"""

import sys
from pathlib import Path

from sphinx.errors import ConfigError

from tools.book_config import (
    LOCALES,
    MYST_EXTENSIONS,
    ROOT,
    chapter_docnames,
    current_edition,
    editions,
    landing_docname,
    load_book,
)

sys.path.insert(0, str(Path(__file__).resolve().parent / "_ext"))  # the book's own extensions, listed below

BOOK = load_book()
EDITION = current_edition()
WORDS = EDITION.words

# -- What the book is -----------------------------------------------------------
project = EDITION.title
author = BOOK["author"]
copyright = f"{BOOK['copyright']}, {author}"
root_doc = landing_docname(BOOK)
include_patterns = [BOOK["landing_page"], *BOOK["chapters"]]
exclude_patterns = ["_build", ".venv", "node_modules", "**.ipynb_checkpoints"]

extensions = ["myst_nb", "sphinx_copybutton", "sphinx_togglebutton", "book_editions", "landing_page",
              "markdown_sources", "fresh_outputs", "offline_assets", "chinese_search"]
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
book_markdown_source_label = WORDS["markdown_source"]
book_chapter_docnames = chapter_docnames(BOOK)
togglebutton_hint = WORDS["toggle_show"]
togglebutton_hint_hide = WORDS["toggle_hide"]

# -- Notebooks: stored outputs, no execution at build time ------------------------
nb_execution_mode = BOOK["execution"]["mode"]
nb_merge_streams = True
book_require_fresh_outputs = BOOK["execution"].get("require_fresh_outputs", True)

# -- Offline assets: copied from node_modules into the vendor folder at build time ------
book_vendor_dir = str(ROOT / "_build" / "vendor")
html_static_path = ["_static", book_vendor_dir]
templates_path = ["_templates"]
html_css_files = ["editions.css"]
html_js_files = ["ngettext-fix.js",  # loaded after Sphinx's translations.js (user files come last)
                 "accessible-names.js"]
mathjax_path = "mathjax/tex-svg.js"
mathjax3_config = {"svg": {"fontCache": "global"}}
nb_ipywidgets_js = {  # loaded in this order on pages with widgets
    "require.min.js": {},
    "widgets-setup.js": {},
    "html-manager/embed-amd.js": {},
    "browser-rnn.js": {},  # the RNN of the generation explorer, run in the reader's browser
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
