"""Run Sphinx on the book: the one way every build of it starts a Sphinx process.

Two programs run Sphinx: the HTML build of each edition (tools/build_book.py)
and the extraction of the English messages for the translations (Sphinx's
gettext builder, tools/i18n/catalogs.py). Both run it here, the same way:

* in a process of its own, with the repository as the source folder and book/
  as the configuration folder;
* with the repository root on PYTHONPATH, because book/conf.py and the book's
  extensions import tools.book_config, the one reader of book.yml;
* with the edition to build in $D2L_BOOK_EDITION, which book/conf.py reads
  (unset: the source edition, English).
"""

import os
import subprocess
import sys

from tools.book_config import EDITION_VARIABLE, ROOT


def sphinx_command(builder, output, doctrees, warnings_are_errors=False):
    """The sphinx-build command line: `builder` ("html", "gettext") writes into output."""
    command = [sys.executable, "-m", "sphinx", "-b", builder, "-c", str(ROOT / "book"), "-d", str(doctrees), "-q"]
    if warnings_are_errors:
        command += ["-W", "--keep-going"]
    return [*command, str(ROOT), str(output)]


def sphinx_environment(edition=None):
    """This process's environment, plus the repository root on PYTHONPATH and the edition to build."""
    paths = [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    if edition is not None:
        environment[EDITION_VARIABLE] = edition.key
    else:
        environment.pop(EDITION_VARIABLE, None)
    return environment


def run_sphinx(builder, output, doctrees, edition=None, warnings_are_errors=False, **options):
    """Run Sphinx in its own process and return the CompletedProcess; options go to subprocess.run."""
    command = sphinx_command(builder, output, doctrees, warnings_are_errors)
    return subprocess.run(command, env=sphinx_environment(edition), cwd=ROOT, **options)
