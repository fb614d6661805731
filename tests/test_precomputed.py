"""Results switched by the browser: nested Stacks linked to the controls' index, and the live/precomputed panel."""

from pathlib import Path

import ipywidgets as widgets
import pytest
from ipywidgets.widgets.widget_link import DirectionalLink

from d2l_mini.widgets.precomputed import (
    LIVE_ONLY_CLASS,
    STATIC_ONLY_CLASS,
    ResultPanel,
    choice_tree,
    live_only,
    static_note,
)

WIDGETS_SETUP = Path(__file__).resolve().parents[1] / "book" / "_static" / "widgets-setup.js"


@pytest.fixture
def controls():
    """Two grid controls left on their second option, as a reader might have left them."""
    return (widgets.Dropdown(options=["a", "b", "c"], value="b"),
            widgets.ToggleButtons(options=[("x", 10), ("y", 20)], value=20))


def leaf_text(i, j):
    return widgets.HTML(f"{i},{j}")


def test_choice_tree_puts_the_result_of_each_combination_at_its_indices(controls):
    calls = []

    def result_for(i, j):
        calls.append((i, j))
        return leaf_text(i, j)

    tree = choice_tree(controls, result_for)
    assert sorted(calls) == [(i, j) for i in range(3) for j in range(2)], "one result per combination, made once"
    assert [[leaf.value for leaf in stack.children] for stack in tree.children] == \
        [[f"{i},{j}" for j in range(2)] for i in range(3)]


def test_choice_tree_opens_on_the_controls_current_choice(controls):
    tree = choice_tree(controls, leaf_text)
    assert tree.selected_index == 1
    assert [stack.selected_index for stack in tree.children] == [1, 1, 1]


def test_every_stack_follows_its_control_in_the_browser(controls):
    """A jsdlink from the control's index to the stack's selected_index: kept by the page, kernel or no kernel."""
    dropdown, toggle = controls
    tree = choice_tree(controls, leaf_text)
    for stack, control in [(tree, dropdown)] + [(child, toggle) for child in tree.children]:
        assert isinstance(stack.link, DirectionalLink)
        assert stack.link.source[0] is control and stack.link.source[1] == "index"
        assert stack.link.target[0] is stack and stack.link.target[1] == "selected_index"


def test_result_panel_switches_between_precomputed_and_live():
    precomputed, live = widgets.HTML("precomputed"), widgets.HTML("live")
    panel = ResultPanel(precomputed, live)
    assert panel.children == (precomputed, live) and not panel.showing_live
    panel.show_live()
    assert panel.showing_live and panel.children[panel.selected_index] is live
    panel.show_precomputed()
    assert not panel.showing_live and panel.children[panel.selected_index] is precomputed


def test_live_only_marks_every_control_it_gets():
    button, slider = widgets.Button(), widgets.IntSlider()
    assert live_only(button, slider) == (button, slider)
    assert LIVE_ONLY_CLASS in button._dom_classes and LIVE_ONLY_CLASS in slider._dom_classes


def test_static_note_is_hidden_unless_the_static_page_shows_it():
    note = static_note("train <live>")
    assert note.layout.display == "none"
    assert note._dom_classes == (STATIC_ONLY_CLASS,)
    assert "JupyterLab, Colab or Binder to train &lt;live&gt;." in note.value


def test_the_static_book_hides_live_controls_and_shows_the_note():
    """The CSS classes are only worth something if the static book's setup script acts on them."""
    script = WIDGETS_SETUP.read_text(encoding="utf-8")
    assert f".{LIVE_ONLY_CLASS} {{ display: none !important; }}" in script
    assert f".{STATIC_ONLY_CLASS} {{ display: block !important; }}" in script
