"""Getting data files: a local copy first, then a verified download.

Where a file such as ``timemachine.txt`` comes from:

1. if the environment variable ``D2L_MINI_DATA`` is set, the folder it names
   (offline machines and CI point it at a folder holding the file). ``~`` is
   expanded and a relative path is taken from the current folder. When the
   variable is set, that folder is the only source: a missing, unreadable or
   wrong file there is an error that names the folder, never a silent download;
2. otherwise the per-user cache folder (``~/.cache/d2l_mini`` on Linux);
3. otherwise a download into that cache, by ``pooch.retrieve``: it downloads
   to a temporary file beside the final one and moves it into place only once
   its SHA-1 matches, so a failed, corrupt or interrupted download never
   appears under the final name.

Every file is checked against its SHA-1 before it is used, wherever it came
from. What pooch does not do is bound a download in time: a server that
trickles bytes would hold the book up, so downloads go through
:class:`DeadlineDownloader`, which abandons a transfer past its deadline.
Temporary files that a killed process left in the default cache are removed
by a later fetch.
"""

import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

import pooch

from .deadline_downloader import DeadlineDownloader

DATA_DIR_VARIABLE = "D2L_MINI_DATA"
STALE_PARTIAL_SECONDS = 600  # a partial file untouched this long belongs to no running download
_POOCH_TEMPORARY_NAME = re.compile(r"tmp[a-z0-9_]{8}")  # pooch's temporary download files


@dataclass(frozen=True)
class DataFile:
    """A file the book needs: its name, where to get it, and its SHA-1."""

    name: str
    url: str
    sha1: str


TIME_MACHINE = DataFile(
    name="timemachine.txt",
    url="https://d2l-data.s3-accelerate.amazonaws.com/timemachine.txt",
    sha1="090b5e7e70c295757f55df93cb0a180b9691891a",
)


class HashMismatchError(ValueError):
    """A data file is there but its content is not the expected one."""


class DataUnavailableError(RuntimeError):
    """No verified copy of a data file could be found or downloaded."""


def default_cache_dir():
    """The per-user cache directory for downloaded data."""
    return Path(pooch.os_cache("d2l_mini")).expanduser().absolute()


def absolute_path(path):
    """``path`` with ``~`` expanded, made absolute against the current folder."""
    return Path(os.path.abspath(os.path.expanduser(os.fspath(path))))


def sha1_of(path):
    """The SHA-1 hex digest of a file's bytes."""
    return pooch.file_hash(str(path), alg="sha1")


def verified(path, data_file):
    """Return ``path`` if its SHA-1 matches, else raise ``HashMismatchError``."""
    actual = sha1_of(path)
    if actual != data_file.sha1:
        raise HashMismatchError(
            f"{path} does not have the expected content: its SHA-1 is {actual} "
            f"but {data_file.name} must have SHA-1 {data_file.sha1}. Replace it with "
            f"the original file from {data_file.url}."
        )
    return Path(path)


# --- the folder named by D2L_MINI_DATA ------------------------------------------------------------------------------


def data_dir_from_environment():
    """The absolute folder named by ``$D2L_MINI_DATA``, or None if the variable is unset or empty."""
    value = os.environ.get(DATA_DIR_VARIABLE)
    return absolute_path(value) if value else None


def _from_data_dir(directory, data_file):
    """The verified copy of ``data_file`` in ``directory``, or a DataUnavailableError that says what is wrong."""
    setting = f"{DATA_DIR_VARIABLE}={os.environ.get(DATA_DIR_VARIABLE, '')!r}"
    candidate = directory / data_file.name
    fix = (f"Put {data_file.name} (from {data_file.url}, SHA-1 {data_file.sha1}) in {directory}, point "
           f"{DATA_DIR_VARIABLE} at the folder that holds it, or unset {DATA_DIR_VARIABLE} to download it.")
    try:
        problem = _data_dir_problem(directory, candidate, data_file.name)
        if problem:
            raise DataUnavailableError(f"{setting}: {problem}. {fix}")
        return verified(candidate, data_file)
    except HashMismatchError as error:
        raise HashMismatchError(f"{setting}: {error} Or unset {DATA_DIR_VARIABLE} to download it.") from None
    except PermissionError as error:
        raise DataUnavailableError(
            f"{setting}: permission denied while reading {error.filename or candidate}. Make the folder "
            f"and the file readable for you (e.g. `chmod a+rx {directory}` and `chmod a+r {candidate}`), "
            f"or point {DATA_DIR_VARIABLE} at a readable copy."
        ) from error
    except OSError as error:
        raise DataUnavailableError(f"{setting}: cannot read {candidate} ({error}). {fix}") from error


