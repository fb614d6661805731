"""Widgets that survive their own errors, and text that is safe to put into their HTML.

An exception raised in an ipywidgets observer or button handler never reaches
the reader: the front end files it in a log they do not look at, and the widget
is left half-updated, looking as if it merely ignored the click. Every observer
and handler of the book's widgets is therefore a method decorated with
:func:`shows_errors`::

    class Explorer(widgets.VBox):
        def show_error(self, message):          # where this widget shows a problem
            self.status.value = f"error: {message}"

        @shows_errors
        def _on_change(self, change):           # observe(self._on_change, names="value")
            ...

Any exception in ``_on_change`` is caught, shown through ``show_error`` as one
line, kept in ``self.last_error`` and logged (with its traceback) to the
``d2l_mini.widgets`` logger. The widget stays usable: the next change runs the
handler again. The same decorator guards the bodies of background runs, whose
thread has nowhere else to report.

Text that a widget puts into HTML goes through :func:`text_html`: a generated
'<unk>' or '<b>' must appear as text, not as markup.
"""

import functools
import html
import logging

logger = logging.getLogger("d2l_mini.widgets")
logger.addHandler(logging.NullHandler())  # a library logs; the application decides where it goes

MAX_MESSAGE_LENGTH = 300
UNKNOWN_TOKEN = "<unk>"
UNKNOWN_TOKEN_HTML = (
    "<span title='&lt;unk&gt;: a token the vocabulary does not know' "
    "style='color:#b00'>\N{REPLACEMENT CHARACTER}</span>"
)


def describe(error):
    """A one-line description of an exception: its type and the first line of its message, shortened."""
    message = str(error).strip().splitlines()[0] if str(error).strip() else ""
    text = f"{type(error).__name__}: {message}" if message else type(error).__name__
    return text if len(text) <= MAX_MESSAGE_LENGTH else text[:MAX_MESSAGE_LENGTH - 3] + "..."


def shows_errors(handler):
    """Decorate a widget method so that an exception in it is shown in the widget instead of raised.

    The widget provides ``show_error(message)``. The exception is kept in
    ``widget.last_error`` and logged with its traceback. The decorated method
    returns None when it failed.
    """

    @functools.wraps(handler)
    def guarded(widget, *args, **kwargs):
        try:
            return handler(widget, *args, **kwargs)
        except Exception as error:
            widget.last_error = error
            logger.error("%s.%s failed", type(widget).__name__, handler.__name__, exc_info=True)
            try:
                widget.show_error(describe(error))
            except Exception:  # showing the error failed too; the log has both
                logger.exception("%s.show_error failed", type(widget).__name__)
            return None

    return guarded


def text_html(text):
    """``text`` escaped for HTML, with every '<unk>' token shown as one visible character."""
    return UNKNOWN_TOKEN_HTML.join(html.escape(part) for part in text.split(UNKNOWN_TOKEN))


def error_html(message):
    """An error message as a red HTML line, escaped."""
    return f"<span style='color:#b00'>{html.escape(message)}</span>"
