"""The editions of the book: book.yml's settings, how Sphinx is configured and run for each, the picker."""

import os
import runpy
import subprocess

import pytest

from tools import build_book, sphinx_build
from tools.book_config import EDITION_VARIABLE, ROOT, edition_named, editions, load_book
from tools.language_picker import picker_html

BOOK = load_book()
EDITIONS = editions(BOOK)


def test_the_source_edition_comes_first_and_the_keys_are_distinct():
    assert EDITIONS[0].is_source and not any(e.is_source for e in EDITIONS[1:])
    assert len({e.key for e in EDITIONS}) == len(EDITIONS) > 1


@pytest.mark.parametrize("edition", EDITIONS[1:], ids=lambda e: e.key)
def test_every_translation_has_its_catalogs(edition):
    pages = {p.relative_to(edition.catalog_dir).with_suffix("").as_posix() for p in edition.catalog_dir.rglob("*.po")}
    assert {"book/index", *(c.removesuffix(".ipynb") for c in BOOK["chapters"])} <= pages


def test_an_edition_without_its_words_is_refused_with_what_is_missing():
    book = {"editions": {"en": dict(BOOK["editions"]["en"]), "xx": {"locale": "xx", "name": "Xx"}}}
    with pytest.raises(ValueError, match="edition 'xx' lacks title, read_in, .*kept_in_english"):
        editions(book)


def test_an_unknown_edition_is_named_with_the_known_ones():
    with pytest.raises(ValueError, match="No edition 'fr'.*en, tr, zh"):
        edition_named("fr")


@pytest.mark.parametrize("edition", EDITIONS, ids=lambda e: e.key)
def test_conf_py_configures_the_edition_its_environment_names(edition, monkeypatch):
    monkeypatch.setenv(EDITION_VARIABLE, edition.key)
    conf = runpy.run_path(str(ROOT / "book" / "conf.py"))
    assert conf["language"] == edition.locale
    assert conf["project"] == conf["html_title"] == edition.title
    assert conf["gettext_compact"] is False, "the HTML build would look for differently named catalogs"
    assert all((ROOT / folder).is_dir() for folder in conf["locale_dirs"]), "locale_dirs is relative to the root"
    assert (ROOT / conf["locale_dirs"][0] / edition.locale / "LC_MESSAGES").is_dir() or edition.is_source
    assert conf["togglebutton_hint"] == edition.words["toggle_show"]
    assert conf["book_kept_in_english"] == edition.words.get("kept_in_english", "")


def test_each_edition_is_built_by_its_own_sphinx_process_with_its_own_doctrees(monkeypatch, tmp_path):
    runs = []

    def run(command, env, cwd):
        runs.append((command, env))
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(sphinx_build.subprocess, "run", run)
    for edition in EDITIONS:
        assert build_book.build_edition(BOOK, edition, tmp_path)
    doctrees = [command[command.index("-d") + 1] for command, _ in runs]
    outputs = [command[-1] for command, _ in runs]
    assert len(set(doctrees)) == len(set(outputs)) == len(EDITIONS)
    assert outputs == [str(tmp_path / edition.key) for edition in EDITIONS]
    assert [env[EDITION_VARIABLE] for _, env in runs] == [edition.key for edition in EDITIONS]
    assert all("-W" in command for command, _ in runs) == BOOK["build"].get("warnings_are_errors", True)
    # book/conf.py imports tools.book_config, wherever Sphinx is started from
    assert all(env["PYTHONPATH"].split(os.pathsep)[0] == str(ROOT) for _, env in runs)


def test_the_english_messages_are_extracted_from_the_source_edition_whatever_the_environment_says(monkeypatch):
    monkeypatch.setenv(EDITION_VARIABLE, EDITIONS[1].key)
    assert EDITION_VARIABLE not in sphinx_build.sphinx_environment()
    assert sphinx_build.sphinx_environment(EDITIONS[1])[EDITION_VARIABLE] == EDITIONS[1].key


def test_the_picker_leads_to_each_editions_landing_page_in_its_language():
    html = picker_html(EDITIONS, BOOK)
    for edition in EDITIONS:
        assert f'<a href="{edition.key}/book/index.html" hreflang="{edition.html_lang}">' in html
        assert edition.title in html and edition.words["read_in"] in html
    assert "<script" not in html and "http" not in html, "the picker must work offline, from disk"
