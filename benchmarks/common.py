"""Shared by the benchmarks: paths, timing statistics, machine info and the results file."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
RESULTS = OUT / "results.json"
LIB_1M = OUT / "lib-1m.sqlite"
LIB_100K = OUT / "lib-100k.sqlite"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def stats(samples: list[float], unit: str = "s") -> dict[str, Any]:
    """Median, min and max of a list of samples (kept too, for the curious)."""
    return {
        "median": statistics.median(samples),
        "min": min(samples),
        "max": max(samples),
        "runs": len(samples),
        "unit": unit,
        "samples": [round(s, 6) for s in samples],
    }


def repeat(fn: Callable[[], Any], runs: int, setup: Callable[[], Any] | None = None) -> list[float]:
    """Wall-clock seconds of ``fn`` over ``runs`` runs (``setup`` runs untimed before each)."""
    out = []
    for _ in range(runs):
        if setup is not None:
            setup()
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    ram = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        import PySide6

        pyside = PySide6.__version__
    except ImportError:
        pyside = None
    commit = ""
    try:  # read-only: which tree was measured
        import subprocess

        commit = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--", "docmanager"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        if commit and dirty:
            commit += " (docmanager/ modified)"
    except OSError:
        pass
    return {
        "commit": commit,
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": round(ram / 1024**3, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "pyside6": pyside,
    }


def save(section: str, data: dict[str, Any]) -> None:
    """Merge one benchmark's figures into results.json (other sections are kept)."""
    OUT.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {}
    if RESULTS.exists():
        try:
            results = json.loads(RESULTS.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            results = {}
    results["machine"] = machine()
    results[section] = data
    results[section]["measured_at"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def library_meta(path: Path) -> dict[str, Any]:
    meta = Path(f"{path}.json")
    return json.loads(meta.read_text(encoding="utf-8")) if meta.exists() else {}
