"""Animator: a training curve that redraws itself in place while a model trains."""

import io
import math
import numbers
import warnings

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.scale import get_scale_names

from .checks import as_number, is_bool, positive_int, positive_number
from .figures import CSS_DPI, SCALE
from .redraw import RedrawBudget

# Animators shown in a notebook whose newest points are not drawn yet. They are held here (strongly) until the
# cell ends and draws them: a train function's animator is often garbage the moment the function returns.
_undrawn_animators = set()
_hook_installed = False


def _ipython_shell():
    """The running IPython shell, or None in a plain Python process."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def _flush_live_animators(*_):
    """Draw the last points of every animator once a notebook cell finishes, then let go of them.

    One animator's failure never stops the others: :meth:`Animator.flush`
    reports its own drawing errors once, and anything else that escapes it
    (a warning turned into an error, say) just drops that animator from the list.
    """
    for animator in list(_undrawn_animators):
        try:
            animator.flush()
        except Exception:
            pass
    _undrawn_animators.clear()


def _install_flush_hook(shell):
    """Make sure no animator ends a cell with points it has not drawn yet."""
    global _hook_installed
    if not _hook_installed:
        shell.events.register("post_run_cell", _flush_live_animators)
        _hook_installed = True


class Animator:
    """Plot data points as they arrive, e.g. one perplexity value per epoch.

    In a notebook the figure is shown once and then replaced in place through
    a display id, so other output of the same cell (printed text before or
    after) stays. Redrawing a PNG costs tens of milliseconds, so the animator
    spends at most ``max_draw_fraction`` of the wall time on drawing and skips
    redraws in between; the points are all kept, and whatever is still undrawn
    when the cell ends is drawn then. The figure is a bare matplotlib
    ``Figure`` (not a pyplot one), so it is freed with the animator.

    Values that cannot be drawn are kept, not dropped: a non-finite value (a
    diverged loss, ``inf`` or ``nan``) stays in ``X`` and ``Y`` and shows as a
    gap in its line. If a redraw fails anyway (values near ±1.7e308 overflow
    matplotlib's axis scaling), the animator says so once in a warning and
    stops drawing, while it goes on collecting points; training is never
    interrupted by its plot.
    """

    def __init__(self, xlabel=None, ylabel=None, legend=None, xlim=None,
                 ylim=None, xscale="linear", yscale="linear",
                 fmts=("-", "m--", "g-.", "r:"), nrows=1, ncols=1,
                 figsize=(3.5, 2.5), max_draw_fraction=0.02):
        self._budget = RedrawBudget(max_draw_fraction, name="max_draw_fraction")
        self.max_draw_fraction = self._budget.max_fraction
        self.figsize = _size_pair(figsize)
        self.fig = Figure(figsize=self.figsize, dpi=CSS_DPI * SCALE)  # drawn at 2x, shown at 1x: sharp on HiDPI
        FigureCanvasAgg(self.fig)
        nrows, ncols = positive_int("nrows", nrows), positive_int("ncols", ncols)
        self.axes = list(self.fig.subplots(nrows, ncols, squeeze=False).ravel())
        self.xlabel, self.ylabel = _label("xlabel", xlabel), _label("ylabel", ylabel)
        self.legend = _list_of_strings("legend", legend or [], example="['train', 'test']")
        self.xlim, self.ylim = _limits("xlim", xlim), _limits("ylim", ylim)
        self.xscale, self.yscale = _scale("xscale", xscale), _scale("yscale", yscale)
        self.fmts = _list_of_strings("fmts", fmts, example="['-', 'm--']")
        if not self.fmts:
            raise ValueError("fmts must list at least one line format, e.g. ['-'].")
        self.X, self.Y = None, None
        self._lines = []
        self._handle = None
        self._dirty = False
        self.draw_error = None  # the exception that made this animator stop drawing, if any

    @property
    def draw_seconds(self):
        """Total time spent drawing, for benchmarks."""
        return self._budget.spent

    def add(self, x, y):
        """Append one point to each series.

        ``y`` is a number (Python, NumPy or a one-element tensor), a list of
        them, or a 1-D tensor or array with one value per series; ``x`` is one
        number for all series or one per series. ``None`` skips a series at
        this step. Everything is checked before anything is stored, so a bad
        call leaves the series as they were.
        """
        ys = _values("y", y)
        xs = _values("x", x) if _is_many(x) else [_number("x", x)] * len(ys)
        if not ys:
            raise ValueError("Animator.add needs at least one y value.")
        if len(xs) != len(ys):
            raise ValueError(f"Animator.add got {len(xs)} x values for {len(ys)} y values.")
        if self.X is not None and len(ys) != len(self.Y):
            raise ValueError(f"Animator was started with {len(self.Y)} series but add() got {len(ys)}.")
        if self.X is None:
            self.X = [[] for _ in ys]
            self.Y = [[] for _ in ys]
        for series, (a, b) in enumerate(zip(xs, ys)):
            if a is not None and b is not None:
                self.X[series].append(a)
                self.Y[series].append(b)
        self._dirty = True
        if self._handle is not None and self.draw_error is None:
            _undrawn_animators.add(self)  # drawn at the end of the cell at the latest
        if self._budget.due():
            self.flush()

    def flush(self):
        """Redraw now if there are points that the shown figure lacks.

        A failed redraw is reported once (a warning) and ends this animator's
        drawing; it never raises, so a training loop is never stopped by its plot.
        """
        if not self._dirty or self.draw_error is not None:
            return
        try:
            self._budget.draw(self._redraw)
        except Exception as error:
            self._stop_drawing(error)
            return
        self._dirty = False
        _undrawn_animators.discard(self)

    def _redraw(self):
        with np.errstate(over="ignore", invalid="ignore"):  # a failure is reported by flush, once
            self._update_lines()
            png = self.to_png()
        self._show(png)

    def _stop_drawing(self, error):
        self.draw_error = error
        _undrawn_animators.discard(self)
        problem = f"{type(error).__name__}: {error}"
        if len(problem) > 200:
            problem = problem[:200] + "..."
        warnings.warn(
            f"Animator stopped drawing after a redraw failed ({problem}). The figure shows the points before "
            f"the failure; all points are still collected in .X and .Y.",
            RuntimeWarning,
            stacklevel=3,
        )

    def to_png(self):
        """The current figure as PNG bytes."""
        buffer = io.BytesIO()
        self.fig.savefig(buffer, format="png")
        return buffer.getvalue()

    def _update_lines(self):
        ax = self.axes[0]
        if not self._lines:
            for series in range(len(self.X)):
                fmt = self.fmts[series % len(self.fmts)]
                (line,) = ax.plot([], [], fmt)
                self._lines.append(line)
            self._configure_axes(ax)
        for line, xs, ys in zip(self._lines, self.X, self.Y):
            line.set_data(_finite_or_nan(xs), _finite_or_nan(ys))  # nan: a gap in the line
        ax.relim()
        ax.autoscale_view()
        if self.xlim:
            ax.set_xlim(self.xlim)
        if self.ylim:
            ax.set_ylim(self.ylim)

    def _configure_axes(self, ax):
        ax.set_xlabel(self.xlabel or "")
        ax.set_ylabel(self.ylabel or "")
        ax.set_xscale(self.xscale)
        ax.set_yscale(self.yscale)
        if self.legend:
            ax.legend(self._lines, self.legend)
        ax.grid(True)
        self.fig.tight_layout()

    def _show(self, png):
        shell = _ipython_shell()
        if shell is None:
            return
        from IPython.display import Image, display

        image = Image(data=png, format="png", width=round(self.figsize[0] * CSS_DPI))
        if self._handle is None:
            self._handle = display(image, display_id=True)
            _install_flush_hook(shell)
        else:
            self._handle.update(image)


def _finite_or_nan(values):
    array = np.asarray(values, dtype=float)
    return np.where(np.isfinite(array), array, np.nan)


def _is_many(value):
    """Whether ``value`` holds one value per series (a list, tuple, or 1-D tensor or array)."""
    return isinstance(value, (list, tuple)) or (_is_array(value) and value.ndim > 0)


def _is_array(value):
    return hasattr(value, "ndim") and hasattr(value, "dtype") and hasattr(value, "tolist")


def _values(name, value):
    """``value`` as a list of floats (or None): one per series."""
    if _is_array(value) and value.ndim == 1:
        if is_bool(value):
            raise TypeError(f"Animator.add: {name} must be numbers, got booleans ({value.dtype}).")
        return [float(v) for v in (value.detach().cpu() if hasattr(value, "detach") else value).tolist()]
    if _is_array(value) and value.ndim > 1:
        raise ValueError(f"Animator.add: {name} must be a number or 1-D, got shape {tuple(value.shape)}.")
    if isinstance(value, (list, tuple)):
        return [_number(name, v) for v in value]
    return [_number(name, value)]


def _number(name, value):
    """One plotted value as a float; None stays None (no point for that series)."""
    return None if value is None else as_number(value, f"Animator.add: {name}")


def _size_pair(figsize):
    try:
        width, height = figsize
    except (TypeError, ValueError):
        raise ValueError(f"figsize must be (width, height) in inches, got {figsize!r}.") from None
    return positive_number("figsize width", width), positive_number("figsize height", height)


def _label(name, label):
    if label is not None and not isinstance(label, str):
        raise ValueError(f"{name} must be a string or None, got {label!r}.")
    return label


def _list_of_strings(name, values, example):
    if isinstance(values, str):
        raise ValueError(f"{name} must be a list of strings, got the single string {values!r}; "
                         f"pass a list, e.g. {example}.")
    if not isinstance(values, (list, tuple)) or not all(isinstance(v, str) for v in values):
        raise ValueError(f"{name} must be a list of strings, e.g. {example}, got {values!r}.")
    return list(values)


def _limits(name, limits):
    """None, or a (low, high) pair whose ends are finite numbers or None (free)."""
    if limits is None:
        return None
    try:
        low, high = limits
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be None or a pair (low, high), got {limits!r}.") from None
    for end in (low, high):
        if end is not None and (isinstance(end, bool) or not isinstance(end, numbers.Real) or not math.isfinite(end)):
            raise ValueError(f"{name} must be a pair of finite numbers (or None for a free end), got {limits!r}.")
    return [low, high]


def _scale(name, scale):
    """A matplotlib axis scale that needs no further arguments ('linear', 'log', ...)."""
    names = [known for known in get_scale_names() if not known.startswith("function")]
    if scale not in names:
        raise ValueError(f"{name} must be one of {names}, got {scale!r}.")
    return scale
