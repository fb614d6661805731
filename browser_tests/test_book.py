"""The built static book, every page of every edition, opened from disk in headless Chromium with no network.

Run by `make book-test` after `make book`. The build has one folder per edition
(_build/html/en/, _build/html/tr/, ...) and a language picker above them
(_build/html/index.html). Screenshots go to _build/screenshots/: every page whole,
and the top of every chapter in every language (<edition>-<chapter>-top.png).
"""

import re
from pathlib import Path

import pytest

from conftest import ROOT, PageWatch, open_settled
from tools.book_config import chapter_docnames, editions, landing_docname, load_book
from tools.i18n import catalogs

BOOK = load_book()
HTML = ROOT / BOOK["build"]["output_dir"]
SHOTS = ROOT / "_build" / "screenshots"
EDITIONS = editions(BOOK)
BY_KEY = {edition.key: edition for edition in EDITIONS}
PICKER = HTML / "index.html"
CHAPTERS = [f"{name}.html" for name in chapter_docnames(BOOK)]
PAGES = sorted(p for edition in EDITIONS for p in (HTML / edition.key).rglob("*.html") if "_static" not in p.parts)
# each edition's index.html only forwards to its landing page (book/index.html)
BOOK_PAGES = [p for p in PAGES if p.name != "index.html" or p.parent.parent != HTML]
EDITION_CHAPTERS = [(edition.key, chapter) for edition in EDITIONS for chapter in CHAPTERS]


def page_id(path):
    return path.relative_to(HTML).as_posix()


def edition_of(path):
    """The edition a page belongs to, and the page's path inside that edition's folder."""
    key, *rest = path.relative_to(HTML).parts
    return BY_KEY[key], "/".join(rest)


@pytest.fixture(scope="module", autouse=True)
def built_book():
    missing = [edition.key for edition in EDITIONS if not (HTML / edition.key / "index.html").exists()]
    if missing or not PICKER.exists():
        pytest.fail(f"No complete book in {HTML} (missing: {missing or 'index.html'}); run `make book` first.")
    SHOTS.mkdir(parents=True, exist_ok=True)


def open_page(page, path):
    """Open the file ``path`` in ``page``, watched (see PageWatch), and wait until it has settled."""
    watch = PageWatch(page)
    open_settled(page, path.as_uri())
    return watch


@pytest.mark.parametrize("path", [*PAGES, PICKER], ids=page_id)
def test_page_is_whole_offline_and_quiet(page, path):
    watch = open_page(page, path)
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


@pytest.mark.parametrize("path", BOOK_PAGES, ids=page_id)
def test_page_is_in_its_language_and_links_to_the_others(page, path):
    """<html lang> is the edition's; the header links lead to this same page in every other edition."""
    edition, inside = edition_of(path)
    watch = open_page(page, path)
    assert page.evaluate("document.documentElement.lang") == edition.html_lang
    links = page.locator(".edition-links a.edition-link")
    others = [other for other in EDITIONS if other is not edition]
    assert links.count() == len(others), f"expected one link per other edition: {[o.key for o in others]}"
    assert links.first.is_visible(), "the links to the other editions are not visible"
    for index, other in enumerate(others):
        link = links.nth(index)
        assert link.inner_text().strip() == other.name
        assert link.get_attribute("hreflang") == other.html_lang
        assert not link.get_attribute("href").startswith(("/", "file:", "http")), "the links must be relative"
        target = HTML / other.key / inside
        assert link.evaluate("a => a.href") == target.as_uri(), f"the {other.key} link leads elsewhere"
        assert target.is_file(), f"the {other.key} edition has no {inside}"
    other = others[0]
    links.first.click()
    page.wait_for_load_state("load")
    assert page.url == (HTML / other.key / inside).as_uri()
    assert page.evaluate("document.documentElement.lang") == other.html_lang
    assert watch.outside_requests == []


def test_the_picker_leads_to_every_edition(page):
    watch = open_page(page, PICKER)
    links = page.locator("ul.editions a")
    assert links.count() == len(EDITIONS)
    for index, edition in enumerate(EDITIONS):
        link = links.nth(index)
        assert link.get_attribute("hreflang") == edition.html_lang
        assert edition.title in link.inner_text() and edition.words["read_in"] in link.inner_text()
        link.click()
        page.wait_for_load_state("load")
        landing = HTML / edition.key / f"{landing_docname(BOOK)}.html"
        assert page.url == landing.as_uri()
        assert page.evaluate("document.documentElement.lang") == edition.html_lang
        assert page.title().endswith(edition.title)
        page.go_back()
        page.wait_for_load_state("load")
    page.screenshot(path=str(SHOTS / "language-picker.png"))
    assert watch.errors == [] and watch.outside_requests == []


