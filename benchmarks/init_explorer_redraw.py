"""How long the initializer explorer takes to answer a change.

Target (issue: parameters chapter): at most 150 ms per redraw for a 10-layer,
256-wide MLP. Each round changes the initializer, the activation or the scale
(cycling, so consecutive redraws differ) and times the full redraw: statistics,
figure, and the widget update. Reports the median and the 90th percentile.

    .venv/bin/python benchmarks/init_explorer_redraw.py [--rounds 40]
"""

import argparse
import statistics
import time

from d2l_mini.init_explorer import InitializerExplorer

CHANGES = [
    ("initializer", "Normal(0, σ)"),
    ("activation", "ReLU"),
    ("initializer", "Kaiming (He) normal"),
    ("scale", 2.0),
    ("activation", "tanh"),
    ("initializer", "Xavier uniform"),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    explorer = InitializerExplorer(depth=10, width=256)
    times = []
    for round_ in range(args.rounds):
        control, value = CHANGES[round_ % len(CHANGES)]
        started = time.perf_counter()
        getattr(explorer, control).value = value  # the observer redraws synchronously
        times.append(time.perf_counter() - started)
    times.sort()
    median = statistics.median(times)
    p90 = times[int(0.9 * (len(times) - 1))]
    print(f"rounds {len(times)}, 10 layers x 256 wide")
    print(f"redraw_ms_median {median * 1000:.1f}")
    print(f"redraw_ms_p90 {p90 * 1000:.1f}")


if __name__ == "__main__":
    main()
