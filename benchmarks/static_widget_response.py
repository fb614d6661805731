"""How fast a widget in the static book shows its precomputed result after a control changes.

Target (issue: widgets in the static book): at most 100 ms from a control
change to the new result on screen. Opens each built chapter page from disk
in headless Chromium with no network, and measures inside the page: the clock
starts just before the control's change event is dispatched and stops once
the result panel shows a different image (decoded) or text and the browser
has painted a frame. Rounds alternate between the widgets' controls and
options (interleaved), and the script reports the median and the 90th
percentile per widget.

    .venv/bin/python benchmarks/static_widget_response.py [--rounds 10] [--book _build/html/en]
"""

import argparse
import statistics
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "browser_tests"))
from conftest import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402

LIMIT_MS = 100
# page -> widget class -> (control description, kind)
CONTROLS = {
    "parameters": {"d2l-initializer-explorer": [("initializer", "dropdown"), ("activation", "buttons"),
                                                 ("histogram of layer", "slider")]},
    "rnn_scratch": {"d2l-clip-explorer": [("θ", "slider")],
                    "d2l-sampling-explorer": [("seed", "buttons"), ("model", "buttons")],
                    "d2l-generation-explorer": [("prefix", "dropdown"), ("temperature", "slider")]},
}

# Move the control to another option and time until the panel shows something new, painted.
MEASURE = """async ([widget, description, kind]) => {
  const root = document.querySelector("." + widget);
  const control = Array.from(root.querySelectorAll("*")).filter(
      (el) => Array.from(el.querySelectorAll(":scope > label.widget-label")).some((l) => l.textContent === description))
      .pop();
  const panel = root.querySelector(".d2l-result-panel");
  const signature = () => Array.from(panel.querySelectorAll("img, .widget-html-content"))
      .filter((el) => el.checkVisibility()).map((el) => el.src || el.innerHTML).join("|");
  const before = signature();
  const started = performance.now();
  if (kind === "dropdown") {  // the next option, round the end
    const select = control.querySelector("select");
    select.selectedIndex = (select.selectedIndex + 1) % select.options.length;
    select.dispatchEvent(new Event("change", {bubbles: true}));
  } else if (kind === "buttons") {
    const buttons = Array.from(control.querySelectorAll("button"));
    const current = buttons.findIndex((b) => b.classList.contains("mod-active"));
    buttons[(current + 1) % buttons.length].click();
  } else {  // one step right, or left at the right end
    const handle = control.querySelector(".noUi-handle");
    const atEnd = handle.getAttribute("aria-valuenow") === handle.getAttribute("aria-valuemax");
    handle.focus();
    handle.dispatchEvent(new KeyboardEvent("keydown", {key: atEnd ? "ArrowLeft" : "ArrowRight", bubbles: true}));
  }
  while (signature() === before) {
    if (performance.now() - started > 5000) return null;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  await Promise.all(Array.from(panel.querySelectorAll("img")).filter((el) => el.checkVisibility())
      .map((img) => img.decode().catch(() => {})));
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  return performance.now() - started;
}"""


def offline(route):
    """Let the page load only what is on this machine."""
    local = route.request.url.startswith(("file:", "data:", "blob:"))
    route.continue_() if local else route.abort()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--book", type=Path, default=None, help="the folder of one edition of the built book")
    args = parser.parse_args()
    built = sorted((ROOT / "_build" / "html").rglob("notebooks/parameters.html"))
    book = args.book or built[0].parent.parent
    times = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        pages = {}
        for stem in CONTROLS:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.route("**/*", offline)
            page.goto((book / "notebooks" / f"{stem}.html").as_uri(), wait_until="load")
            page.wait_for_load_state("networkidle", timeout=90000)
            for widget in CONTROLS[stem]:
                panel = f".{widget} .d2l-result-panel"
                page.wait_for_selector(f"{panel} img, {panel} .widget-html-content")
            pages[stem] = page
        for _ in range(args.rounds):
            for stem, widgets in CONTROLS.items():
                for widget, controls in widgets.items():
                    for description, kind in controls:
                        elapsed = pages[stem].evaluate(MEASURE, [widget, description, kind])
                        if elapsed is None:
                            sys.exit(f"{widget}: {description} changed nothing within 5 s")
                        times.setdefault(widget, []).append(elapsed)
        browser.close()
    print(f"book {book}, rounds {args.rounds}")
    worst = 0.0
    for widget, values in times.items():
        values.sort()
        median, p90 = statistics.median(values), values[int(0.9 * (len(values) - 1))]
        worst = max(worst, median)
        print(f"{widget}: response_ms_median {median:.1f}, response_ms_p90 {p90:.1f} ({len(values)} changes)")
    print(f"slowest median {worst:.1f} ms (limit {LIMIT_MS} ms): {'ok' if worst <= LIMIT_MS else 'TOO SLOW'}")
    return 0 if worst <= LIMIT_MS else 1


if __name__ == "__main__":
    sys.exit(main())
