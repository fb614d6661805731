"""d2l_mini as a library, the install cell, Binder, the workflows: each derived from one source.

What needs a fresh virtual environment runs in `make colab-test` (the wheel, a
chapter outside the repository) and `make binder-test` (Binder's build steps).
"""

import ast
import importlib.metadata
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jupytext
import pytest
import tomllib
import yaml
from packaging.requirements import Requirement
from packaging.version import Version

import d2l_mini

from tools import install_cell, portability, readme_links, release, setup_env
from tools.book_config import ROOT, load_book

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]
BOOK = load_book()
WIDGETS = ROOT / "d2l_mini" / "widgets"  # the only modules that may import ipywidgets (with d2l_mini/_optional.py)
# import names that differ from the name of the distribution that provides them
DISTRIBUTION_OF = {"PIL": "pillow"}
# imported only where they are already loaded: IPython inside a running IPython shell
PROVIDED_BY_THE_HOST = {"IPython"}


def pins():
    result = {}
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==")
            result[name.strip().lower()] = version.strip()
    return result


def third_party_imports(path):
    """Top-level names of the non-standard-library modules a file imports, anywhere in it."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return {DISTRIBUTION_OF.get(name, name) for name in names
            if name not in sys.stdlib_module_names and name != "d2l_mini" and name not in PROVIDED_BY_THE_HOST}


def declared(requirements):
    return {Requirement(line).name.lower(): Requirement(line) for line in requirements}


# -- Version ------------------------------------------------------------------------

def test_the_version_is_written_once():
    assert "version" not in PROJECT and "version" in PROJECT.get("dynamic", [])
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "d2l_mini.__version__"}
    assert release.package_version() == d2l_mini.__version__
    Version(d2l_mini.__version__)  # a valid version


# -- Dependencies -------------------------------------------------------------------

def test_dependencies_are_what_the_library_imports():
    modules = sorted((ROOT / "d2l_mini").rglob("*.py"))
    in_widgets = {m for m in modules if m.parent == WIDGETS or m.name == "_optional.py"}
    core = set().union(*(third_party_imports(m) for m in modules if m not in in_widgets))
    widgets = set().union(*(third_party_imports(m) for m in in_widgets)) - core
    widgets.add("ipywidgets")  # also imported through d2l_mini._optional.import_ipywidgets
    assert set(declared(PROJECT["dependencies"])) == core, "dependencies must be what d2l_mini imports"
    assert set(declared(PROJECT["optional-dependencies"]["widgets"])) == widgets, \
        "the widgets extra must be what only the widget modules import"


def test_dependencies_are_ranges_that_the_development_pins_satisfy():
    pinned = pins()
    requirements = [*PROJECT["dependencies"], *PROJECT["optional-dependencies"]["widgets"]]
    for name, requirement in declared(requirements).items():
        operators = {spec.operator for spec in requirement.specifier}
        assert ">=" in operators and "==" not in operators, f"{requirement} must be a range with a lower bound"
        # so that installing the wheel next to the pinned packages (or Colab's) changes nothing
        version = pinned.get(name) or importlib.metadata.version(name)  # unpinned: what the pins brought
        assert requirement.specifier.contains(version), f"{requirement} excludes {name} {version} of .venv"


def test_import_needs_no_ipywidgets_and_the_widgets_say_what_to_install():
    """With ipywidgets absent, the helpers import; asking for the widgets names the install line."""
    code = """
import sys
sys.modules["ipywidgets"] = None  # as if it were not installed
import d2l_mini
from d2l_mini._optional import import_ipywidgets
assert d2l_mini.Timer and d2l_mini.load_data_time_machine
try:
    import_ipywidgets()
except ImportError as error:
    print(error)
else:
    raise AssertionError("no error without ipywidgets")
"""
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert 'pip install "d2l-mini[widgets]"' in result.stdout


@pytest.mark.parametrize("module", ["d2l_mini.widgets", "d2l_mini.widgets.initializer", "d2l_mini.widgets.clip"])
def test_a_widget_module_without_ipywidgets_says_what_to_install(module):
    code = f"""
