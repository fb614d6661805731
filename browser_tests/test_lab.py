"""JupyterLab end to end: open each chapter, run every cell, use the widgets like a reader.

Run by `make e2e`. JupyterLab serves a temporary copy of notebooks/ (so that
autosave cannot touch the committed files) on a free loopback port with a
token (tools/jupyter_server.py); Playwright drives Debian's Chromium
(conftest.py). Screenshots, and the server's log, go to _build/e2e/.
"""

import os
import re
import shutil
import time
from pathlib import Path

import pytest

from conftest import ROOT, PageWatch
from tools.jupyter_server import jupyter_server

SHOTS = ROOT / "_build" / "e2e"
RUN_ALL_TIMEOUT_S = 15 * 60


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a copy of the chapters (a RunningServer: url, token, root_dir); its log in SHOTS."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    folder = tmp_path_factory.mktemp("chapters")
    for path in (ROOT / "notebooks").iterdir():
        if path.suffix in (".md", ".ipynb"):
            shutil.copy2(path, folder / path.name)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(folder / ".jupyter")}
    with jupyter_server(folder, env=env, args=["--LabApp.expose_app_in_browser=True"],
                        log_path=SHOTS / "jupyterlab.log") as server:
        yield server


def open_in_lab(page, lab, name):
    """Open the document ``name`` in JupyterLab in ``page``, watched, and wait until its kernel is idle."""
    watch = PageWatch(page, allowed_hosts=[lab.url.split("//")[1]])
    # ?reset: a fresh workspace, so that only this document is open
    page.goto(f"{lab.url}/lab/tree/{name}?reset&token={lab.token}", wait_until="domcontentloaded")
    page.wait_for_function(
        "window.jupyterapp && window.jupyterapp.shell.currentWidget"
        " && window.jupyterapp.shell.currentWidget.content"
        " && window.jupyterapp.shell.currentWidget.content.widgets.length > 0",
        timeout=60000,
    )
    wait_for_kernel_idle(page, timeout_s=120)
    return watch


KERNEL_STATUS = """() => {
  const widget = window.jupyterapp.shell.currentWidget;
  const kernel = widget && widget.sessionContext && widget.sessionContext.session
      && widget.sessionContext.session.kernel;
  return kernel ? kernel.status : 'none';
}"""

# Progress and problems, read from the notebook model (the DOM may not hold every cell).
NOTEBOOK_STATE = """() => {
  const cells = window.jupyterapp.shell.currentWidget.content.widgets.filter(c => c.model.type === 'code');
  const problems = [];
  for (const cell of cells) {
    for (const out of cell.model.outputs.toJSON()) {
      const text = out.output_type === 'stream' ? [].concat(out.text).join('') : '';
      if (out.output_type === 'error') {
        problems.push(`${out.ename}: ${out.evalue}`);
      } else if (out.name === 'stderr' && /Traceback|Error/.test(text)) {
        problems.push(text.slice(0, 500));
      }
    }
  }
  return {total: cells.length, done: cells.filter(c => c.model.executionCount !== null).length, problems};
}"""


def wait_for_kernel_idle(page, timeout_s):
    deadline = time.monotonic() + timeout_s
    while page.evaluate(KERNEL_STATUS) != "idle":
        if page.evaluate(KERNEL_STATUS) in ("dead", "autorestarting"):
            pytest.fail("the kernel died")
        if time.monotonic() > deadline:
            pytest.fail("the kernel did not become idle in time")
        time.sleep(0.5)


def run_all_cells(page, name):
    """Clear the stored outputs, run every cell, and wait until each has run (or one failed)."""
    page.evaluate("window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
    assert page.evaluate(NOTEBOOK_STATE)["done"] == 0
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    deadline = time.monotonic() + RUN_ALL_TIMEOUT_S
    while True:
        state = page.evaluate(NOTEBOOK_STATE)
        assert state["problems"] == [], f"{name}: {state['problems'][:2]}"
        if state["done"] == state["total"] and page.evaluate(KERNEL_STATUS) == "idle":
            break
        if page.evaluate(KERNEL_STATUS) == "dead":
            pytest.fail(f"the kernel died while running {name}")
        if time.monotonic() > deadline:
            pytest.fail(f"{name}: {state['done']} of {state['total']} cells ran in {RUN_ALL_TIMEOUT_S} s")
        time.sleep(1)
    page.screenshot(path=str(SHOTS / f"{Path(name).stem}-1-run-all.png"), full_page=False)


def assert_no_errors(page, watch, name):
    state = page.evaluate(NOTEBOOK_STATE)
    assert state["problems"] == [], f"{name}: {state['problems'][:2]}"
    assert state["done"] == state["total"], f"{name}: cells left unexecuted"
    assert page.evaluate(KERNEL_STATUS) != "dead", f"{name}: the kernel died"
    assert watch.errors == [], f"{name}: console errors {watch.errors}"
    assert watch.outside_requests == [], f"{name}: requests that left the machine {watch.outside_requests}"


def wait_until(predicate, timeout_s, what):
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.25)


def set_readout(widget, description, value):
    """Type a value into a slider's editable readout, as a reader can, and confirm with Enter."""
    control = widget.locator(".widget-slider", has=widget.page.locator(f"label:text-is('{description}')"))
    readout = control.locator(".widget-readout")
    readout.click()
    readout.press("Control+A")
    readout.type(str(value))
    readout.press("Enter")


def open_and_run_all(page, lab, name):
    """Open a chapter like a reader, run every cell, and insist that nothing went wrong."""
    watch = open_in_lab(page, lab, name)
    run_all_cells(page, name)
    assert_no_errors(page, watch, name)
    return watch


