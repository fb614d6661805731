"""Run a chapter the way Colab (or any bare Jupyter) runs it, from the wheel, outside the repository.

1. Check the wheel: its version is ``d2l_mini.__version__``, its dependencies are
   ranges, ipywidgets only comes with the ``widgets`` extra, it holds every module.
2. Make a fresh virtual environment with torch (Colab has it already; here the
   pinned one), then install the wheel with its ``widgets`` extra and ipykernel:
   nothing else. pip must keep that torch.
3. Without d2l_mini, the chapters' install cell (pointed at the wheel, since
   GitHub may be out of reach) installs it, and the same kernel imports it.
4. Copy the chapter to a temporary folder and execute it there with that
   environment's kernel. Its install cell must do nothing (d2l_mini is
   importable), and the last cell, added to the copy, checks that d2l_mini came
   from the wheel, not from this repository.

    python -m tools.colab_test _build/dist/d2l_mini-*.whl [--chapter notebooks/parameters.ipynb] [--keep]

`make colab-test` builds the wheel and runs this.
"""

import argparse
import os
import shutil
import sys
import time
import zipfile
from email.parser import Parser
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from packaging.requirements import Requirement

from tools.fresh_venv import (
    ROOT,
    Steps,
    clean_env,
    create_venv,
    installed,
    pip_install,
    requirement_pins,
    scratch_folder,
    sh,
)
from tools.install_cell import CELL_TEMPLATE, INSTALL_TAG
from tools.release import EXTRA, PACKAGE, package_version

KERNEL = "d2l-colab-test"
CELL_TIMEOUT_SECONDS = 900


