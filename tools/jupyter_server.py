"""Start a Jupyter server for a test, wait until it answers, and stop it cleanly.

Two checks run JupyterLab the way a reader meets it: the browser tests
(browser_tests/test_lab.py, `make e2e`) drive it in Chromium, and
tools/binder_test.py (`make binder-test`) asks the REST API of the one a fresh
Binder-like environment serves. Both start it here, so both get the same server:
loopback only, on a free port that it may not trade for another, with a login
token, and stopped (kernels included) when the test is done.

    with jupyter_server(folder, log_path=log) as server:
        server.url, server.token       # for a browser: f"{server.url}/lab?token={server.token}"
        status, body = server.get("/api/contents")

A server that exits or does not answer in time raises JupyterServerError,
whose message holds the end of the server's log.
"""

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

APPS = ("lab", "server")  # `jupyter lab`, `jupyter server`
LOG_LINES_IN_ERRORS = 60


class JupyterServerError(RuntimeError):
    """The server exited or did not answer in time; the message holds the end of its log."""


@dataclass(frozen=True)
class RunningServer:
    """A started server: its base URL (no trailing slash), its token, the folder it serves and its log."""

    url: str
    token: str
    root_dir: Path
    log_path: Path

    def get(self, path, timeout_s=30):
        """``(status, body)`` of a GET of ``path`` (starting with /), with the token in the header."""
        request = urllib.request.Request(f"{self.url}{path}", headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            return response.status, response.read()


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_command(python, app, root_dir, port, args=()):
    """The command line that starts ``app`` ("lab" or "server") of ``python``'s environment on ``root_dir``.

    It runs the environment's own ``jupyter-lab`` (or ``jupyter-server``) script,
    found beside ``python``: what ``jupyter lab`` runs there, and not dependent on PATH.
    """
    if app not in APPS:
        raise ValueError(f"app must be one of {APPS}, not {app!r}")
    script = Path(python).parent / f"jupyter-{app}"
    if not script.exists():
        raise JupyterServerError(f"{script} is missing: is Jupyter installed in the environment of {python}?")
    command = [str(script), "--no-browser", "--ServerApp.ip=127.0.0.1",
               f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--ServerApp.root_dir={root_dir}",
               *args]
    if os.geteuid() == 0:  # containers and CI machines often run as root, which Jupyter refuses by default
        command.append("--ServerApp.allow_root=True")
    return command


@contextlib.contextmanager
def jupyter_server(root_dir, *, app="lab", python=sys.executable, env=None, args=(), log_path=None,
                   start_timeout_s=120):
    """Run a Jupyter server on ``root_dir`` while the ``with`` block runs; yields a RunningServer.

    ``app`` is "lab" (JupyterLab) or "server" (the plain Jupyter server); ``python``
    names the environment whose Jupyter runs (this one by default); ``env`` is the
    server's whole environment (default: this process's), to which the token is
    added as JUPYTER_TOKEN (not on the command line, where other users could read
    it); ``args`` are more command-line options. The server's output goes to
    ``log_path`` (default: a temporary file, removed afterwards). Leaving the block
    stops the server, which shuts its kernels down; one that has not stopped
    after 30 s is killed.
    """
    root_dir = Path(root_dir)
    token, port = secrets.token_hex(16), free_port()
    log_kept = log_path is not None
    with contextlib.ExitStack() as cleanup:  # undone in reverse: stop the server, close the log, remove a temporary one
        if not log_kept:
            log_path = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="jupyter-server-"))) / "log"
        log_path = Path(log_path)
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log = cleanup.enter_context(open(log_path, "w"))
        process = subprocess.Popen(
            server_command(python, app, root_dir, port, args), cwd=root_dir,
            env={**(os.environ if env is None else env), "JUPYTER_TOKEN": token},
            stdout=log, stderr=subprocess.STDOUT,
        )
        cleanup.callback(stop, process)
        server = RunningServer(f"http://127.0.0.1:{port}", token, root_dir, log_path)
        problem = wait_until_answering(server, process, start_timeout_s)
        if problem:
            raise JupyterServerError(failure_message(server, problem, log_kept))
        yield server


def wait_until_answering(server, process, timeout_s):
    """Poll the server's status until it answers; None then, else what went wrong (it exited, refused, timed out)."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            server.get("/api/status", timeout_s=5)
            return None
        except urllib.error.HTTPError as error:  # it runs, but refuses: waiting longer will not help
            return f"answered /api/status with HTTP {error.code} {error.reason}"
        except OSError:  # not listening yet
            pass
        if process.poll() is not None:
            return f"exited with status {process.returncode}"
        if time.monotonic() > deadline:
            return f"did not answer at {server.url} within {timeout_s} s"
        time.sleep(0.5)


def failure_message(server, problem, log_kept):
    """What went wrong, with the end of the server's log (and where the whole log is, if it is kept)."""
    lines = server.log_path.read_text(errors="replace").splitlines()
    shown = lines[-LOG_LINES_IN_ERRORS:]
    where = f" ({server.log_path})" if log_kept else ""
    if len(shown) < len(lines):
        header = f"The last {len(shown)} lines of its log{where}:"
    else:
        header = f"Its log{where}:"
    first = f"The Jupyter server on {server.root_dir} {problem}. {header}"
    return "\n".join([first, *(f"    {line}" for line in shown)])


def stop(process, timeout_s=30):
    """Ask the server to stop (SIGTERM: it shuts its kernels down first); kill it if it has not after ``timeout_s``."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
