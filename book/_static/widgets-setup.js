// Setup for the Jupyter widget manager in the static book. Loaded after
// require.js and before the widget manager (html-manager/embed-amd.js).
(function () {
  // 1. The widget manager finds its files (icon fonts) next to itself, never on a CDN.
  //    Its AMD modules compute that folder from their module URL, so map every
  //    @jupyter-widgets module (they are all bundled in embed-amd.js) into that folder.
  const folder = new URL("html-manager/", document.currentScript.src).href.replace(/\/$/, "");
  window.__jupyter_widgets_assets_path__ = folder + "/";
  window.requirejs.config({
    paths: { "@jupyter-widgets/html-manager/dist": folder, "@jupyter-widgets": folder },
  });

  // 2. Widgets typeset their labels with MathJax 2's API (MathJax.Hub.Queue), but the
  //    book runs MathJax 3: translate those calls, queueing them until MathJax is ready.
  const pending = [];
  const typeset = (element) => window.MathJax.typesetPromise([element]).catch(() => {});
  const hub = {
    Queue: (job) => (window.MathJax.typesetPromise ? typeset(job[2]) : pending.push(job[2])),
  };
  const config = (window.MathJax = window.MathJax || {});
  config.Hub = hub;
  const startup = (config.startup = config.startup || {});
  startup.ready = () => {
    window.MathJax.startup.defaultReady();
    window.MathJax.Hub = hub;
    pending.splice(0).forEach(typeset);
  };
})();

// 3. This page has no kernel: hide the controls that need one, and show the note that
//    says so (see d2l_mini/widgets/precomputed.py). Wherever a kernel runs the widgets, the
//    controls show and the note keeps its inline display: none.
(function () {
  const style = document.createElement("style");
  style.textContent =
    ".d2l-live-only { display: none !important; }\n" +
    ".d2l-static-only { display: block !important; }\n";
  document.head.appendChild(style);
})();

// 4. Every control and figure of the widgets says what it is, to a screen reader too. The widget
//    manager draws slider handles and menus without an accessible name, and images without alt text;
//    each widget's description label (and each figure's tooltip, see d2l_mini/widgets/images.py)
//    supplies it. Runs whenever the widget manager adds to the page.
(function () {
  const labelOf = (control) => {
    const widget = control.closest(".widget-inline-hbox, .widget-hbox, .jupyter-widgets");
    const label = widget && widget.querySelector(":scope > .widget-label, :scope > label");
    return label && label.textContent.trim();
  };
  const name = () => {
    document.querySelectorAll(".jupyter-widgets img:not([alt])").forEach((img) => {
      img.alt = img.title || "";
    });
    document.querySelectorAll(".jupyter-widgets .noUi-handle:not([aria-label])").forEach((handle) => {
      handle.setAttribute("aria-label", labelOf(handle) || "slider");
    });
    document.querySelectorAll(".jupyter-widgets select:not([aria-label])").forEach((select) => {
      select.setAttribute("aria-label", labelOf(select) || "choice");
    });
    document.querySelectorAll(".jupyter-widgets .widget-readout[contenteditable]:not([aria-label])")
      .forEach((readout) => readout.setAttribute("aria-label", (labelOf(readout) || "value") + ", value"));
  };
  new MutationObserver(name).observe(document.documentElement, { childList: true, subtree: true });
})();

// 5. Phone widths: a widget's rows wrap instead of pushing the page sideways, and fixed widths
//    give way to the width of the page.
(function () {
  const style = document.createElement("style");
  style.textContent =
    ".jupyter-widgets .widget-hbox, .jupyter-widgets.widget-hbox { flex-wrap: wrap; max-width: 100%; }\n" +
    ".jupyter-widgets.widget-inline-hbox, .jupyter-widgets .widget-inline-hbox { max-width: 100%; }\n" +
    ".jupyter-widgets .widget-html-content table { display: block; overflow-x: auto; max-width: 100%; }\n" +
    ".d2l-browser-generator input { max-width: 100%; }\n";
  document.head.appendChild(style);
})();
