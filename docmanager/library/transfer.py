"""Export a whole library to JSON or CSV, and load a JSON export back into a library."""

from __future__ import annotations

import contextlib
import csv
import json
import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from docmanager.errors import DocManagerError
from docmanager.library import (
    Document,
    ImportRecord,
    Library,
    LoadResult,
    RejectedLine,
    SavedDocument,
    SavedImport,
    SavedListing,
    refuse_if_open_here,
    utc_now,
)
from docmanager.library.backup import take_backup
from docmanager.library.records import REQUIRED, fields_of
from docmanager.library.saved import SavedSearch, decode_query, encode_query
from docmanager.webpage import is_web_url

EXPORT_VERSION = 1
FORMATS = ("json", "csv")
# The keys of `list --format json`, in its order, but the list of excerpts (see Document).
CSV_COLUMNS = fields_of(Document).csv


class ExportFileError(DocManagerError):
    """A file given to load that is not a usable DocManager export; nothing was changed."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: not loaded: {reason}; the library was not changed")


# --- export ---------------------------------------------------------------------------------------


def _document_json(saved: SavedDocument) -> dict[str, Any]:
    listings = [
        {
            "identity": x.identity,
            "import_id": x.import_id,
            "source_file": x.source_file,
            "source_line": x.source_line,
            "raw_line": x.raw_line,
            "captured_at": x.captured_at,
        }
        for x in saved.listings
    ]
    return {
        **saved.document.as_json(),
        "excerpt": saved.document.excerpt,  # every excerpt as stored (a blank line between two)
        "identity": saved.identity,
        "import_id": saved.import_id,
        "title_exact": saved.title_exact,
        "listings": listings,
    }


def _import_json(saved: SavedImport) -> dict[str, Any]:
    r = saved.record
    return {
        "id": r.id,
        "path": r.path,
        "sha256": r.sha256,
        "imported_at": r.imported_at,
        "captured_at": saved.captured_at,
        "encoding": r.encoding,
        "new": r.new,
        "updated": r.updated,
        "unchanged": r.unchanged,
        "rejected": r.rejected,
        "total_claimed": r.total_claimed,
        "page_number": r.page_number,
        "pager_pages": list(r.pager_pages),
        "repeated": r.repeated,
        "rejected_lines": [{"line_no": x.line_no, "reason": x.reason, "raw": x.raw} for x in saved.rejected],
    }


def export_json(library: Library, out: TextIO) -> int:
    """Write the whole library as one JSON object, a document per line, reading 500 at a time (memory
    stays flat whatever the library's size). Returns the number of documents."""
    count = 0
    with library.snapshot():
        out.write(f'{{"docmanager_export": {EXPORT_VERSION}, "exported_at": {json.dumps(utc_now())}, "documents": [')
        for saved in library.saved_documents():
            out.write(",\n" if count else "\n")
            out.write(json.dumps(_document_json(saved), ensure_ascii=False))
            count += 1
        out.write('\n],\n"imports": [')
        for n, saved_import in enumerate(library.saved_imports()):
            out.write(",\n" if n else "\n")
            out.write(json.dumps(_import_json(saved_import), ensure_ascii=False))
        # The saved searches (since schema 9; an export without them still loads): each query as the
        # versioned object the library keeps.
        out.write('\n],\n"saved_searches": [')
        for n, search in enumerate(library.saved_searches()):
            out.write(",\n" if n else "\n")
            query = json.loads(encode_query(search.text, search.query))
            out.write(json.dumps({"name": search.name, "query": query}, ensure_ascii=False))
        out.write("\n]}\n")
    return count


def _csv_cell(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(value)
    if isinstance(value, bool):
        return "yes" if value else ""
    return "" if value is None else str(value)


def export_csv(library: Library, out: TextIO) -> int:
    """One row per document (tags joined with ", "), with a header row. Returns the number of rows."""
    writer = csv.writer(out)
    columns = fields_of(library.DOCUMENT).csv
    writer.writerow(columns)
    count = 0
    with library.snapshot():
        for saved in library.saved_documents():
            data = saved.document.as_json()
            writer.writerow([_csv_cell(data[c]) for c in columns])
            count += 1
    return count


def export_to_file(library: Library, path: Path, fmt: str, *, overwrite: bool = False) -> int:
    """Export into a file, through a temporary one renamed into place (never a half-written export)."""
    exporter: Callable[[Library, TextIO], int] = export_json if fmt == "json" else export_csv
    path = Path(path)
    refuse_if_open_here(path, "nothing was written")
    if path.exists() and not overwrite:
        raise DocManagerError(f"{path}: already exists; nothing was written")
    partial = path.with_name(f".{path.name}.partial")
    try:
        with open(partial, "w", encoding="utf-8", newline="") as fh:
            count = exporter(library, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(partial, path)
    except OSError as exc:
        raise DocManagerError(f"{path}: cannot write the export: {exc.strerror}") from None
    finally:
        # Where the folder cannot be written (it is a file, say) neither can the partial file be:
        # that is the error above, not this clean-up's.
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
    return count


# --- load -----------------------------------------------------------------------------------------

_STR, _INT, _OPT_INT, _OPT_STR = "text", "a whole number", "a whole number or null", "text or null"
_OPT_NUM = "a number or null"
_BOOL = "true or false"
_KINDS = {(int, False): _INT, (int, True): _OPT_INT, (str, False): _STR, (str, True): _OPT_STR}
_KINDS |= {(float, True): _OPT_NUM, (bool, False): _BOOL}


@dataclass(frozen=True, slots=True)
class _DocumentLoad:
    """What a load requires of an exported document of a class, and gives it (see ``_document_load``)."""

    kinds: dict[str, str]  # the keys it must have, each with what its value must be
    missing: dict[str, Any]  # the fields an older export may lack, with their values then
    numbers: tuple[str, ...]  # the float fields (an export may write 4 for 4.0)


_DOCUMENT_LOADS: dict[type[Document], _DocumentLoad] = {}


def _document_load(document: type[Document]) -> _DocumentLoad:
    """The stored fields of ``document`` (as typed, and null where the column allows it), then the keys
    kept beside them; read once a class."""
    if (known := _DOCUMENT_LOADS.get(document)) is None:
        stored = [(f, f.column) for f in fields_of(document).fields if f.column is not None]
        kinds = {f.name: _KINDS[f.type, f.optional or not (c.not_null or c.primary_key)] for f, c in stored}
        known = _DOCUMENT_LOADS[document] = _DocumentLoad(
            kinds={**kinds, "identity": _STR, "import_id": _OPT_INT},
            missing={f.name: c.missing for f, c in stored if c.missing is not REQUIRED},
            numbers=tuple(f.name for f, _ in stored if f.type is float),
        )
    return known


# A document's other listings (another search's line for it), as exported.
_LISTING_FIELDS = {
    "identity": _STR, "import_id": _OPT_INT, "source_file": _OPT_STR, "source_line": _OPT_INT, "raw_line": _STR,
    "captured_at": _OPT_STR,
}  # fmt: skip
_IMPORT_FIELDS = {
    "id": _INT, "path": _STR, "sha256": _STR, "imported_at": _STR, "captured_at": _OPT_STR, "encoding": _STR,
    "new": _INT, "updated": _INT, "unchanged": _INT, "rejected": _INT, "total_claimed": _OPT_INT,
    "page_number": _OPT_INT,
}  # fmt: skip


def _fits(value: Any, kind: str) -> bool:
    if kind == _BOOL:
        return isinstance(value, bool)
    if value is None:
        return kind in (_OPT_INT, _OPT_STR, _OPT_NUM)
    if kind in (_INT, _OPT_INT):
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == _OPT_NUM:
        return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    return isinstance(value, str)


def _checked(obj: Any, fields: dict[str, str], what: str) -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise ValueError(f"{what} is not an object")
    for name, kind in fields.items():
        if name not in obj:
            raise ValueError(f"{what} has no {name!r}")
        if not _fits(obj[name], kind):
            raise ValueError(f"{what}: {name!r} must be {kind}")
    return obj


def _saved_document(obj: Any, n: int, document: type[Document] = Document) -> SavedDocument:
    if isinstance(obj, dict) and "rating" not in obj and "trailing_number" in obj:
        obj = {**obj, "rating": obj["trailing_number"]}  # an export from before schema 4 named it so
    load = _document_load(document)
    if isinstance(obj, dict) and not load.missing.keys() <= obj.keys():  # a field an older export did not have
        obj = load.missing | obj
    d = _checked(obj, load.kinds, f"document {n + 1}")
    if d["url"] is not None and not is_web_url(d["url"]):
        raise ValueError(f"document {n + 1}: 'url' must be an http or https address")  # it may be opened
    tags = d.get("tags")
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ValueError(f"document {n + 1}: 'tags' must be a list of names")
    values = {name: d[name] for name in fields_of(document).columns}
    for name in load.numbers:
        if values[name] is not None:
            values[name] = float(values[name])
    doc = document(**values, tags=tuple(tags))
    listings = d.get("listings", [])
    if not isinstance(listings, list):
        raise ValueError(f"document {n + 1}: 'listings' must be a list")
    others = tuple(
        SavedListing(**_checked(x, _LISTING_FIELDS, f"document {n + 1}'s listing")) for x in listings
    )
    exact = d.get("title_exact", False)  # exports before the HTML import had no exact titles
    if not isinstance(exact, bool):
        raise ValueError(f"document {n + 1}: 'title_exact' must be {_BOOL}")
    return SavedDocument(
        doc, identity=d["identity"], import_id=d["import_id"], listings=others, title_exact=exact
    )


def _saved_import(obj: Any, n: int) -> SavedImport:
    d = _checked(obj, _IMPORT_FIELDS, f"import {n + 1}")
    pages = d.get("pager_pages", [])
    rejected = d.get("rejected_lines", [])
    if not isinstance(pages, list) or not all(isinstance(p, int) for p in pages):
        raise ValueError(f"import {n + 1}: 'pager_pages' must be a list of numbers")
    if not isinstance(rejected, list):
        raise ValueError(f"import {n + 1}: 'rejected_lines' must be a list")
    lines = tuple(
        RejectedLine(**_checked(x, {"line_no": _INT, "reason": _STR, "raw": _STR}, f"import {n + 1}'s rejected line"))
        for x in rejected
    )
    repeated = d.get("repeated", 0)  # exports before schema 5 did not count repeated lines
    if not _fits(repeated, _INT):
        raise ValueError(f"import {n + 1}: 'repeated' must be {_INT}")
    record = ImportRecord(
        **{name: d[name] for name in _IMPORT_FIELDS if name != "captured_at"},
        pager_pages=tuple(pages),
        repeated=repeated,
    )
    return SavedImport(record, d["captured_at"], lines)


def _saved_search(obj: Any, n: int) -> SavedSearch:
    d = _checked(obj, {"name": _STR}, f"saved search {n + 1}")
    if not isinstance(d.get("query"), dict):
        raise ValueError(f"saved search {n + 1}: 'query' must be an object")
    try:
        text, query = decode_query(d["query"])
    except DocManagerError as exc:
        raise ValueError(f"saved search {n + 1}: {exc}") from None
    if not d["name"].strip():
        raise ValueError(f"saved search {n + 1}: 'name' is empty")
    return SavedSearch(" ".join(d["name"].split()), text, query)


@dataclass(frozen=True, slots=True)
class ExportContents:
    """What a JSON export holds, checked."""

    documents: list[SavedDocument]
    imports: list[SavedImport]
    saved: list[SavedSearch]


def read_export(path: Path, document: type[Document] = Document) -> tuple[list[SavedDocument], list[SavedImport]]:
    """The documents and imports of a JSON export (see ``read_export_contents``)."""
    contents = read_export_contents(path, document)
    return contents.documents, contents.imports


def read_export_contents(path: Path, document: type[Document] = Document) -> ExportContents:
    """Read and check a whole JSON export of ``document``s before anything is written; ExportFileError
    says why not."""
    path = Path(path)
    refuse_if_open_here(path, "load a JSON export")
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except OSError as exc:
        raise ExportFileError(path, f"cannot read it ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise ExportFileError(path, "it is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise ExportFileError(path, f"invalid or cut-short JSON at line {exc.lineno} column {exc.colno}") from None
    if not isinstance(data, dict) or "docmanager_export" not in data:
        raise ExportFileError(path, "it is not a DocManager export")
    if data["docmanager_export"] != EXPORT_VERSION:
        version = data["docmanager_export"]
        raise ExportFileError(path, f"export version {version!r}; this DocManager reads {EXPORT_VERSION}")
    if not isinstance(data.get("documents"), list) or not isinstance(data.get("imports"), list):
        raise ExportFileError(path, "it has no 'documents' and 'imports' lists")
    try:
        documents = [_saved_document(obj, n, document) for n, obj in enumerate(data["documents"])]
        imports = [_saved_import(obj, n) for n, obj in enumerate(data["imports"])]
        searches = data.get("saved_searches", [])  # exports before schema 9 have none
        if not isinstance(searches, list):
            raise ValueError("'saved_searches' must be a list")
        saved = [_saved_search(obj, n) for n, obj in enumerate(searches)]
    except (ValueError, TypeError) as exc:
        raise ExportFileError(path, str(exc)) from None
    for what, keys in (
        ("id", [d.document.id for d in documents]),
        ("identity", [d.identity for d in documents]),
        ("import id", [i.record.id for i in imports]),
        ("saved search name", [s.name.casefold() for s in saved]),
    ):
        if len(set(keys)) != len(keys):
            raise ExportFileError(path, f"two entries have the same {what}")
    return ExportContents(documents, imports, saved)


def load_export(library: Library, path: Path) -> LoadResult:
    """Load a JSON export into a library, all or nothing (see Library.load); a library with documents
    is backed up first, since loading replaces the user fields of the documents it already has."""
    contents = read_export_contents(path, library.DOCUMENT)
    if str(library.path) != ":memory:" and library.has_documents():
        take_backup(library, reason="before load")
    try:
        return library.load(contents.documents, contents.imports, contents.saved)
    except ValueError as exc:
        raise ExportFileError(Path(path), str(exc)) from None
