"""Code exported from the chapter "Parameter Management".

Generated from notebooks/parameters.md by tools/export_chapters.py; do not edit.
Change the chapter's cells tagged `export` and run `make export`.
"""

import torch


def custom_init_(weight):
    """Fill ``weight`` in place: U[5, 10] w.p. 1/4, 0 w.p. 1/2, U[-10, -5] w.p. 1/4."""
    with torch.no_grad():
        weight.uniform_(-10, 10)
        weight.masked_fill_(weight.abs() < 5, 0.0)
    return weight
