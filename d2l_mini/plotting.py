"""Animator: a training curve that redraws itself in place while a model trains."""

import io
import time
import weakref

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

_live_animators = weakref.WeakSet()
_hook_installed = False


def _ipython_shell():
    """The running IPython shell, or None in a plain Python process."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def _flush_live_animators(*_):
    """Draw the last points of every animator once a notebook cell finishes."""
    for animator in list(_live_animators):
        animator.flush()


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
    """

    def __init__(self, xlabel=None, ylabel=None, legend=None, xlim=None,
                 ylim=None, xscale="linear", yscale="linear",
                 fmts=("-", "m--", "g-.", "r:"), nrows=1, ncols=1,
                 figsize=(3.5, 2.5), max_draw_fraction=0.02):
        if not 0 < max_draw_fraction <= 1:
            raise ValueError(f"max_draw_fraction must be in (0, 1], got {max_draw_fraction!r}.")
        self.fig = Figure(figsize=figsize)
        FigureCanvasAgg(self.fig)
        self.axes = list(self.fig.subplots(nrows, ncols, squeeze=False).ravel())
        self.xlabel, self.ylabel, self.legend = xlabel, ylabel, legend or []
        self.xlim, self.ylim, self.xscale, self.yscale = xlim, ylim, xscale, yscale
        self.fmts = fmts
        self.max_draw_fraction = max_draw_fraction
        self.X, self.Y = None, None
        self._lines = []
        self._handle = None
        self._dirty = False
        self._next_draw_at = 0.0
        self.draw_seconds = 0.0  # total time spent drawing, for benchmarks

    def add(self, x, y):
        """Append one point to each series; ``y`` may be a number or a list."""
        ys = list(y) if hasattr(y, "__len__") else [y]
        xs = list(x) if hasattr(x, "__len__") else [x] * len(ys)
        if len(xs) != len(ys):
            raise ValueError(f"Animator.add got {len(xs)} x values for {len(ys)} y values.")
        if self.X is None:
            self.X = [[] for _ in ys]
            self.Y = [[] for _ in ys]
        if len(ys) != len(self.Y):
            raise ValueError(f"Animator was started with {len(self.Y)} series but add() got {len(ys)}.")
        for series, (a, b) in enumerate(zip(xs, ys)):
            if a is not None and b is not None:
                self.X[series].append(float(a))
                self.Y[series].append(float(b))
        self._dirty = True
        if time.perf_counter() >= self._next_draw_at:
            self.flush()

    def flush(self):
        """Redraw now if there are points that the shown figure lacks."""
        if not self._dirty:
            return
        started = time.perf_counter()
        self._update_lines()
        self._show(self.to_png())
        self._dirty = False
        finished = time.perf_counter()
        spent = finished - started
        self.draw_seconds += spent
        self._next_draw_at = finished + spent / self.max_draw_fraction

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
            line.set_data(xs, ys)
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

        if self._handle is None:
            self._handle = display(Image(data=png, format="png"), display_id=True)
            _live_animators.add(self)
            _install_flush_hook(shell)
        else:
            self._handle.update(Image(data=png, format="png"))


def use_plain_log_ticks(axis, numticks=6):
    """Put a log scale on ``axis`` (ax.xaxis or ax.yaxis) with few, plain-text tick labels.

    Matplotlib's default log labels are typeset as math and minor ticks are
    many; both make a redraw several times slower, which a live plot feels.
    """
    from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

    axis.axes.set_yscale("log") if axis is axis.axes.yaxis else axis.axes.set_xscale("log")
    axis.set_major_locator(LogLocator(numticks=numticks))
    axis.set_minor_locator(NullLocator())
    axis.set_major_formatter(FuncFormatter(lambda value, _position: f"{value:g}"))
