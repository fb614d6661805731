"""How long `import d2l_mini` takes in a fresh interpreter, and what the time goes to.

    python -m tools.import_time [--runs 7]

Each run is a new Python process that imports one module and reports the
seconds the import took (time.perf_counter around it, so interpreter start-up
is left out). The median over the runs is printed for d2l_mini and, for
comparison, for torch and matplotlib alone, interleaved so that a busy machine
slows all of them alike. Then `python -X importtime` of one import names the
modules that take the most time (cumulative, in the order Python loaded them).
"""

import argparse
import statistics
import subprocess
import sys

MODULES = ["d2l_mini", "torch", "matplotlib.figure"]
PROBE = "import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"


def seconds(module):
    result = subprocess.run([sys.executable, "-c", PROBE.format(module=module)],
                            capture_output=True, text=True, check=True)
    return float(result.stdout.strip())


def heaviest(module, top):
    """(cumulative seconds, name) of the module, its submodules and what they import directly."""
    result = subprocess.run([sys.executable, "-X", "importtime", "-c", f"import {module}"],
                            capture_output=True, text=True, check=True)
    rows = []
    for line in result.stderr.splitlines():
        parts = line.split("|")
        if len(parts) != 3 or not parts[1].strip().isdigit():
            continue
        name = parts[2].rstrip()
        depth = (len(name) - len(name.lstrip()) - 1) // 2  # -X importtime indents by two per level
        if depth <= 2:
            rows.append((int(parts[1]) / 1e6, "  " * depth + name.strip()))
    return sorted(rows, reverse=True)[:top]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    times = {module: [] for module in MODULES}
    for _ in range(args.runs):
        for module in MODULES:
            times[module].append(seconds(module))
    for module in MODULES:
        values = times[module]
        print(f"import {module:18s} median {statistics.median(values):.2f} s "
              f"(min {min(values):.2f}, max {max(values):.2f}, {args.runs} runs)")
    print("\nWhere `import d2l_mini` spends its time (-X importtime, cumulative, one run):")
    for cumulative, name in heaviest("d2l_mini", 8):
        print(f"  {cumulative:6.2f} s  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