def visible_image_srcs(widget):
    return widget.locator(".widget-image").evaluate_all(
        "els => els.filter(e => e.checkVisibility()).map(e => e.getAttribute('src'))")


def assert_live_controls_shown(widget):
    """With a kernel, the live-only controls show and the static page's note stays hidden."""
    assert widget.locator(".d2l-live-only").first.is_visible()
    assert not widget.locator(".d2l-static-only").first.is_visible()


def press_on_slider(widget, description, key, times=1):
    handle = widget.locator(".widget-slider", has=widget.page.locator(f"label:text-is('{description}')"))
    handle = handle.locator(".noUi-handle")
    handle.focus()
    for _ in range(times):
        handle.press(key)


def test_parameters_chapter_runs_and_the_explorer_reacts(page, lab):
    watch = open_and_run_all(page, lab, "parameters.ipynb")
    explorer = page.locator(".d2l-initializer-explorer")
    explorer.scroll_into_view_if_needed()
    assert_live_controls_shown(explorer)
    before = visible_image_srcs(explorer)
    explorer.locator("select").first.select_option("Xavier uniform")  # a precomputed setting
    wait_until(lambda: visible_image_srcs(explorer) != before, 10, "the precomputed figures to switch")
    assert "Xavier uniform" in explorer.locator(".d2l-result-panel").inner_text()
    explorer.screenshot(path=str(SHOTS / "parameters-2-initializer-changed.png"))
    set_readout(explorer, "gain", 0.5)  # a live-only setting: drawn by the kernel
    wait_until(lambda: "gain = 0.5" in explorer.inner_text(), 10, "the live redraw at gain 0.5")
    assert "vanishing" in explorer.inner_text()
    explorer.screenshot(path=str(SHOTS / "parameters-3-live-scale.png"))
    assert_no_errors(page, watch, "parameters.ipynb")


def test_rnn_chapter_runs_and_its_widgets_respond(page, lab):
    watch = open_and_run_all(page, lab, "rnn_scratch.ipynb")
    # Clipping: a precomputed θ switches at once; a long live run grows as we watch, then stops.
    clip = page.locator(".d2l-clip-explorer")
    clip.scroll_into_view_if_needed()
    assert_live_controls_shown(clip)
    progress = clip.locator(".d2l-progress")
    before = visible_image_srcs(clip)
    press_on_slider(clip, "θ", "ArrowLeft", 2)  # 0.3 -> 0.03
    wait_until(lambda: visible_image_srcs(clip) != before, 10, "the precomputed run for θ = 0.03")
    assert "θ = 0.03" in clip.inner_text()
    set_readout(clip, "epochs", 200)  # off the grid: trains live
    wait_until(lambda: "clipped at θ = 0.03: epoch" in progress.inner_text(), 120, "the live clipped run")
    first_frame = visible_image_srcs(clip)
    wait_until(lambda: visible_image_srcs(clip) != first_frame, 30, "the perplexity plot to grow")
    clip.screenshot(path=str(SHOTS / "rnn-2-clip-training.png"))
    epoch_before_stop = int(re.search(r"epoch (\d+)", progress.inner_text()).group(1))
    clip.get_by_role("button", name="Stop").click()
    wait_until(lambda: progress.inner_text() == "stopped", 10, "Stop to end the run")
    assert epoch_before_stop < 200
    clip.screenshot(path=str(SHOTS / "rnn-3-clip-stopped.png"))

    # Sampling: another seed switches at once; Train live trains the chosen mode and seed again.
    sampling = page.locator(".d2l-sampling-explorer")
    sampling.scroll_into_view_if_needed()
    assert_live_controls_shown(sampling)
    before = visible_image_srcs(sampling)
    sampling.get_by_role("button", name="random").click()
    sampling.get_by_role("button", name="1", exact=True).click()
    wait_until(lambda: "random model (seed 1)" in sampling.inner_text(), 10, "the precomputed random run")
    assert visible_image_srcs(sampling) != before
    sampling.get_by_role("button", name="Train live").click()
    wait_until(lambda: "done, trained live" in sampling.locator(".d2l-progress").inner_text(), 120,
               "the live random-sampling run")
    sampling.screenshot(path=str(SHOTS / "rnn-4-sampling-random.png"))

    # Generation: a typed prefix starts the generated text.
    generation = page.locator(".d2l-generation-explorer")
    generation.scroll_into_view_if_needed()
    assert_live_controls_shown(generation)
    box = generation.locator("input[type='text']").first
    box.fill("the traveller ")
    box.press("Enter")
    # the text at the chosen temperature: the row marked ▶ of the table shown (one row per temperature)
    chosen_text = generation.locator("table.d2l-generation-table:visible tr", has_text="▶").first.locator("code")
    wait_until(lambda: chosen_text.inner_text().startswith("the traveller "), 30, "generated text for the new prefix")
    assert len(chosen_text.inner_text()) > len("the traveller ")
    generation.screenshot(path=str(SHOTS / "rnn-5-generation.png"))
    assert_no_errors(page, watch, "rnn_scratch.ipynb")


def test_markdown_source_opens_as_a_notebook_and_saves_both_files(page, lab):
    ipynb = lab.root_dir / "parameters.ipynb"
    before = ipynb.stat().st_mtime
    watch = open_in_lab(page, lab, "parameters.md")
    assert page.evaluate(NOTEBOOK_STATE)["total"] > 10, "the .md did not open as a notebook"
    page.evaluate("window.jupyterapp.commands.execute('docmanager:save')")
    wait_until(lambda: ipynb.stat().st_mtime > before, 30, "saving the .md to update the paired .ipynb")
    page.screenshot(path=str(SHOTS / "parameters-md-as-notebook.png"))
    assert watch.errors == []
