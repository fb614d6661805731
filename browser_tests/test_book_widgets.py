"""Every widget of the static book responds with no kernel, and shows the right precomputed result.

The book's pages carry each widget's state as the notebook stored it. For
every control a static page shows, the test operates it in headless Chromium
(select, click, keys on a slider, a drag), then checks that what the widget
now shows is exactly the precomputed result the stored state holds for that
choice: the same image bytes, the same text. It also checks that no visible
control is dead (every one is a control this test operates) and that the
controls that need a kernel are hidden, with the note that says so showing.

Run by `make book-test` after `make book`, in every edition the build made.
Screenshots of every state reached go to _build/screenshots/widgets/.
"""

import base64
import json
from pathlib import Path

import pytest
from accessibility import axe_violations

from conftest import ROOT, PageWatch, open_settled
from tools.book_config import load_book

BOOK = load_book()
HTML = ROOT / BOOK["build"]["output_dir"]
SHOTS = ROOT / "_build" / "screenshots" / "widgets"
STATE_MIME = "application/vnd.jupyter.widget-state+json"

# the widgets of each chapter: their CSS class and the descriptions of the controls a static page shows
WIDGETS = {
    "parameters": {"d2l-initializer-explorer": ("initializer", "activation", "histogram of layer")},
    "rnn_scratch": {
        "d2l-clip-explorer": ("θ",),
        "d2l-sampling-explorer": ("seed", "model"),
        "d2l-generation-explorer": ("prefix", "temperature"),
    },
}
# A widget's markup is the same in every edition (its outputs are the English notebook's), so axe-core audits
# every widget state on one edition's pages; test_accessibility audits every edition's pages as they open.
AUDITED_EDITION = "en/"
CONTROL_KINDS = {"DropdownModel": "dropdown", "ToggleButtonsModel": "buttons", "SelectionSliderModel": "slider"}
BOXES = {"VBoxModel", "HBoxModel", "BoxModel", "GridBoxModel"}
INTERACTIVE = "select, button, input, textarea, .noUi-handle"
BROWSER_GENERATOR = ".d2l-browser-generator"  # its controls run the model in the page: test_browser_rnn.py

CHAPTER_PAGES = sorted(page for stem in WIDGETS for page in HTML.rglob(f"{stem}.html") if "_static" not in page.parts)


def page_id(path):
    return path.relative_to(HTML).as_posix()


class StoredWidgets:
    """The widget state a notebook stored, and what it says a widget shows for given control choices."""

    def __init__(self, notebook):
        state = json.loads(notebook.read_text(encoding="utf-8"))["metadata"]["widgets"][STATE_MIME]["state"]
        self.models = state
        self.links = {}  # stack id -> control id, from the jsdlinks
        for model in state.values():
            if model["model_name"] == "DirectionalLinkModel":
                source, target = model["state"]["source"], model["state"]["target"]
                if source[1] == "index" and target[1] == "selected_index":
                    self.links[self._id(target[0])] = self._id(source[0])

    @staticmethod
    def _id(reference):
        return reference.removeprefix("IPY_MODEL_")

    def state(self, model_id):
        return self.models[model_id]["state"]

    def children(self, model_id):
        return [self._id(child) for child in self.state(model_id).get("children", [])]

    def find(self, css_class):
        """The id of the one model carrying ``css_class``."""
        found = [i for i, m in self.models.items() if css_class in m["state"].get("_dom_classes", [])]
        assert len(found) == 1, f"expected one widget with class {css_class}, found {len(found)}"
        return found[0]

    def result_panel(self, root):
        """The id of the result panel (precomputed or live) inside the widget ``root``."""
        return next(i for i in self.descendants(root) if "d2l-result-panel" in self.state(i).get("_dom_classes", []))

    def descendants(self, model_id):
        yield model_id
        for child in self.children(model_id):
            yield from self.descendants(child)

    def control(self, root, description):
        """The id and kind of the control described ``description`` inside the widget ``root``."""
        for model_id in self.descendants(root):
            model = self.models[model_id]
            if model["model_name"] in CONTROL_KINDS and model["state"].get("description") == description:
                return model_id, CONTROL_KINDS[model["model_name"]]
        raise AssertionError(f"no control {description!r} in the stored widget")

    def shown(self, model_id, indices):
        """What the subtree shows when the controls have ``indices``: ('image', bytes) and ('html', text)."""
        model = self.models[model_id]
        name = model["model_name"]
        if name == "StackModel":
            control = self.links.get(model_id)
            if control is None:  # the result panel: precomputed (0) unless a kernel switched it
                index = model["state"]["selected_index"]
            else:
                index = indices.get(control, self.state(control)["index"])
            yield from self.shown(self.children(model_id)[index], indices)
        elif name in BOXES:
            for child in self.children(model_id):
                yield from self.shown(child, indices)
        elif name == "ImageModel":
            buffers = {tuple(b["path"]): b["data"] for b in model.get("buffers", [])}
            yield "image", base64.b64decode(buffers[("value",)])
        elif name == "HTMLModel":
            yield "html", model["state"]["value"]