import sys
sys.modules["ipywidgets"] = None  # as if it were not installed
try:
    import {module}
except ImportError as error:
    print(error)
"""
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert 'pip install "d2l-mini[widgets]"' in result.stdout, result.stdout


@pytest.mark.parametrize("module, name", [("d2l_mini.signals", "signal_stats"), ("d2l_mini.small_runs", "small_run")])
def test_the_numbers_behind_the_widgets_need_no_ipywidgets(module, name):
    code = f"""
import sys
sys.modules["ipywidgets"] = None  # as if it were not installed: importing it raises ImportError
from {module} import {name}
print(callable({name}), sorted(m for m in sys.modules if m.startswith("d2l_mini.widgets")))
"""
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True []"


def test_import_d2l_mini_does_not_load_ipywidgets():
    code = "import sys, d2l_mini; print(sorted(m for m in sys.modules if m.split('.')[0] == 'ipywidgets'))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


# -- The install cell and the links, from book.yml ---------------------------------------

def test_install_cells_and_readme_links_agree_with_book_yml():
    problems = install_cell.check()
    assert problems == [], "\n".join(problems)


def test_install_requirement_is_built_from_book_yml_and_the_version():
    url = BOOK["repository"]["url"].rstrip("/")
    assert release.requirement() == f"d2l-mini[widgets] @ git+{url}@v{d2l_mini.__version__}"
    Requirement(release.requirement())  # valid PEP 508
    assert release.requirement() in install_cell.expected_cell()


@pytest.fixture
def chapters_copy(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for path in install_cell.chapter_sources():
        shutil.copy2(path, notebooks / path.name)
    readme = tmp_path / "README.md"
    shutil.copy2(ROOT / "README.md", readme)
    return notebooks, readme


def test_check_names_a_stale_install_line_and_rewrite_fixes_it(chapters_copy):
    notebooks, readme = chapters_copy
    book = {**BOOK, "repository": {**BOOK["repository"], "url": "https://github.com/someone/fork"}}
    problems = install_cell.check(notebooks, readme, book=book)
    chapters = install_cell.chapter_sources(notebooks)
    assert len(problems) == len(chapters) + 1  # each chapter, and the README's links
    assert all("github.com/someone/fork" in p for p in problems[:-1]), problems
    before = {path: path.read_text() for path in chapters}
    changed = install_cell.rewrite(notebooks, readme, book=book, version="9.9.9")
    assert set(changed) == {*chapters, readme}
    assert install_cell.check(notebooks, readme, book=book, version="9.9.9") == []
    assert "https://github.com/someone/fork@v9.9.9" in readme.read_text()
    assert "/someone/fork/main?urlpath=lab/tree/notebooks/" in readme.read_text()  # Binder links
    for path in chapters:  # only the install cell changed
        old, new = before[path].splitlines(), path.read_text().splitlines()
        assert len(old) == len(new)
        assert [(a, b) for a, b in zip(old, new) if a != b] == [
            (a, b) for a, b in zip(old, new) if "%pip install" in a]
    assert install_cell.rewrite(notebooks, readme, book=book, version="9.9.9") == []  # idempotent


def test_check_asks_for_a_missing_install_cell(chapters_copy):
    notebooks, readme = chapters_copy
    path = install_cell.chapter_sources(notebooks)[0]
    path.write_text(path.read_text().replace(":tags: [remove-cell, install]", ":tags: [remove-cell]"))
    problems = install_cell.check(notebooks, readme)
    assert len(problems) == 1 and "has no code cell tagged `install`" in problems[0]
    assert install_cell.expected_cell().splitlines()[-1] in problems[0]  # says what to add


@pytest.mark.parametrize("path", install_cell.chapter_sources(), ids=lambda path: path.name)
def test_jupytext_gives_back_every_byte_of_a_chapter(path):
    """The install cell is rewritten through Jupytext's reader and writer: they must change nothing else."""
    text = path.read_text(encoding="utf-8")
    assert install_cell.write_chapter(install_cell.read_chapter(text)) == text


