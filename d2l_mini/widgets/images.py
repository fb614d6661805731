"""A figure shown in a widget, at its natural size (:mod:`d2l_mini.figures` draws it at twice that), with words.

A figure must say what it shows to a reader who cannot see it. An
``ipywidgets.Image`` has no ``alt`` attribute, so the text goes into its
``tooltip`` (the image's ``title``), and the static book's widget setup
copies it into ``alt``. Each precomputed figure carries its own text, so the
words change with the selection, as the figure does.
"""

import html
import re

import traitlets

from .._optional import import_ipywidgets
from ..figures import figure_layout

widgets = import_ipywidgets()  # a clear "pip install d2l-mini[widgets]" error if it is missing


# a transparent 1 x 1 PNG: what an image shows before its first figure (an empty value does not survive being
# stored with the page, and the static book would draw an error icon in its place)
BLANK_PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                          "0000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082")


class DescribedImage(widgets.Image):
    """An Image whose words (its ``tooltip``) the widget manager can show.

    The manager's views read a ``description`` from every widget that has a
    tooltip, and ``Image`` has none, so a tooltip alone breaks its view
    ("Could not create a view"). An empty description, synced with the
    model, is all it needs.
    """

    description = traitlets.Unicode("").tag(sync=True)


def image_widget(png, figsize, description=""):
    """An Image showing ``png``, a figure of ``figsize``, at its natural size, described in words."""
    return DescribedImage(value=png or BLANK_PNG, format="png", tooltip=plain_text(description) or None,
                          layout=widgets.Layout(**figure_layout(figsize)))


def plain_text(markup):
    """HTML as plain words: tags dropped, entities decoded, runs of space made one."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", markup))).strip()
