"""The translation tools' command line: keep the catalogs in step, check them, open an edition in JupyterLab.

    python -m tools.i18n update          # re-extract the English messages; merge them into every catalog
    python -m tools.i18n check           # list what is untranslated, fuzzy, stale or has other markup; exit 1 if any
    python -m tools.i18n lab [EDITION]   # print the folder of an edition's chapters (default: the source's)

`make translations` runs `update`: after an English text changes, it adds the new
messages to locales/<locale>/LC_MESSAGES/<page>.po (a changed sentence keeps its
old translation, marked fuzzy) and marks vanished ones obsolete. Translators then
fill in the empty and fuzzy entries. `check` is what `make test` runs (through
tests/test_translations.py) for every translated edition in book.yml.

`make lab EDITION=tr` runs `lab tr` and opens JupyterLab in the folder it prints:
notebooks/ for the source edition, the chapters it (re)generates into
_build/lab/<edition>/ for a translated one. An EDITION that book.yml does not
list is an error that names the editions it does.
"""

import argparse
import sys

from tools.book_config import LOCALES, ROOT, edition_named, editions, translations
from tools.i18n.catalogs import update_catalogs
from tools.i18n.checks import problems, report
from tools.i18n.notebooks import lab_folder


def update():
    """Merge the English messages, as the chapters have them now, into every translated edition's catalogs."""
    translated = translations()
    update_catalogs(translated)
    print(f"Updated the catalogs of {', '.join(e.key for e in translated)} in {LOCALES}; "
          f"now translate the empty and fuzzy entries (`python -m tools.i18n check` lists them).")
    return 0


def check():
    """Report each translated edition's problems, or that its catalogs are complete; 1 if any has problems."""
    failed = False
    for edition in translations():
        found = problems(edition)
        print(report(edition, found) if found else f"The {edition.name} catalogs are complete and current.")
        failed = failed or bool(found)
    return 1 if failed else 0


def lab(key):
    """Print the folder JupyterLab opens for the edition `key` (the source edition's when None)."""
    try:
        edition = edition_named(key) if key else editions()[0]
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    print(lab_folder(edition))
    if not edition.is_source:
        print(f"Opening the {edition.name} chapters, generated from the English notebooks and "
              f"{edition.catalog_dir.relative_to(ROOT)}.", file=sys.stderr)
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tools.i18n", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("update", help="merge the English messages into every catalog (make translations)")
    commands.add_parser("check", help="list what is left to translate or differs in markup; exit 1 if anything")
    lab_command = commands.add_parser("lab", help="print the folder of an edition's chapters (make lab)")
    lab_command.add_argument("edition", nargs="?", help="an edition's key in book.yml (default: the source's)")
    args = parser.parse_args(argv)
    if args.command == "update":
        return update()
    if args.command == "check":
        return check()
    return lab(args.edition)
