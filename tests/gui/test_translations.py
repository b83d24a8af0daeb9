"""The Simplified Chinese translation: complete, compiled, and chosen from the locale."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from docmanager.gui.i18n import CONTEXT

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "resources" / "translations"
sys.path.insert(0, str(TRANSLATIONS))
from fill_zh_CN import ZH_CN  # noqa: E402


def test_every_gui_string_has_a_chinese_translation(tmp_path: Path) -> None:
    lupdate = shutil.which("pyside6-lupdate", path=str(Path(sys.executable).parent))
    if lupdate is None:
        pytest.fail("pyside6-lupdate is missing from the environment")
    ts = tmp_path / "fresh.ts"
    sources = sorted((ROOT / "docmanager" / "gui").glob("*.py"))
    subprocess.run([lupdate, *map(str, sources), "-ts", str(ts)], check=True, capture_output=True)
    found = {m.findtext("source") for m in ET.parse(ts).iter("message")}
    assert len(found) > 50
    assert found - ZH_CN.keys() == set(), "run `make translations` and add the new strings to fill_zh_CN.py"


def test_compiled_translation_is_current_and_loads(qapp) -> None:  # type: ignore[no-untyped-def]
    qm = TRANSLATIONS / "docmanager_zh_CN.qm"
    ts = TRANSLATIONS / "docmanager_zh_CN.ts"
    assert qm.stat().st_size > 1000
    committed = {m.findtext("source"): m.findtext("translation") for m in ET.parse(ts).iter("message")}
    assert committed == {k: v for k, v in ZH_CN.items() if k in committed}
    translator = QTranslator()
    assert translator.load(
        QLocale(QLocale.Language.Chinese, QLocale.Country.China), "docmanager", "_", str(TRANSLATIONS)
    )
    QCoreApplication.installTranslator(translator)
    try:
        assert QCoreApplication.translate(CONTEXT, "All documents") == "全部文档"
        assert QCoreApplication.translate(CONTEXT, "%1 of %2 documents") == "%1 / %2 篇文档"
    finally:
        QCoreApplication.removeTranslator(translator)
    assert QCoreApplication.translate(CONTEXT, "All documents") == "All documents"


@pytest.mark.parametrize(
    ("age", "english"),
    [
        ("6 月前", "6 months ago"),
        ("1 年前", "1 year ago"),
        ("3 个月前", "3 months ago"),
        ("12 小时前", "12 hours ago"),
        ("1 分钟前", "1 minute ago"),
        ("刚刚", "just now"),
        ("昨天", "yesterday"),
        ("很久以前", "很久以前"),  # not understood: shown as read
        (None, "—"),
    ],
)
def test_ages_are_shown_in_the_interface_language(age: str | None, english: str) -> None:
    from docmanager.gui.i18n import shown_age

    assert shown_age(age, chinese=False) == english
    assert shown_age(age, chinese=True) == (age or "—")
