"""Shared fixtures of the core suite: the sample listing, its expected reading, and throwaway libraries."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import CAPTURED_AT, EXPECTED, SAMPLE

from docmanager.library import Library


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test ever reads or writes the user's real folders or library."""
    home = tmp_path_factory.mktemp("home")
    for name, sub in (("HOME", ""), ("XDG_DATA_HOME", ".local/share"), ("XDG_CONFIG_HOME", ".config"),
                      ("XDG_CACHE_HOME", ".cache"), ("XDG_STATE_HOME", ".local/state")):
        path = home / sub
        path.mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(name, str(path))
    monkeypatch.setenv("DOCMANAGER_LIBRARY", str(home / "env-library" / "library.sqlite"))
    return home


@pytest.fixture
def sample_path() -> Path:
    assert SAMPLE.is_file(), SAMPLE
    return SAMPLE


@pytest.fixture
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture
def expected() -> dict[str, Any]:
    return json.loads(EXPECTED.read_text(encoding="utf-8"))


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    lib = Library(tmp_path / "lib.sqlite")
    try:
        yield lib
    finally:
        lib.close()


@pytest.fixture
def imported(library: Library, sample_path: Path) -> Library:
    from docmanager.importer import import_file

    result = import_file(library, sample_path, captured_at=CAPTURED_AT)
    assert result.ok and result.new == 10, result.summary()
    return library


@pytest.fixture(scope="module")
def shared_imported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    """The imported sample, shared by a module's tests that only read it (each import costs fsyncs)."""
    from docmanager.importer import import_file

    lib = Library(tmp_path_factory.mktemp("shared") / "lib.sqlite")
    try:
        assert import_file(lib, SAMPLE, captured_at=CAPTURED_AT).new == 10
        yield lib
    finally:
        lib.close()
