// Names that screen readers announce should contain the words a reader sees (WCAG 2.5.3, "label in
// name"). Two parts of the theme and of myst-nb give a control a fixed aria-label that differs from its
// visible text: the search button ("Search" beside "Search" and a keyboard shortcut) and the toggles of
// hidden cells ("Toggle hidden content" on a summary that reads "Show code cell source"). Their visible
// text is a good name, so it becomes the name.
(function () {
  "use strict";
  const fix = () => {
    document.querySelectorAll(".search-button__button[aria-label]").forEach((button) => {
      const visible = button.textContent.replace(/\s+/g, " ").trim();
      if (visible) button.setAttribute("aria-label", visible);
    });
    document.querySelectorAll("details > summary[aria-label]").forEach((summary) => {
      if (summary.textContent.trim()) summary.removeAttribute("aria-label");
    });
  };
  document.addEventListener("DOMContentLoaded", fix);
  new MutationObserver(fix).observe(document.documentElement, { childList: true, subtree: true });
})();
