"""Which folder `make lab` opens: the English chapters, or an edition's translated notebooks.

    python tools/lab_folder.py VALUE ORIGIN   # prints the folder; VALUE is $(LANG), ORIGIN make's $(origin LANG)

LANG picks an edition only when its value is an edition's key in book.yml (en, tr,
zh), as in `make lab LANG=tr`; the translated notebooks are then (re)generated into
_build/lab/<key>/ by tools/translate_notebooks.py. Every other value opens the
English chapters in notebooks/, the source you edit: shells set LANG to a locale
(C.UTF-8, en_US.UTF-8, tr_TR.UTF-8), and the locale you happen to work in should not
swap the source for generated copies. A value given on make's command line that
names no edition is an error, since it was meant as a choice.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tools.book_config import editions  # noqa: E402
from tools.translate_notebooks import translate_chapters  # noqa: E402

NOTEBOOKS = ROOT / "notebooks"


def edition_for_lab(value, origin):
    """The edition LANG=value selects; origin is where make found it ("command line", "environment", ...)."""
    known = editions()
    for edition in known:
        if edition.key == value:
            return edition
    if origin == "command line":
        keys = ", ".join(edition.key for edition in known)
        raise ValueError(f"LANG={value} names no edition of the book; the editions are {keys} (book.yml).")
    return known[0]


def main(argv=None):
    value, origin = sys.argv[1:3] if argv is None else argv
    try:
        edition = edition_for_lab(value, origin)
    except ValueError as error:
        print(f"make lab: {error}", file=sys.stderr)
        return 2
    if edition.is_source:
        print(NOTEBOOKS)
    else:
        print(translate_chapters(edition)[0].parent)
        print(f"Opening the {edition.name} chapters, generated from the English notebooks and "
              f"{edition.catalog_dir.relative_to(ROOT)}.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
