"""The command line: ``docmanager`` opens the window; its subcommands work on the library in a terminal."""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
import webbrowser
from array import array
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from wcwidth import wcwidth

from docmanager import __version__, buglog
from docmanager.budget import DEFAULT_MINUTES_PER_PAGE, QueueEstimate, duration_text
from docmanager.errors import DocManagerError, InvalidInput, LibraryError, NotFoundError
from docmanager.importer import import_files
from docmanager.library import (
    Document,
    Library,
    SavedSearch,
    Sort,
    View,
    ViewQuery,
    check_file,
    verify_library_file,
)
from docmanager.library import backup as backups
from docmanager.library.connection import WRITE_LOCK_TIMEOUT
from docmanager.library.plan import search_ids
from docmanager.library.transfer import FORMATS, export_csv, export_json, export_to_file, load_export
from docmanager.paths import LIBRARY_ENV, bug_log_path, library_path
from docmanager.search import STATUSES, parse_query
from docmanager.webpage import page_address

# Opens an address in the default browser; returns whether one was started (tests pass a stub to main).
Opener = Callable[[str], bool]

WRITING_COMMANDS = frozenset(
    {"import", "tag", "untag", "later", "rename-tag", "load", "status", "delete", "notes", "title"}
)
# Only these start a library where there is none: a mistyped --library for anything else is an error.
CREATING_COMMANDS = frozenset({"import", "load"})
SUBCOMMANDS = (
    "import", "list", "show", "open", "tag", "untag", "later", "status", "title", "notes", "delete", "tags",
    "rename-tag", "saved", "check", "backup", "restore", "export", "load", "gui",
)  # fmt: skip
# The saved-search actions that change the library (``saved list`` only reads it).
SAVED_WRITES = frozenset({"add", "remove", "rename"})
SORT_ALIASES = {"age": Sort.DATE, "published": Sort.DATE, "size_bytes": Sort.SIZE, "read_later": Sort.LATER}
TABLE_COLUMNS = ("id", "title", "pages", "size_text", "age_text", "tags", "read_later", "status")


def _sort_arg(text: str) -> tuple[Sort, bool]:
    name, _, direction = text.partition(":")
    if direction not in ("", "asc", "desc"):
        raise argparse.ArgumentTypeError(f"direction must be asc or desc, not {direction!r}")
    try:
        sort = SORT_ALIASES.get(name) or Sort(name)
    except ValueError:
        choices = ", ".join(s.value for s in Sort)
        raise argparse.ArgumentTypeError(f"unknown sort field {name!r} (choose from {choices})") from None
    return sort, direction == "desc"


