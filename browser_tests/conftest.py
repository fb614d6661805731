"""Playwright, through pytest-playwright's fixtures, driving Debian's headless Chromium with no network.

The tests take pytest-playwright's ``page`` fixture: a new browser context (like
a fresh profile) for each test, in one browser for the whole run. The two
fixtures below say which browser (Debian's Chromium: Playwright's own download
does not work offline) and how each context starts. The Makefile's book-test and
e2e targets keep, for each failed test, a screenshot of its open pages in
_build/test-results/<target>/, and with TRACE=1 a Playwright trace too
(``.venv/bin/playwright show-trace trace.zip``); a test closes no page of its
own, so that those screenshots show the page as the test left it.

Nothing a page asks for leaves this machine: PageWatch blocks and records it.
"""

import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
VIEWPORT = {"width": 1280, "height": 900}  # what the screenshots under _build/ are taken at


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, headless (unless pytest is given --headed), with no background traffic."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: run tools/ensure_chromium.sh (make book-test and make e2e do).")
    return {"headless": True, **browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """Each test's context: pages 1280 x 900, the size the screenshots of the book and of JupyterLab show."""
    return {**browser_context_args, "viewport": VIEWPORT}


@pytest.fixture(scope="session")
def base_url():
    """None: the tests open files and a server whose port is chosen at run time, never a fixed base URL.

    pytest-playwright 0.10.0 gives browser_context_args this fixture through a
    fallback written as an instance method, which pytest 9.2 warns about in every
    run (PytestRemovedIn10Warning); this one takes its place.
    """
    return None


class PageWatch:
    """Console errors, uncaught exceptions and requests that left this machine, for one page."""

    LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")

    def __init__(self, page, allowed_hosts=()):
        self.errors, self.outside_requests = [], []
        self.allowed_hosts = tuple(allowed_hosts)
        page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))
        page.route("**/*", self._route)

    def _route(self, route):
        url = route.request.url
        local = url.startswith(self.LOCAL_SCHEMES) or any(
            url.startswith(f"{scheme}://{host}") for host in self.allowed_hosts for scheme in ("http", "https", "ws")
        )
        if local:
            route.continue_()
        else:
            self.outside_requests.append(url)
            route.abort()


def open_settled(page, url, quiet_s=0.5, timeout_s=30):
    """Go to ``url`` and wait for its load event, then until no request has started for ``quiet_s``.

    Pages read from disk settle within a second or two. Playwright's own
    "networkidle" wait failed now and then on the heaviest page (the one
    carrying a few megabytes of widget state) in a long run, though the page
    was whole; so a page that has not settled after ``timeout_s`` is not
    failed here: the tests' own checks (images, widgets, console, requests)
    decide.
    """
    started = [time.monotonic()]
    page.on("request", lambda _request: started.__setitem__(0, time.monotonic()))
    page.goto(url, wait_until="load")
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and time.monotonic() - started[0] < quiet_s:
        page.wait_for_timeout(100)
