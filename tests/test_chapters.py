"""The chapters as files: each .md/.ipynb pair in sync, exported modules fresh."""

from pathlib import Path

import jupytext
import nbformat
import pytest

from tools import export_chapters

NOTEBOOKS = sorted(Path(__file__).resolve().parents[1].joinpath("notebooks").glob("*.md"))


def cell_signature(notebook):
    return [(c.cell_type, c.source.strip(), sorted(c.metadata.get("tags", []))) for c in notebook.cells]


@pytest.mark.parametrize("markdown", NOTEBOOKS, ids=lambda p: p.stem)
def test_pair_is_in_sync(markdown):
    ipynb = markdown.with_suffix(".ipynb")
    assert ipynb.is_file(), f"{ipynb.name} is missing; run `make notebooks`."
    source = jupytext.read(markdown)
    executed = nbformat.read(ipynb, as_version=4)
    assert cell_signature(executed) == cell_signature(source), (
        f"{ipynb.name} does not match {markdown.name}; run `make notebooks` to re-sync and re-execute."
    )


@pytest.mark.parametrize("markdown", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_code_cell_was_executed(markdown):
    executed = nbformat.read(markdown.with_suffix(".ipynb"), as_version=4)
    code = [c for c in executed.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code), "stored outputs must come from a full run"
    counts = [c.execution_count for c in code]
    assert counts == sorted(counts), "cells must have been run top to bottom"


def test_exported_modules_are_fresh():
    assert export_chapters.stale_modules() == [], "a chapter's exported cells changed; run `make export`."


def test_export_check_detects_a_stale_module(tmp_path, monkeypatch):
    planned = export_chapters.planned_modules()
    assert planned, "at least one chapter exports code"
    path, text = next(iter(planned.items()))
    fake = tmp_path / path.name
    fake.write_text(text + "# edited by hand\n")
    monkeypatch.setattr(export_chapters, "planned_modules", lambda: {fake: text})
    assert export_chapters.stale_modules() == [fake]


@pytest.mark.parametrize("markdown", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_outputs_come_from_the_current_code(markdown):
    from tools import notebook_stamp

    assert notebook_stamp.staleness(markdown.with_suffix(".ipynb")) is None, "run `make notebooks`"
