"""The code the chapters teach and reuse: one module per chapter, generated from its notebook.

Each module here is written by ``make export`` (``tools/export_chapters.py``)
from the cells of ``notebooks/<chapter>.md`` tagged ``export``; every block
names the line of the chapter it comes from. Edit the chapter, never these
files: ``make test`` fails when they are stale. ``d2l_mini`` re-exports what
each module lists in ``__all__``, so a reader writes ``d2l.train_ch8``.
"""