@pytest.mark.parametrize("key, chapter", EDITION_CHAPTERS, ids=[f"{k}/{c}" for k, c in EDITION_CHAPTERS])
def test_chapter_has_math_buttons_widgets_and_closed_solutions(page, key, chapter):
    edition = BY_KEY[key]
    watch = open_page(page, HTML / key / chapter)
    page.wait_for_selector("mjx-container", timeout=15000)
    page.screenshot(path=str(SHOTS / f"{key}-{Path(chapter).stem}-top.png"))
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
    # exercise solutions start collapsed, with the edition's own hint
    solutions = page.locator(".admonition.dropdown")
    assert solutions.count() >= 3
    assert solutions.first.locator(".admonition-title").is_visible()
    assert not solutions.first.locator("p:not(.admonition-title)").first.is_visible()
    hint = solutions.first.locator("button.toggle-button").get_attribute("data-toggle-hint")
    assert hint == edition.words["toggle_show"]
    # a translated chapter says, under its title, that code and outputs stay English
    notes = page.locator("p.edition-note")
    if edition.is_source:
        assert notes.count() == 0
    else:
        assert notes.count() == 1 and notes.first.inner_text() == edition.words["kept_in_english"]
        assert notes.first.evaluate("p => p.previousElementSibling.tagName") == "H1"
    assert watch.errors == [] and watch.outside_requests == []


def heading_text(page):
    return page.locator("article h1").first.evaluate("h => h.firstChild.textContent").strip()


@pytest.mark.parametrize("key", [e.key for e in EDITIONS if not e.is_source])
def test_translated_titles_come_from_the_catalogs(page, key):
    """Each page's title is its catalog's translation of the English one (Sphinx found and used the catalogs)."""
    edition = BY_KEY[key]
    translated = 0
    PageWatch(page)  # blocks requests leaving the machine
    for name in [landing_docname(BOOK), *chapter_docnames(BOOK)]:
        page.goto((HTML / EDITIONS[0].key / f"{name}.html").as_uri())
        english = heading_text(page)
        page.goto((HTML / key / f"{name}.html").as_uri())
        expected = catalogs.translator(edition, name)(english) or english
        assert heading_text(page) == expected, f"{key}/{name}.html: the title is not the catalog's"
        translated += expected != english
    assert translated, f"no page title of the {key} edition is translated: were its catalogs found?"


FILE_FETCH_REFUSED = r"CORS policy|net::ERR_FAILED|Failed to fetch"


def search_query(edition):
    """A word of the RNN chapter's title as the edition writes it (for Chinese, as jieba cuts it)."""
    title = (HTML / edition.key / CHAPTERS[1]).read_text(encoding="utf-8")
    heading = re.search(r"<h1>(.*?)<", title, re.DOTALL).group(1).strip()
    if edition.locale.startswith("zh"):
        import jieba

        words = list(jieba.cut_for_search(heading))
    else:
        words = re.findall(r"\w+", heading)
    return max(words, key=len)


@pytest.mark.parametrize("key", list(BY_KEY))
def test_search_works_offline(page, key):
    edition = BY_KEY[key]
    search = HTML / key / "search.html"
    query = search_query(edition)
    watch = open_page(page, search)
    page.goto(f"{search.as_uri()}?q={query}", wait_until="load")
    page.wait_for_selector("#search-results li", timeout=15000)
    results = page.locator("#search-results li a").evaluate_all("links => links.map(a => a.href)")
    assert any(r.endswith(CHAPTERS[1]) for r in results), f"searching {query!r} did not find {CHAPTERS[1]}"
    page.screenshot(path=str(SHOTS / f"{key}-search.png"))
    assert watch.outside_requests == []
    # from file:// the browser refuses the fetches of the result pages' summaries; any other error counts
    errors = [e for e in watch.errors if not re.search(FILE_FETCH_REFUSED, e)]
    assert errors == [], f"console errors: {errors}"


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
def test_no_raw_latex_or_markdown_in_the_prose(page, path):
    open_page(page, path)  # watched: requests leaving the machine are blocked here too
    if "math notranslate" in path.read_text(encoding="utf-8"):
        page.wait_for_selector("mjx-container", timeout=15000)
        page.wait_for_function("() => !document.querySelector('.math:not(:has(mjx-container))')",
                               timeout=15000)
    leaks = [text.strip() for text in page.evaluate(VISIBLE_PROSE_TEXT) if re.search(RAW_MARKUP, text)]
    assert leaks == [], f"raw markup shown as text on {page_id(path)}: {leaks[:5]}"