def _data_dir_problem(directory, candidate, name):
    """What is wrong with the data folder or its copy of the file, in words; None if nothing is."""
    if not directory.exists():
        return f"is not a directory: {directory} does not exist"
    if not directory.is_dir():
        return f"is not a directory: {directory} is a file"
    if not os.access(directory, os.R_OK | os.X_OK):
        raise PermissionError(13, "Permission denied", str(directory))
    if candidate.is_symlink() and not candidate.exists():
        return f"{candidate} is a broken symbolic link (to {os.readlink(candidate)}, which does not exist)"
    if not candidate.exists():
        return f"the folder {directory} has no {name}"
    if candidate.is_dir():
        return f"{candidate} is a folder, not the file"
    if not candidate.is_file():
        return f"{candidate} is not a regular file"
    if not os.access(candidate, os.R_OK):
        raise PermissionError(13, "Permission denied", str(candidate))
    return None


# --- the cache ------------------------------------------------------------------------------------------------------


def remove_stale_partials(cache_dir, older_than=STALE_PARTIAL_SECONDS):
    """Delete the temporary files of downloads that no running download can own any more.

    pooch downloads into ``tmpXXXXXXXX`` files beside the final one. Only in
    the default cache folder, which belongs to d2l_mini alone, can such a file
    be known to be ours; and only files untouched for ``older_than`` seconds go,
    so a download running in another process keeps its file. Returns the removed paths.
    """
    if cache_dir != default_cache_dir():
        return []
    now, removed = time.time(), []
    for path in cache_dir.glob("tmp*"):
        try:
            if (_POOCH_TEMPORARY_NAME.fullmatch(path.name) and path.is_file() and not path.is_symlink()
                    and now - path.stat().st_mtime > older_than):
                path.unlink()
                removed.append(path)
        except OSError:
            pass  # gone already, or not ours to remove; it does not stop this download
    return removed


def _cached_copy(path, data_file):
    """``path`` if it holds a verified copy; None if it is absent or stale (then it gets replaced)."""
    try:
        if path.is_dir():
            raise DataUnavailableError(
                f"{path} is a folder, where the cache keeps the file {data_file.name}; remove or rename it."
            )
        if not path.exists():
            return None
        return verified(path, data_file)
    except HashMismatchError:
        return None
    except OSError as error:
        raise DataUnavailableError(
            f"Cannot read the cached copy {path} ({type(error).__name__}: {error}). Make it readable or delete it, "
            f"or set {DATA_DIR_VARIABLE} to a folder that holds {data_file.name}."
        ) from error


class _DownloaderFailed(Exception):
    """What the downloader itself raised, told apart from pooch's hash check and the file system's errors."""


def _download(data_file, target, downloader):
    """Download ``data_file`` to ``target`` with ``pooch.retrieve``, which checks its SHA-1 before moving it there."""

    def download(url, output_file, pooch_instance):
        try:
            downloader(url, output_file, pooch_instance)
        except Exception as error:
            raise _DownloaderFailed() from error

    try:
        return Path(pooch.retrieve(data_file.url, known_hash=f"sha1:{data_file.sha1}", fname=target.name,
                                   path=target.parent, downloader=download, progressbar=False))
    except _DownloaderFailed as failed:  # no network, HTTP error, too slow, ...
        error = failed.__cause__
        raise DataUnavailableError(
            f"Could not download {data_file.name} from {data_file.url} to {target} "
            f"({type(error).__name__}: {error}). To work offline, put the file in a folder and set "
            f"{DATA_DIR_VARIABLE} to that folder, e.g. `export {DATA_DIR_VARIABLE}=/path/to/data`."
        ) from error
    except ValueError as error:  # pooch's hash check; it has deleted the download
        raise HashMismatchError(
            f"The download of {data_file.name} from {data_file.url} is corrupt and was discarded: "
            f"{str(error).split(' Deleted')[0]}"
        ) from None
    except OSError as error:  # the cache folder cannot be made or written to
        raise DataUnavailableError(
            f"Cannot write the download of {data_file.name} into the cache folder {target.parent} "
            f"({type(error).__name__}: {error}). Make that folder writable, pass cache_dir=..., or put the file "
            f"in a folder and set {DATA_DIR_VARIABLE} to it, e.g. `export {DATA_DIR_VARIABLE}=/path/to/data`."
        ) from error


def fetch(data_file, cache_dir=None, downloader=None):
    """Path to a verified local copy of ``data_file``, downloading it if need be.

    ``downloader`` is a pooch-style downloader (``downloader(url, output_file,
    pooch_instance)``), by default a :class:`DeadlineDownloader`; tests pass
    their own so that they never touch the network.
    """
    data_dir = data_dir_from_environment()
    if data_dir is not None:
        return _from_data_dir(data_dir, data_file)
    cache_dir = absolute_path(cache_dir) if cache_dir is not None else default_cache_dir()
    target = cache_dir / data_file.name
    if cache_dir.is_dir():
        remove_stale_partials(cache_dir)
    cached = _cached_copy(target, data_file)
    if cached is not None:
        return cached
    return _download(data_file, target, downloader or DeadlineDownloader())


def fetch_time_machine(cache_dir=None, downloader=None):
    """Path to a verified copy of H. G. Wells' *The Time Machine*."""
    return fetch(TIME_MACHINE, cache_dir=cache_dir, downloader=downloader)
