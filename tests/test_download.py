import hashlib
import time
from pathlib import Path

import pytest

import d2l_mini as d2l
from d2l_mini import download


def fake_downloader(content=None, error=None):
    """A pooch-style downloader that writes ``content`` or raises ``error``."""
    calls = []

    def downloader(url, output_file, pooch_instance):
        calls.append(url)
        if content is not None:
            Path(output_file).write_bytes(content[: len(content) // 2])
        if error is not None:
            raise error
        Path(output_file).write_bytes(content)

    downloader.calls = calls
    return downloader


def test_reads_verified_copy_from_data_dir():
    path = d2l.fetch_time_machine(downloader=fake_downloader(error=AssertionError("no network")))
    assert path.name == "timemachine.txt"
    assert hashlib.sha1(path.read_bytes()).hexdigest() == download.TIME_MACHINE.sha1


def test_data_dir_copy_with_wrong_hash_is_refused(tmp_path, monkeypatch):
    (tmp_path / "timemachine.txt").write_text("not the time machine")
    monkeypatch.setenv("D2L_MINI_DATA", str(tmp_path))
    with pytest.raises(d2l.HashMismatchError) as info:
        d2l.fetch_time_machine(cache_dir=tmp_path / "cache", downloader=fake_downloader(error=OSError()))
    message = str(info.value)
    assert str(tmp_path / "timemachine.txt") in message
    assert download.TIME_MACHINE.sha1 in message
    assert hashlib.sha1(b"not the time machine").hexdigest() in message


def test_data_dir_that_is_not_a_directory_is_reported(tmp_path, monkeypatch):
    monkeypatch.setenv("D2L_MINI_DATA", str(tmp_path / "missing"))
    with pytest.raises(d2l.DataUnavailableError, match="not a directory"):
        d2l.fetch_time_machine(cache_dir=tmp_path)


def test_download_goes_to_cache_and_is_reused(tmp_path, no_data_dir, time_machine_bytes):
    downloader = fake_downloader(time_machine_bytes)
    first = d2l.fetch_time_machine(cache_dir=tmp_path, downloader=downloader)
    second = d2l.fetch_time_machine(cache_dir=tmp_path, downloader=downloader)
    assert first == second == tmp_path / "timemachine.txt"
    assert len(downloader.calls) == 1
    assert first.read_bytes() == time_machine_bytes


def test_data_dir_without_the_file_is_an_error_not_a_download(tmp_path, monkeypatch, time_machine_bytes):
    """D2L_MINI_DATA set means: use this folder. A folder without the file is reported, not skipped."""
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("D2L_MINI_DATA", str(empty))
    downloader = fake_downloader(time_machine_bytes)
    with pytest.raises(d2l.DataUnavailableError, match="has no timemachine.txt") as info:
        d2l.fetch_time_machine(cache_dir=tmp_path / "cache", downloader=downloader)
    assert str(empty) in str(info.value)
    assert downloader.calls == []


def test_corrupt_cache_file_is_replaced_not_used(tmp_path, no_data_dir, time_machine_bytes):
    (tmp_path / "timemachine.txt").write_text("stale")
    downloader = fake_downloader(time_machine_bytes)
    path = d2l.fetch_time_machine(cache_dir=tmp_path, downloader=downloader)
    assert len(downloader.calls) == 1
    assert path.read_bytes() == time_machine_bytes


def test_corrupt_download_is_discarded(tmp_path, no_data_dir):
    with pytest.raises(d2l.HashMismatchError, match="corrupt"):
        d2l.fetch_time_machine(cache_dir=tmp_path, downloader=fake_downloader(b"garbage"))
    assert list(tmp_path.iterdir()) == []


def test_failed_partial_download_leaves_no_file(tmp_path, no_data_dir, time_machine_bytes):
    broken = fake_downloader(time_machine_bytes, error=ConnectionError("connection reset"))
    with pytest.raises(d2l.DataUnavailableError) as info:
        d2l.fetch_time_machine(cache_dir=tmp_path, downloader=broken)
    assert "D2L_MINI_DATA" in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_offline_error_is_fast_and_says_how_to_fix(tmp_path, no_data_dir, monkeypatch):
    """The real HTTP downloader, pointed at a closed local port: no outside traffic."""
    monkeypatch.setattr(
        download, "TIME_MACHINE", download.DataFile("timemachine.txt", "http://127.0.0.1:9/timemachine.txt", "0" * 40)
    )
    started = time.perf_counter()
    with pytest.raises(d2l.DataUnavailableError, match="D2L_MINI_DATA"):
        d2l.fetch_time_machine(cache_dir=tmp_path)
    assert time.perf_counter() - started < 30
    assert list(tmp_path.iterdir()) == []
