"""Hard cases for the data loader: slow servers, odd D2L_MINI_DATA values, leftovers of killed downloads."""

import builtins
import http.server
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import d2l_mini as d2l
from d2l_mini import deadline_downloader, download

# --- a server that trickles its answer ------------------------------------------------------------------------------


class TrickleHandler(http.server.BaseHTTPRequestHandler):
    """Answers with 40 bytes, one every 0.2 s: each read is quick, the whole answer takes 8 s."""

    slow_headers = False
    stop = threading.Event()

    def do_GET(self):
        try:
            head = b"HTTP/1.0 200 OK\r\nContent-Length: 40\r\n\r\n"
            if self.slow_headers:
                self.trickle(head)
            else:
                self.wfile.write(head)
            self.trickle(b"x" * 40)
        except OSError:
            pass  # the client gave up, as it should

    def trickle(self, data):
        for byte in data:
            if self.stop.wait(0.2):
                return
            self.wfile.write(bytes([byte]))
            self.wfile.flush()

    def log_message(self, *args):
        pass


@pytest.fixture(params=[False, True], ids=["slow body", "slow headers"])
def trickle_url(request):
    handler = type("Handler", (TrickleHandler,), {"slow_headers": request.param, "stop": threading.Event()})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/timemachine.txt"
    handler.stop.set()
    server.shutdown()
    server.server_close()


def test_a_trickling_server_cannot_stall_the_download(trickle_url, tmp_path, no_data_dir, monkeypatch):
    monkeypatch.setattr(download, "TIME_MACHINE", download.DataFile("timemachine.txt", trickle_url, "0" * 40))
    monkeypatch.setattr(deadline_downloader, "DOWNLOAD_DEADLINE_SECONDS", 1.0)
    started = time.monotonic()
    with pytest.raises(d2l.DataUnavailableError, match="longer than 1 s") as info:
        d2l.fetch_time_machine(cache_dir=tmp_path)
    assert time.monotonic() - started < 4
    assert "D2L_MINI_DATA" in str(info.value)
    time.sleep(0.3)  # the abandoned worker's next read ends it; nothing may reappear
    assert list(tmp_path.iterdir()) == []


def test_deadline_downloader_fetches_from_a_normal_server(tmp_path):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = b"hello " * 1000
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        out = tmp_path / "out"
        url = f"http://127.0.0.1:{server.server_address[1]}/x"
        deadline_downloader.DeadlineDownloader(deadline_seconds=5)(url, str(out))
        assert out.read_bytes() == b"hello " * 1000
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("deadline", [0, -1, float("nan"), True])
def test_deadline_must_be_a_positive_number(deadline):
    with pytest.raises(ValueError, match="deadline_seconds"):
        deadline_downloader.DeadlineDownloader(deadline_seconds=deadline)


# --- D2L_MINI_DATA --------------------------------------------------------------------------------------------------


def no_download(url, output_file, pooch_instance):
    raise AssertionError("D2L_MINI_DATA is set: the loader must not download")


def test_data_dir_with_a_broken_symlink_is_reported(tmp_path, monkeypatch):
    (tmp_path / "timemachine.txt").symlink_to(tmp_path / "nowhere.txt")
    monkeypatch.setenv("D2L_MINI_DATA", str(tmp_path))
    with pytest.raises(d2l.DataUnavailableError, match="broken symbolic link") as info:
        d2l.fetch_time_machine(cache_dir=tmp_path / "cache", downloader=no_download)
    assert str(tmp_path / "timemachine.txt") in str(info.value)


def test_data_dir_with_a_folder_in_place_of_the_file_is_reported(tmp_path, monkeypatch):
    (tmp_path / "timemachine.txt").mkdir()
    monkeypatch.setenv("D2L_MINI_DATA", str(tmp_path))
    with pytest.raises(d2l.DataUnavailableError, match="is a folder, not the file"):
        d2l.fetch_time_machine(cache_dir=tmp_path / "cache", downloader=no_download)


