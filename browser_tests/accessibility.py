"""axe-core in the book's pages: the WCAG 2.1 AA rules, run in the browser on a page or on one widget.

axe-core (npm, like the book's other browser assets) is injected into the
page under test and run there; what it reports is turned into short lines
that name the rule, the elements and what to fix.
"""

from conftest import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

RUN = """async ([element, tags]) => {
  // preload: false, or axe fetches every stylesheet again, which a file:// page refuses (console errors);
  // the one rule that needs them, css-orientation-lock, then reports "incomplete", never a violation
  const result = await window.axe.run(element || document, {runOnly: {type: "tag", values: tags}, preload: false});
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}; ` +
    v.nodes.slice(0, 3).map((n) => `${n.target.join(" ")}: ${n.failureSummary.replace(/\\s+/g, " ")}`)
      .join(" | ") + (v.nodes.length > 3 ? ` (and ${v.nodes.length - 3} more)` : ""));
}"""


def axe_violations(page, locator=None):
    """axe-core's WCAG 2.1 AA violations on ``page`` (or inside ``locator``), one line each; [] if none."""
    if not AXE.exists():
        raise AssertionError(f"{AXE} is missing; run `npm ci` (make book does).")
    if not page.evaluate("() => Boolean(window.axe)"):
        page.add_script_tag(path=str(AXE))
    element = locator.element_handle() if locator is not None else None
    return page.evaluate(RUN, [element, WCAG_21_AA])
