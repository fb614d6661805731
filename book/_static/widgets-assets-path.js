// The Jupyter widget manager loads its icon fonts from a "public path". Point it
// at the folder it was installed in (next to this file), never at a CDN.
window.__jupyter_widgets_assets_path__ = new URL("html-manager/", document.currentScript.src).href;
