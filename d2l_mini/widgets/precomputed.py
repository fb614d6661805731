"""Results computed in advance that the browser switches by itself, so a widget responds with no kernel.

A static page (the HTML book) keeps each widget's state but has no Python
behind it: an observer written in Python never runs there. What does run is
the widget manager in the browser, and it keeps *links* between widget
properties (``jsdlink``), stored with the state. So each widget of the book
computes, when its notebook runs, the results of a small grid of settings,
and lets the browser pick among them:

* a control whose options are the grid's settings (Dropdown, ToggleButtons,
  SelectionSlider) tells which option is chosen through its ``index``;
* a ``Stack`` shows one of its children, the one at ``selected_index``;
* ``jsdlink((control, "index"), (stack, "selected_index"))`` makes the
  browser keep the two equal, kernel or no kernel.

With several controls the stacks nest, one level per control
(:func:`choice_tree`), so every combination has its own precomputed result.

In JupyterLab the same links switch the precomputed results instantly, and
the widgets' Python side still trains and draws *live* when the reader asks
for it, or for settings off the grid. :class:`ResultPanel` holds both and
shows one of them.

Controls that only work with Python behind them are marked with
:func:`live_only`; :func:`static_note` makes a line that only a static page
shows. Both are CSS classes, and the rules that act on them are part of the
static book's widget setup (``book/_static/widgets-setup.js``): there,
``d2l-live-only`` is hidden and ``d2l-static-only`` shown. Everywhere else
(JupyterLab, Colab) the live controls show and the note stays hidden.
"""

import html

from .._optional import import_ipywidgets

widgets = import_ipywidgets()  # a clear "pip install d2l-mini[widgets]" error if it is missing

LIVE_ONLY_CLASS = "d2l-live-only"
STATIC_ONLY_CLASS = "d2l-static-only"


def choice_tree(controls, result_for):
    """A widget that shows ``result_for(i, j, ...)``, where ``i, j, ...`` are the controls' chosen indices.

    Every result is made now, one per combination of the controls' options;
    the browser switches among them. ``controls`` are widgets with
    ``options`` and an ``index`` (Dropdown, ToggleButtons, SelectionSlider).
    """
    return _subtree(list(controls), result_for, ())


def _subtree(controls, result_for, chosen):
    if not controls:
        return result_for(*chosen)
    control, rest = controls[0], controls[1:]
    children = [_subtree(rest, result_for, (*chosen, index)) for index in range(len(control.options))]
    stack = widgets.Stack(children, selected_index=control.index)
    stack.link = widgets.jsdlink((control, "index"), (stack, "selected_index"))
    return stack


class ResultPanel(widgets.Stack):
    """The precomputed result for the chosen settings, or what a live run draws."""

    PRECOMPUTED, LIVE = 0, 1

    def __init__(self, precomputed, live):
        super().__init__([precomputed, live], selected_index=self.PRECOMPUTED)
        self.add_class("d2l-result-panel")

    @property
    def showing_live(self):
        return self.selected_index == self.LIVE

    def show_live(self):
        self.selected_index = self.LIVE

    def show_precomputed(self):
        self.selected_index = self.PRECOMPUTED


def live_only(*controls):
    """Mark controls that need Python behind the page: a static page hides them."""
    for control in controls:
        control.add_class(LIVE_ONLY_CLASS)
    return controls


def static_note(what_else):
    """The line only a static page shows, saying what else the widget does with Python behind it.

    ``what_else`` completes "Open the chapter in JupyterLab, Colab or Binder to ...".
    """
    text = ("This page has no Python behind it: the controls above switch among results computed when the "
            f"chapter ran. Open the chapter in JupyterLab, Colab or Binder to {what_else}.")
    note = widgets.HTML(f"<i>{html.escape(text)}</i>", layout=widgets.Layout(display="none"))
    note.add_class(STATIC_ONLY_CLASS)
    return note
