"""The built static book, opened from disk in headless Chromium with no network.

Run by `make book-test` after `make book`. Screenshots go to _build/screenshots/.
"""

from pathlib import Path

import pytest
import yaml

from conftest import ROOT, PageWatch

BOOK = yaml.safe_load((ROOT / "book.yml").read_text())
HTML = ROOT / BOOK["build"]["output_dir"]
SHOTS = ROOT / "_build" / "screenshots"
PAGES = sorted(p for p in HTML.rglob("*.html") if "_static" not in p.parts)
CHAPTERS = [Path(c).with_suffix(".html").as_posix() for c in BOOK["chapters"]]


def page_id(path):
    return path.relative_to(HTML).as_posix()


@pytest.fixture(scope="module", autouse=True)
def built_book():
    if not (HTML / "index.html").exists():
        pytest.fail(f"No book in {HTML}; run `make book` first.")
    SHOTS.mkdir(parents=True, exist_ok=True)


def open_page(context, path):
    page = context.new_page()
    watch = PageWatch(page)
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_load_state("networkidle", timeout=90000)  # a cold first page can take a while
    return page, watch


@pytest.mark.parametrize("path", PAGES, ids=page_id)
def test_page_is_whole_offline_and_quiet(browser_context, path):
    page, watch = open_page(browser_context, path)
    try:
        html = path.read_text(encoding="utf-8")
        if "math notranslate" in html:
            page.wait_for_selector("mjx-container", timeout=15000)
        if "application/vnd.jupyter.widget-view+json" in html:
            page.wait_for_selector(".widget-image img, .jupyter-widgets img", timeout=15000)
        page.wait_for_timeout(300)
        page.screenshot(path=str(SHOTS / (page_id(path).replace("/", "__") + ".png")), full_page=True)
        broken = page.evaluate(
            "Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)"
        )
        assert broken == [], f"images that did not load: {broken}"
        assert watch.outside_requests == [], f"requests that left the machine: {watch.outside_requests}"
        assert watch.errors == [], f"console errors: {watch.errors}"
    finally:
        page.close()


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_has_math_buttons_widgets_and_closed_solutions(browser_context, chapter):
    page, watch = open_page(browser_context, HTML / chapter)
    try:
        page.wait_for_selector("mjx-container", timeout=15000)
        assert page.locator("mjx-container").count() > 3
        assert page.locator("button.copybtn").count() > 10
        assert page.locator(".theme-switch-button").count() >= 1
        hrefs = page.eval_on_selector_all("a", "links => links.map(a => a.href)")
        assert any("mybinder.org" in h for h in hrefs) and any("colab.research.google.com" in h for h in hrefs)
        assert any(h.endswith(Path(chapter).stem + ".ipynb") for h in hrefs)
        assert any(h.endswith(Path(chapter).stem + ".md") for h in hrefs)
        # every widget rendered with its stored default result: an image, not an empty box
        widget_outputs = page.locator(".cell_output .jupyter-widgets.widget-vbox, .cell_output .widget-vbox")
        assert widget_outputs.count() >= 1
        images = page.locator(".widget-image")
        assert images.count() >= 1
        assert all(w > 100 for w in images.evaluate_all("els => els.map(e => e.naturalWidth || e.width)"))
        # exercise solutions start collapsed
        solutions = page.locator(".admonition.dropdown")
        assert solutions.count() >= 3
        assert solutions.first.locator(".admonition-title").is_visible()
        assert not solutions.first.locator("p:not(.admonition-title)").first.is_visible()
        assert watch.errors == [] and watch.outside_requests == []
    finally:
        page.close()


def test_search_works_offline(browser_context):
    page, watch = open_page(browser_context, HTML / "search.html")
    try:
        page.goto((HTML / "search.html").as_uri() + "?q=perplexity", wait_until="load")
        page.wait_for_selector("#search-results li", timeout=15000)
        results = page.locator("#search-results li").all_inner_texts()
        assert any("Recurrent" in r for r in results)
        page.screenshot(path=str(SHOTS / "search-perplexity.png"))
        assert watch.outside_requests == []
    finally:
        page.close()


# Markup that should never reach the reader as text: TeX outside typeset math, and Markdown syntax
# that the parser did not understand (e.g. a math line starting with "+ " read as a bullet list).
RAW_MARKUP = (
    r"\$|\\(?:math[a-z]+|frac|sum|partial|operatorname|theta|odot|qquad|left|right|begin|end)\b"
    r"|\*\*|```|\]\(|\{(?:admonition|code-cell|math)\}"
)

VISIBLE_PROSE_TEXT = """() => {
  const skip = "mjx-container, pre, code, script, style, .cell_output, .output, .jupyter-widgets, textarea";
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const texts = [];
  while (walker.nextNode()) {
    const parent = walker.currentNode.parentElement;
    if (parent && !parent.closest(skip)) texts.push(walker.currentNode.textContent);
  }
  return texts;
}"""


@pytest.mark.parametrize("path", PAGES, ids=page_id)
def test_no_raw_latex_or_markdown_in_the_prose(browser_context, path):
    import re

    page, _watch = open_page(browser_context, path)
    try:
        if "math notranslate" in path.read_text(encoding="utf-8"):
            page.wait_for_selector("mjx-container", timeout=15000)
            page.wait_for_function("() => !document.querySelector('.math:not(:has(mjx-container))')",
                                   timeout=15000)
        leaks = [text.strip() for text in page.evaluate(VISIBLE_PROSE_TEXT) if re.search(RAW_MARKUP, text)]
        assert leaks == [], f"raw markup shown as text on {page_id(path)}: {leaks[:5]}"
    finally:
        page.close()
