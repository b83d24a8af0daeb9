"""Helpers shared by the test modules (a module of its own: tests/gui has another conftest)."""

from __future__ import annotations

import codecs
import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from docmanager.library import Document
from docmanager.library.connection import deleted_handles  # noqa: F401 - the tests' import
from docmanager.search import plain_folded

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "resources" / "listing-page.txt"
EXPECTED = Path(__file__).resolve().parent / "data" / "listing-page.expected.json"
CAPTURED_AT = datetime(2026, 11, 1, tzinfo=UTC)
# The fields `list --format json` and Document.as_json() promise scripts, in this order (README).
DOCUMENTED_KEYS = [
    "id",
    "title",
    "excerpt",
    "price",
    "pages",
    "size_bytes",
    "size_text",
    "age_text",
    "published_estimate",
    "added_at",
    "read_later",
    "later_position",
    "status",
    "notes",
    "tags",
    "source_file",
    "source_line",
    "raw_line",
]


def write_encoded(
    path: Path, text: str, encoding: str, *, newline: str = "\n", bom: bool = False, errors: str = "strict"
) -> Path:
    """Write ``text`` with the given line end, encoding and (optionally) byte-order mark."""
    text = text.replace("\r\n", "\n").replace("\n", newline)
    prefix = b""
    if bom:
        prefix = {
            "utf-8": codecs.BOM_UTF8,
            "utf-16-le": codecs.BOM_UTF16_LE,
            "utf-16-be": codecs.BOM_UTF16_BE,
        }[encoding]
    path.write_bytes(prefix + text.encode(encoding, errors))
    return path


def file_hashes(*paths: Path) -> dict[str, str | None]:
    """sha256 of each file (None if absent), e.g. a library and its -wal and -shm files."""
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() if p.exists() else None for p in paths}


def library_files(path: Path) -> list[Path]:
    return [path, path.with_name(path.name + "-wal")]


def dump(path_or_conn: Path | sqlite3.Connection) -> list[str]:
    """The SQL text of a whole database: equal dumps mean equal content."""
    if isinstance(path_or_conn, sqlite3.Connection):
        return list(path_or_conn.iterdump())
    conn = sqlite3.connect(path_or_conn)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def run_cli(library: Path, *args: str, check: bool = False) -> subprocess.CompletedProcess[str]:
    """``docmanager ARGS --library LIBRARY`` in a process of its own, as a terminal runs it."""
    result = subprocess.run(
        [sys.executable, "-m", "docmanager", *args, "--library", str(library)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
        check=False,
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


def new_listing(path: Path, batch: int) -> Path:
    """The sample's result lines made into new documents (the batch number opens each title)."""
    lines = [line for line in SAMPLE.read_text(encoding="utf-8").splitlines() if "码力" in line]
    path.write_text("".join(f"第{batch}批{line}\n" for line in lines), encoding="utf-8")
    return path


def _ascii_lower(text: str) -> str:
    return "".join(c.lower() if c.isascii() else c for c in text)


def matches_search(doc: Document, terms: Sequence[str], *, excerpts: bool = True) -> bool:
    """The search rule written plainly, as a user reads it: every term occurs in the title, the tags,
    the notes or the excerpt (NFKC, ASCII letters in either case), in any script, anywhere in a word."""
    fields = [doc.title, ", ".join(doc.tags), doc.notes or ""] + ([doc.excerpt] if excerpts else [])
    folded = [_ascii_lower(f) for f in fields]
    return all(any(plain_folded(t) in f for f in folded) for t in terms)
