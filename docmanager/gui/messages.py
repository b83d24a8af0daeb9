"""The core's messages (rejected lines, refused files, library errors) in the interface's language.

The core speaks English: its messages go to terminals, logs and tests, and are built with the values
that explain them (a line number, a field as read). A Chinese window shows them in Chinese: each
message the core builds has a pattern here, and its values are carried over. A message without a
pattern is shown as it is, never lost.
"""

from __future__ import annotations

import re

from docmanager.gui.i18n import chinese_interface

# (pattern of the English message, the Chinese one with \1 … for the values); tried in order.
_ZH: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), zh)
    for p, zh in (
        (r"^line is ([\d,]+) characters long, not a result line$", r"该行长达 \1 个字符，不是结果行"),
        (r"^line contains NUL bytes$", "该行含有 NUL 字节"),
        (r"^line has bytes that are not valid in the file's encoding$", "该行含有不符合文件编码的字节"),
        (r"^result fields are incomplete \(need 码力 \| 页 \| size \| age\)$", "结果字段不完整（需要 码力 | 页 | 大小 | 时间）"),  # noqa: E501
        (r"^not a result line \(no 码力 \| 页 \| size \| age fields\)$", "不是结果行（没有 码力 | 页 | 大小 | 时间 字段）"),  # noqa: E501
        (
            r"^no credit name \(such as 码力\) between the price and the first bar$",
            "价格与第一个竖线之间没有积分名称（如 码力）",
        ),
        (r"^no price and credit name \(such as '0 码力'\) before the first bar$", "第一个竖线前没有价格和积分名称（如“0 码力”）"),  # noqa: E501
        (r"^no price before (.+)$", r"\1 前没有价格"),
        (r"^pages (.+) is not a whole number$", r"页数 \1 不是整数"),
        (r"^pages (.+) is out of range$", r"页数 \1 超出范围"),
        (r"^size (.+) is not a number and a unit \(it is negative\)$", r"大小 \1 不是“数字 单位”（它是负数）"),
        (r"^size (.+) is not a number and a unit$", r"大小 \1 不是“数字 单位”"),
        (r"^size (.+) is out of range \(an exponent, not a plain number\)$", r"大小 \1 超出范围（是指数形式，不是普通数字）"),  # noqa: E501
        (r"^size (.+) is out of range$", r"大小 \1 超出范围"),
        (r"^unknown size unit (.+)$", r"未知的大小单位 \1"),
        (r"^age (.+) is not understood$", r"无法识别的时间 \1"),
        (r"^age (.+) is out of range$", r"时间 \1 超出范围"),
        (r"^rating (.+) is out of range$", r"评分 \1 超出范围"),
        (r"^no title before the price$", "价格前没有标题"),
        (r"^the file is empty$", "文件是空的"),
        (r"^this is a binary file \((.+)\), not a text listing$", r"这是二进制文件（\1），不是文本列表"),
        (r"^this is a binary file, not a text listing$", "这是二进制文件，不是文本列表"),
        (r"^no such file$", "文件不存在"),
        (r"^this is a folder, not a file$", "这是文件夹，不是文件"),
        (r"^permission denied$", "没有读取权限"),
        (r"^cannot be opened: (.+)$", r"无法打开：\1"),
        (r"^cannot be read: (.+)$", r"无法读取：\1"),
        (r"^is the library itself, not a listing file$", "这是文库文件本身，不是列表文件"),
        (r"^the file changed while it was being imported; import it again$", "导入时文件发生了变化；请重新导入"),
        (
            r"^(.+): the library is busy in another program: waited (.+) s; try again when it has finished$",
            r"\1：文库正被另一个程序写入：已等待 \2 秒；请在它完成后再试",
        ),
        (r"^(.+): the library file is damaged \((.+)\); restore a backup$", r"\1：文库文件已损坏（\2）；请恢复备份"),
        (r"^(.+): the disk is full; nothing was changed$", r"\1：磁盘已满；没有做任何更改"),
        (
            r"^(.+): the disk could not read or write the library file \((.+)\); nothing was changed$",
            r"\1：磁盘无法读写文库文件（\2）；没有做任何更改",
        ),
        (
            r"^(.+): the library was written by a newer version of SQLite \((.+)\); update DocManager$",
            r"\1：文库由更新版本的 SQLite 写入（\2）；请更新 DocManager",
        ),
        (r"^(.+): out of memory \((.+)\); close other programs and try again$", r"\1：内存不足（\2）；请关闭其他程序后再试"),  # noqa: E501
        (
            r"^(.+): the library is read-only; copy it to a folder you can write to and open the copy$",
            r"\1：文库是只读的；请把它复制到可写的文件夹并打开副本",
        ),
        (r"^no document with id (\d+)$", r"没有编号为 \1 的文档"),
    )
]
# Endings the core adds to a message above.
_SUFFIXES = [("; nothing was imported", "；未导入任何内容")]
_LINE = re.compile(r"^line (\d+): (.*)$", re.S)


def localized(message: str, chinese: bool | None = None) -> str:
    """``message`` in the interface's language (see the module's docstring)."""
    if not (chinese_interface() if chinese is None else chinese):
        return message
    if m := _LINE.match(message):
        return f"第 {m[1]} 行：{localized(m[2], True)}"
    for english, zh in _SUFFIXES:
        if message.endswith(english):
            return localized(message[: -len(english)], True) + zh
    for pattern, zh in _ZH:
        if pattern.match(message):
            return pattern.sub(zh, message)
    return message
