"""Hard inputs for the Animator: tensors and NumPy scalars work, bad values are refused, failures stay contained."""

import warnings

import numpy as np
import pytest
import torch

import d2l_mini as d2l
from d2l_mini import plotting


@pytest.mark.parametrize("y", [torch.tensor(2.5), np.float32(2.5), np.float64(2.5), torch.tensor([2.5]),
                               np.array(2.5), torch.tensor(2.5, requires_grad=True)])
def test_one_value_as_a_tensor_or_numpy_scalar(y):
    animator = d2l.Animator()
    animator.add(1, y)
    animator.add(np.int64(2), y)
    assert animator.X == [[1.0, 2.0]] and animator.Y == [[2.5, 2.5]]
    assert all(type(v) is float for v in animator.X[0] + animator.Y[0])


def test_several_values_as_a_1d_tensor_or_array():
    animator = d2l.Animator(legend=["train", "test"])
    animator.add(1, torch.tensor([0.5, 0.25]))
    animator.add(torch.tensor([2, 2]), np.array([0.4, 0.2]))
    animator.add(3, [torch.tensor(0.375), None])
    assert animator.X == [[1.0, 2.0, 3.0], [1.0, 2.0]]
    assert animator.Y == [[0.5, 0.4, 0.375], [0.25, 0.2]]


@pytest.mark.parametrize("x, y, error", [
    (1, True, TypeError), (True, 1.0, TypeError), (1, "2.5", TypeError), (1, torch.ones(2, 2), ValueError),
    (1, [], ValueError), (1, torch.tensor([True]), TypeError), (1, [1.0, "x"], TypeError),
])
def test_bad_points_are_refused_and_nothing_is_stored(x, y, error):
    animator = d2l.Animator()
    animator.add(0, 1.0)
    with pytest.raises(error):
        animator.add(x, y)
    assert animator.X == [[0.0]] and animator.Y == [[1.0]]


def test_a_half_bad_row_leaves_every_series_as_it_was():
    animator = d2l.Animator()
    animator.add(0, [1.0, 2.0])
    with pytest.raises(TypeError):
        animator.add(1, [3.0, "four"])
    assert animator.X == [[0.0], [0.0]] and animator.Y == [[1.0], [2.0]]


@pytest.mark.parametrize("kwargs, match", [
    (dict(max_draw_fraction=True), "max_draw_fraction"), (dict(max_draw_fraction=2), "max_draw_fraction"),
    (dict(max_draw_fraction=float("nan")), "max_draw_fraction"), (dict(nrows=True), "nrows"),
    (dict(ncols=0), "ncols"), (dict(figsize=(3, True)), "figsize"), (dict(figsize=3), "figsize"),
    (dict(legend="train"), r"\['train', 'test'\]"), (dict(fmts="-"), "fmts"), (dict(fmts=()), "fmts"),
    (dict(xlim=(0, float("inf"))), "xlim"), (dict(ylim=5), "ylim"), (dict(yscale="logarithmic"), "yscale"),
    (dict(xlabel=3), "xlabel"),
])
def test_bad_options_are_refused_at_construction(kwargs, match):
    with pytest.raises(ValueError, match=match):
        d2l.Animator(**kwargs)


@pytest.mark.filterwarnings("ignore:Attempting to set identical")
def test_open_ended_and_equal_limits_are_fine():
    """train_ch8 asks for xlim=[10, num_epochs], which is [10, 10] for ten epochs."""
    animator = d2l.Animator(xlim=[10, 10], ylim=(None, 5))
    animator.add(10, 1.0)
    assert animator.to_png().startswith(b"\x89PNG")


def test_non_finite_values_are_kept_and_drawn_as_gaps(fake_notebook):
    animator = d2l.Animator(max_draw_fraction=1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for epoch, value in enumerate([1.0, float("inf"), float("nan"), -float("inf"), 2.0]):
            animator.add(epoch, value)
            animator.flush()
    assert animator.draw_error is None
    assert animator.Y[0][1] == float("inf") and np.isnan(animator.Y[0][2])
    drawn = animator._lines[0].get_ydata()
    assert drawn[0] == 1.0 and drawn[-1] == 2.0 and np.isnan(drawn[1:4]).all()


def test_a_failing_animator_is_reported_once_and_never_blocks_the_others(fake_notebook):
    broken = d2l.Animator(max_draw_fraction=0.001)
    healthy = d2l.Animator(max_draw_fraction=0.001)
    broken.add(0, 1.0)  # both are shown once, then throttled: the next points wait for the end of the cell
    healthy.add(0, 1.0)
    healthy.add(1, 2.0)
    broken.add(1, 1.7e308)
    broken.add(2, -1.7e308)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _cell in range(3):
            plotting._flush_live_animators()  # the post_run_cell hook, after this cell and the next ones
    assert [str(w.message).startswith("Animator stopped drawing") for w in caught] == [True]
    assert len(str(caught[0].message)) < 400, "a short warning, not a traceback"
    assert isinstance(broken.draw_error, ValueError)
    assert list(healthy._lines[0].get_xdata()) == [0.0, 1.0], "the healthy animator's last point was drawn"
    broken.add(3, 1.0)  # keeps collecting, without drawing or raising
    assert broken.X[0] == [0.0, 1.0, 2.0, 3.0]


def test_a_redraw_failing_inside_add_does_not_stop_training():
    animator = d2l.Animator(max_draw_fraction=1.0)
    with pytest.warns(RuntimeWarning, match="stopped drawing"):
        animator.add(0, [1.7e308, -1.7e308])
    animator.add(1, [1.0, 1.0])
    assert animator.Y == [[1.7e308, 1.0], [-1.7e308, 1.0]]
