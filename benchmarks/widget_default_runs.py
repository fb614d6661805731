"""How long each widget takes to make its default result, grid included, as a notebook cell does.

Target (issue: widgets): a widget's default run finishes within 10 s in
JupyterLab on this kind of machine. Making a widget computes every
precomputed result the static book shows (for the RNN widgets, a few short
training runs each), so this is the time from running the widget's cell to
a complete widget. Rounds interleave the widgets; the script reports each
one's median and its slowest round.

    D2L_MINI_DATA=... .venv/bin/python benchmarks/widget_default_runs.py [--rounds 3]
"""

import argparse
import statistics
import time

import d2l_mini as d2l
from d2l_mini import fast_rnn_model
from d2l_mini.widgets import ClipExplorer, GenerationExplorer, InitializerExplorer, SamplingExplorer

LIMIT_S = 10


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    device = d2l.try_gpu()
    _, vocab = d2l.load_data_time_machine(32, 35)
    net = fast_rnn_model(len(vocab), 512, device)  # the chapter's size; generating costs the same trained or not
    widgets = {
        "InitializerExplorer": InitializerExplorer,
        "ClipExplorer": ClipExplorer,
        "SamplingExplorer": SamplingExplorer,
        "GenerationExplorer": lambda: GenerationExplorer(net, vocab, device),
    }
    times = {name: [] for name in widgets}
    for _ in range(args.rounds):
        for name, make in widgets.items():
            started = time.perf_counter()
            make()
            times[name].append(time.perf_counter() - started)
    print(f"device {device}, rounds {args.rounds}")
    for name, values in times.items():
        print(f"{name}: default_run_s_median {statistics.median(values):.2f}, slowest {max(values):.2f} "
              f"({'ok' if max(values) <= LIMIT_S else 'over'} the {LIMIT_S} s limit)")


if __name__ == "__main__":
    main()