VISIBLE_RESULTS = """(panel) => {
  const shown = (el) => el.checkVisibility();
  const items = Array.from(panel.querySelectorAll("img, .widget-html-content")).filter(shown);
  return Promise.all(items.map(async (el) => {
    // the page's scripts make <pre> blocks focusable; that is not part of the widget's text
    if (el.tagName !== "IMG") return ["html", el.innerHTML.replaceAll(' tabindex="-1"', "")];
    const bytes = new Uint8Array(await (await fetch(el.src)).arrayBuffer());
    let binary = "";
    for (const b of bytes) binary += String.fromCharCode(b);
    return ["image", btoa(binary)];
  }));
}"""


def normalized_html(markup, page):
    """``markup`` as the browser serializes it, so stored and shown HTML compare equal."""
    return page.evaluate("(m) => { const d = document.createElement('div'); d.innerHTML = m; return d.innerHTML; }",
                         markup)


def wait_until_shown(page, panel, expected, what):
    """Poll until the panel shows ``expected``; fail with what it shows instead."""
    expected = [(kind, base64.b64encode(v).decode() if kind == "image" else normalized_html(v, page))
                for kind, v in expected]
    shown = None
    for _ in range(100):  # up to 5 s: a busy machine may draw late
        shown = [tuple(item) for item in panel.evaluate(VISIBLE_RESULTS)]
        if shown == expected:
            return
        page.wait_for_timeout(50)
    kinds = [kind for kind, _ in shown or []]
    texts = [(value[:300], want[:300]) for (kind, value), (_, want) in zip(shown or [], expected)
             if kind == "html" and value != want]
    raise AssertionError(f"{what}: the widget shows {kinds}, not the precomputed result stored for this choice"
                         + (f"; shown vs stored text: {texts}" if texts else ""))


def control_named(widget, description):
    """The control inside ``widget`` whose description label reads ``description``."""
    return widget.locator(f"xpath=.//*[label[contains(@class, 'widget-label')][normalize-space(.)='{description}']]")


def operate(control, kind, index, options, current):
    """Choose option ``index`` the way a reader would: select, click, or keys/drag on a slider."""
    if kind == "dropdown":
        control.locator("select").select_option(index=index)
    elif kind == "buttons":
        control.locator("button").nth(index).click()
    elif index == options - 1 and current != index:  # drag the slider's handle to its right end
        handle = control.locator(".noUi-handle")
        handle.scroll_into_view_if_needed()  # the mouse acts at viewport coordinates
        track = control.locator(".noUi-base").bounding_box()
        box = handle.bounding_box()
        page = control.page
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.down()
        page.mouse.move(track["x"] + track["width"] + 20, box["y"] + box["height"] / 2, steps=8)
        page.mouse.up()
    else:
        handle = control.locator(".noUi-handle")
        handle.focus()
        key = "ArrowRight" if index > current else "ArrowLeft"
        for _ in range(abs(index - current)):
            handle.press(key)


@pytest.fixture(scope="module", autouse=True)
def built_book():
    if not CHAPTER_PAGES:
        pytest.fail(f"No chapter pages in {HTML}; run `make book` first.")
    SHOTS.mkdir(parents=True, exist_ok=True)


@pytest.mark.parametrize("path", CHAPTER_PAGES, ids=page_id)
def test_every_control_switches_to_its_precomputed_result(page, path):
    stored = StoredWidgets(ROOT / "notebooks" / f"{path.stem}.ipynb")
    watch = PageWatch(page)
    open_settled(page, path.as_uri())
    for css_class, descriptions in WIDGETS[path.stem].items():
        check_widget(page, stored, css_class, descriptions, shot_prefix=page_id(path).replace("/", "__"),
                     audit=page_id(path).startswith(AUDITED_EDITION))
    assert watch.outside_requests == [], f"requests that left the machine: {watch.outside_requests}"
    assert watch.errors == [], f"console errors: {watch.errors}"


