"""Do what Binder's build does, without Docker, then check the JupyterLab it would serve.

repo2docker builds the Binder image from a checkout: it installs
binder/requirements.txt, runs binder/postBuild, and starts JupyterLab at the
chapter the launch button names (``?urlpath=lab/tree/notebooks/<chapter>.ipynb``).
This script does the same in a fresh virtual environment on a copy of the
repository's files (tracked and new, not ignored), then starts the JupyterLab
of that environment on 127.0.0.1 (tools/jupyter_server.py) and checks, through
its REST API:

* the launch URL of each chapter opens JupyterLab;
* a chapter's .md opens as a notebook, paired with its .ipynb (Jupytext);
* JupyterLab opens .md files with the Jupytext notebook viewer (lab/overrides.json);
* the ipywidgets and Jupytext Lab extensions are there; d2l_mini and ipywidgets import.

    python -m tools.binder_test [--keep]

`make binder-test` runs it. Where the CPU index of torch (named in
binder/requirements.txt) cannot be reached, pip is told not to retry it: the
pinned torch then comes from what pip can reach.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from tools.fresh_venv import ROOT, Steps, clean_env, create_venv, pip_install, scratch_folder, sh
from tools.jupyter_server import JupyterServerError, jupyter_server

BINDER = ROOT / "binder"
SERVER_START_SECONDS = 120


def copy_checkout(target):
    """The repository's files as a checkout has them (tracked, and new files git does not ignore)."""
    listing = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                             cwd=ROOT, check=True, capture_output=True).stdout.decode().split("\0")
    count = 0
    for name in filter(None, listing):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
            count += 1
    print(f"copied {count} files to {target}")


def index_urls(requirements):
    return [line.split(None, 1)[1].strip() for line in requirements.read_text().splitlines()
            if line.startswith(("--extra-index-url", "--index-url"))]


def reachable(url):
    try:
        socket.getaddrinfo(urlsplit(url).hostname, 443)
        return True
    except OSError:
        return False


def binder_env(venv_dir, **extra):
    """The fresh environment first on PATH, and Jupyter's per-user folders empty, as in a new image."""
    home = venv_dir.parent / "home"
    return clean_env(
        PATH=f"{venv_dir / 'bin'}{os.pathsep}{os.environ['PATH']}",
        JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_DATA_DIR=str(home / "data"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"), JUPYTERLAB_SETTINGS_DIR=str(home / "lab-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"), **extra,
    )


def check_server(venv_dir, repo):
    """Start the environment's JupyterLab on the copy and check what a Binder user would meet."""
    book = yaml.safe_load((repo / "book.yml").read_text())
    try:
        with jupyter_server(repo, python=venv_dir / "bin" / "python", env=binder_env(venv_dir),
                            log_path=repo.parent / "jupyter.log", start_timeout_s=SERVER_START_SECONDS) as server:
            check_jupyterlab(server, book)
    except JupyterServerError as error:
        raise SystemExit(str(error)) from None


def check_jupyterlab(server, book):
    """The launch URLs, the pairing of each chapter's .md and the default viewer of .md files."""
    for chapter in book["chapters"]:
        status, _ = server.get(f"/lab/tree/{chapter}")  # what the launch button opens
        assert status == 200, f"/lab/tree/{chapter}: HTTP {status}"
        source = Path(chapter).with_suffix(".md").as_posix()
        _, body = server.get(f"/api/contents/{source}?type=notebook&content=1")
        model = json.loads(body)
        formats = model["content"]["metadata"].get("jupytext", {}).get("formats", "")
        assert model["type"] == "notebook" and "ipynb" in formats, \
            f"{source} does not open as a notebook paired with its .ipynb ({model['type']}, {formats!r})"
        print(f"{chapter}: launch URL opens JupyterLab; {source} opens as a notebook paired as {formats!r}")
    _, body = server.get("/lab/api/settings/@jupyterlab/docmanager-extension:plugin")
    plugin = json.loads(body)  # overrides.json sets the schema's defaults; no user settings here
    viewers = (plugin["settings"].get("defaultViewers")
               or plugin["schema"]["properties"]["defaultViewers"]["default"])
    assert viewers.get("markdown") == "Jupytext Notebook", f"JupyterLab opens .md with {viewers}"
    print(f"JupyterLab's default viewer for .md: {viewers['markdown']}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and say where it is")
    args = parser.parse_args(argv)
    steps = Steps("binder-test")
    with scratch_folder("d2l-binder-test-", keep=args.keep) as work:
        try:
            repo, venv_dir = work / "repo", work / "venv"
            steps.run("copy the repository", copy_checkout, repo)
            python = steps.run("fresh venv", create_venv, venv_dir)
            env = binder_env(venv_dir)
            for url in index_urls(repo / "binder" / "requirements.txt"):
                if not reachable(url):
                    print(f"note: {url} is out of reach here; pip will not retry it")
                    env["PIP_RETRIES"] = "0"
            os.chdir(repo)  # repo2docker installs from the repository's root
            steps.run("pip install -r binder/requirements.txt", pip_install, python, "-r", "binder/requirements.txt",
                      env=env)
            steps.run("binder/postBuild", sh, [repo / "binder" / "postBuild"], cwd=repo, env=env)
            prefix = sh([python, "-c", "import sys; print(sys.prefix)"], quiet=True).strip()
            overrides = Path(prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
            assert overrides.read_bytes() == (ROOT / "lab" / "overrides.json").read_bytes(), overrides
            where = sh([python, "-c", "import d2l_mini, ipywidgets; print(d2l_mini.__file__)"],
                       cwd=work, env=env, quiet=True).strip()
            assert Path(where).resolve().is_relative_to(repo), f"d2l_mini imports from {where}, not the checkout"
            print(f"d2l_mini imports from the checkout ({where}), ipywidgets too")
            steps.run("JupyterLab as Binder starts it", check_server, venv_dir, repo)
            steps.summary()
        finally:
            os.chdir(ROOT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
