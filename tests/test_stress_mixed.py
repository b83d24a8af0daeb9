"""``make stress``'s mixed mode still runs and finds nothing: a few rounds, one killing the window
and two killing a terminal command (tools/stress.py mixed; the full run is 200 rounds)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to list open files")


def test_mixed_rounds_find_nothing(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "stress.py"), "mixed", "--rounds", "3", "--kill-rate", "1",
         "--keep", str(tmp_path / "mixed")],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120, check=False,
    )  # fmt: skip
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    summary = re.search(r"stress mixed: 3 rounds .*", done.stdout)
    assert summary, out
    for failure in ("integrity failures", "lost edits", "deleted-journal handles", "other failures"):
        assert f"{failure}: 0," in summary[0] or f"{failure}: 0;" in summary[0], summary[0]
    assert "1 window kills" in summary[0], summary[0]
    committed = re.search(r"edits committed: (\d+) by the window, (\d+) by the terminal", summary[0])
    assert committed and int(committed[1]) > 0 and int(committed[2]) > 0, summary[0]
