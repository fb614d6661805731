"""The exporter replaces a generated module in one step: a failed write leaves the old module whole."""

import builtins
import errno
import io
import os
from pathlib import Path

import pytest

from tools import export_chapters


class DiskFillsUp:
    """A file object that takes half of what it is given, then reports a full disk."""

    def __init__(self, real):
        self.real = real

    def write(self, text):
        self.real.write(text[: len(text) // 2])
        self.real.flush()
        raise OSError(errno.ENOSPC, "No space left on device")

    def __getattr__(self, name):
        return getattr(self.real, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.real.close()
        return False


@pytest.fixture
def full_disk_in(monkeypatch):
    """Make every file opened for writing under a folder fail halfway, as on a full disk."""
    real_open = builtins.open

    def install(folder):
        def open_on_full_disk(file, mode="r", *args, **kwargs):
            handle = real_open(file, mode, *args, **kwargs)
            inside = isinstance(file, (str, os.PathLike)) and Path(os.fspath(file)).parent == folder
            return DiskFillsUp(handle) if inside and any(flag in mode for flag in "wxa") else handle

        monkeypatch.setattr(builtins, "open", open_on_full_disk)
        monkeypatch.setattr(io, "open", open_on_full_disk)  # what pathlib's write_text uses

    return install


def test_a_full_disk_leaves_the_old_module_intact(tmp_path, monkeypatch, full_disk_in, capsys):
    module = tmp_path / "rnn_scratch.py"
    module.write_text("OLD = 'the previous, working module'\n")
    monkeypatch.setattr(export_chapters, "ROOT", tmp_path)
    monkeypatch.setattr(export_chapters, "planned_modules", lambda: {module: "NEW = 1\n" * 1000})
    full_disk_in(tmp_path)
    try:
        result = export_chapters.main([])
    except OSError:
        result = "raised"
    assert module.read_text() == "OLD = 'the previous, working module'\n"
    assert [path.name for path in tmp_path.iterdir()] == ["rnn_scratch.py"], "no temporary file is left behind"
    assert result == 1
    assert "previous version is left" in capsys.readouterr().err


def test_write_atomically_replaces_and_keeps_permissions(tmp_path):
    module = tmp_path / "parameters.py"
    module.write_text("old\n")
    module.chmod(0o640)
    export_chapters.write_atomically(module, "new\n")
    assert module.read_text() == "new\n"
    assert module.stat().st_mode & 0o777 == 0o640
    assert [path.name for path in tmp_path.iterdir()] == ["parameters.py"]


def test_write_atomically_creates_a_new_module(tmp_path):
    export_chapters.write_atomically(tmp_path / "fresh.py", "x = 1\n")
    assert (tmp_path / "fresh.py").read_text() == "x = 1\n"


def test_a_failed_rename_leaves_the_old_module_and_no_temporary_file(tmp_path, monkeypatch):
    module = tmp_path / "rnn_scratch.py"
    module.write_text("old\n")

    def failing_replace(source, target):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="cross-device"):
        export_chapters.write_atomically(module, "new\n")
    assert module.read_text() == "old\n"
    assert [path.name for path in tmp_path.iterdir()] == ["rnn_scratch.py"]
