"""Translation: one ``tr`` for the whole GUI, so that ``pyside6-lupdate`` finds every string."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

# pyside6-lupdate files module-level tr("…") calls under the empty context; look them up there.
CONTEXT = ""


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)