def check_widget(page, stored, css_class, descriptions, shot_prefix, audit):
    root_id = stored.find(css_class)
    panel_id = stored.result_panel(root_id)
    widget = page.locator(f".{css_class}")
    widget.wait_for(timeout=30000)
    widget.scroll_into_view_if_needed()
    panel = widget.locator(".d2l-result-panel")

    # kernel-only controls are hidden, the note is shown, and every visible control is one we operate
    assert widget.locator(".d2l-live-only").evaluate_all("els => els.every(e => !e.checkVisibility())")
    assert widget.locator(".d2l-static-only").first.is_visible()
    controls = {d: control_named(widget, d) for d in descriptions}
    operated = sum(control.locator(INTERACTIVE).evaluate_all("els => els.filter(e => e.checkVisibility()).length")
                   for control in controls.values())
    visible = widget.locator(INTERACTIVE).evaluate_all(
        f"els => els.filter(e => e.checkVisibility() && !e.closest('{BROWSER_GENERATOR}')).length")
    assert visible == operated, f"{css_class}: {visible - operated} visible control(s) this test does not operate"

    indices = {}
    wait_until_shown(page, panel, list(stored.shown(panel_id, indices)), f"{css_class} default")
    widget.screenshot(path=str(SHOTS / f"{shot_prefix}__{css_class}__default.png"))
    accessible(widget, f"{css_class} default", audit)
    for description in descriptions:
        control_id, kind = stored.control(root_id, description)
        options = len(stored.state(control_id)["_options_labels"])
        current = stored.state(control_id)["index"]
        order = [i for i in range(options) if i != current] + [current]  # every option, ending where it began
        for index in order:
            operate(controls[description], kind, index, options, indices.get(control_id, current))
            indices[control_id] = index
            what = f"{css_class}: {description} → option {index}"
            wait_until_shown(page, panel, list(stored.shown(panel_id, indices)), what)
            widget.screenshot(path=str(SHOTS / f"{shot_prefix}__{css_class}__{description}-{index}.png"))
            accessible(widget, what, audit)
    if len(descriptions) > 1:  # a combination away from the defaults, to be sure the levels nest right
        for description in descriptions:
            control_id, kind = stored.control(root_id, description)
            options = len(stored.state(control_id)["_options_labels"])
            target = (indices[control_id] + 1) % options
            operate(controls[description], kind, target, options, indices[control_id])
            indices[control_id] = target
        wait_until_shown(page, panel, list(stored.shown(panel_id, indices)), f"{css_class}: a combination")
        widget.screenshot(path=str(SHOTS / f"{shot_prefix}__{css_class}__combination.png"))
        accessible(widget, f"{css_class}: a combination", audit)


def accessible(widget, what, audit):
    """The widget, in the state it shows now, passes axe-core's WCAG 2.1 AA rules (when ``audit``)."""
    if not audit:
        return
    violations = axe_violations(widget.page, widget)
    assert violations == [], f"{what}: {violations}"


def test_the_stored_pages_carry_every_precomputed_result():
    """Each chapter's stored state holds one result per combination of its widgets' controls."""
    for stem, widgets in WIDGETS.items():
        stored = StoredWidgets(ROOT / "notebooks" / f"{stem}.ipynb")
        for css_class, descriptions in widgets.items():
            root_id = stored.find(css_class)
            panel_id = stored.result_panel(root_id)
            controls = [stored.control(root_id, d)[0] for d in descriptions]
            sizes = [len(stored.state(c)["_options_labels"]) for c in controls]
            results = set()
            for combination in _product(sizes):
                shown = tuple(v if k == "html" else v[:64] + v[-64:] for k, v in
                              stored.shown(panel_id, dict(zip(controls, combination))))
                assert shown, f"{stem} {css_class}: nothing stored for {combination}"
                results.add(shown)
            assert len(results) > 1, f"{stem} {css_class}: every choice shows the same result"


def _product(sizes):
    if not sizes:
        yield ()
        return
    for first in range(sizes[0]):
        for rest in _product(sizes[1:]):
            yield (first, *rest)


def test_page_weight_is_within_budget():
    """Each chapter page, with its widget state, and each notebook stays within 4 MB."""
    limit = 4 * 1024 * 1024
    for path in CHAPTER_PAGES:
        assert path.stat().st_size <= limit, f"{page_id(path)} is {path.stat().st_size / 2**20:.1f} MB"
    for stem in WIDGETS:
        notebook = ROOT / "notebooks" / f"{stem}.ipynb"
        assert notebook.stat().st_size <= limit, f"{notebook.name} is {notebook.stat().st_size / 2**20:.1f} MB"


if __name__ == "__main__":  # pragma: no cover
    print(*map(Path.as_posix, CHAPTER_PAGES), sep="\n")
