"""Profile single GUI operations with pyinstrument (install it into any venv on PYTHONPATH).

    PYTHONPATH=/tmp/benchvenv/lib/python3.13/site-packages \\
        python benchmarks/profile_gui.py [--library PATH] open sort bulk search-excerpts

Writes benchmarks/out/profile-gui-<op>.txt. Works on a copy of the library (bulk tagging writes).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_gui import Bench
from common import LIB_1M, OUT


def main(argv: list[str] | None = None) -> int:
    from pyinstrument import Profiler
    from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--library", type=Path, default=LIB_1M)
    parser.add_argument("ops", nargs="+", choices=["open", "sort", "bulk", "search-excerpts", "search"])
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="dm-profile-", dir=OUT) as tmpdir:
        tmp = Path(tmpdir)
        copy = tmp / "lib.sqlite"
        shutil.copyfile(args.library, copy)
        ini = tmp / "settings.ini"

        def profiled(name: str, fn) -> None:  # type: ignore[no-untyped-def]
            p = Profiler(interval=0.001)
            p.start()
            fn()
            p.stop()
            text = p.output_text(unicode=True, color=False)
            (OUT / f"profile-gui-{name}.txt").write_text(text)
            print(f"--- {name}\n{text}")

        holder: dict[str, Bench] = {}
        profiled("open", lambda: holder.setdefault("b", Bench(copy, ini)))
        b = holder["b"]
        if "sort" in args.ops:
            profiled("sort", lambda: b.wait_refresh(lambda: b.model.sort(0, Qt.SortOrder.DescendingOrder)))
        if "search" in args.ops:
            profiled("search", lambda: b.wait_refresh(lambda: b.search("复制", False)))
        if "search-excerpts" in args.ops:
            profiled("search-excerpts", lambda: b.wait_refresh(lambda: b.search("复制", True)))
        if "bulk" in args.ops:
            b.wait_refresh(lambda: b.search("", True))
            sel = QItemSelection(b.model.index(20_000, 0), b.model.index(29_999, b.model.columnCount() - 1))
            b.table.selectionModel().select(sel, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            ids = b.table.selected_ids()
            profiled("bulk", lambda: b.wait_refresh(lambda: b.window.tag_documents(ids, ["profile-bulk"])))
        b.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
