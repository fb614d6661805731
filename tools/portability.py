"""Check that the stored outputs hold on other processors than the one that made them.

A reader's or a teacher's machine may lack the vector instructions of ours
(AVX-512, say), and PyTorch and MKL then run other kernels, which round
differently. An output that nbval compares must not depend on that. We cannot
borrow other processors, but we can tell PyTorch and MKL to behave like them:

* ``ATEN_CPU_CAPABILITY`` picks PyTorch's kernels (``default``: plain
  x86-64, ``avx2``, ``avx512``), and ``MKL_ENABLE_INSTRUCTIONS`` the highest
  instruction set MKL's matrix products may use;
* one thread instead of the machine's default, which changes how reductions
  are split up.

``make portability`` runs the unit tests and nbval on every chapter under each
setting of :data:`SETTINGS`, two at a time (one thread each, so together they
fill this machine's two cores), and fails if any run fails. Each run's log goes
to ``_build/portability/<setting>.log``.

    python -m tools.portability            # every setting
    python -m tools.portability avx2       # one of them
"""

import argparse
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOGS = ROOT / "_build" / "portability"
ONE_THREAD = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
# name: what PyTorch and MKL are told to use; neither is this machine's own if it has AVX-512
SETTINGS = {
    "default": {"ATEN_CPU_CAPABILITY": "default", "MKL_ENABLE_INSTRUCTIONS": "SSE4_2", **ONE_THREAD},
    "avx2": {"ATEN_CPU_CAPABILITY": "avx2", "MKL_ENABLE_INSTRUCTIONS": "AVX2", **ONE_THREAD},
}
CAPABILITY = "import torch; print(torch.backends.cpu.get_cpu_capability(), torch.get_num_threads())"


def environment(setting):
    return {**os.environ, **SETTINGS[setting]}


def capability(setting):
    """What PyTorch reports under ``setting``: 'DEFAULT 1', 'AVX2 1', ..."""
    result = subprocess.run([sys.executable, "-c", CAPABILITY], env=environment(setting), capture_output=True,
                            text=True, check=True)
    return result.stdout.strip()


def test_command():
    """pytest on the unit tests and nbval on every chapter (what `make test` runs after the lint)."""
    notebooks = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "notebooks").glob("*.ipynb"))
    return [sys.executable, "-m", "pytest", "tests", "-q", "-p", "no:cacheprovider",
            "--nbval", "--nbval-current-env", *notebooks]


def run(setting):
    """Run the tests under ``setting``; (setting, exit code, seconds, log path)."""
    LOGS.mkdir(parents=True, exist_ok=True)
    log = LOGS / f"{setting}.log"
    started = time.perf_counter()
    with open(log, "w", encoding="utf-8") as out:
        out.write(f"{setting}: {SETTINGS[setting]}; PyTorch reports {capability(setting)}\n")
        out.flush()
        code = subprocess.run(test_command(), cwd=ROOT, env=environment(setting), stdout=out,
                              stderr=subprocess.STDOUT).returncode
    return setting, code, time.perf_counter() - started, log


def summary(log):
    """The log's first line and pytest's closing lines: what failed, and the counts."""
    lines = log.read_text(encoding="utf-8").splitlines()
    closing = [line for line in lines if line.startswith(("FAILED", "ERROR"))] + lines[-1:]
    return "\n".join([lines[0], *("    " + line for line in closing)])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("settings", nargs="*", help=f"which of {list(SETTINGS)} to run (default: all)")
    args = parser.parse_args(argv)
    unknown = [name for name in args.settings if name not in SETTINGS]
    if unknown:
        parser.error(f"unknown setting {unknown[0]!r}; choose from {list(SETTINGS)}.")
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(run, args.settings or list(SETTINGS)))
    failed = []
    for setting, code, seconds, log in results:
        print(f"[{setting}] {'passed' if code == 0 else 'FAILED'} in {seconds:.0f} s; log: {log.relative_to(ROOT)}")
        print(summary(log))
        if code != 0:
            failed.append(setting)
    if failed:
        print(f"Outputs that depend on the processor: the runs under {', '.join(failed)} failed. An output that "
              "nbval compares must not depend on the instruction set or the thread count: show a chaotic result "
              "in a cell tagged nbval-ignore-output, and assert what must hold in a check cell.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