def _limit_arg(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {n}")
    return n


def _speed_arg(text: str) -> float:
    try:
        speed = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 < speed <= 60:
        raise argparse.ArgumentTypeError(f"must be more than 0 and at most 60, not {text}")
    return speed


def _captured_at(text: str) -> datetime:
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO date or time (e.g. 2026-11-25T10:00)") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _query_options(p: argparse.ArgumentParser) -> None:
    """The options that choose what ``list`` shows, which ``saved add`` saves."""
    p.add_argument(
        "--sort",
        type=_sort_arg,
        default=None,
        metavar="FIELD[:desc]",
        help="title, pages, size, date, price, tags, later, status, added or id",
    )
    p.add_argument(
        "--tag", action="append", default=[], metavar="TAG", help="only documents with this tag (repeatable)"
    )
    p.add_argument("--any-tag", action="store_true", help="with several --tag: documents with any of them, not all")
    p.add_argument("--later", action="store_true", help="only the read-later queue, in queue order")
    p.add_argument("--search", default="", metavar="TEXT", help="search titles, excerpts, tags and notes")


def _query(args: argparse.Namespace) -> ViewQuery:
    """The view the query options of ``list`` (or ``saved add``) ask for."""
    # Without --sort: date added, or queue order for --later.
    default = (Sort.LATER if args.later else Sort.ADDED, False)
    sort, descending = args.sort or default
    return ViewQuery(
        view=View.LATER if args.later else View.ALL,
        tags=tuple(args.tag),
        tag_mode="any" if args.any_tag else "all",
        search=parse_query(args.search),
        sort=sort,
        descending=descending,
    )


def _saved_search(lib: Library, name: str) -> SavedSearch:
    try:
        return lib.saved_search(name)
    except NotFoundError:  # a usage error, like an unknown option: exit 2
        raise InvalidInput(f"no saved search named {name!r} (`docmanager saved list` shows them)") from None


def describe_query(text: str, q: ViewQuery) -> str:
    """A saved search's query as the options of ``list`` would give it (and a view they cannot)."""
    parts = [] if q.view is View.ALL else [f"view: {q.view.value}"]
    if text.strip():
        parts.append(f"search: {text}")
    if q.tags:
        parts.append(f"tags: {', '.join(q.tags)}" + (" (any)" if q.tag_mode == "any" and len(q.tags) > 1 else ""))
    parts.append(f"sort: {q.sort.value}{':desc' if q.descending else ''}")
    return "; ".join(parts)


def _saved(lib: Library, args: argparse.Namespace) -> int:
    action = args.saved_command
    if action == "list":
        for search in lib.saved_searches():
            print(f"{lib.count_saved(search.query)}\t{search.name}\t{describe_query(search.text, search.query)}")
        return 0
    if action == "add":
        query = _query(args)
        if _exists(lib, args.name):
            name = _saved_search(lib, args.name).name
            if not args.replace:
                raise InvalidInput(f"a saved search named {name!r} already exists; --replace gives it this query")
            lib.replace_saved_search(name, args.search, query)
            print(f"saved search {name!r} replaced: {lib.count_saved(query)} documents")
            return 0
        name = next(iter(lib.save_search(args.name, args.search, query).saved))
        print(f"saved search {name!r} added: {lib.count_saved(query)} documents")
        return 0
    if action == "remove":
        name = _saved_search(lib, args.name).name
        lib.delete_saved_search(name)
        print(f"saved search {name!r} removed")
        return 0
    if action == "rename":
        old = _saved_search(lib, args.name).name
        lib.rename_saved_search(old, args.new)
        print(f"renamed saved search {old!r} to {lib.saved_search(args.new).name!r}")
        return 0
    raise AssertionError(f"unhandled saved-search action {action}")


def _exists(lib: Library, name: str) -> bool:
    try:
        lib.saved_search(name)
    except NotFoundError:
        return False
    return True


def build_parser() -> argparse.ArgumentParser:
    """The command line's parser."""
    return _parsers()[0]


def subcommand_parsers() -> dict[str, argparse.ArgumentParser]:
    """Each subcommand's parser by name: what the README's command-line section must document."""
    return _parsers()[1]


def _parsers() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--library",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help=f"the library file (default: ${LIBRARY_ENV} or library.sqlite in your data folder)",
    )
    common.add_argument(
        "--wait",
        metavar="SECONDS",
        type=float,
        default=argparse.SUPPRESS,
        help="how long a change waits while another program (the window) is writing (default: 10)",
    )
    parser = argparse.ArgumentParser(
        prog="docmanager",
        parents=[common],
        description="A personal library of documents from saved listing pages. "
        "With no command (or only files), opens the window and imports the files.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("import", parents=[common], help="import listing files")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument(
        "--captured-at",
        type=_captured_at,
        metavar="WHEN",
        help="when the pages were saved (ISO date/time; default: each file's modification time)",
    )

    p = sub.add_parser("list", parents=[common], help="list documents")
    _query_options(p)
    p.add_argument(
        "--saved",
        metavar="NAME",
        help="what a saved search shows, in its order (instead of --sort, --tag, --any-tag, --later, --search)",
    )
    p.add_argument("--limit", type=_limit_arg, metavar="N", help="at most N documents")
    p.add_argument(
        "--fits",
        type=_limit_arg,
        metavar="MINUTES",
        help="only the read-later documents that fit in MINUTES, from the top of the queue (implies --later)",
    )
    p.add_argument(
        "--minutes-per-page",
        type=_speed_arg,
        default=DEFAULT_MINUTES_PER_PAGE,
        metavar="M",
        help="reading speed for --fits: a document without your own estimate takes pages × M minutes "
        f"(default {DEFAULT_MINUTES_PER_PAGE:g})",
    )
    p.add_argument("--format", choices=("table", "tsv", "json"), default="table")

    p = sub.add_parser("saved", parents=[common], help="saved searches: add, remove, rename, list")
    saved = p.add_subparsers(dest="saved_command", metavar="ACTION", required=True)
    q = saved.add_parser("add", parents=[common], help="save a search (the options of list) under a name")
    q.add_argument("name", metavar="NAME")
    _query_options(q)
    q.add_argument("--replace", action="store_true", help="give a saved search of this name the new query")
    q = saved.add_parser("remove", parents=[common], help="delete a saved search")
    q.add_argument("name", metavar="NAME")
    q = saved.add_parser("rename", parents=[common], help="rename a saved search")
    q.add_argument("name", metavar="NAME")
    q.add_argument("new", metavar="NEW")
    saved.add_parser("list", parents=[common], help="the saved searches: how many documents each shows, its query")

    p = sub.add_parser("show", parents=[common], help="show one document in full")
    p.add_argument("id", type=int)
    p.add_argument("--format", choices=("text", "json"), default="text")

    p = sub.add_parser(
        "open", parents=[common], help="open a document's page on the site (or a search for its title) in the browser"
    )
    p.add_argument("id", type=int)

    for name, text in (("tag", "add tags to a document"), ("untag", "remove tags from a document")):
        p = sub.add_parser(name, parents=[common], help=text)
        p.add_argument("id", type=int)
        p.add_argument("tags", nargs="+", metavar="TAG")

    p = sub.add_parser("later", parents=[common], help="add documents to the read-later queue")
    p.add_argument("ids", nargs="+", type=int, metavar="ID")
    p.add_argument("--remove", action="store_true", help="take them out of the queue instead")

    p = sub.add_parser("status", parents=[common], help="mark documents unread, reading or read")
    p.add_argument("status", choices=STATUSES)
    p.add_argument("ids", nargs="+", type=int, metavar="ID")

    p = sub.add_parser("title", parents=[common], help="set a document's title (yours from then on)")
    p.add_argument("id", type=int)
    p.add_argument("text", metavar="TITLE")

    p = sub.add_parser("notes", parents=[common], help="set a document's notes (empty text clears them)")
    p.add_argument("id", type=int)
    p.add_argument("text", metavar="TEXT")
    p.add_argument("--append", action="store_true", help="add TEXT after the notes already there")

    p = sub.add_parser("delete", parents=[common], help="delete documents (a backup is taken first)")
    p.add_argument("ids", nargs="+", type=int, metavar="ID")

    sub.add_parser("tags", parents=[common], help="list tags with their document counts")

    p = sub.add_parser("rename-tag", parents=[common], help="rename a tag (merges into an existing one)")
    p.add_argument("old")
    p.add_argument("new")

    sub.add_parser("check", parents=[common], help="check the library file for damage (reads every page)")

    p = sub.add_parser("backup", parents=[common], help="write a backup of the library")
    p.add_argument(
        "target", nargs="?", type=Path, metavar="PATH", help="the backup file (default: a new automatic backup)"
    )
    p.add_argument("--force", action="store_true", help="replace PATH if it exists")
    p.add_argument("--list", action="store_true", help="list the automatic backups, newest first")

    p = sub.add_parser("restore", parents=[common], help="replace the library's content with a backup")
    p.add_argument("source", type=Path, metavar="PATH")

    p = sub.add_parser("export", parents=[common], help="export the whole library as JSON or CSV")
    p.add_argument("--format", choices=FORMATS, default="json")
    p.add_argument("--output", type=Path, metavar="PATH", help="write to PATH instead of standard output")
    p.add_argument("--force", action="store_true", help="replace PATH if it exists")

    p = sub.add_parser("load", parents=[common], help="load a JSON export into the library")
    p.add_argument("file", type=Path, metavar="FILE")

    p = sub.add_parser("gui", parents=[common], help="open the window (the default), importing FILEs")
    p.add_argument("files", nargs="*", type=Path, metavar="FILE")
    return parser, dict(sub.choices)


