"""Headless Debian Chromium, driven by Playwright, with no network beyond this machine."""

import shutil
import tempfile
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
