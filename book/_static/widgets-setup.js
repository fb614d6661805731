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
