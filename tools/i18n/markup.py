"""The markup of a message, to check that a translation keeps its source's.

A translation is markdown too, and Sphinx renders it as such: a code span whose
text changed shows other code, a dropped $ turns math into a stray dollar and
raw TeX, and an unclosed ** shows up literally, with no warning from Sphinx.
So each translation must carry the same markup as its English message: the
same kind of block (a paragraph stays a paragraph: a translation that starts
with "1. " reads as a numbered list, and Sphinx then quietly shows the English),
the same inline and display math, the same code spans, as many bold spans, the
same role targets ({doc}`text <target>`: the text may be translated) and
link targets, and no markup characters left over as plain text where the
English has none. Emphasis (*...*) may differ, since languages emphasize
differently, but must be closed. Math is compared without its spacing and
without the words inside \\text{...}, which a translation may translate.

A display-math block ($$ on lines of their own) is a message of its own, the
TeX without the $$; the caller says when a message is one (`display_math`).
"""

import re
from collections import Counter

from tools.i18n.myst import parse, top_level_blocks

MATH_TOKENS = {"math_inline", "math_inline_double", "math_block", "math_block_label", "amsmath"}
# Markup characters that remain in plain text when the parser did not pair them.
LEFTOVER_MARKUP = {"**": re.compile(r"\*\*"), "*": re.compile(r"(?<!\*)\*(?!\*)"), "`": re.compile("`"),
                   "$": re.compile(r"\$")}
_ROLE_TARGET = re.compile(r"^(?:.*?)\s*<([^<>]+)>$", re.DOTALL)
_TEXT_IN_MATH = re.compile(r"\\(text|textrm|textit|textbf|mbox)\s*\{[^{}]*\}")


def _math(content):
    """Math as compared: words in \\text{...} left out, whitespace collapsed."""
    return " ".join(_TEXT_IN_MATH.sub(r"\\\1{}", content).split())


def _inline_tokens(text):
    for token in parse(text):
        yield token
        yield from token.children or ()


def markup_of(text, display_math=False):
    """The markup of a text, as a Counter of (kind, detail) pairs; all of it math if display_math."""
    if display_math:
        return Counter({("math", _math(text)): 1})
    found = Counter()
    for token in _inline_tokens(text):
        if token.type in MATH_TOKENS:
            found["math", _math(token.content)] += 1
        elif token.type == "code_inline":
            found["code", token.content] += 1
        elif token.type == "myst_role":
            target = _ROLE_TARGET.match(token.content)
            found["role", f"{{{token.meta['name']}}} {target.group(1) if target else token.content}"] += 1
        elif token.type in ("link_open", "image"):
            found["link", token.attrs.get("href") or token.attrs.get("src", "")] += 1
        elif token.type == "strong_open":
            found["bold", ""] += 1
        elif token.type == "text":
            for characters, pattern in LEFTOVER_MARKUP.items():
                if count := len(pattern.findall(token.content)):
                    found["leftover", characters] += count
    return found


def _describe(kind, detail):
    return {
        "math": f"math ${detail}$",
        "code": f"code `{detail}`",
        "role": f"role {detail}",
        "link": f"link to {detail}",
        "bold": "bold **...**",
        "leftover": f"{detail} shown as plain text (unclosed or stray markup)",
    }[kind]


BLOCK_NAMES = {"paragraph": "a paragraph", "ordered_list": "a numbered list", "bullet_list": "a bulleted list",
               "heading": "a heading", "blockquote": "a quote", "fence": "a code block", "code_block": "a code block",
               "math_block": "display math", "hr": "a rule", "table": "a table", "html_block": "HTML"}


def _blocks_in_words(blocks):
    return " then ".join(BLOCK_NAMES.get(block, block) for block in blocks) or "nothing"


def markup_differences(source, translation, display_math=False):
    """What markup the translation lacks or adds compared with its source, in words ([] if none)."""
    expected, actual = markup_of(source, display_math), markup_of(translation, display_math)
    differences = []
    if not display_math and top_level_blocks(source) != top_level_blocks(translation):
        differences.append(f"the translation reads as {_blocks_in_words(top_level_blocks(translation))}, the English "
                           f"as {_blocks_in_words(top_level_blocks(source))} (a line starting with '1.', '-', '*', "
                           "'#' or '>' starts a list, heading or quote: escape it with a backslash, as in '1\\.')")
    for key in sorted(expected.keys() | actual.keys()):
        if expected[key] != actual[key]:
            differences.append(f"{_describe(*key)}: {expected[key]} in the English, {actual[key]} in the translation")
    return differences
