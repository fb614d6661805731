"""Sphinx extension: the browser libraries the book serves itself, so that no page loads anything from the network.

MathJax, RequireJS and the Jupyter widget manager come from the npm packages
that `make book` installs (package.json, node_modules/). Before an HTML build
this copies them into the folder book_vendor_dir names (_build/vendor/, once for
all editions), which conf.py serves as static files and whose files it names
(mathjax_path, nb_ipywidgets_js).
"""

import shutil
from pathlib import Path

from sphinx.errors import ConfigError

# name in the vendor folder: where it is in node_modules/
SOURCES = {
    "mathjax": "mathjax/es5",
    "require.min.js": "requirejs/require.js",
    "html-manager": "@jupyter-widgets/html-manager/dist",
}


def create_vendor_dir(app, config):
    """Sphinx checks html_static_path before the assets are copied in: the folder must exist by then."""
    Path(config.book_vendor_dir).mkdir(parents=True, exist_ok=True)


def copy_assets(app):
    """Copy the libraries from node_modules into the vendor folder (what is there already is kept)."""
    if app.builder.format != "html":
        return
    node_modules = Path(app.srcdir) / "node_modules"
    sources = {name: node_modules / path for name, path in SOURCES.items()}
    missing = [str(path) for path in sources.values() if not path.exists()]
    if missing:
        # ConfigError: Sphinx prints just the message, not a traceback
        raise ConfigError(f"Missing browser assets {missing}; run `make book`, which installs them with npm.")
    vendor = Path(app.config.book_vendor_dir)
    for name, source in sources.items():
        target = vendor / name
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("sre", "*.map", "*-full*.js"))
        else:
            shutil.copy2(source, target)


def setup(app):
    app.setup_extension("book_settings")
    app.connect("config-inited", create_vendor_dir)  # before Sphinx's check of html_static_path (priority 800)
    app.connect("builder-inited", copy_assets)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
