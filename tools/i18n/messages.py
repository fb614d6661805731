"""The translatable messages of a markdown text, where they are, and putting translations in.

Sphinx's gettext builder turns each paragraph, heading, admonition title and
display-math block of a chapter's markdown cells into one message: the block's
source text, with the lines of a paragraph or title joined by spaces. The
notebook translator (tools.i18n.notebooks) has to find those same messages in
a cell, and know which lines of the cell each one came from, to replace them
with their translation. This module does both, on the tokens of MyST's own
parser (tools.i18n.myst), so it reads a cell as Sphinx does; the tests check
that it finds exactly the messages Sphinx extracts from each chapter. The
markup check (tools.i18n.checks) also asks it which messages are display math.
"""

import re
from dataclasses import dataclass

from tools.i18n.myst import parse, strip_blank_lines, top_level_blocks

# Directives whose argument is a translatable title and whose body is markdown (MyST admonitions).
TITLED_DIRECTIVES = {"admonition"}
BODY_DIRECTIVES = {"admonition", "note", "tip", "hint", "important", "warning", "caution", "attention",
                   "danger", "error", "seealso"}
_HARD_BREAK = re.compile(r"[ \t]*\\[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class Block:
    """One message of a markdown text: its source lines [start, end), and how they hold the text.

    kind is "text" (a paragraph or title: the message is on one or more lines, after a prefix such
    as "## " or "* "), "math" (display math: the lines are $$, the message, $$) or "tex" (an amsmath
    environment: the lines are the message).
    """

    start: int
    end: int
    msgid: str
    kind: str = "text"

    @property
    def is_math(self):
        return self.kind in ("math", "tex")


def text_message(content):
    """The message Sphinx extracts from a paragraph or title: hard breaks dropped, lines joined by spaces."""
    return _HARD_BREAK.sub("", content).replace("\n", " ").strip()


def message_blocks(markdown):
    """Every translatable block of a markdown text, in order."""
    return list(_blocks(parse(markdown), line_offset=0))


def _blocks(tokens, line_offset):
    for index, token in enumerate(tokens):
        if token.type in ("paragraph_open", "heading_open"):
            start, end = token.map
            yield Block(start + line_offset, end + line_offset, text_message(tokens[index + 1].content))
        elif token.type == "math_block":  # $$ ... $$
            start, end = token.map
            yield Block(start + line_offset, end + line_offset, strip_blank_lines(token.content), "math")
        elif token.type == "amsmath":  # \begin{align} ... \end{align}
            start, end = token.map
            yield Block(start + line_offset, end + line_offset, token.content, "tex")
        elif token.type == "fence" and token.info.startswith("{"):
            yield from _directive_blocks(token, line_offset)


def _directive_blocks(token, line_offset):
    """The title of an admonition, then the messages of its body (a nested markdown text)."""
    name, _, argument = token.info[1:].partition("}")
    first = token.map[0] + line_offset
    if name in TITLED_DIRECTIVES and argument.strip():
        yield Block(first, first + 1, text_message(argument))
    if name not in BODY_DIRECTIVES:
        return
    lines = token.content.splitlines()
    body = 0
    while body < len(lines) and lines[body].startswith(":"):  # options such as :class: dropdown
        body += 1
    yield from _blocks(parse("\n".join(lines[body:])), line_offset=first + 1 + body)


def translate_markdown(markdown, translate):
    """The text with every message that `translate` knows replaced by its translation.

    `translate(msgid)` returns the translation, or None (or "") to keep the source text,
    as Sphinx keeps a message its catalog does not translate. Like Sphinx, it also keeps
    the English of a paragraph or title whose translation does not read as one paragraph
    (e.g. "1. ve 2. ..." reads as a numbered list). Everything else (code, blank lines,
    list markers, indentation) stays as it was.
    """
    lines = markdown.split("\n")
    for block in reversed(message_blocks(markdown)):
        translation = translate(block.msgid)
        if translation and translation != block.msgid and (block.is_math or is_one_paragraph(translation)):
            lines[block.start:block.end] = _replacement(lines, block, translation)
    return "\n".join(lines)


def is_one_paragraph(text):
    """Whether a text reads as a single paragraph, as a translated paragraph or title must."""
    return top_level_blocks(text) == ("paragraph",)


def _replacement(lines, block, translation):
    if block.is_math:
        indent = re.match(r"[ \t]*", lines[block.start]).group()
        tex = [indent + line if line else line for line in translation.split("\n")]
        return [indent + "$$", *tex, indent + "$$"] if block.kind == "math" else tex
    first = lines[block.start]
    column = _text_column(first, block)
    suffix = ""
    if block.end - block.start == 1:  # keep what follows the text on its line (a heading's closing #s)
        suffix = first[column + len(block.msgid):] if first[column:].startswith(block.msgid) else ""
    return [first[:column] + " ".join(translation.split("\n")) + suffix]


def _text_column(line, block):
    """Where the block's text starts on its first line (after "## ", "* ", "```{admonition} ", indentation)."""
    search_from = line.index("}") + 1 if line.lstrip().startswith(("```", "~~~")) else 0
    first_word = block.msgid.split(" ", 1)[0]
    column = line.find(first_word, search_from)
    if column < 0:
        raise ValueError(f"Cannot find the text of the message {block.msgid[:60]!r} on its line: {line!r}")
    return column
