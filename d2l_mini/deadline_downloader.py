"""A download with a deadline for the whole transfer, for ``pooch.retrieve``.

A timeout on each read does not bound a download: a server that sends one
byte every few seconds never trips it, and a reader's notebook would hang.
:class:`DeadlineDownloader` bounds the whole transfer.
"""

import threading

from .checks import positive_number

DOWNLOAD_TIMEOUT_SECONDS = 15  # for connecting, and for each read from the network
DOWNLOAD_DEADLINE_SECONDS = 120  # for the whole download


class DownloadTimeoutError(TimeoutError):
    """A download did not finish within its deadline."""


class DeadlineDownloader:
    """A pooch-style downloader, ``downloader(url, output_file, pooch_instance)``, with a deadline.

    A timeout on each read does not bound a download: a server that sends one
    byte every few seconds never trips it. Here the whole transfer, headers
    included, runs in a worker thread that the caller waits for at most
    ``deadline_seconds``; the worker reads whatever has arrived (never waiting
    to fill a large buffer) and stops at its next read once the time is up.
    """

    def __init__(self, deadline_seconds=None, read_timeout_seconds=None):
        """None takes the module's ``DOWNLOAD_DEADLINE_SECONDS`` and ``DOWNLOAD_TIMEOUT_SECONDS``."""
        self.deadline_seconds = positive_number(
            "deadline_seconds", DOWNLOAD_DEADLINE_SECONDS if deadline_seconds is None else deadline_seconds)
        self.read_timeout_seconds = positive_number(
            "read_timeout_seconds", DOWNLOAD_TIMEOUT_SECONDS if read_timeout_seconds is None else read_timeout_seconds)

    def __call__(self, url, output_file, pooch_instance=None, check_only=False):
        if check_only:
            raise NotImplementedError("DeadlineDownloader only downloads; it does not check URLs.")
        outcome, time_is_up = {}, threading.Event()
        with open(output_file, "wb") as out:  # opened here, so a late worker never recreates a removed file
            worker = threading.Thread(target=self._transfer, args=(url, out, time_is_up, outcome), daemon=True)
            worker.start()
            worker.join(self.deadline_seconds)
            if worker.is_alive():
                time_is_up.set()
                raise DownloadTimeoutError(
                    f"the download took longer than {self.deadline_seconds:g} s and was abandoned "
                    f"({outcome.get('received', 0)} bytes received)"
                )
        if "error" in outcome:
            raise outcome["error"]

    def _transfer(self, url, out, time_is_up, outcome):
        import requests  # pooch's dependency; imported here so that importing d2l_mini stays quick

        try:
            timeout = (self.read_timeout_seconds, self.read_timeout_seconds)
            with requests.get(url, stream=True, timeout=timeout) as response:
                response.raise_for_status()
                read_some = getattr(response.raw, "read1", None) or response.raw.read
                outcome["received"] = 0
                while not time_is_up.is_set():
                    chunk = read_some(64 * 1024, decode_content=True)
                    if not chunk:
                        return
                    if time_is_up.is_set():
                        return
                    out.write(chunk)
                    outcome["received"] += len(chunk)
        except Exception as error:  # handed to the waiting caller
            outcome["error"] = error
