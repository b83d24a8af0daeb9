"""Translation: one ``tr`` for the whole GUI, so that ``pyside6-lupdate`` finds every string."""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QFileDialog

# pyside6-lupdate files module-level tr("…") calls under the empty context; look them up there.
CONTEXT = ""


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


_AGE = re.compile(r"^(\d+)\s*(秒|分钟|分|小时|天|日|周|星期|个月|月|年)前$")
_AGE_UNITS = {
    "秒": "second", "分钟": "minute", "分": "minute", "小时": "hour", "天": "day", "日": "day", "周": "week",
    "星期": "week", "个月": "month", "月": "month", "年": "year",
}  # fmt: skip
_AGE_WORDS = {"刚刚": "just now", "今天": "today", "昨天": "yesterday", "前天": "the day before yesterday"}


def chinese_interface() -> bool:
    """Whether the window speaks Chinese (the system locale chose the Chinese translation)."""
    return QLocale().language() == QLocale.Language.Chinese


def shown_age(age_text: str | None, chinese: bool | None = None) -> str:
    """An age as the site printed it (``6 月前``), in the interface's language (``6 months ago``).
    The stored text stays as read; an age not understood is shown as it is."""
    if age_text is None:
        return "—"
    if chinese_interface() if chinese is None else chinese:
        return age_text
    if word := _AGE_WORDS.get(age_text):
        return word
    if m := _AGE.match(age_text):
        n, unit = int(m[1]), _AGE_UNITS[m[2]]
        return f"{n} {unit}{'' if n == 1 else 's'} ago"
    return age_text


def label_file_dialog(dialog: QFileDialog) -> QFileDialog:
    """Set the labels Qt's own Chinese translation leaves in English ("Look in:", "Files of type:")
    from ours, so that a Chinese window's file dialogs read in one language."""
    dialog.setLabelText(QFileDialog.DialogLabel.LookIn, tr("Look in:"))
    dialog.setLabelText(QFileDialog.DialogLabel.FileType, tr("Files of type:"))
    dialog.setLabelText(QFileDialog.DialogLabel.FileName, tr("File name:"))
    return dialog