def _wants_gui(argv: Sequence[str]) -> bool:
    """No subcommand among the arguments: the desktop launcher's ``docmanager %F`` form."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg == "--library":
            skip = True
            continue
        if arg.startswith("-"):
            if arg in ("-h", "--help", "--version"):
                return False
            continue
        return arg not in SUBCOMMANDS
    return True


def _char_width(c: str) -> int:
    """Terminal columns of one character (wcwidth: 2 for Chinese, 0 for a zero-width space or a
    combining mark); a control character, which wcwidth cannot place, counts as one."""
    w = wcwidth(c)
    return 1 if w < 0 else w


def display_width(text: str) -> int:
    return sum(map(_char_width, text))


def _fit(text: str, width: int) -> str:
    """Cut and pad to a display width, counting wide (Chinese) characters as two columns."""
    out: list[str] = []
    used = 0
    for c in text:
        w = _char_width(c)
        if used + w > width:
            out[-1:] = ["…"]
            used = display_width("".join(out))
            break
        out.append(c)
        used += w
    return "".join(out) + " " * (width - used)


def _cell(doc: Document, column: str) -> str:
    value = doc.as_json()[column]
    if isinstance(value, list):
        return ", ".join(value)
    if isinstance(value, bool):
        return "yes" if value else ""
    return "" if value is None else str(value)


def print_documents(docs: list[Document], fmt: str) -> None:
    out = sys.stdout
    if fmt == "json":
        json.dump([d.as_json() for d in docs], out, ensure_ascii=False, indent=1)
        out.write("\n")
    elif fmt == "tsv":
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        columns = list(docs[0].as_json()) if docs else list(TABLE_COLUMNS)
        writer.writerow(columns)
        for d in docs:
            writer.writerow([_cell(d, c).replace("\t", " ").replace("\n", " ") for c in columns])
    else:
        widths = {
            "id": 6,
            "title": 40,
            "pages": 6,
            "size_text": 10,
            "age_text": 8,
            "tags": 16,
            "read_later": 5,
            "status": 7,
        }
        heads = {"size_text": "size", "age_text": "age", "read_later": "later"}
        out.write("  ".join(_fit(heads.get(c, c), widths[c]) for c in TABLE_COLUMNS).rstrip() + "\n")
        for d in docs:
            out.write("  ".join(_fit(_cell(d, c), widths[c]) for c in TABLE_COLUMNS).rstrip() + "\n")


def _show(doc: Document) -> str:
    # None is a field the listing did not give (pages "-", no age) or that is not set: shown as "—".
    lines = [f"{k}: {'—' if v is None else v}" for k, v in doc.as_json().items() if k not in ("excerpt", "raw_line")]
    return "\n".join([*lines, "excerpt:", doc.excerpt, "raw_line:", doc.raw_line])


def _check(path: Path) -> int:
    problems = check_file(path)
    if not problems:
        print(f"{path}: ok")
        return 0
    print(f"{path}: damaged ({len(problems)} problem(s)):")
    for problem in problems:
        print(f"  {problem}")
    return 1


def _restore(path: Path, source: Path) -> int:
    verify_library_file(source)  # before anything else: a bad source changes nothing
    try:
        lib = Library(path)
    except LibraryError as exc:
        if exc.kind not in ("damaged", "too_new"):
            raise
        kept = backups.set_aside(path)
        print(f"{path}: could not be opened ({exc.kind}); kept as {kept}")
        lib = Library(path)
    with lib:
        done = backups.restore(lib, source)
    print(f"restored {done.source} into {path}: {done.after} documents (there were {done.before})")
    print(f"the previous content was backed up to {done.saved}")
    return 0


def run(args: argparse.Namespace, opener: Opener = webbrowser.open) -> int:
    path = library_path(getattr(args, "library", None))
    if args.command == "check":
        return _check(path)
    if args.command == "restore":
        return _restore(path, args.source)
    if args.command == "backup" and args.list:
        for backup in backups.list_backups(path):
            print(backup)
        return 0
    # The daily backup before commands that change the library; reading one never waits for a copy.
    writes = args.command in WRITING_COMMANDS or (args.command == "saved" and args.saved_command in SAVED_WRITES)
    wait = getattr(args, "wait", WRITE_LOCK_TIMEOUT)
    if not 0 <= wait < math.inf:
        raise InvalidInput(f"--wait {wait:g}: give a number of seconds, 0 or more")
    with Library(
        path,
        create=args.command in CREATING_COMMANDS,
        auto_backup=writes,
        lock_timeout=wait,
        close_lock_timeout=min(wait, 0.25),
    ) as lib:
        if args.command == "import":
            status = 0
            for result in import_files(lib, args.files, captured_at=args.captured_at):
                print(result.summary())
                for r in result.rejections:
                    print(f"  {r.describe()}")
                if not result.ok:
                    status = 1
            return status
        if args.command == "list":
            if args.saved is None:
                args.later = args.later or args.fits is not None  # --fits: the queue, in its order
                q = _query(args)
            elif args.sort or args.tag or args.any_tag or args.later or args.search:
                raise InvalidInput(
                    "--saved lists a saved search as it was saved: "
                    "give no --sort, --tag, --any-tag, --later or --search"
                )
            else:
                q = _saved_search(lib, args.saved).query
            ids = search_ids(lib, q)  # the window's search plan: the same documents in the same order
            fitting: list[int] = []
            if args.fits is not None:
                queue = QueueEstimate.of(lib.later_reading(), args.minutes_per_page)
                fitting = queue.fitting(args.fits)
                chosen = set(fitting)
                ids = array("q", (i for i in ids if i in chosen))
            print_documents(lib.documents(ids[: args.limit] if args.limit is not None else ids), args.format)
            if args.fits is not None and args.format == "table":
                estimate = f"~{duration_text(queue.total)}"
                if queue.unknown:
                    estimate += f", {queue.unknown} without an estimate"
                print(f"{len(fitting)} documents fit in {args.fits} min (read later: {len(queue.ids)}, {estimate})")
            return 0
        if args.command == "saved":
            return _saved(lib, args)
        if args.command == "show":
            doc = lib.get(args.id)
            print(json.dumps(doc.as_json(), ensure_ascii=False, indent=1) if args.format == "json" else _show(doc))
            return 0
        if args.command == "open":
            doc = lib.get(args.id)
            address = page_address(doc.url, doc.title, lib.last_url(), doc.id)
            if not opener(address):
                raise DocManagerError(f"{doc.id}: no web browser could be started to open {address}")
            print(f"{doc.id}: opened {address}")
            return 0
        if args.command == "tag":
            change = lib.add_tags([args.id], args.tags)
            print(f"{args.id}: {len(change.undo.links)} tag(s) added; tags now: {', '.join(lib.get(args.id).tags)}")
            return 0
        if args.command == "untag":
            change = lib.remove_tags([args.id], args.tags)
            print(f"{args.id}: {len(change.undo.links)} tag(s) removed; tags now: {', '.join(lib.get(args.id).tags)}")
            return 0
        if args.command == "later":
            if args.remove:
                print(f"{len(lib.remove_from_later(args.ids).ids)} removed from read later")
            else:
                print(f"{len(lib.add_to_later(args.ids).ids)} added to read later")
            return 0
        if args.command == "status":
            changed = lib.set_status(args.ids, args.status)
            print(f"{len(changed.ids)} marked {args.status}")  # those whose status changed
            return 0
        if args.command == "title":
            lib.set_title(args.id, args.text)
            print(f"{args.id}: title set to {lib.get(args.id).title!r}")
            return 0
        if args.command == "notes":
            notes = args.text
            if args.append and (before := lib.get(args.id).notes):
                notes = f"{before}\n{args.text}"
            lib.set_notes(args.id, notes)
            print(f"{args.id}: notes {'cleared' if not notes else 'saved'}")
            return 0
        if args.command == "delete":
            found = {d.id for d in lib.documents(args.ids, texts=False)}
            if missing := [i for i in args.ids if i not in found]:  # before anything is written
                raise NotFoundError(f"no document with id {missing[0]}")
            saved = backups.take_backup(lib, reason="before delete")
            deleted = lib.delete(args.ids)
            print(f"{len(deleted.removed)} deleted; the library before is in {saved}")
            return 0
        if args.command == "tags":
            for name, n in lib.tag_counts():
                print(f"{n}\t{name}")
            return 0
        if args.command == "rename-tag":
            lib.rename_tag(args.old, args.new)
            print(f"renamed {args.old!r} to {args.new!r}")
            return 0
        if args.command == "backup":
            if args.target is None:
                print(backups.take_backup(lib, reason="asked for"))
            else:
                if args.target.exists() and not args.force:
                    raise DocManagerError(f"{args.target}: already exists; use --force to replace it")
                print(backups.write_backup(lib, args.target, overwrite=args.force))
            return 0
        if args.command == "export":
            if args.output is None:
                (export_json if args.format == "json" else export_csv)(lib, sys.stdout)
                return 0
            if args.output.exists() and not args.force:
                raise DocManagerError(f"{args.output}: already exists; use --force to replace it")
            n = export_to_file(lib, args.output, args.format, overwrite=args.force)
            print(f"exported {n} documents to {args.output}")
            return 0
        if args.command == "load":
            loaded = load_export(lib, args.file)
            print(
                f"{args.file}: {loaded.new} new, {loaded.updated} updated, {loaded.unchanged} unchanged; "
                f"{loaded.imports} import record(s) added"
            )
            return 0
    raise AssertionError(f"unhandled command {args.command}")


def main(argv: Sequence[str] | None = None, *, opener: Opener = webbrowser.open) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if _wants_gui(argv):
        argv = ["gui", *argv]
    args = build_parser().parse_args(argv)
    if args.command == "gui":
        from docmanager.gui.app import run_gui  # Qt is imported only for the window

        return run_gui(library_path(getattr(args, "library", None)), args.files)
    try:
        return run(args, opener)
    except InvalidInput as exc:  # an argument the library cannot take (an empty title, a comma in a tag)
        print(f"docmanager: {exc}", file=sys.stderr)
        return 2
    except DocManagerError as exc:
        print(f"docmanager: {exc}", file=sys.stderr)
        return 1
    except UnicodeEncodeError:
        print("docmanager: an argument is not valid text in this system's encoding", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:  # Ctrl+C: every write is one transaction, rolled back on the way out
        print("docmanager: interrupted; what was being written was rolled back", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug (see docmanager.buglog): its traceback goes to the log, not here
        buglog.record(exc, f"running `docmanager {args.command}`")
        print(
            f"docmanager: an unexpected error (a bug): {type(exc).__name__}: {exc}\n"
            f"docmanager: the details were written to {bug_log_path()}; please report it with that file",
            file=sys.stderr,
        )
        return buglog.EXIT_BUG


def gui_main() -> int:
    """The gui-script entry point (no console window on Windows)."""
    return main(["gui", *sys.argv[1:]])
