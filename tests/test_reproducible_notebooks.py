"""Executing a notebook twice gives the same file: no timestamps, widget model ids numbered in creation order."""

import json

import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output

from tools import execute

WIDGET_CELLS = [
    "import ipywidgets as widgets",
    # a control linked to a Stack in the browser, as the book's precomputed widgets are
    "slider = widgets.IntSlider(value=1, max=2)\n"
    "stack = widgets.Stack([widgets.HTML(f'result {i}') for i in range(3)], selected_index=1)\n"
    "link = widgets.jsdlink((slider, 'value'), (stack, 'selected_index'))\n"
    "widgets.VBox([slider, stack])",
    "print('plain output too')",
    "widgets.Image(value=b'\\x89PNG not really', format='png')",
]


def run_twice(tmp_path):
    path = tmp_path / "small.ipynb"
    texts = []
    for _ in range(2):
        cells = [new_code_cell(source, id=f"cell-{i}") for i, source in enumerate(WIDGET_CELLS)]  # as the pair keeps
        execute.execute_to_file(new_notebook(cells=cells), path)
        texts.append(path.read_bytes())
    return texts, nbformat.read(path, as_version=4)


def test_a_notebook_with_widgets_executes_into_the_same_bytes_twice(tmp_path):
    (first, second), notebook = run_twice(tmp_path)
    assert first == second
    state = notebook.metadata.widgets[execute.WIDGET_STATE]["state"]
    assert len(state) > 5  # the slider, the stack and its pages, the link, layouts and styles, the image
    assert list(state) == sorted(execute.stable_model_id("small", i) for i in range(len(state)))
    assert all("execution" not in cell.metadata for cell in notebook.cells)


def test_numbered_widgets_still_refer_to_each_other(tmp_path):
    _, notebook = run_twice(tmp_path)
    state = notebook.metadata.widgets[execute.WIDGET_STATE]["state"]
    references = execute.MODEL_ID.findall(json.dumps(state))
    assert references and set(references) <= set(state)
    shown = [output.data[execute.WIDGET_VIEW]["model_id"] for cell in notebook.cells for output in cell.outputs
             if execute.WIDGET_VIEW in output.get("data", {})]
    assert len(shown) == 2 and set(shown) <= set(state)
    link = next(model for model in state.values() if model["model_name"] == "DirectionalLinkModel")
    assert link["state"]["source"][0] == "IPY_MODEL_" + next(
        key for key, model in state.items() if model["model_name"] == "IntSliderModel")


def test_numbering_follows_creation_order_and_touches_every_reference():
    first, second = "a" * 32, "b" * 32
    notebook = new_notebook(cells=[new_code_cell("x", outputs=[new_output(
        "display_data", data={execute.WIDGET_VIEW: {"model_id": second, "version_major": 2, "version_minor": 0}})])])
    notebook.metadata.widgets = {execute.WIDGET_STATE: {"state": {
        first: {"state": {"children": [f"IPY_MODEL_{second}"]}}, second: {"state": {}}}}}
    numbered = execute.number_widgets(notebook, "chapter")
    ids = [execute.stable_model_id("chapter", i) for i in range(2)]
    state = numbered.metadata.widgets[execute.WIDGET_STATE]["state"]
    assert list(state) == ids and state[ids[0]]["state"]["children"] == [f"IPY_MODEL_{ids[1]}"]
    assert numbered.cells[0].outputs[0].data[execute.WIDGET_VIEW]["model_id"] == ids[1]
    assert first not in nbformat.writes(numbered) and second not in nbformat.writes(numbered)
