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

``make test CPU=avx2`` runs the tests (lint, unit tests, nbval on every
chapter) under one setting of :data:`SETTINGS`: the Makefile puts
``python -m tools.portability --as avx2 --`` before its pytest command.
``make portability`` runs ``make test CPU=<setting>`` for every setting, two at a
time (one thread each, so together they fill this machine's two cores), and
fails if any run fails. Each run's log goes to
``_build/portability/<setting>.log``.

    python -m tools.portability                      # make test under every setting
    python -m tools.portability avx2                 # under one of them
    python -m tools.portability --as avx2 -- CMD...  # run CMD under a setting
"""

import argparse
import os
import re
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
# Two runs side by side must not write pytest's cache at the same time.
SIDE_BY_SIDE = {"PYTEST_ADDOPTS": "-p no:cacheprovider"}


def environment(setting):
    return {**os.environ, **SETTINGS[setting]}


def capability(setting):
    """What PyTorch reports under ``setting``: 'DEFAULT 1', 'AVX2 1', ..."""
    result = subprocess.run([sys.executable, "-c", CAPABILITY], env=environment(setting), capture_output=True,
                            text=True, check=True)
    return result.stdout.strip()


def run_as(setting, command):
    """Replace this process with ``command`` run under ``setting`` (what ``make test CPU=...`` does)."""
    print(f"{setting}: {SETTINGS[setting]}; PyTorch reports {capability(setting)}", flush=True)
    os.execvpe(command[0], command, environment(setting))


def run(setting):
    """``make test CPU=setting``, its output into a log; (setting, exit code, seconds, log path)."""
    LOGS.mkdir(parents=True, exist_ok=True)
    log = LOGS / f"{setting}.log"
    started = time.perf_counter()
    with open(log, "w", encoding="utf-8") as out:
        code = subprocess.run(["make", "--no-print-directory", "test", f"CPU={setting}"], cwd=ROOT,
                              env={**os.environ, **SIDE_BY_SIDE}, stdout=out, stderr=subprocess.STDOUT).returncode
    return setting, code, time.perf_counter() - started, log


def summary(log):
    """The setting's line, and pytest's closing lines: what failed, and the counts."""
    lines = log.read_text(encoding="utf-8").splitlines()
    setting = [line for line in lines if "PyTorch reports" in line][:1]
    counts = [line for line in lines if re.search(r"\b(passed|failed|errors?)\b.* in [\d.]+s", line)][-1:]
    closing = [line for line in lines if line.startswith(("FAILED", "ERROR"))] + (counts or lines[-1:])
    return "\n".join([*setting, *("    " + line for line in closing)])


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("settings", nargs="*", help=f"which of {list(SETTINGS)} to run make test under "
                        "(default: all)")
    parser.add_argument("--as", dest="as_setting", metavar="SETTING",
                        help="run the command after -- under this setting instead")
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv[argv.index("--") + 1:] if "--" in argv else []
    args = parser.parse_args(argv[:argv.index("--")] if "--" in argv else argv)
    names = args.settings + ([args.as_setting] if args.as_setting is not None else [])
    unknown = [name for name in names if name not in SETTINGS]
    if unknown:
        parser.error(f"unknown setting {unknown[0]!r}; choose from {list(SETTINGS)} "
                     "(for make test: CPU=default or CPU=avx2, or no CPU for this machine's own).")
    if args.as_setting is not None and (args.settings or not command):
        parser.error("--as SETTING takes a command after --, and no other settings: --as avx2 -- pytest tests")
    return args, command


def main(argv=None):
    args, command = parse(argv)
    if args.as_setting is not None:
        run_as(args.as_setting, command)
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(run, args.settings or list(SETTINGS)))
    failed = []
    for setting, code, seconds, log in results:
        print(f"[{setting}] make test CPU={setting} {'passed' if code == 0 else 'FAILED'} in {seconds:.0f} s; "
              f"log: {log.relative_to(ROOT)}")
        print(summary(log))
        if code != 0:
            failed.append(setting)
    if failed:
        print(f"make test failed under {', '.join(failed)} (logs above). If it passes with no CPU=, a stored output "
              "depends on the processor. An output that nbval compares must not depend on the instruction set or "
              "the thread count: show a chaotic result in a cell tagged nbval-ignore-output, and assert what must "
              "hold in a check cell.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
