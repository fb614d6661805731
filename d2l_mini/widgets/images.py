"""A figure shown in a widget, at its natural size (:mod:`d2l_mini.figures` draws it at twice that)."""

from .._optional import import_ipywidgets
from ..figures import figure_layout

widgets = import_ipywidgets()  # a clear "pip install d2l-mini[widgets]" error if it is missing


def image_widget(png, figsize):
    """An ``ipywidgets.Image`` showing ``png``, a figure of ``figsize``, at its natural size."""
    return widgets.Image(value=png, format="png", layout=widgets.Layout(**figure_layout(figsize)))
