"""Chinese full-text search on Sphinx 9.0.4: a workaround for sphinx-doc/sphinx#14229.

Sphinx 9.0.4 ends the search page's language_data.js with
``window.Stemmer = ChineseStemmer;``, a class that does not exist: Chinese search
stems its Latin words with the English stemmer, whose class is EnglishStemmer. The
page then fails with "ChineseStemmer is not defined" and finds nothing. Sphinx
names that class after ``language_name``, so this registers Sphinx's own Chinese
search under the English stemmer's name. Chinese words are split with jieba
(requirements.txt), which Sphinx uses when it is installed.

Remove this extension when requirements.txt pins a Sphinx with the fix
(sphinx-doc/sphinx#14416); the browser test searches every edition and fails
on the console error if the bug comes back.
"""

import logging


def setup(app):
    if not (app.config.language or "").startswith("zh"):
        return {"parallel_read_safe": True}  # jieba is imported only for a Chinese build
    import jieba
    from sphinx.search.zh import SearchChinese

    jieba.setLogLevel(logging.WARNING)  # not "Building prefix dict..." on every build

    class SearchChineseWithEnglishStemmer(SearchChinese):
        """Sphinx's Chinese search, naming the JavaScript stemmer class it really ships."""

        language_name = "English"

    app.add_search_language(SearchChineseWithEnglishStemmer)
    return {"parallel_read_safe": True}
