"""Headless Debian Chromium, driven by Playwright, with no network beyond this machine."""

import shutil
import tempfile
import time
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

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


@pytest.fixture(scope="session")
def browser_context():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: run tools/ensure_chromium.sh (make book-test and make e2e do).")
    profile = tempfile.mkdtemp(prefix="d2l-mini-chromium-")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": 1280, "height": 900},
        )
        yield context
        context.close()
    shutil.rmtree(profile, ignore_errors=True)


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