def test_rewrite_handles_a_yaml_metadata_block():
    text = ("# T\n\n```{code-cell} ipython3\n---\ntags: [remove-cell, install]\n---\n%pip install old\n```\n\n"
            "```{code-cell} ipython3\nx = 1\n```\n")
    cells = jupytext.reads(install_cell.rewrite_markdown(text, "NEW CELL"), fmt="md:myst").cells
    assert [(cell.source, cell.metadata.get("tags")) for cell in cells if cell.cell_type == "code"] == [
        ("NEW CELL", ["remove-cell", "install"]), ("x = 1", None)]


def test_the_repository_url_is_written_only_in_book_yml():
    """Everything else derives it: conf.py reads book.yml; the install cells and README links are generated."""
    slug = release.github_slug(release.repository_url())
    assert slug, "book.yml's repository.url must be a github.com repository (Colab and Binder links need it)"
    files = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.split()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    begin, end = readme.index(readme_links.README_BEGIN), readme.index(readme_links.README_END)
    pip_line = install_cell.expected_cell().splitlines()[-1].strip()
    offenders = []
    for name in files:
        path = ROOT / name
        if name == "book.yml" or not path.is_file() or path.suffix in {".png", ".jpg", ".whl"}:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if name == "README.md":
            text = text[:begin] + text[end:]
        elif name.startswith("notebooks/"):  # the install cell's pip line, in the .md and in the .ipynb's JSON
            text = text.replace(pip_line, "").replace(json.dumps(pip_line)[1:-1], "")
        if slug in text:
            offenders.append(name)
    assert offenders == [], f"{offenders} name the repository {slug}; derive it from book.yml instead"
    assert "urls" not in PROJECT, "pyproject.toml cannot read book.yml; leave project.urls out"


# -- Binder -----------------------------------------------------------------------------

def test_binder_installs_exactly_the_repositorys_requirements():
    lines = [line.split("#", 1)[0].strip() for line in (ROOT / "binder" / "requirements.txt").read_text().splitlines()]
    lines = [line for line in lines if line]
    requirement_lines = [line for line in lines if not line.startswith("--extra-index-url")]
    assert requirement_lines == ["-r ../requirements.txt"], "binder/requirements.txt must only point at the root one"
    assert (ROOT / "binder" / "../requirements.txt").resolve() == ROOT / "requirements.txt"
    assert "--extra-index-url https://download.pytorch.org/whl/cpu" in lines  # torch's CPU build, as in CI


def test_binder_python_is_the_one_of_ci_and_the_readme():
    runtime = (ROOT / "binder" / "runtime.txt").read_text().strip()
    assert re.fullmatch(r"python-3\.\d+", runtime)
    version = runtime.removeprefix("python-")
    for workflow in (ROOT / ".github" / "workflows").glob("*.yml"):
        for match in re.findall(r'python-version:\s*"?([\d.]+)"?', workflow.read_text()):
            assert match == version, f"{workflow.name} uses Python {match}, Binder {version}"
    assert f"Python {version}" in (ROOT / "README.md").read_text()
    from packaging.specifiers import SpecifierSet

    assert SpecifierSet(PROJECT["requires-python"]).contains(version)


def test_binder_post_build_is_an_executable_script_that_parses():
    post_build = ROOT / "binder" / "postBuild"
    assert post_build.stat().st_mode & 0o111, "postBuild must be executable"
    subprocess.run(["bash", "-n", str(post_build)], check=True)


def test_the_lab_settings_go_where_the_environments_jupyterlab_reads_them(tmp_path):
    target = setup_env.install_lab_settings(tmp_path)
    assert target == tmp_path / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert target.read_bytes() == (ROOT / "lab" / "overrides.json").read_bytes()
    assert target.stat().st_mode & 0o777 == 0o644
    assert setup_env.install_lab_settings(tmp_path) == target  # again, over the copy


