<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name />
    <message>
        <location filename="../../docmanager/gui/actions.py" line="27" />
        <source>&amp;Import listing files…</source>
        <translation>导入列表文件(&amp;I)…</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="27" />
        <source>Import saved listing pages</source>
        <translation>导入保存的搜索结果页</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="28" />
        <source>Import the &amp;sample listing</source>
        <translation>导入示例列表(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="29" />
        <source>&amp;Export…</source>
        <translation>导出(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="29" />
        <source>Save the whole library as JSON or CSV</source>
        <translation>把整个文库保存为 JSON 或 CSV</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="30" />
        <source>&amp;Back up…</source>
        <translation>备份(&amp;B)…</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="30" />
        <source>Save a copy of the library to a file of your choosing</source>
        <translation>把文库的副本保存到你选择的文件</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="31" />
        <source>&amp;Restore from a backup…</source>
        <translation>从备份恢复(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="31" />
        <source>Replace the library's content with a backup</source>
        <translation>用备份替换文库的内容</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="32" />
        <source>&amp;Clear search and filters</source>
        <translation>清除搜索和筛选(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="32" />
        <source>Show all documents</source>
        <translation>显示全部文档</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="33" />
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="34" />
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="35" />
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="36" />
        <source>&amp;Find</source>
        <translation>查找(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="36" />
        <source>Search titles, excerpts, tags and notes</source>
        <translation>搜索标题、摘要、标签和笔记</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="39" />
        <source>&amp;Save search…</source>
        <translation>保存搜索(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="39" />
        <source>Keep the current view, tags, search and sort as a list in the sidebar</source>
        <translation>把当前的视图、标签、搜索和排序保存为侧栏中的列表</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="41" />
        <source>Select &amp;all</source>
        <translation>全选(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="42" />
        <source>&amp;Delete</source>
        <translation>删除(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="42" />
        <source>Delete the selected documents (undo with Ctrl+Z)</source>
        <translation>删除选中的文档(可用 Ctrl+Z 撤销)</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="43" />
        <source>Add &amp;tags…</source>
        <translation>添加标签(&amp;T)…</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="44" />
        <source>&amp;Remove tags…</source>
        <translation>移除标签(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="45" />
        <source>Toggle read &amp;later</source>
        <translation>切换稍后阅读(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="45" />
        <source>Add to or remove from the read-later queue</source>
        <translation>加入或移出稍后阅读队列</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="46" />
        <source>Move &amp;up in queue</source>
        <translation>在队列中上移(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="47" />
        <source>Move &amp;down in queue</source>
        <translation>在队列中下移(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="48" />
        <source>Move to &amp;top of queue</source>
        <translation>移到队列顶部(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="48" />
        <source>Read the selected documents next</source>
        <translation>接下来阅读选中的文档</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="50" />
        <source>Move to &amp;bottom of queue</source>
        <translation>移到队列底部(&amp;B)</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="50" />
        <source>Read the selected documents last</source>
        <translation>最后阅读选中的文档</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="53" />
        <source>What &amp;fits in…</source>
        <translation>能读完哪些(&amp;F)…</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="53" />
        <source>Mark the read-later documents that fit in a time you choose</source>
        <translation>标出在你选定的时间内能读完的稍后阅读文档</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="55" />
        <source>Mark &amp;unread</source>
        <translation>标为未读(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="56" />
        <source>Mark &amp;reading</source>
        <translation>标为在读(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="57" />
        <source>Mark r&amp;ead</source>
        <translation>标为已读(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="61" />
        <source>Title ends a word &amp;earlier</source>
        <translation>标题提前一个词结束(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="61" />
        <source>Move where the title ends one word left (Alt+← or [)</source>
        <translation>把标题的结尾向左移一个词(Alt+← 或 [)</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="66" />
        <source>Title ends a word &amp;later</source>
        <translation>标题推后一个词结束(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="66" />
        <source>Move where the title ends one word right (Alt+→ or ])</source>
        <translation>把标题的结尾向右移一个词(Alt+→ 或 ])</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="71" />
        <source>&amp;Paste listing</source>
        <translation>粘贴列表(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="71" />
        <source>Import a results page copied in the browser (its HTML, or its text)</source>
        <translation>导入在浏览器中复制的搜索结果页(HTML 或文本)</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="74" />
        <source>&amp;Open on the site</source>
        <translation>在网站上打开(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="74" />
        <source>Open the document's page (or a search for it) in the browser</source>
        <translation>在浏览器中打开文档的页面(或搜索它)</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="76" />
        <source>Last import's &amp;summary…</source>
        <translation>上次导入的摘要(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/actions.py" line="77" />
        <source>&amp;About DocManager</source>
        <translation>关于 DocManager(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/detail.py" line="84" />
        <location filename="../../docmanager/gui/model.py" line="125" />
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/detail.py" line="97" />
        <source>✎ yours</source>
        <translation>✎ 已手动修改</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/detail.py" line="98" />
        <source>You set this title: imports and corrections of other titles leave it as it is</source>
        <translation>这个标题是你设定的:之后的导入和对其他标题的修正都不会改动它</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/detail.py" line="111" />
        <source>tag, another tag</source>
        <translation>标签, 另一个标签</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/detail.py" line="117" />
        <location filename="../../docmanager/gui/model.py" line="130" />
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/detail.py" line="118" />
        <source>In the read-later queue</source>
        <translation>在稍后阅读队列中</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/detail.py" line="120" />
        <location filename="../../docmanager/gui/sidebar.py" line="36" />
        <source>Read later</source>
        <translation>稍后阅读</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/bulk_preview.py" line="40" />
        <source>Change %1 documents</source>
        <translation>更改 %1 篇文档</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/bulk_preview.py" line="59" />
        <source>Tag</source>
        <translation>标签</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/bulk_preview.py" line="62" />
        <location filename="../../docmanager/gui/detail.py" line="125" />
        <location filename="../../docmanager/gui/model.py" line="133" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/bulk_preview.py" line="65" />
        <source>Documents now</source>
        <translation>现有文档数</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/bulk_preview.py" line="65" />
        <source>After</source>
        <translation>更改后</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/bulk_preview.py" line="77" />
        <source>…and %1 more tags</source>
        <translation>…另有 %1 个标签</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/bulk_preview.py" line="79" />
        <source>You can undo this with Ctrl+Z.</source>
        <translation>可用 Ctrl+Z 撤销。</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/detail.py" line="146" />
        <location filename="../../docmanager/gui/model.py" line="126" />
        <source>Pages</source>
        <translation>页数</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/detail.py" line="147" />
        <location filename="../../docmanager/gui/model.py" line="127" />
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/detail.py" line="148" />
        <location filename="../../docmanager/gui/model.py" line="129" />
        <source>Price</source>
        <translation>价格</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/detail.py" line="149" />
        <source>Age</source>
        <translation>发布于</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/detail.py" line="150" />
        <location filename="../../docmanager/gui/model.py" line="358" />
        <source>Published (est.)</source>
        <translation>发布日期(估计)</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/detail.py" line="151" />
        <location filename="../../docmanager/gui/model.py" line="136" />
        <source>Added</source>
        <translation>添加时间</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/detail.py" line="152" />
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/detail.py" line="153" />
        <source>Page</source>
        <translation>页面</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/detail.py" line="232" />
        <source>pages unknown: no estimate</source>
        <translation>页数未知:无法估计</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/detail.py" line="232" />
        <source>yours (pages unknown)</source>
        <translation>你的估计(页数未知)</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/detail.py" line="235" />
        <source>≈ %1 (%2 pages × %3 min/page)</source>
        <translation>约 %1(%2 页 × 每页 %3 分钟)</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/detail.py" line="241" />
        <source>yours; from its pages: ≈ %1</source>
        <translation>你的估计;按页数约 %1</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/detail.py" line="246" />
        <source>Excerpts (%1)</source>
        <translation>摘要(%1)</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/detail.py" line="165" />
        <source>Notes</source>
        <translation>笔记</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/detail.py" line="93" />
        <source>Click where the title ends, or move it a word with Alt+← Alt+→</source>
        <translation>点击标题结束的位置,或用 Alt+← Alt+→ 逐词移动</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/detail.py" line="132" />
        <location filename="../../docmanager/gui/reading_budget.py" line="65" />
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/detail.py" line="133" />
        <source>from pages</source>
        <translation>按页数</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/detail.py" line="135" />
        <source>Your own estimate of the reading time; at 0 it is the pages times the reading speed</source>
        <translation>你自己估计的阅读时间;为 0 时按页数乘以阅读速度计算</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/detail.py" line="143" />
        <source>Reading time</source>
        <translation>阅读时间</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/detail.py" line="167" />
        <source>Your notes (saved as you type)</source>
        <translation>你的笔记(输入时自动保存)</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/detail.py" line="173" />
        <source>Raw line as read</source>
        <translation>读取到的原始行</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/importing.py" line="61" />
        <source>waiting for another program to finish writing…</source>
        <translation>正在等待另一个程序写完……</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/importing.py" line="91" />
        <source>Import cancelled: the file being read was not imported.</source>
        <translation>导入已取消:正在读取的文件未导入。</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/importing.py" line="95" />
        <source>An unexpected error occurred (a bug); the file being read was not imported.</source>
        <translation>发生了意外错误(程序缺陷);正在读取的文件未导入。</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/importing.py" line="102" />
        <source>Importing…</source>
        <translation>正在导入…</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/importing.py" line="102" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/importing.py" line="103" />
        <source>Importing listing files</source>
        <translation>正在导入列表文件</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/importing.py" line="113" />
        <source>Importing %1…</source>
        <translation>正在导入 %1…</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/importing.py" line="121" />
        <source>Import summary</source>
        <translation>导入摘要</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/importing.py" line="129" />
        <source>%1 new, %2 updated, %3 unchanged, %4 lines rejected, %5 files refused.</source>
        <translation>新增 %1,更新 %2,未变 %3,拒绝 %4 行,拒收 %5 个文件。</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/importing.py" line="133" />
        <source>%1 lines repeated an earlier line of their file and were counted once.</source>
        <translation>%1 行与同一文件中前面的行重复，只计一次。</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/importing.py" line="146" />
        <source>File / line</source>
        <translation>文件 / 行</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/importing.py" line="146" />
        <source>New</source>
        <translation>新增</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/importing.py" line="146" />
        <source>Updated</source>
        <translation>更新</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/importing.py" line="146" />
        <source>Unchanged</source>
        <translation>未变</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/importing.py" line="146" />
        <source>Rejected / reason</source>
        <translation>拒绝 / 原因</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/importing.py" line="168" />
        <source>line %1</source>
        <translation>第 %1 行</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/importing.py" line="178" />
        <source>… and %1 more</source>
        <translation>… 以及另外 %1 行</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/importing.py" line="180" />
        <source>refused: %1</source>
        <translation>拒收:%1</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/panels.py" line="22" />
        <source>Welcome to DocManager</source>
        <translation>欢迎使用 DocManager</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/panels.py" line="29" />
        <source>DocManager keeps the documents you find on document-sharing sites in a library on this computer.</source>
        <translation>DocManager 把你在文档分享网站上找到的文档保存在本机的文库中。</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/panels.py" line="31" />
        <source>Save a page of search results from your browser (as a web page or as text), or copy it, and import it here: from the File menu, by dropping it on this window, or with Paste listing (Ctrl+V). You can then tag, search and queue the documents for reading, offline.</source>
        <translation>在浏览器中把一页搜索结果另存(网页或文本均可)或复制下来,然后在这里导入:通过“文件”菜单、拖放到本窗口,或用“粘贴列表”(Ctrl+V)。之后即可离线为文档加标签、搜索,并排入阅读队列。</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/panels.py" line="40" />
        <source>Import the sample listing</source>
        <translation>导入示例列表</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/panels.py" line="42" />
        <source>Import listing files…</source>
        <translation>导入列表文件…</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/panels.py" line="72" />
        <source>No documents match</source>
        <translation>没有匹配的文档</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/panels.py" line="84" />
        <source>or press Esc in the search box to clear only the search</source>
        <translation>或在搜索框中按 Esc 只清除搜索</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/panels.py" line="93" />
        <source>Search: %1</source>
        <translation>搜索:%1</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/panels.py" line="95" />
        <source>Tags: %1</source>
        <translation>标签:%1</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/panels.py" line="97" />
        <source>Tags (any of): %1</source>
        <translation>标签(任一):%1</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/panels.py" line="97" />
        <source>Tags (all of): %1</source>
        <translation>标签(全部):%1</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/panels.py" line="100" />
        <source>View: %1</source>
        <translation>视图:%1</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/mainwindow.py" line="105" />
        <source>Search (Ctrl+F): words, 中文, tag:名字 later:yes status:read pages:&gt;100</source>
        <translation>搜索 (Ctrl+F):词语、中文、tag:标签名 later:yes status:read pages:&gt;100</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/menus.py" line="17" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/menus.py" line="23" />
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/menus.py" line="31" />
        <source>&amp;Documents</source>
        <translation>文档(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/menus.py" line="41" />
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/menus.py" line="43" />
        <source>Main</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/mainwindow.py" line="237" />
        <source>&amp;Undo %1</source>
        <translation>撤销 %1(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/mainwindow.py" line="397" />
        <source>%1 found so far; searching the excerpts… %2%</source>
        <translation>已找到 %1 个；正在搜索摘要… %2%</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/mainwindow.py" line="402" />
        <source>%1 of %2 documents</source>
        <translation>%1 / %2 篇文档</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/mainwindow.py" line="405" />
        <source>, %1 selected</source>
        <translation>,已选 %1 篇</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/mainwindow.py" line="429" />
        <source>Fits in %1 min</source>
        <translation>可在 %1 分钟内读完</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/document_edits.py" line="114" />
        <source>Deleted %1 document(s). Undo with Ctrl+Z.</source>
        <translation>已删除 %1 篇文档。可用 Ctrl+Z 撤销。</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/document_edits.py" line="117" />
        <source>Delete %1 documents?</source>
        <translation>删除 %1 篇文档?</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/document_edits.py" line="117" />
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/document_edits.py" line="133" />
        <location filename="../../docmanager/gui/document_edits.py" line="149" />
        <source>Add tags</source>
        <translation>添加标签</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/document_edits.py" line="133" />
        <location filename="../../docmanager/gui/document_edits.py" line="152" />
        <source>Remove tags</source>
        <translation>移除标签</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/document_edits.py" line="134" />
        <source>Tags for %1 document(s), separated by commas:</source>
        <translation>为 %1 篇文档设置标签,用逗号分隔:</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/document_edits.py" line="149" />
        <source>Add %2 to %1 documents?</source>
        <translation>为 %1 篇文档添加 %2?</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/document_edits.py" line="152" />
        <source>Remove %2 from %1 documents?</source>
        <translation>从 %1 篇文档移除 %2?</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/document_edits.py" line="197" />
        <source>Mark %1 documents “%2”?</source>
        <translation>将 %1 篇文档标为“%2”?</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/document_edits.py" line="198" />
        <source>Mark “%1”</source>
        <translation>标为“%1”</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/document_edits.py" line="205" />
        <source>Rename tag</source>
        <translation>重命名标签</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/document_edits.py" line="205" />
        <source>New name (an existing name merges the tags):</source>
        <translation>新名称(若与已有标签同名则合并):</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/window_import.py" line="27" />
        <source>Import listing files</source>
        <translation>导入列表文件</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/window_import.py" line="29" />
        <source>Listing files (*.txt *.html *.htm);;All files (*)</source>
        <translation>列表文件 (*.txt *.html *.htm);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/window_import.py" line="114" />
        <source>The clipboard holds no text to import.</source>
        <translation>剪贴板中没有可导入的文本。</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/backup_export.py" line="74" />
        <source>Export the library</source>
        <translation>导出文库</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/backup_export.py" line="74" />
        <source>JSON, everything (*.json);;CSV, one row per document (*.csv)</source>
        <translation>JSON,全部内容 (*.json);;CSV,每个文档一行 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/backup_export.py" line="85" />
        <source>Exporting the library to %1…</source>
        <translation>正在把文库导出到 %1…</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/backup_export.py" line="87" />
        <source>Exported %1 document(s) to %2</source>
        <translation>已导出 %1 个文档到 %2</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/backup_export.py" line="92" />
        <source>Back up the library</source>
        <translation>备份文库</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/backup_export.py" line="99" />
        <source>Writing a backup to %1…</source>
        <translation>正在把备份写入 %1…</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/backup_export.py" line="101" />
        <source>Backed up the library to %1</source>
        <translation>已把文库备份到 %1</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/backup_export.py" line="112" />
        <source>Wait until the export or backup under way has finished.</source>
        <translation>请等待正在进行的导出或备份完成。</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/backup_export.py" line="43" />
        <source>An unexpected error occurred (a bug); nothing was written.</source>
        <translation>发生了意外错误(程序缺陷);没有写入任何内容。</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/backup_export.py" line="146" />
        <location filename="../../docmanager/gui/backup_export.py" line="157" />
        <source>Restore from a backup</source>
        <translation>从备份恢复</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/backup_export.py" line="158" />
        <source>Replace everything in the library with the content of “%1”?</source>
        <translation>用“%1”的内容替换文库中的全部内容?</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/backup_export.py" line="163" />
        <source>The current content is backed up first, to the folder %1, so this can be reversed by restoring that backup. Undo (Ctrl+Z) cannot reverse it.</source>
        <translation>当前内容会先备份到文件夹 %1,恢复该备份即可复原。撤销(Ctrl+Z)无法复原此操作。</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/backup_export.py" line="167" />
        <source>Replace with the backup</source>
        <translation>用备份替换</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/backup_export.py" line="187" />
        <source>Restored %1 document(s) from %2; the previous content (%3 document(s)) is in %4</source>
        <translation>已从 %2 恢复 %1 个文档;之前的内容(%3 个文档)保存在 %4</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/mainwindow.py" line="511" />
        <source>Waiting for another program to finish writing to the library… (%1 change(s) to save)</source>
        <translation>正在等待另一个程序写完文库……(%1 项更改待保存)</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/operations.py" line="225" />
        <source>An unexpected error occurred (a bug); the change was not saved.</source>
        <translation>发生意外错误(程序缺陷);更改未保存。</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/mainwindow.py" line="561" />
        <source>Saving your last changes: waiting for another program to finish writing to the library…</source>
        <translation>正在保存最后的更改:等待另一个程序写完文库……</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/mainwindow.py" line="562" />
        <source>Quit without them</source>
        <translation>不保存这些更改并退出</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/mainwindow.py" line="579" />
        <source>About DocManager</source>
        <translation>关于 DocManager</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/mainwindow.py" line="580" />
        <source>DocManager %1
A personal, offline library of technical documents.
Library: %2</source>
        <translation>DocManager %1
个人离线技术文档库。
文库:%2</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/model.py" line="128" />
        <source>Published</source>
        <translation>发布日期</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/model.py" line="131" />
        <source>Later</source>
        <translation>稍后</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/sidebar.py" line="35" />
        <source>All documents</source>
        <translation>全部文档</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/sidebar.py" line="37" />
        <source>Unread</source>
        <translation>未读</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/sidebar.py" line="38" />
        <source>Reading</source>
        <translation>在读</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/sidebar.py" line="39" />
        <source>Read</source>
        <translation>已读</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/sidebar.py" line="40" />
        <source>Recently added</source>
        <translation>最近添加</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/sidebar.py" line="59" />
        <source>Library</source>
        <translation>文库</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/sidebar.py" line="71" />
        <source>Saved searches</source>
        <translation>已保存的搜索</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/sidebar.py" line="80" />
        <source>None yet: Ctrl+S saves the current search</source>
        <translation>暂无:按 Ctrl+S 保存当前搜索</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/sidebar.py" line="87" />
        <source>Tags (Ctrl-click to combine)</source>
        <translation>标签(Ctrl+单击可组合)</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/sidebar.py" line="90" />
        <source>Match:</source>
        <translation>匹配:</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/sidebar.py" line="91" />
        <source>all tags</source>
        <translation>全部标签</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/sidebar.py" line="92" />
        <source>any tag</source>
        <translation>任一标签</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/sidebar.py" line="93" />
        <source>Show the documents that have every selected tag</source>
        <translation>显示带有所有选中标签的文档</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/sidebar.py" line="94" />
        <source>Show the documents that have at least one of the selected tags</source>
        <translation>显示至少带有一个选中标签的文档</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/sidebar.py" line="228" />
        <location filename="../../docmanager/gui/tag_tree.py" line="320" />
        <source>Rename “%1”…</source>
        <translation>重命名“%1”…</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/sidebar.py" line="230" />
        <source>Replace “%1” with the current search</source>
        <translation>用当前搜索替换“%1”</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/sidebar.py" line="233" />
        <source>Delete “%1”</source>
        <translation>删除“%1”</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/tag_tree.py" line="121" />
        <source>%1: the tags under it (no document carries it alone)</source>
        <translation>%1:其下的标签(没有文档单独带有它)</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/tag_tree.py" line="123" />
        <source>%1: %2 document(s) carry this tag; choosing it also shows the tags under it</source>
        <translation>%1:%2 个文档带有此标签;选中它时也会显示其下标签的文档</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/tag_tree.py" line="177" />
        <source>Filter tags</source>
        <translation>筛选标签</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/tag_tree.py" line="179" />
        <source>Type part of a tag's name to find it (Esc clears)</source>
        <translation>输入标签名称的一部分来查找(按 Esc 清除)</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/tag_tree.py" line="323" />
        <source>Remove “%1” from all documents</source>
        <translation>从所有文档移除“%1”</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/recovery.py" line="34" />
        <source>The library cannot be opened.</source>
        <translation>无法打开文库。</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/recovery.py" line="38" />
        <source>The latest automatic backup is %1. Restoring it keeps the damaged file beside it.</source>
        <translation>最新的自动备份是 %1。恢复它时,损坏的文件会保留在旁边。</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/recovery.py" line="42" />
        <source>Restore the latest backup</source>
        <translation>恢复最新备份</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/recovery.py" line="46" />
        <source>Choose another library…</source>
        <translation>选择其他文库…</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/recovery.py" line="47" />
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/recovery.py" line="66" />
        <source>Restored %1. The damaged library was kept as %2.</source>
        <translation>已恢复 %1。损坏的文库已保留为 %2。</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/recovery.py" line="74" />
        <source>Choose or create a library</source>
        <translation>选择或新建文库</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/backup_export.py" line="92" />
        <location filename="../../docmanager/gui/backup_export.py" line="146" />
        <location filename="../../docmanager/gui/recovery.py" line="76" />
        <source>DocManager libraries (*.sqlite);;All files (*)</source>
        <translation>DocManager 文库 (*.sqlite);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/cut.py" line="165" />
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/cut.py" line="166" />
        <source>Dismiss</source>
        <translation>忽略</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/cut.py" line="182" />
        <source>Apply the same correction to %1 other document(s) of this page?</source>
        <translation>要把同样的修正应用到此页面的另外 %1 篇文档吗?</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/bulk_preview.py" line="55" />
        <location filename="../../docmanager/gui/cut.py" line="186" />
        <source>…and %1 more</source>
        <translation>……以及另外 %1 篇</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/i18n.py" line="49" />
        <source>Look in:</source>
        <translation>查找范围：</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/i18n.py" line="50" />
        <source>Files of type:</source>
        <translation>文件类型：</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/i18n.py" line="51" />
        <source>File name:</source>
        <translation>文件名：</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/crash.py" line="36" />
        <source>Its details were written to the log file:
%1

Please report the problem with that file.</source>
        <translation>详细信息已写入日志文件:
%1

请附上该文件报告这个问题。</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/crash.py" line="65" />
        <source>An unexpected error occurred (a bug).</source>
        <translation>发生了意外错误(程序缺陷)。</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/reading_budget.py" line="21" />
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/reading_budget.py" line="23" />
        <source>%1 h</source>
        <translation>%1 小时</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/reading_budget.py" line="24" />
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分钟</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/reading_budget.py" line="39" />
        <source>Read later: %1 documents, ~%2</source>
        <translation>稍后阅读:%1 篇文档,约 %2</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/reading_budget.py" line="39" />
        <source>Read later: 1 document, ~%2</source>
        <translation>稍后阅读:1 篇文档,约 %2</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/reading_budget.py" line="42" />
        <source> (%1 without an estimate)</source>
        <translation>(%1 篇无法估计)</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/reading_budget.py" line="44" />
        <source>; %1 documents fit in %2 min</source>
        <translation>;%1 篇可在 %2 分钟内读完</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/reading_budget.py" line="44" />
        <source>; 1 document fits in %2 min</source>
        <translation>;1 篇可在 %2 分钟内读完</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/reading_budget.py" line="57" />
        <source>Reading budget</source>
        <translation>阅读时间预算</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/reading_budget.py" line="61" />
        <source>What fits in</source>
        <translation>能读完哪些:</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/reading_budget.py" line="66" />
        <source>any time</source>
        <translation>不限</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/reading_budget.py" line="67" />
        <source>Mark the documents from the top of the queue that can be read in this time</source>
        <translation>从队首起标出在这段时间内能读完的文档</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/reading_budget.py" line="75" />
        <source>Reading speed</source>
        <translation>阅读速度</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/reading_budget.py" line="80" />
        <source> min/page</source>
        <translation> 分钟/页</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/reading_budget.py" line="81" />
        <source>How long a page takes you: a document's estimate is its pages times this</source>
        <translation>你读一页需要多久:文档的估计时间为页数乘以此值</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/saved_searches.py" line="182" />
        <source>Save search</source>
        <translation>保存搜索</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/saved_searches.py" line="183" />
        <source>Name of the saved search (it keeps the view, tags, search and sort):</source>
        <translation>已保存搜索的名称(保存视图、标签、搜索和排序):</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/saved_searches.py" line="196" />
        <source>A saved search named “%1” exists. Replace it with the current search?</source>
        <translation>已有名为“%1”的已保存搜索。要用当前搜索替换它吗?</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/saved_searches.py" line="236" />
        <source>Rename saved search</source>
        <translation>重命名已保存的搜索</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/saved_searches.py" line="236" />
        <source>New name:</source>
        <translation>新名称:</translation>
    </message>
    <message>
        <location filename="../../docmanager/gui/saved_searches.py" line="248" />
        <source>Deleted the saved search “%1”. Undo with Ctrl+Z.</source>
        <translation>已删除已保存的搜索“%1”。可用 Ctrl+Z 撤销。</translation>
    </message>
</context>
</TS>