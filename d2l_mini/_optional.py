"""Optional dependencies: import them where they are needed, or say how to install them.

``import d2l_mini`` needs only torch, numpy, matplotlib and pooch. The chapters'
live controls also need ipywidgets, which ``pip install "d2l-mini[widgets]"``
brings. A widget module calls :func:`import_ipywidgets` instead of importing
ipywidgets itself, so that a reader without it is told what to install.
"""

import importlib

WIDGETS_INSTALL = 'pip install "d2l-mini[widgets]"'


def import_ipywidgets():
    """The ``ipywidgets`` module, or an ImportError that says how to install it."""
    try:
        return importlib.import_module("ipywidgets")
    except ModuleNotFoundError as error:
        if error.name != "ipywidgets":  # installed, but something it needs is missing: say that
            raise
        raise ModuleNotFoundError(
            f"The live controls of this book need ipywidgets, which is not installed. "
            f"Install it with `{WIDGETS_INSTALL}` or `pip install ipywidgets` (in a notebook: "
            f"`%pip install ipywidgets`), then restart the kernel. The rest of d2l_mini works without it.",
            name="ipywidgets",
        ) from error
