"""The chapters' live controls: one module per explorer, and the kit they share.

The explorers, each teaching one idea:

* :mod:`~d2l_mini.widgets.initializer`: the scale of the initial weights decides whether a
  signal survives ten layers (chapter "Parameter management");
* :mod:`~d2l_mini.widgets.clip`: clipping at θ saves training at a high learning rate;
* :mod:`~d2l_mini.widgets.sampling`: sequential partitioning against random sampling;
* :mod:`~d2l_mini.widgets.generation`: greedy decoding and temperature.

The kit: :mod:`~d2l_mini.widgets.precomputed` (results the browser switches
with no kernel, so the static book responds), :mod:`~d2l_mini.widgets.live_training`
(training in the background, Train live and Stop), :mod:`~d2l_mini.widgets.safety`
(errors shown in the widget, never raised out of an observer) and
:mod:`~d2l_mini.widgets.images` (a figure in a widget). The numbers the
explorers show come from modules that need no ipywidgets:
:mod:`d2l_mini.signals` and :mod:`d2l_mini.small_runs`.

This package needs ipywidgets (``pip install "d2l-mini[widgets]"``);
``import d2l_mini`` does not.
"""

# every module here asks for ipywidgets through d2l_mini._optional, which says how to install it if it is missing
from .clip import ClipExplorer
from .generation import GenerationExplorer
from .initializer import InitializerExplorer
from .sampling import SamplingExplorer

__all__ = ["ClipExplorer", "GenerationExplorer", "InitializerExplorer", "SamplingExplorer"]