def test_binder_and_make_set_up_their_environment_with_the_same_command():
    """make's .venv rule and binder/postBuild each run tools.setup_env, with their environment's python."""
    venv_rule = re.search(r"^\$\(READY\):.*\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(), flags=re.M).group(1)
    assert "$(BIN)/python -m tools.setup_env" in venv_rule.splitlines()[-2]  # after the pinned packages
    post_build = [line for line in (ROOT / "binder" / "postBuild").read_text().splitlines()
                  if line and not line.startswith("#")]
    assert "python -m tools.setup_env" in post_build


# -- Workflows and make ---------------------------------------------------------------------

def make_targets():
    return set(re.findall(r"^([a-z][\w-]*):", (ROOT / "Makefile").read_text(), flags=re.M))


def test_workflows_use_the_makefile_targets_of_ci():
    targets, ci = make_targets(), (ROOT / ".ci" / "run").read_text()
    used = {}
    for workflow in sorted((ROOT / ".github" / "workflows").glob("*.yml")):
        data = yaml.safe_load(workflow.read_text())
        runs = [step.get("run", "") for job in data["jobs"].values() for step in job.get("steps", [])]
        used[workflow.stem] = [t for run in runs for t in re.findall(r"\bmake ([\w-]+)", run)]
    assert used["test"][0] == "test"
    assert "book" in used["pages"] and "wheel" in used["release"]
    for workflow, names in used.items():
        assert set(names) <= targets, f"{workflow}.yml runs make targets the Makefile lacks"
    for name in ("portability", "colab-test", "binder-test"):
        assert re.search(rf"\bstep {name}\b", ci), f".ci/run must run make {name}"


def test_ci_runs_the_readme_test_command_through_make_portability(monkeypatch, tmp_path):
    """make portability, which .ci/run runs, is `make test` (the README's test command) under each setting."""
    assert "make test" in (ROOT / "README.md").read_text()
    commands = []

    def fake_run(command, **kwargs):
        commands.append((command, kwargs["env"].get("PYTEST_ADDOPTS")))
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(portability, "LOGS", tmp_path)
    monkeypatch.setattr(portability.subprocess, "run", fake_run)
    assert portability.run("avx2")[1] == 0
    assert commands == [(["make", "--no-print-directory", "test", "CPU=avx2"], "-p no:cacheprovider")]


def test_pages_workflow_publishes_the_build_output_of_book_yml():
    pages = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text())
    steps = pages["jobs"]["build"]["steps"]
    upload = next(step for step in steps if "upload-pages-artifact" in step.get("uses", ""))
    assert upload["with"]["path"] == BOOK["build"]["output_dir"]
    assert any("deploy-pages" in step.get("uses", "") for step in pages["jobs"]["deploy"]["steps"])


def test_release_workflow_runs_on_version_tags():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "release.yml").read_text())
    on = workflow[True] if True in workflow else workflow["on"]  # YAML reads a bare `on` as true
    assert on["push"]["tags"] == ["v*"]
    assert release.release_tag().startswith("v")


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
@pytest.mark.parametrize(("value", "expected"), [
    ("../shared/data", str(ROOT.parent / "shared" / "data")),
    ("data", str(ROOT / "data")),
    ("/abs/data", "/abs/data"),
    ("~/data", "~/data"),  # the loader expands ~
    ("", ""),
])
def test_make_resolves_a_relative_data_dir_against_where_make_runs(value, expected):
    """The kernels run in notebooks/, so make hands them an absolute D2L_MINI_DATA."""
    show = "--eval=show-data-dir: ; @printf '%s' \"$$D2L_MINI_DATA\""
    for how in ("environment", "command line"):
        env = {"PATH": "/usr/bin:/bin", "HOME": str(Path.home())}
        args = ["make", "-s", "--no-print-directory", show, "show-data-dir"]
        if how == "environment":
            env["D2L_MINI_DATA"] = value
        else:
            args.append(f"D2L_MINI_DATA={value}")
        result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
        assert result.stdout == expected, f"{how}: {value!r} -> {result.stdout!r}"


@pytest.mark.parametrize("argv, says", [
    (["--as", "avx1", "--", "true"], "unknown setting 'avx1'; choose from ['default', 'avx2']"),
    (["--as", "avx2"], "--as SETTING takes a command after --"),
    (["sse"], "unknown setting 'sse'"),
])
def test_a_setting_portability_does_not_know_is_refused_with_the_choices(argv, says, capsys):
    with pytest.raises(SystemExit):
        portability.main(argv)
    assert says in capsys.readouterr().err
