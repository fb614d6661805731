"""Make the Python environment that runs this command ready for the chapters, once its packages are in.

Two builds make an environment for the book: the Makefile's .venv rule (after
`pip install -r requirements.txt`) and Binder's binder/postBuild (after
binder/requirements.txt). Both then run this, for the steps they share:

* install d2l_mini, the chapters' helper library, editable (no dependencies:
  the pinned requirements are already there), so the chapters import this
  repository's own copy;
* install lab/overrides.json as JupyterLab's settings of that environment
  (<prefix>/share/jupyter/lab/settings/overrides.json): a chapter's .md opens as
  a Jupytext notebook, and so on.

    python -m tools.setup_env     # with the environment's own python, from the repository root
"""

import os
import shutil
import sys
from pathlib import Path

from tools.fresh_venv import ROOT, pip_install

OVERRIDES = ROOT / "lab" / "overrides.json"


def lab_settings_file(prefix=sys.prefix):
    """Where JupyterLab of the environment at `prefix` reads the settings that override its defaults."""
    return Path(prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"


def install_lab_settings(prefix=sys.prefix):
    """Copy lab/overrides.json into the environment's JupyterLab settings; return where it went."""
    target = lab_settings_file(prefix)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(OVERRIDES, target)
    target.chmod(0o644)
    return target


def install_d2l_mini(python=sys.executable):
    """Install d2l_mini from this repository, editable, into the environment of `python`."""
    pip_install(python, "--no-deps", "-e", ROOT, env=dict(os.environ))


def main():
    install_d2l_mini()
    print(f"JupyterLab settings: {install_lab_settings()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
