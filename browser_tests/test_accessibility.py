"""Every reader can use the book: axe-core finds nothing on any page, in light and dark mode; every widget
control works from the keyboard alone; and at a phone's width no page scrolls sideways.

Run by `make book-test` after `make book`. (The widget states the widget test
reaches are checked with axe-core there, in browser_tests/test_book_widgets.py.)
Screenshots at phone width go to _build/screenshots/phone/.
"""

import pytest
from accessibility import axe_violations
from test_book import HTML, PAGES, PICKER, page_id

from conftest import ROOT, PageWatch, open_settled

SHOTS = ROOT / "_build" / "screenshots" / "phone"
CHAPTERS = [p for p in PAGES if p.stem in ("parameters", "rnn_scratch")]
PHONE = {"width": 375, "height": 740}
KEYBOARD_CONTROLS = {  # the controls a static page shows, by widget: what a reader would operate
    "d2l-initializer-explorer": ("select", "button", ".noUi-handle"),
    "d2l-clip-explorer": (".noUi-handle",),
    "d2l-sampling-explorer": ("button",),
    "d2l-generation-explorer": ("select", ".noUi-handle"),
}


def open_page(page, path, scheme="light"):
    page.emulate_media(color_scheme=scheme)
    watch = PageWatch(page)
    open_settled(page, path.as_uri())
    if path.stem in ("parameters", "rnn_scratch"):  # widgets draw after the load event
        page.locator(".d2l-result-panel").first.wait_for(timeout=30000)
    return watch


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", [*PAGES, PICKER], ids=page_id)
def test_no_axe_violations(page, path, scheme):
    open_page(page, path, scheme)
    if path != PICKER:  # the theme follows the system, once its script has run (late on a busy machine)
        page.wait_for_function("(scheme) => document.documentElement.dataset.theme === scheme", arg=scheme,
                               timeout=15000)
    violations = axe_violations(page)
    assert violations == [], f"{page_id(path)} ({scheme}): {violations}"


def shown_result(widget):
    """What the widget's result panel shows now: its visible images' sources and text."""
    return widget.locator(".d2l-result-panel").evaluate(
        "(panel) => Array.from(panel.querySelectorAll('img, .widget-html-content'))"
        ".filter((el) => el.checkVisibility()).map((el) => el.tagName === 'IMG' ? el.src : el.textContent)")


def press_to_change(page, widget, control, selector):
    """Focus ``control`` with the keyboard's focus and change it with keys alone; the result must change."""
    before = shown_result(widget)
    control.focus()
    assert control.evaluate("(el) => el === document.activeElement && el.tabIndex >= 0"), f"{selector}: not focusable"
    if selector == "button":
        control.press("Enter")
    elif selector == "select":
        control.press("ArrowDown")
    else:  # a slider's handle: towards the end it is not at
        at_end = control.evaluate("(el) => el.getAttribute('aria-valuenow') === el.getAttribute('aria-valuemax')")
        control.press("ArrowLeft" if at_end else "ArrowRight")
    for _ in range(100):  # up to 5 s: a busy machine may draw late
        if shown_result(widget) != before:
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"{selector}: the keys changed nothing the widget shows")


@pytest.mark.parametrize("path", CHAPTERS, ids=page_id)
def test_every_widget_control_works_from_the_keyboard(page, path):
    open_page(page, path)
    for css_class, selectors in KEYBOARD_CONTROLS.items():
        widget = page.locator(f".{css_class}")
        if not widget.count():
            continue
        for selector in selectors:
            controls = widget.locator(selector).filter(visible=True)
            if selector == "button":  # a button not yet pressed: a toggle button's other choice
                controls = widget.locator("button:not(.mod-active)").filter(visible=True)
            assert controls.count(), f"{css_class}: no {selector} to operate"
            press_to_change(page, widget, controls.first, selector)


@pytest.mark.parametrize("path", CHAPTERS, ids=page_id)
def test_the_browser_generator_works_from_the_keyboard(page, path):
    if path.stem != "rnn_scratch":
        pytest.skip("the generator is in the RNN chapter")
    open_page(page, path)
    generator = page.locator(".d2l-browser-generator[data-wired]")
    generator.wait_for(timeout=30000)
    prefix = generator.locator(".d2l-bg-prefix")
    prefix.focus()
    prefix.fill("")
    prefix.type("The Psychologist! ")
    page.keyboard.press("Tab")  # to the temperature
    page.keyboard.press("Control+A")
    page.keyboard.type("0")
    page.keyboard.press("Tab")  # to the length
    page.keyboard.press("Tab")  # to Generate
    assert page.evaluate("document.activeElement.classList.contains('d2l-bg-generate')")
    page.keyboard.press("Enter")
    output = generator.locator(".d2l-bg-output")
    page.wait_for_function("(el) => el.textContent.startsWith('the psychologist ')", arg=output.element_handle())
    assert len(output.text_content()) > len("the psychologist ") + 10


@pytest.mark.parametrize("path", [p for p in PAGES if p.parent.name in ("book", "notebooks")], ids=page_id)
def test_at_phone_width_nothing_scrolls_sideways_and_every_control_fits(page, path):
    page.set_viewport_size(PHONE)
    open_page(page, path)
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
    outside = page.locator(".jupyter-widgets select, .jupyter-widgets button, .jupyter-widgets input, "
                           ".jupyter-widgets .noUi-handle, .jupyter-widgets img").evaluate_all(
        f"(els) => els.filter((e) => e.checkVisibility()).map((e) => e.getBoundingClientRect())"
        f".filter((r) => r.right > {width} + 1 || r.left < -1).length")
    assert outside == 0, f"{outside} widget control(s) or figure(s) stick out of the {width}-pixel page"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{page_id(path).replace('/', '__')}.png"), full_page=True)


def test_the_picker_and_pages_exist():
    assert PICKER.exists() and len(PAGES) > 10 and HTML.exists()
