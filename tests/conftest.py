"""Shared test fixtures. No test touches the network: the Time Machine text
comes from ``$D2L_MINI_DATA`` (CI points it at ../shared/data)."""

import os
from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def pytest_configure(config):
    if not os.environ.get("D2L_MINI_DATA") and (SHARED_DATA / "timemachine.txt").is_file():
        os.environ["D2L_MINI_DATA"] = str(SHARED_DATA)


@pytest.fixture
def no_data_dir(monkeypatch, time_machine_bytes):
    """Run a test as on a machine where D2L_MINI_DATA is not set (the real text is read first)."""
    monkeypatch.delenv("D2L_MINI_DATA", raising=False)


@pytest.fixture(scope="session")
def time_machine_bytes():
    """The real Time Machine text, read from the offline data directory."""
    return (Path(os.environ["D2L_MINI_DATA"]) / "timemachine.txt").read_bytes()