def check_wheel(wheel):
    """Problems with the wheel's metadata and contents (raises SystemExit if any)."""
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata_name = next(name for name in names if name.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(archive.read(metadata_name).decode())
    problems = []
    if metadata["Version"] != package_version():
        problems.append(f"version {metadata['Version']} is not d2l_mini.__version__ {package_version()}")
    for line in metadata.get_all("Requires-Dist") or []:
        requirement = Requirement(line)
        operators = {spec.operator for spec in requirement.specifier}
        if not operators & {">=", "~="} or "==" in operators:
            problems.append(f"dependency {line!r} is not a version range")
        if requirement.name == "ipywidgets" and 'extra == "widgets"' not in str(requirement.marker):
            problems.append("ipywidgets must come only with the `widgets` extra")
    extras = metadata.get_all("Provides-Extra") or []
    if "widgets" not in extras:
        problems.append("no `widgets` extra")
    modules = {f"d2l_mini/{path.name}" for path in (ROOT / "d2l_mini").glob("*.py")}
    missing = sorted(modules - set(names))
    if missing:
        problems.append(f"modules missing from the wheel: {missing}")
    strays = sorted({name.split("/")[0] for name in names} - {"d2l_mini", metadata_name.split("/")[0]})
    if strays:
        problems.append(f"the wheel holds more than d2l_mini: {strays}")
    if problems:
        raise SystemExit(f"{Path(wheel).name}:\n  " + "\n  ".join(problems))
    print(f"{Path(wheel).name}: version {metadata['Version']}; requires "
          + ", ".join(metadata.get_all("Requires-Dist") or []))


def origin_cell(venv_dir):
    """The cell appended to the copy: d2l_mini comes from the fresh environment's wheel."""
    return nbformat.v4.new_code_cell(
        "import os, sys\n"
        "import d2l_mini\n"
        f"assert os.path.realpath(sys.prefix) == {str(Path(venv_dir).resolve())!r}, sys.prefix\n"
        "assert os.path.realpath(d2l_mini.__file__).startswith(os.path.realpath(sys.prefix)), d2l_mini.__file__\n"
        f"assert not os.path.realpath(d2l_mini.__file__).startswith({str(ROOT) + os.sep!r}), d2l_mini.__file__\n"
        f"assert d2l_mini.__version__ == {package_version()!r}\n"
        "print('d2l_mini', d2l_mini.__version__, 'from', os.path.dirname(d2l_mini.__file__))"
    )


def execute(notebook_path, venv_dir):
    """Run a notebook with the fresh environment's kernel, in its folder; add the origin check at the end."""
    notebook = nbformat.read(notebook_path, as_version=4)
    notebook.cells.append(origin_cell(venv_dir))
    client = NotebookClient(notebook, kernel_name=KERNEL, timeout=CELL_TIMEOUT_SECONDS,
                            resources={"metadata": {"path": str(notebook_path.parent)}})
    client.execute(env=clean_env())
    nbformat.write(notebook, notebook_path)
    return notebook


def install_cell_installs(python, wheel, folder, venv_dir):
    """Without d2l_mini, the install cell (pointed at the wheel instead of the git tag) installs it,
    and the same kernel then imports it: no restart needed."""
    sh([python, "-m", "pip", "uninstall", "--yes", "--quiet", PACKAGE], quiet=True)
    cell = CELL_TEMPLATE.format(requirement=f"{PACKAGE}[{EXTRA}] @ {Path(wheel).as_uri()}")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(cell)])
    folder.mkdir()
    nbformat.write(notebook, folder / "install.ipynb")
    execute(folder / "install.ipynb", venv_dir)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheel", type=Path)
    parser.add_argument("--chapter", type=Path, default=ROOT / "notebooks" / "parameters.ipynb")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and say where it is")
    args = parser.parse_args(argv)
    wheel, chapter = args.wheel.resolve(), args.chapter.resolve()
    steps = Steps("colab-test")
    with scratch_folder("d2l-colab-test-", keep=args.keep) as work:
        if work.is_relative_to(ROOT):
            raise SystemExit(f"the temporary folder {work} must be outside the repository")
        steps.run("check the wheel", check_wheel, wheel)
        venv_dir = work / "venv"
        python = steps.run("fresh venv", create_venv, venv_dir)
        torch = f"torch=={requirement_pins()['torch']}"
        steps.run(f"{torch}, as Colab has it", pip_install, python, torch)
        before = installed(python)
        steps.run("the wheel [widgets] and ipykernel", pip_install, python, f"{wheel}[widgets]", "ipykernel")
        after = installed(python)
        if after["torch"] != before["torch"]:
            raise SystemExit(f"installing the wheel changed torch {before['torch']} -> {after['torch']}")
        added = sorted(set(after) - set(before))
        print(f"the wheel and the kernel added {len(added)} distributions: {', '.join(added)}")
        sh([python, "-m", "ipykernel", "install", "--prefix", work / "jupyter", "--name", KERNEL], quiet=True)
        os.environ["JUPYTER_PATH"] = str(work / "jupyter" / "share" / "jupyter")  # where nbclient finds the kernel
        steps.run("the install cell installs d2l_mini where it is missing", install_cell_installs,
                  python, wheel, work / "install", venv_dir)
        if installed(python) != after:
            raise SystemExit("the install cell installed something else than the wheel")

        copy = work / "chapter" / chapter.name
        copy.parent.mkdir()
        shutil.copy2(chapter, copy)
        began = time.perf_counter()
        notebook = steps.run(f"execute {chapter.name} in {copy.parent}", execute, copy, venv_dir)
        print(f"executed {sum(c.cell_type == 'code' for c in notebook.cells)} code cells "
              f"in {time.perf_counter() - began:.0f} s; {notebook.cells[-1].outputs[0]['text'].strip()}")
        install_cells = [c for c in notebook.cells if INSTALL_TAG in c.metadata.get("tags", [])]
        if not install_cells:
            print(f"note: {chapter.name} has no cell tagged `{INSTALL_TAG}` (yet)")
        elif any(cell.outputs for cell in install_cells):
            raise SystemExit(f"the install cell printed something where d2l_mini is installed: "
                             f"{install_cells[0].outputs}")
        if installed(python) != after:
            raise SystemExit("running the chapter changed the environment: the install cell must do nothing here")
        steps.summary()
    return 0


if __name__ == "__main__":
    sys.exit(main())
