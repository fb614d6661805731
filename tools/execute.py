"""Execute chapters into notebooks that differ only where their results do.

``make notebooks`` runs this on every chapter: it re-creates the ``.ipynb``
from its MyST source (Jupytext keeps the pairing), executes it top to bottom
with the widget state stored, and stamps it (:mod:`tools.notebook_stamp`).

Executing a notebook twice should give the same file, so that a reviewer's
diff shows what really changed. Three things a plain ``nbconvert --execute``
writes would differ every time, and this module takes them out:

* the execution timestamps of every cell (not recorded at all);
* where the kernel happened to cut printed text into messages: consecutive
  pieces of one stream are joined into one output (nbconvert's
  ``CoalesceStreamsPreprocessor``);
* the widget model ids, which ipywidgets draws at random (uuid4). They are
  replaced by ids derived from the notebook's name and the order in which
  the widgets were created, everywhere they occur: the stored widget state,
  the references between widgets (``IPY_MODEL_<id>``) and the outputs that
  display them.

What is left to differ is what the chapters really compute afresh each time,
timings such as tokens per second.

    python -m tools.execute notebooks/parameters.md ...   # sync, execute, stamp
"""

import argparse
import hashlib
import json
import os
import re
import sys
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient
from nbconvert.preprocessors import CoalesceStreamsPreprocessor

from tools import notebook_stamp

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
MODEL_ID = re.compile(r"(?<=IPY_MODEL_)[0-9a-f]{32}")
TIMEOUT = 900  # seconds per cell; the longest trains for a few minutes
# the kernels draw their figures as the chapters ask (retina PNGs), not in a window
KERNEL_ENV = {"MPLBACKEND": "module://matplotlib_inline.backend_inline"}


def sync_from_markdown(markdown):
    """Re-create ``markdown``'s paired ``.ipynb`` from it (cells, tags); returns the notebook, not yet executed."""
    markdown = Path(markdown)
    notebook = jupytext.read(markdown)
    paired = markdown.with_suffix(".ipynb")
    if paired.exists():  # keep the cell ids and metadata the stored notebook already has
        notebook = jupytext.combine.combine_inputs_with_outputs(notebook, nbformat.read(paired, as_version=4))
    notebook.metadata.pop("widgets", None)  # the last run's widget state; executing stores the new one
    return notebook


def execute(notebook, folder):
    """Run every cell of ``notebook`` in a fresh kernel started in ``folder``, storing outputs and widget state."""
    os.environ.update(KERNEL_ENV)
    client = NotebookClient(notebook, timeout=TIMEOUT, record_timing=False, store_widget_state=True,
                            resources={"metadata": {"path": str(folder)}})
    client.execute()
    notebook, _ = CoalesceStreamsPreprocessor().preprocess(notebook, {})
    return notebook


def widget_model_ids(notebook):
    """Every widget model id in ``notebook``, in the order the widgets were created (state first, then outputs)."""
    state = notebook.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    ids = dict.fromkeys(state)
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view:
                ids.setdefault(view["model_id"])
    for found in MODEL_ID.findall(json.dumps(state)):
        ids.setdefault(found)
    return list(ids)


def stable_model_id(name, position):
    """The model id of the ``position``-th widget of notebook ``name``: the same on every run."""
    return hashlib.sha1(f"{name}:{position}".encode()).hexdigest()[:32]


def number_widgets(notebook, name):
    """``notebook`` with every widget model id replaced by :func:`stable_model_id`; a new notebook."""
    text = nbformat.writes(notebook)
    for position, model_id in enumerate(widget_model_ids(notebook)):
        text = text.replace(model_id, stable_model_id(name, position))
    return nbformat.reads(text, as_version=4)


def execute_to_file(notebook, path):
    """Execute ``notebook`` in ``path``'s folder and write it to ``path``, widgets numbered by ``path``'s name."""
    path = Path(path)
    notebook = number_widgets(execute(notebook, path.parent), path.stem)
    nbformat.write(notebook, path)
    return path


def run_chapter(markdown):
    """Sync, execute, number the widgets of, write and stamp the chapter written in ``markdown``."""
    markdown = Path(markdown)
    paired = execute_to_file(sync_from_markdown(markdown), markdown.with_suffix(".ipynb"))
    notebook_stamp.stamp(paired)
    return paired


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chapters", nargs="+", type=Path, help="the chapters' MyST sources, notebooks/<name>.md")
    args = parser.parse_args(argv)
    for markdown in args.chapters:
        if markdown.suffix != ".md" or not markdown.is_file():
            parser.error(f"{markdown} is not a chapter's .md source; pass notebooks/<name>.md.")
    for markdown in args.chapters:
        print(f"executing {markdown} ...", flush=True)
        print(f"wrote {run_chapter(markdown)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
