"""`python -m tools.i18n ...` runs the translation tools' command line (tools/i18n/cli.py)."""

import sys

from tools.i18n.cli import main

sys.exit(main())
