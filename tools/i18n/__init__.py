"""The translated editions of the book: catalogs, their checks, and the chapters as translated notebooks.

The book is written in English; each other edition of book.yml takes its text from
gettext catalogs, one per page, committed as locales/<locale>/LC_MESSAGES/<page>.po.
One command line drives it all (tools/i18n/cli.py):

    python -m tools.i18n update          # make translations: merge the English messages into every catalog
    python -m tools.i18n check           # what is untranslated, fuzzy, stale or has other markup
    python -m tools.i18n lab [EDITION]   # make lab EDITION=...: the folder of that edition's chapters

The modules, from the parser up:

* myst: the chapters' markdown, parsed as the book parses it;
* messages: the translatable messages of a markdown text, and putting translations in;
* markup: the markup of a message, which its translation must keep;
* catalogs: extracting the English messages (Sphinx's gettext builder), reading and compiling the .po files;
* checks: what is wrong with an edition's catalogs, in words a translator can act on;
* notebooks: the chapters as notebooks in another language, for JupyterLab.
"""
