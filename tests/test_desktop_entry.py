"""The desktop integration: the entry claims listing files only, and installs the README's `docmanager` command."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APP_ID = "io.github.docmanager.DocManager"
DESKTOP = ROOT / "resources" / f"{APP_ID}.desktop"
MIME = ROOT / "resources" / f"{APP_ID}.mime.xml"
SCRIPT = ROOT / "packaging" / "install-desktop.sh"


def _entry(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))


def test_the_entry_claims_only_listing_files() -> None:
    """text/plain would offer DocManager for every text file."""
    assert _entry(DESKTOP)["MimeType"] == "application/x-docmanager-listing;"
    mime = MIME.read_text(encoding="utf-8")
    assert 'type="application/x-docmanager-listing"' in mime
    assert 'pattern="*.listing.txt"' in mime and 'value="码力 |"' in mime


def _run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / ".local" / "share")}
    return subprocess.run(["sh", str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=60, check=True)


@pytest.fixture
def venv_script(tmp_path: Path) -> Path:
    script = tmp_path / "checkout" / ".venv" / "bin" / "docmanager"
    script.parent.mkdir(parents=True)
    script.write_text("#!/bin/sh\necho docmanager \"$@\"\n", encoding="utf-8")
    script.chmod(0o755)
    return script


def test_install_adds_the_docmanager_command_and_uninstall_removes_it(tmp_path: Path, venv_script: Path) -> None:
    home = tmp_path / "home"
    _run(home, "install", str(venv_script.with_name("docmanager-gui")), str(venv_script))
    command = home / ".local" / "bin" / "docmanager"
    assert command.is_symlink() and command.resolve() == venv_script.resolve()
    result = subprocess.run([str(command), "list"], capture_output=True, text=True, check=True)
    assert result.stdout == "docmanager list\n"
    entry = home / ".local" / "share" / "applications" / f"{APP_ID}.desktop"
    assert _entry(entry)["MimeType"] == "application/x-docmanager-listing;"
    if shutil.which("desktop-file-validate"):
        subprocess.run(["desktop-file-validate", str(entry)], check=True)
    _run(home, "uninstall")
    assert not command.exists() and not command.is_symlink()
    assert not entry.exists()


def test_a_docmanager_command_that_is_not_ours_is_left_alone(tmp_path: Path, venv_script: Path) -> None:
    home = tmp_path / "home"
    command = home / ".local" / "bin" / "docmanager"
    command.parent.mkdir(parents=True)
    command.write_text("#!/bin/sh\n# someone else's\n", encoding="utf-8")
    result = _run(home, "install", str(venv_script), str(venv_script))
    assert "left as it is" in result.stderr
    _run(home, "uninstall")
    assert command.read_text(encoding="utf-8") == "#!/bin/sh\n# someone else's\n"
