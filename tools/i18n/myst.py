"""The chapters' markdown, parsed as the book parses it.

myst-nb reads every markdown cell with MyST's markdown-it parser and the syntax
extensions of tools.book_config.MYST_EXTENSIONS ($math$, amsmath). The
translation tools (tools.i18n.messages, tools.i18n.markup) parse with the very
same parser, so they see the same paragraphs, headings, math and inline markup
as Sphinx does.
"""

from functools import cache

from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.mdit_to_docutils.base import strip_blank_lines
from myst_parser.parsers.mdit import create_md_parser

from tools.book_config import MYST_EXTENSIONS

__all__ = ["parse", "strip_blank_lines", "top_level_blocks"]


@cache
def _parser():
    return create_md_parser(MdParserConfig(enable_extensions=set(MYST_EXTENSIONS)), RendererHTML)


def parse(markdown):
    """The markdown-it block tokens of a text (inline tokens are the `children` of `inline` ones)."""
    return _parser().parse(markdown)


def top_level_blocks(markdown):
    """What a text is made of, block by block: e.g. ("paragraph",), or ("ordered_list",) for "1. Yes"."""
    return tuple(token.type.removesuffix("_open") for token in parse(markdown)
                 if token.level == 0 and token.nesting != -1 and token.type != "inline")
