"""Helpers to make Python environments and install into them, quietly: pip, venvs, timed steps.

The tests that run the book outside its .venv (tools/colab_test.py, tools/binder_test.py)
build fresh environments with them; tools/setup_env.py installs d2l_mini with pip_install.
"""

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# pip on the project's build machines warns about unused mirror folders
_NOISE = re.compile(r"^WARNING: Location '.*' is ignored")


class Steps:
    """Prints each step with the seconds it took; the totals end the run."""

    def __init__(self, title):
        self.title = title
        self.started = time.perf_counter()
        self.timings = []

    def run(self, name, function, *args, **kwargs):
        print(f"[{self.title}] {name} ...", flush=True)
        began = time.perf_counter()
        result = function(*args, **kwargs)
        seconds = time.perf_counter() - began
        self.timings.append((name, seconds))
        print(f"[{self.title}] {name}: {seconds:.0f} s", flush=True)
        return result

    def summary(self):
        total = time.perf_counter() - self.started
        lines = [f"[{self.title}] passed in {total:.0f} s:"]
        lines += [f"    {seconds:6.0f} s  {name}" for name, seconds in self.timings]
        print("\n".join(lines), flush=True)


def clean_env(**extra):
    """The environment of this process without what ties a Python to this repository's .venv."""
    env = {key: value for key, value in os.environ.items()
           if key not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "JUPYTER_PATH", "JUPYTER_CONFIG_DIR",
                          "MPLBACKEND", "PYTHONSTARTUP"}}
    venv_bin = str(ROOT / ".venv" / "bin")
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p != venv_bin)
    env.update(extra)
    return env


def sh(args, cwd=None, env=None, quiet=False):
    """Run a command; on failure, show its output and stop with its exit status."""
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env or clean_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = "\n".join(line for line in result.stdout.splitlines() if not _NOISE.match(line))
    if result.returncode != 0:
        print(output, file=sys.stderr)
        raise SystemExit(f"failed ({result.returncode}): {' '.join(str(a) for a in args)}")
    if output and not quiet:
        print(output)
    return output


def create_venv(path):
    """A fresh virtual environment with pip and nothing else; returns its python."""
    venv.EnvBuilder(with_pip=True, clear=True).create(path)
    return Path(path) / "bin" / "python"


def pip_install(python, *args, env=None):
    return sh([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *args], env=env)


def installed(python):
    """``{distribution: version}`` of a Python environment."""
    text = sh([python, "-c", "import importlib.metadata as m, json; "
               "print(json.dumps({d.metadata['Name'].lower(): d.version for d in m.distributions()}))"],
              quiet=True)
    return json.loads(text.splitlines()[-1])


def requirement_pins(path=ROOT / "requirements.txt"):
    """``{name: version}`` of the ``name==version`` lines of a requirements file."""
    pins = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins[name.strip().lower()] = version.strip()
    return pins


@contextlib.contextmanager
def scratch_folder(prefix, keep=False):
    """A temporary folder for one run, removed afterwards unless ``keep`` (then its path is printed)."""
    work = Path(tempfile.mkdtemp(prefix=prefix)).resolve()
    try:
        yield work
    finally:
        if keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
