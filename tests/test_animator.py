import gc
import weakref

import nbformat
import pytest
from nbclient import NotebookClient

import d2l_mini as d2l
from d2l_mini import plotting


def test_add_keeps_every_point_per_series():
    animator = d2l.Animator(legend=["train", "test"])
    for epoch in range(1, 4):
        animator.add(epoch, [epoch * 1.0, None if epoch == 2 else epoch * 2.0])
    assert animator.X == [[1.0, 2.0, 3.0], [1.0, 3.0]]
    assert animator.Y == [[1.0, 2.0, 3.0], [2.0, 6.0]]
    assert animator.to_png().startswith(b"\x89PNG")


def test_add_rejects_changing_number_of_series():
    animator = d2l.Animator()
    animator.add(1, [1.0, 2.0])
    with pytest.raises(ValueError, match="2 series"):
        animator.add(2, [1.0])
    with pytest.raises(ValueError, match="x values"):
        animator.add([1, 2, 3], [1.0, 2.0])


def test_bad_draw_fraction_is_rejected():
    with pytest.raises(ValueError, match="max_draw_fraction"):
        d2l.Animator(max_draw_fraction=0)


def test_displays_once_then_updates_in_place(fake_notebook):
    animator = d2l.Animator(max_draw_fraction=1.0)
    for epoch in range(5):
        animator.add(epoch, epoch)
        animator.flush()
    assert len(fake_notebook) == 1, "one figure output, updated in place"
    assert fake_notebook[0][1].updates == 4


def test_redraws_are_throttled_but_nothing_is_lost(fake_notebook):
    animator = d2l.Animator(max_draw_fraction=0.001)
    for epoch in range(500):
        animator.add(epoch, epoch**0.5)
    draws = 1 + fake_notebook[0][1].updates
    assert draws < 20
    plotting._flush_live_animators()  # what the post-cell hook does
    assert fake_notebook[0][1].updates == draws  # one more redraw for the tail
    assert list(animator._lines[0].get_xdata())[-1] == 499.0


def test_the_last_points_are_drawn_even_when_the_animator_is_already_garbage(fake_notebook):
    """A train function returns and drops its animator before the cell ends; its last points still show."""

    def train():
        animator = d2l.Animator(max_draw_fraction=0.001)
        for epoch in range(1, 51):
            animator.add(epoch, 1 / epoch)  # drawn once, then throttled: the later points wait
        return weakref.ref(animator)

    animator = train()
    gc.collect()
    handle = fake_notebook[0][1]
    updates_during_training = handle.updates
    plotting._flush_live_animators()  # the post-cell hook, after the function's animator went out of scope
    assert handle.updates == updates_during_training + 1, "the undrawn tail was drawn at the end of the cell"
    gc.collect()
    assert animator() is None, "drawn, then let go"


def test_animator_figures_are_freed():
    refs = []
    for _ in range(5):
        animator = d2l.Animator()
        animator.add(1, 1)
        animator.flush()
        refs.append(weakref.ref(animator.fig))
        del animator
    gc.collect()
    assert all(ref() is None for ref in refs)


def test_headless_cell_ends_with_one_png_and_keeps_other_output():
    """Run a real kernel, as nbval and the book build do."""
    code = (
        "import d2l_mini as d2l\n"
        "print('before')\n"
        "animator = d2l.Animator(xlabel='epoch', max_draw_fraction=0.5)\n"
        "for epoch in range(200):\n"
        "    animator.add(epoch, [epoch, epoch / 2])\n"
        "print('after')\n"
    )
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    outputs = notebook.cells[0].outputs
    pngs = [out for out in outputs if "image/png" in out.get("data", {})]
    text = "".join(out.get("text", "") for out in outputs if out.output_type == "stream")
    assert len(pngs) == 1
    assert text == "before\nafter\n"
