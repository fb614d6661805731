"""How long the initializer explorer takes to answer a change in a running notebook.

Targets: at most 150 ms per live redraw for a 10-layer, 256-wide MLP (issue:
parameters chapter), and a first redraw within 1 s of any change (issue:
widgets). A change to a precomputed setting (initializer, activation) only
switches to a stored result; a change of the scale, depth or width (the
controls that need Python) computes the statistics and draws both figures.
The rounds interleave the two kinds, cycling through values so that
consecutive changes differ, and the script reports median and 90th
percentile for each.

    .venv/bin/python benchmarks/init_explorer_redraw.py [--rounds 40]
"""

import argparse
import statistics
import time

from d2l_mini.widgets import InitializerExplorer

CHANGES = [  # (the kind of change meant, control, value); each is counted by what the explorer then shows
    ("live", "scale", 0.02),
    ("precomputed", "initializer", "Xavier uniform"),
    ("live", "scale", 2.0),
    ("precomputed", "activation", "ReLU"),
    ("live", "depth", 12),
    ("precomputed", "initializer", "Kaiming (He) normal"),
    ("live", "width", 128),
    ("precomputed", "activation", "tanh"),
    ("live", "depth", 10),
    ("live", "width", 256),
    ("precomputed", "initializer", "Normal(0, σ)"),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=44)
    args = parser.parse_args()
    explorer = InitializerExplorer(depth=10, width=256)
    times = {"live": [], "precomputed": []}
    for round_ in range(args.rounds):
        _, control, value = CHANGES[round_ % len(CHANGES)]
        started = time.perf_counter()
        getattr(explorer, control).value = value  # the observer redraws synchronously
        elapsed = time.perf_counter() - started
        assert explorer.panel.showing_live == (not explorer.on_grid())
        times["live" if explorer.panel.showing_live else "precomputed"].append(elapsed)
    print(f"rounds {args.rounds}, 10 layers x 256 wide")
    for kind, values in times.items():
        values.sort()
        print(f"{kind}: redraw_ms_median {statistics.median(values) * 1000:.1f}, "
              f"redraw_ms_p90 {values[int(0.9 * (len(values) - 1))] * 1000:.1f} ({len(values)} changes)")


if __name__ == "__main__":
    main()
