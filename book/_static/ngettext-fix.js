// Sphinx 9.0.4's Documentation.ngettext indexes a (singular, plural) translation with the language's
// plural expression as is. For Turkish that is "(n > 1)", a boolean, which indexes nothing: the search
// page then stops with "Cannot read properties of undefined (reading 'replace')" when it reports how
// many pages it found. Use the expression as a number, and fall back to English when the translation
// is missing or empty, as gettext does.
(function () {
  if (typeof Documentation === "undefined") return;
  Documentation.ngettext = (singular, plural, n) => {
    const translated = Documentation.TRANSLATIONS[singular];
    const chosen = Array.isArray(translated) ? translated[Number(Documentation.PLURAL_EXPR(n))] : undefined;
    return chosen || (n === 1 ? singular : plural);
  };
})();
