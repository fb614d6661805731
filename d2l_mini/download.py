"""Getting data files: a local copy first, then a verified download.

Look-up order for a file such as ``timemachine.txt``:

1. the directory named by the environment variable ``D2L_MINI_DATA``
   (offline machines and CI point it at a folder holding the file);
2. the per-user cache directory (``~/.cache/d2l_mini`` on Linux);
3. a download into that cache.

Every file is checked against its SHA-1 before it is used, wherever it came
from. Downloading, caching and the atomic move into place are pooch's job:
a failed or partial download never appears under the final name.
"""

import os
from dataclasses import dataclass
from pathlib import Path

import pooch

DATA_DIR_VARIABLE = "D2L_MINI_DATA"
DOWNLOAD_TIMEOUT_SECONDS = 15


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
    return Path(pooch.os_cache("d2l_mini"))


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
            f"the original file from {data_file.url}, or delete it to download it again."
        )
    return Path(path)


def _from_data_dir(data_file):
    """The verified copy in ``$D2L_MINI_DATA``, or None if the variable is unset or the file absent."""
    directory = os.environ.get(DATA_DIR_VARIABLE)
    if not directory:
        return None
    if not Path(directory).is_dir():
        raise DataUnavailableError(
            f"{DATA_DIR_VARIABLE}={directory!r} is not a directory. Point it at the folder "
            f"that holds {data_file.name}, or unset it to download the file."
        )
    candidate = Path(directory) / data_file.name
    return verified(candidate, data_file) if candidate.is_file() else None


def fetch(data_file, cache_dir=None, downloader=None):
    """Path to a verified local copy of ``data_file``, downloading it if need be.

    ``downloader`` is a pooch downloader (``downloader(url, output_file, pooch)``);
    tests pass their own so that they never touch the network.
    """
    local = _from_data_dir(data_file)
    if local is not None:
        return local
    cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    if downloader is None:
        downloader = pooch.HTTPDownloader(progressbar=False, timeout=DOWNLOAD_TIMEOUT_SECONDS)
    try:
        path = pooch.retrieve(
            url=data_file.url,
            known_hash=f"sha1:{data_file.sha1}",
            fname=data_file.name,
            path=cache_dir,
            downloader=downloader,
            progressbar=False,
        )
    except ValueError as error:  # pooch's hash check of the fresh download
        raise HashMismatchError(
            f"The download of {data_file.name} from {data_file.url} is corrupt and was discarded: {error}"
        ) from error
    except Exception as error:  # no network, HTTP error, disk full, ...
        raise DataUnavailableError(
            f"Could not download {data_file.name} from {data_file.url} ({type(error).__name__}: {error}). "
            f"To work offline, put the file in a folder and set {DATA_DIR_VARIABLE} to that folder, "
            f"e.g. `export {DATA_DIR_VARIABLE}=/path/to/data`."
        ) from error
    return Path(path)


def fetch_time_machine(cache_dir=None, downloader=None):
    """Path to a verified copy of H. G. Wells' *The Time Machine*."""
    return fetch(TIME_MACHINE, cache_dir=cache_dir, downloader=downloader)
