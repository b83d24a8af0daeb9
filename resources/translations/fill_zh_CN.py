"""Fill docmanager_zh_CN.ts with the Simplified Chinese strings below (run by `make translations`).

pyside6-lupdate extracts the English sources from docmanager/gui; this table holds their translations
so that a new string shows up as missing in tests/gui/test_translations.py instead of silently.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ZH_CN = {
    "%1 found so far; searching the excerpts… %2%": "已找到 %1 个；正在搜索摘要… %2%",
    "&Import listing files…": "导入列表文件(&I)…",
    "Import saved listing pages": "导入保存的搜索结果页",
    "Import the &sample listing": "导入示例列表(&S)",
    "&Quit": "退出(&Q)",
    "&Undo": "撤销(&U)",
    "&Redo": "重做(&R)",
    "&Find": "查找(&F)",
    "Search titles, excerpts, tags and notes": "搜索标题、摘要、标签和笔记",
    "Select &all": "全选(&A)",
    "&Delete": "删除(&D)",
    "Delete the selected documents (undo with Ctrl+Z)": "删除选中的文档(可用 Ctrl+Z 撤销)",
    "Add &tags…": "添加标签(&T)…",
    "&Remove tags…": "移除标签(&R)…",
    "Toggle read &later": "切换稍后阅读(&L)",
    "Add to or remove from the read-later queue": "加入或移出稍后阅读队列",
    "Move &up in queue": "在队列中上移(&U)",
    "Move &down in queue": "在队列中下移(&D)",
    "Mark &unread": "标为未读(&U)",
    "Mark &reading": "标为在读(&R)",
    "Mark r&ead": "标为已读(&E)",
    "Last import's &summary…": "上次导入的摘要(&S)…",
    "&About DocManager": "关于 DocManager(&A)",
    "Title": "标题",
    "tag, another tag": "标签, 另一个标签",
    "Tags": "标签",
    "In the read-later queue": "在稍后阅读队列中",
    "Read later": "稍后阅读",
    "Status": "状态",
    "Pages": "页数",
    "Size": "大小",
    "Price": "价格",
    "Age": "发布于",
    "Published (est.)": "发布日期(估计)",
    "Added": "添加时间",
    "Source": "来源",
    "Excerpt": "摘要",
    "Notes": "笔记",
    "Your notes (saved as you type)": "你的笔记(输入时自动保存)",
    "Raw line as read": "读取到的原始行",
    "Import cancelled: the file being read was not imported.": "导入已取消:正在读取的文件未导入。",
    "Importing…": "正在导入…",
    "Cancel": "取消",
    "Importing listing files": "正在导入列表文件",
    "Importing %1…": "正在导入 %1…",
    "Import summary": "导入摘要",
    "%1 new, %2 updated, %3 unchanged, %4 lines rejected, %5 files refused.":
        "新增 %1,更新 %2,未变 %3,拒绝 %4 行,拒收 %5 个文件。",
    "File / line": "文件 / 行",
    "New": "新增",
    "Updated": "更新",
    "Unchanged": "未变",
    "Rejected / reason": "拒绝 / 原因",
    "line %1": "第 %1 行",
    "refused: %1": "拒收:%1",
    "Welcome to DocManager": "欢迎使用 DocManager",
    "DocManager keeps the documents you find on document-sharing sites in a library on this computer.":
        "DocManager 把你在文档分享网站上找到的文档保存在本机的文库中。",
    "Save a page of search results from your browser (as a web page or as text), or copy it, and import it here: from the File menu, by dropping it on this window, or with Paste listing (Ctrl+V). You can then tag, search and queue the documents for reading, offline.":  # noqa: E501
        "在浏览器中把一页搜索结果另存(网页或文本均可)或复制下来,然后在这里导入:通过“文件”菜单、拖放到本窗口,或用“粘贴列表”(Ctrl+V)。之后即可离线为文档加标签、搜索,并排入阅读队列。",
    "Import the sample listing": "导入示例列表",
    "Import listing files…": "导入列表文件…",
    "Search (Ctrl+F): words, 中文, tag:名字 later:yes status:read pages:>100":
        "搜索 (Ctrl+F):词语、中文、tag:标签名 later:yes status:read pages:>100",
    "&File": "文件(&F)",
    "&Edit": "编辑(&E)",
    "&Documents": "文档(&D)",
    "&Help": "帮助(&H)",
    "Main": "主工具栏",
    "&Undo %1": "撤销 %1(&U)",
    "%1 of %2 documents": "%1 / %2 篇文档",
    ", %1 selected": ",已选 %1 篇",
    "Deleted %1 document(s). Undo with Ctrl+Z.": "已删除 %1 篇文档。可用 Ctrl+Z 撤销。",
    "Add tags": "添加标签",
    "Remove tags": "移除标签",
    "Tags for %1 document(s), separated by commas:": "为 %1 篇文档设置标签,用逗号分隔:",
    "Rename tag": "重命名标签",
    "New name (an existing name merges the tags):": "新名称(若与已有标签同名则合并):",
    "Import listing files": "导入列表文件",
    "Listing files (*.txt);;All files (*)": "列表文件 (*.txt);;所有文件 (*)",
    "About DocManager": "关于 DocManager",
    "DocManager %1\nA personal, offline library of technical documents.\nLibrary: %2":
        "DocManager %1\n个人离线技术文档库。\n文库:%2",
    "Later": "稍后",
    "All documents": "全部文档",
    "Unread": "未读",
    "Reading": "在读",
    "Read": "已读",
    "Recently added": "最近添加",
    "Library": "文库",
    "Tags (Ctrl-click to combine)": "标签(Ctrl+单击可组合)",
    "Rename “%1”…": "重命名“%1”…",
    "Filter tags": "筛选标签",
    "Type part of a tag's name to find it (Esc clears)": "输入标签名称的一部分来查找(按 Esc 清除)",
    "%1: the tags under it (no document carries it alone)": "%1:其下的标签(没有文档单独带有它)",
    "%1: %2 document(s) carry this tag; choosing it also shows the tags under it":
        "%1:%2 个文档带有此标签;选中它时也会显示其下标签的文档",
    "Remove “%1” from all documents": "从所有文档移除“%1”",
    "The library cannot be opened.": "无法打开文库。",
    "The latest automatic backup is %1. Restoring it keeps the damaged file beside it.":
        "最新的自动备份是 %1。恢复它时,损坏的文件会保留在旁边。",
    "Restore the latest backup": "恢复最新备份",
    "Choose another library…": "选择其他文库…",
    "Quit": "退出",
    "Restored %1. The damaged library was kept as %2.": "已恢复 %1。损坏的文库已保留为 %2。",
    "Choose or create a library": "选择或新建文库",
    "DocManager libraries (*.sqlite);;All files (*)": "DocManager 文库 (*.sqlite);;所有文件 (*)",
    "… and %1 more": "… 以及另外 %1 行",
    "Waiting for another program to finish writing to the library… (%1 change(s) to save)": "正在等待另一个程序写完文库……(%1 项更改待保存)",  # noqa: E501
    "Saving your last changes: waiting for another program to finish writing to the library…": "正在保存最后的更改:等待另一个程序写完文库……",  # noqa: E501
    "Quit without them": "不保存这些更改并退出",
    "waiting for another program to finish writing…": "正在等待另一个程序写完……",
    "An unexpected error occurred (a bug); the change was not saved.": "发生意外错误(程序缺陷);更改未保存。",
    "%1 lines repeated an earlier line of their file and were counted once.": "%1 行与同一文件中前面的行重复，只计一次。",  # noqa: E501
    "Look in:": "查找范围：",
    "Files of type:": "文件类型：",
    "File name:": "文件名：",
    "Published": "发布日期",
    "Title ends a word &earlier": "标题提前一个词结束(&E)",
    "Move where the title ends one word left (Alt+← or [)": "把标题的结尾向左移一个词(Alt+← 或 [)",
    "Title ends a word &later": "标题推后一个词结束(&L)",
    "Move where the title ends one word right (Alt+→ or ])": "把标题的结尾向右移一个词(Alt+→ 或 ])",
    "✎ yours": "✎ 已手动修改",
    "You set this title: imports and corrections of other titles leave it as it is": (
        "这个标题是你设定的:之后的导入和对其他标题的修正都不会改动它"
    ),
    "Click where the title ends, or move it a word with Alt+← Alt+→": "点击标题结束的位置,或用 Alt+← Alt+→ 逐词移动",
    "Excerpts (%1)": "摘要(%1)",
    "Apply": "应用",
    "Dismiss": "忽略",
    "Apply the same correction to %1 other document(s) of this page?": "要把同样的修正应用到此页面的另外 %1 篇文档吗?",
    "…and %1 more": "……以及另外 %1 篇",
    "Move to &top of queue": "移到队列顶部(&T)",
    "Read the selected documents next": "接下来阅读选中的文档",
    "Move to &bottom of queue": "移到队列底部(&B)",
    "Read the selected documents last": "最后阅读选中的文档",
    "&Export…": "导出(&E)…",
    "Save the whole library as JSON or CSV": "把整个文库保存为 JSON 或 CSV",
    "&Back up…": "备份(&B)…",
    "Save a copy of the library to a file of your choosing": "把文库的副本保存到你选择的文件",
    "&Restore from a backup…": "从备份恢复(&R)…",
    "Replace the library's content with a backup": "用备份替换文库的内容",
    "&Clear search and filters": "清除搜索和筛选(&C)",
    "Show all documents": "显示全部文档",
    "Match:": "匹配:",
    "all tags": "全部标签",
    "any tag": "任一标签",
    "Show the documents that have every selected tag": "显示带有所有选中标签的文档",
    "Show the documents that have at least one of the selected tags": "显示至少带有一个选中标签的文档",
    "No documents match": "没有匹配的文档",
    "or press Esc in the search box to clear only the search": "或在搜索框中按 Esc 只清除搜索",
    "Search: %1": "搜索:%1",
    "Tags (any of): %1": "标签(任一):%1",
    "Tags (all of): %1": "标签(全部):%1",
    "Tags: %1": "标签:%1",
    "View: %1": "视图:%1",
    "Export the library": "导出文库",
    "JSON, everything (*.json);;CSV, one row per document (*.csv)": "JSON,全部内容 (*.json);;CSV,每个文档一行 (*.csv)",
    "Exporting the library to %1…": "正在把文库导出到 %1…",
    "Exported %1 document(s) to %2": "已导出 %1 个文档到 %2",
    "Back up the library": "备份文库",
    "Writing a backup to %1…": "正在把备份写入 %1…",
    "Backed up the library to %1": "已把文库备份到 %1",
    "Wait until the export or backup under way has finished.": "请等待正在进行的导出或备份完成。",
    "An unexpected error occurred (a bug); nothing was written.": "发生了意外错误(程序缺陷);没有写入任何内容。",
    "An unexpected error occurred (a bug).": "发生了意外错误(程序缺陷)。",
    "An unexpected error occurred (a bug); the file being read was not imported.": "发生了意外错误(程序缺陷);正在读取的文件未导入。",  # noqa: E501
    "Its details were written to the log file:\n%1\n\nPlease report the problem with that file.": (
        "详细信息已写入日志文件:\n%1\n\n请附上该文件报告这个问题。"
    ),
    "Restore from a backup": "从备份恢复",
    "Replace everything in the library with the content of “%1”?": "用“%1”的内容替换文库中的全部内容?",
    "The current content is backed up first, to the folder %1, so this can be reversed by restoring that backup. Undo (Ctrl+Z) cannot reverse it.":  # noqa: E501
        "当前内容会先备份到文件夹 %1,恢复该备份即可复原。撤销(Ctrl+Z)无法复原此操作。",
    "Replace with the backup": "用备份替换",
    "Restored %1 document(s) from %2; the previous content (%3 document(s)) is in %4":
        "已从 %2 恢复 %1 个文档;之前的内容(%3 个文档)保存在 %4",
    "&Paste listing": "粘贴列表(&P)",
    "Import a results page copied in the browser (its HTML, or its text)": "导入在浏览器中复制的搜索结果页(HTML 或文本)",  # noqa: E501
    "&Open on the site": "在网站上打开(&O)",
    "Open the document's page (or a search for it) in the browser": "在浏览器中打开文档的页面(或搜索它)",
    "The clipboard holds no text to import.": "剪贴板中没有可导入的文本。",
    "clipboard": "剪贴板",
    "Listing files (*.txt *.html *.htm);;All files (*)": "列表文件 (*.txt *.html *.htm);;所有文件 (*)",
    "Page": "页面",
    "Saved searches": "已保存的搜索",
    "None yet: Ctrl+S saves the current search": "暂无:按 Ctrl+S 保存当前搜索",
    "Replace “%1” with the current search": "用当前搜索替换“%1”",
    "Delete “%1”": "删除“%1”",
    "&Save search…": "保存搜索(&S)…",
    "Keep the current view, tags, search and sort as a list in the sidebar":
        "把当前的视图、标签、搜索和排序保存为侧栏中的列表",
    "Save search": "保存搜索",
    "Name of the saved search (it keeps the view, tags, search and sort):":
        "已保存搜索的名称(保存视图、标签、搜索和排序):",
    "A saved search named “%1” exists. Replace it with the current search?":
        "已有名为“%1”的已保存搜索。要用当前搜索替换它吗?",
    "Rename saved search": "重命名已保存的搜索",
    "New name:": "新名称:",
    "Deleted the saved search “%1”. Undo with Ctrl+Z.": "已删除已保存的搜索“%1”。可用 Ctrl+Z 撤销。",
    # The reading budget and the preview of a bulk edit.
    "What &fits in…": "能读完哪些(&F)…",
    "Mark the read-later documents that fit in a time you choose": "标出在你选定的时间内能读完的稍后阅读文档",
    "Change %1 documents": "更改 %1 篇文档",
    "Tag": "标签",
    "Documents now": "现有文档数",
    "After": "更改后",
    "…and %1 more tags": "…另有 %1 个标签",
    "You can undo this with Ctrl+Z.": "可用 Ctrl+Z 撤销。",
    "pages unknown: no estimate": "页数未知:无法估计",
    "yours (pages unknown)": "你的估计(页数未知)",
    "≈ %1 (%2 pages × %3 min/page)": "约 %1(%2 页 × 每页 %3 分钟)",
    "yours; from its pages: ≈ %1": "你的估计;按页数约 %1",
    " min": " 分钟",
    "from pages": "按页数",
    "Your own estimate of the reading time; at 0 it is the pages times the reading speed": "你自己估计的阅读时间;为 0 时按页数乘以阅读速度计算",  # noqa: E501
    "Reading time": "阅读时间",
    "Fits in %1 min": "可在 %1 分钟内读完",
    "Delete %1 documents?": "删除 %1 篇文档?",
    "Delete": "删除",
    "Add %2 to %1 documents?": "为 %1 篇文档添加 %2?",
    "Remove %2 from %1 documents?": "从 %1 篇文档移除 %2?",
    "Mark %1 documents “%2”?": "将 %1 篇文档标为“%2”?",
    "Mark “%1”": "标为“%1”",
    "%1 min": "%1 分钟",
    "%1 h": "%1 小时",
    "%1 h %2 min": "%1 小时 %2 分钟",
    "Read later: %1 documents, ~%2": "稍后阅读:%1 篇文档,约 %2",
    " (%1 without an estimate)": "(%1 篇无法估计)",
    "; %1 documents fit in %2 min": ";%1 篇可在 %2 分钟内读完",
    "; 1 document fits in %2 min": ";1 篇可在 %2 分钟内读完",
    "Read later: 1 document, ~%2": "稍后阅读:1 篇文档,约 %2",
    "Reading budget": "阅读时间预算",
    "What fits in": "能读完哪些:",
    "any time": "不限",
    "Mark the documents from the top of the queue that can be read in this time": "从队首起标出在这段时间内能读完的文档",  # noqa: E501
    "Reading speed": "阅读速度",
    " min/page": " 分钟/页",
    "How long a page takes you: a document's estimate is its pages times this": "你读一页需要多久:文档的估计时间为页数乘以此值",  # noqa: E501
}


def fill(ts_path: Path) -> list[str]:
    """Write the translations into the .ts file; return the sources that have none."""
    tree = ET.parse(ts_path)
    missing: list[str] = []
    for message in tree.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None:
            translation = ET.SubElement(message, "translation")
        if source in ZH_CN:
            translation.text = ZH_CN[source]
            translation.attrib.pop("type", None)
        else:
            missing.append(source)
    tree.write(ts_path, encoding="utf-8", xml_declaration=True)
    return missing


if __name__ == "__main__":
    missing = fill(Path(sys.argv[1]))
    for source in missing:
        print(f"untranslated: {source!r}", file=sys.stderr)
    sys.exit(1 if missing else 0)