def test_tilde_in_data_dir_is_expanded(tmp_path, monkeypatch, time_machine_bytes):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "timemachine.txt").write_bytes(time_machine_bytes)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("D2L_MINI_DATA", "~/data")
    assert d2l.fetch_time_machine(downloader=no_download) == tmp_path / "data" / "timemachine.txt"


def test_relative_data_dir_is_taken_from_the_current_folder(tmp_path, monkeypatch, time_machine_bytes):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "timemachine.txt").write_bytes(time_machine_bytes)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("D2L_MINI_DATA", "data")
    path = d2l.fetch_time_machine(downloader=no_download)
    assert path.is_absolute() and path == tmp_path / "data" / "timemachine.txt"


def test_errors_name_the_absolute_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("D2L_MINI_DATA", "missing")
    with pytest.raises(d2l.DataUnavailableError) as info:
        d2l.fetch_time_machine(downloader=no_download)
    assert str(tmp_path / "missing") in str(info.value)
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "timemachine.txt").write_text("not it")
    monkeypatch.setenv("D2L_MINI_DATA", "bad")
    with pytest.raises(d2l.HashMismatchError) as info:
        d2l.fetch_time_machine(downloader=no_download)
    assert str(tmp_path / "bad" / "timemachine.txt") in str(info.value)


def test_relative_cache_dir_errors_name_the_absolute_path(tmp_path, monkeypatch, no_data_dir):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(d2l.DataUnavailableError) as info:
        d2l.fetch_time_machine(cache_dir="cache", downloader=lambda *a: (_ for _ in ()).throw(OSError("offline")))
    assert str(tmp_path / "cache" / "timemachine.txt") in str(info.value)


