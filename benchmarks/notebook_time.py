"""How long each chapter takes to execute from top to bottom, as `make notebooks` runs it.

Targets (issue: widgets): the RNN chapter in at most 5 minutes and the
parameters chapter in at most 1 minute on this kind of machine, with every
widget's precomputed grid included. Executes each chapter in memory (nothing
is written), in its own kernel, in the chapters' folder; rounds alternate the
chapters, and the script reports each one's median.

    D2L_MINI_DATA=... .venv/bin/python benchmarks/notebook_time.py [--rounds 1]
"""

import argparse
import os
import statistics
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
LIMITS_S = {"parameters": 60, "rnn_scratch": 300}


def execute(path):
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=900, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    started = time.perf_counter()
    client.execute()
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    times = {name: [] for name in LIMITS_S}
    for _ in range(args.rounds):
        for name in LIMITS_S:
            times[name].append(execute(ROOT / "notebooks" / f"{name}.ipynb"))
    for name, values in times.items():
        median = statistics.median(values)
        verdict = "ok" if median <= LIMITS_S[name] else "over"
        print(f"{name}: execute_s_median {median:.0f} ({verdict} the {LIMITS_S[name]} s limit; rounds {len(values)})")


if __name__ == "__main__":
    main()
