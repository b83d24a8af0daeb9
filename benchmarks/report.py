"""Render benchmarks/out/results.json as a Markdown table, and write it into the README.

python benchmarks/report.py [results.json] [--no-readme]

The README's table sits between the markers ``<!-- bench:start -->`` and ``<!-- bench:end -->``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import RESULTS

# Targets: (section path, limit on the median, limit on the max or None, unit of the limits)
MS = 1000.0


def _ms(s: dict[str, Any]) -> str:
    return f"{s['median'] * MS:,.0f} ms ({s['min'] * MS:,.0f}–{s['max'] * MS:,.0f})"


def _s(s: dict[str, Any]) -> str:
    return f"{s['median']:.2f} s ({s['min']:.2f}–{s['max']:.2f})"


def _verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("met" if ok else "**missed**")


def _timed_ok(s: dict[str, Any], median_s: float, worst_s: float | None = None) -> bool:
    return s["median"] <= median_s and (worst_s is None or s["max"] <= worst_s)


def render(results: dict[str, Any]) -> str:
    lines: list[str] = []
    m = results.get("machine", {})
    lines.append(
        f"Machine: {m.get('cpu')}, {m.get('cores')} cores, {m.get('ram_gb')} GB RAM; Python {m.get('python')}, "
        f"SQLite {m.get('sqlite')}, PySide6 {m.get('pyside6')}. Times: median (min–max)."
    )
    lines.append("")
    lines.append("| Benchmark | Result | Target | |")
    lines.append("|---|---|---|---|")

    def row(name: str, value: str, target: str = "", ok: bool | None = None) -> None:
        lines.append(f"| {name} | {value} | {target} | {_verdict(ok) if target else ''} |")

    imp = results.get("import")
    if imp:
        e = imp["empty"]
        row(
            f"Import {imp['lines']:,} lines ({imp['listing_mb']:.0f} MB) into an empty library",
            f"{_s(e)}; {e['docs_per_s']:,.0f} docs/s, {e['mb_per_s']:.1f} MB/s",
            "≤ 5 s",
            e["median"] <= 5,
        )
        row(
            "… plain sqlite3 executemany baseline (same rows + FTS terms)",
            f"{_s(imp['baseline'])}; ours / baseline = {imp['ratio_to_baseline']:.1f}×",
            "≤ 1.5×",
            imp["ratio_to_baseline"] <= 1.5,
        )
        for k, v in imp.get("phases", {}).items():
            row(f"… of which {k.replace('_', ' ')} (no SQLite)", _s(v))
        if "into_1m" in imp:
            i = imp["into_1m"]
            row(
                "Import the same into a copy of the 1M library",
                f"{_s(i)}; {i['docs_per_s']:,.0f} docs/s, {i['mb_per_s']:.1f} MB/s",
                "≤ 5 s",
                i["median"] <= 5,
            )
    gui = results.get("gui")
    if gui:
        docs = gui.get("docs", 0)
        row(
            f"First rows painted, from process start ({docs:,} docs)",
            _s(gui["first_rows"]),
            "≤ 1.5 s",
            gui["first_rows"]["median"] <= 1.5,
        )
        row(
            "… bare `python -c 'import PySide6.QtWidgets'`",
            f"{_s(gui['bare_pyside_import'])}; first rows / bare = {gui['first_rows_ratio_to_bare_import']:.1f}×",
        )
        for key, s in gui.get("sort", {}).items():
            row(f"Sort by {key}", _ms(s), "≤ 100 ms (500 worst)", _timed_ok(s, 0.1, 0.5))
        if "sort_cached" in gui:
            row(
                "Sort by a key seen before (either direction)",
                _ms(gui["sort_cached"]),
                "≤ 100 ms (500 worst)",
                _timed_ok(gui["sort_cached"], 0.1, 0.5),
            )
        if "scroll" in gui:
            frame = "≤ 16.7 ms (one frame at 60 Hz)"
            for key, label in (
                ("to_end", "Scroll to the end: one frame (read the rows + paint)"),
                ("back_to_top", "Scroll back to the top: one frame"),
                ("page_down", "Page Down through unread rows, 60 frames"),
            ):
                if key in gui["scroll"]:
                    s = gui["scroll"][key]
                    row(label, _ms(s), frame, s["max"] <= 1 / 60)
        for key, s in gui.get("search", {}).items():
            with_ex = "with excerpts" in key
            if with_ex and "complete" in s:
                row(
                    f"Search {key}: first rows shown ({s['first_rows']:,} rows)",
                    _ms(s),
                    "≤ 300 ms, first rows as found",
                    _timed_ok(s, 0.3),
                )
                row(f"… all {s['matches']:,} matches (scan of every excerpt)", _ms(s["complete"]))
                continue
            target = "≤ 300 ms" if with_ex else "≤ 100 ms (500 worst)"
            ok = _timed_ok(s, 0.3) if with_ex else _timed_ok(s, 0.1, 0.5)
            row(f"Search {key} ({s['matches']:,} rows)", _ms(s), target, ok)
        if "search_debounce_ms" in gui:
            row("… plus the search field's debounce", f"{gui['search_debounce_ms']} ms")
        for key, s in gui.get("tag_filter", {}).items():
            row(f"Tag filter {key}", _ms(s), "≤ 100 ms (500 worst)", _timed_ok(s, 0.1, 0.5))
        if "detail_pane" in gui:
            row("Open the detail pane (select a row)", _ms(gui["detail_pane"]))
        if "select_10k_rows_and_read_ids" in gui:
            row("Select 10,000 rows and read their ids", _ms(gui["select_10k_rows_and_read_ids"]))
        if "bulk_preview_10k" in gui:
            row("Preview of bulk-tagging 10,000 selected documents (dialog shown)", _ms(gui["bulk_preview_10k"]))
        if "bulk_tag_10k" in gui:
            row("Bulk-tag 10,000 selected documents (+ refresh), once confirmed", _s(gui["bulk_tag_10k"]))
        if "tags_10k" in gui:
            t = gui["tags_10k"]
            label = f"{t['tags']:,} tags ({t['links']:,} links added)"
            row(
                f"Sidebar with {label}: counts read, tree built, painted",
                _ms(gui["tags_10k_sidebar"]),
                "≤ 100 ms",
                _timed_ok(gui["tags_10k_sidebar"], 0.1),
            )
            row("… filter the tags by typing (tree rebuilt, painted)", _ms(gui["tags_10k_filter"]))
            row(
                "… sidebar updated after bulk-tagging 10,000 documents (from the edit's commit: recount, tree, paint)",
                _ms(gui["tags_10k_after_bulk_edit"]),
                "≤ 100 ms",
                _timed_ok(gui["tags_10k_after_bulk_edit"], 0.1),
            )
            if "tags_10k_bulk_edit" in gui:
                row("… the bulk edit itself, 10,000 links written and their search rows", _s(gui["tags_10k_bulk_edit"]))
        if "peak_rss_mb" in gui:
            row("Peak memory of the GUI process", f"{gui['peak_rss_mb']:.0f} MB", "< 300 MB", gui["peak_rss_mb"] < 300)
        if "peak_rss_mb_10k_tags" in gui:
            peak = gui["peak_rss_mb_10k_tags"]
            row("… after the 10,000 tags and their bulk edits", f"{peak:.0f} MB", "< 300 MB", peak < 300)
        if "bytes_per_doc" in gui:
            ratio = gui.get("size_ratio_to_listing")
            row(
                "Library file size",
                f"{gui['library_bytes'] / 1e9:.2f} GB, {gui['bytes_per_doc']:,.0f} B/doc"
                + (f"; {ratio:.2f}× the listing text" if ratio else ""),
                "≤ 2.5× listing",
                None if ratio is None else ratio <= 2.5,
            )
    build = results.get("build")
    if build:
        for name, meta in build.items():
            if not isinstance(meta, dict):
                continue
            secs = meta.get("seconds", {})
            row(
                f"Build {name} through the import path",
                f"{secs.get('total', 0) / 60:.1f} min (import {secs.get('import', 0):.0f} s, "
                f"tags {secs.get('tags', 0):.0f} s, queue+status {secs.get('later_and_status', 0):.0f} s)",
                "≤ 15 min" if "1m" in name else "",
                (secs.get("total", 0) <= 900) if "1m" in name else None,
            )
    return "\n".join(lines) + "\n"


README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def write_readme(table: str, readme: Path = README) -> bool:
    """Replace the table between the markers; False if the README has no markers."""
    text = readme.read_text(encoding="utf-8")
    if START not in text or END not in text:
        return False
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(f"{head}{START}\n{table.strip()}\n{END}{tail}", encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    files = [a for a in args if not a.startswith("--")]
    path = Path(files[0]) if files else RESULTS
    results = json.loads(path.read_text(encoding="utf-8"))
    table = render(results)
    sys.stdout.write(table)
    if "--no-readme" not in args:
        print("README updated" if write_readme(table) else "README has no bench markers; not updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