def test_unreadable_file_in_data_dir_says_how_to_fix(tmp_path, monkeypatch, time_machine_bytes):
    """Tests run as root, where chmod does not bite: the operating system's refusal is simulated."""
    (tmp_path / "timemachine.txt").write_bytes(time_machine_bytes)
    monkeypatch.setenv("D2L_MINI_DATA", str(tmp_path))
    real_open = builtins.open

    def refusing_open(file, *args, **kwargs):
        if Path(os.fspath(file)) == tmp_path / "timemachine.txt":
            raise PermissionError(13, "Permission denied", os.fspath(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", refusing_open)
    with pytest.raises(d2l.DataUnavailableError, match="chmod") as info:
        d2l.fetch_time_machine(downloader=no_download)
    assert str(tmp_path / "timemachine.txt") in str(info.value)


@pytest.mark.parametrize("unreadable", ["folder", "file"])
def test_unreadable_data_dir_or_file_is_reported(tmp_path, monkeypatch, time_machine_bytes, unreadable):
    (tmp_path / "timemachine.txt").write_bytes(time_machine_bytes)
    monkeypatch.setenv("D2L_MINI_DATA", str(tmp_path))
    refused = tmp_path if unreadable == "folder" else tmp_path / "timemachine.txt"
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: Path(path) != refused and real_access(path, mode, **kw))
    with pytest.raises(d2l.DataUnavailableError, match="permission denied") as info:
        d2l.fetch_time_machine(downloader=no_download)
    assert str(refused) in str(info.value)


def test_unreadable_cached_copy_is_reported_not_called_a_network_error(tmp_path, no_data_dir, monkeypatch,
                                                                          time_machine_bytes):
    (tmp_path / "timemachine.txt").write_bytes(time_machine_bytes)
    monkeypatch.setattr(download, "sha1_of", lambda path: (_ for _ in ()).throw(PermissionError(13, "denied")))
    with pytest.raises(d2l.DataUnavailableError, match="cached copy") as info:
        d2l.fetch_time_machine(cache_dir=tmp_path, downloader=no_download)
    assert str(tmp_path / "timemachine.txt") in str(info.value)


# --- leftovers of a killed download ---------------------------------------------------------------------------------

KILLED_DOWNLOAD = """
import os, sys
import d2l_mini as d2l

def killed_halfway(url, output_file, pooch_instance):
    with open(output_file, "wb") as out:
        out.write(open(sys.argv[1], "rb").read()[:89_000])
    os._exit(9)  # like kill -9 in the middle of the transfer

d2l.fetch_time_machine(downloader=killed_halfway)
"""


def old(path, seconds=3600):
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_leftover_of_a_killed_download_is_removed(tmp_path, monkeypatch, no_data_dir, time_machine_bytes):
    source = tmp_path / "source.txt"
    source.write_bytes(time_machine_bytes)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache-home"))
    cache = Path(download.default_cache_dir())
    env = {key: value for key, value in os.environ.items() if key != "D2L_MINI_DATA"}
    subprocess.run([sys.executable, "-c", KILLED_DOWNLOAD, str(source)], env=env, check=False, timeout=120)
    leftovers = [path for path in cache.iterdir() if path.name != "timemachine.txt"]
    assert leftovers, "the killed download left nothing behind: nothing to clean up"
    assert any(path.stat().st_size == 89_000 for path in leftovers)
    (cache / "notes.txt").write_text("someone else's file")
    for path in cache.iterdir():
        old(path)

    def full(url, output_file, pooch_instance):
        Path(output_file).write_bytes(time_machine_bytes)

    d2l.fetch_time_machine(downloader=full)
    assert sorted(path.name for path in cache.iterdir()) == ["notes.txt", "timemachine.txt"]


def test_leftovers_go_even_when_no_download_is_needed(tmp_path, monkeypatch, no_data_dir, time_machine_bytes):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache-home"))
    cache = Path(download.default_cache_dir())
    cache.mkdir(parents=True)
    (cache / "timemachine.txt").write_bytes(time_machine_bytes)
    stale = cache / "tmpabcd1234"  # pooch's temporary download file, abandoned long ago
    stale.write_bytes(b"x" * 89_000)
    old(stale)
    fresh = cache / "tmpefgh5678"  # another process may be downloading right now
    fresh.write_bytes(b"x")
    d2l.fetch_time_machine(downloader=no_download)
    assert sorted(path.name for path in cache.iterdir()) == ["timemachine.txt", "tmpefgh5678"]


def test_pooch_like_files_in_a_folder_of_the_readers_own_are_left_alone(tmp_path, no_data_dir, time_machine_bytes):
    (tmp_path / "timemachine.txt").write_bytes(time_machine_bytes)
    unrelated = tmp_path / "tmpabcd1234"  # not the default cache folder: such a name need not be ours here
    unrelated.write_bytes(b"x")
    old(unrelated)
    d2l.fetch_time_machine(cache_dir=tmp_path, downloader=no_download)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["timemachine.txt", "tmpabcd1234"]


def test_download_into_a_file_that_is_a_folder_is_reported(tmp_path, no_data_dir):
    (tmp_path / "timemachine.txt").mkdir()
    with pytest.raises(d2l.DataUnavailableError, match="is a folder"):
        d2l.fetch_time_machine(cache_dir=tmp_path, downloader=no_download)


def test_wrong_copy_in_data_dir_does_not_promise_a_download_by_deleting_it(tmp_path, monkeypatch):
    """With D2L_MINI_DATA set, deleting the copy gives an error, not a download: the advice says so."""
    (tmp_path / "timemachine.txt").write_text("not the time machine")
    monkeypatch.setenv("D2L_MINI_DATA", str(tmp_path))
    with pytest.raises(d2l.HashMismatchError) as info:
        d2l.fetch_time_machine(downloader=no_download)
    assert "delete it to download" not in str(info.value)
    assert "unset D2L_MINI_DATA" in str(info.value)
