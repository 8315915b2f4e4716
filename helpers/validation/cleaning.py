"""Test material for the cleaner: news pages built from real stories with site templates, and a score.

Bodies come from CCTV 新闻联播 stories (cleaned HTML paragraphs); :func:`make_page` wraps one body in a site
template (plain text or HTML) with titles, datelines, bylines, editor and disclaimer lines, agency lead-ins,
captions, navigation and hot lists. :func:`char_f1` scores a cleaned page against the known body.
``scripts/eval_cleaning.py`` reports the mean over 200 pages; ``tests/test_clean.py`` checks the cleaner on others.

>>> import random
>>> title, paras = story_bodies(1)[0]
>>> page, body = make_page(title, paras, random.Random(1))
>>> body in page or "<" in page or page.startswith("---")
True
"""

from __future__ import annotations

import difflib
import json
import random
import re

from ..paths import DATA_DIR, SHARED_CORPORA_DIR

__all__ = ["NAMES", "SITES", "HOT", "story_bodies", "make_page", "char_f1"]

#: reporters' and editors' names put in bylines and editor lines (责任编辑：张伟); common names, none of them a word
NAMES = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周杰", "吴昊", "欧阳明"]
#: site names of source lines, lead-ins and footers
SITES = ["新华网", "人民网", "中国新闻网", "澎湃新闻", "光明网", "央广网", "湖南日报", "四川在线", "南方网", "大众网"]
#: headlines of the related-article and hot lists after the body
HOT = [
    "习近平回信勉励大学生村官",
    "国务院常务会议部署推进乡村振兴",
    "全国脱贫攻坚总结表彰大会举行",
    "多地出台稳就业新举措",
    "今冬明春天然气供应总体平稳",
    "第三届进博会成果丰硕",
    "教育部：严禁中小学违规补课",
]


def story_bodies(n: int, seed: int = 0) -> list[tuple[str, list[str]]]:
    """``(title, paragraphs)`` of ``n`` real CCTV 新闻联播 stories with at least two paragraphs and 150 characters.

    Read from ``../shared/corpora/xwlb_general`` when present, else from ``data/xwlb_poverty_sample``; shuffled
    with ``seed``. The paragraphs are the stories' HTML paragraphs without tags and without the programme's
    lead-in: the known body a cleaned page is compared with.
    """
    path = SHARED_CORPORA_DIR / "xwlb_general" / "stories.jsonl"
    if not path.exists():
        path = DATA_DIR / "xwlb_poverty_sample" / "xwlb_poverty_sample.jsonl"
    rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    rng = random.Random(seed)
    rng.shuffle(rows)
    out = []
    for r in rows:
        paras = [re.sub(r"<[^>]+>", "", p).strip().replace("\u3000", "") for p in re.split(r"</p>", r["text"])]
        paras = [re.sub(r"^央视网消息[（(]新闻联播[)）]：", "", p) for p in paras if p]
        paras = [p for p in paras if p]
        if len(paras) >= 2 and sum(map(len, paras)) > 150:
            out.append((r["title"], paras))
        if len(out) >= n:
            break
    return out


def _date(rng):
    return f"20{rng.randint(16, 21)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


# One branch per page template (twelve kinds): long, but each branch reads as the page it builds, and the order of
# the random draws (shared by all kinds, then per kind) fixes the pages of the evaluation for a given seed.
def make_page(title: str, paras: list[str], rng: random.Random) -> tuple[str, str]:
    """A news page wrapping a known body in one of twelve site templates; returns ``(page, known body)``.

    Parameters
    ----------
    title : str
        The story's title.
    paras : list of str
        The story's paragraphs (the known body; an HTML fragment page adds a subheading to it).
    rng : random.Random
        Chooses the template, names, site, date and lists.

    Returns
    -------
    tuple of str
        The page (plain text, Markdown with front matter, an HTML fragment or a full HTML page) and the body a
        perfect cleaner returns, paragraphs separated by newlines.

    Examples
    --------
    >>> page, body = make_page("标题", ["第一段。", "第二段。"], random.Random(0))
    >>> body.startswith("第一段。") and body.endswith("第二段。") and len(page) > len(body)
    True
    """
    name, name2, site = rng.choice(NAMES), rng.choice(NAMES), rng.choice(SITES)
    d = _date(rng)
    y, m, dd = d.split("-")
    body = list(paras)
    kind = rng.randrange(12)
    lead = ""
    if rng.random() < 0.5:
        lead = rng.choice(
            [
                f"新华社北京{int(m)}月{int(dd)}日电（记者{name}）",
                f"本报讯（记者 {name} 通讯员 {name2}）",
                f"{site}{int(m)}月{int(dd)}日电 ",
                f"{site}讯 ",
                f"本报讯 记者{name}报道 ",
            ]
        )
    first = lead + body[0]
    hot = rng.sample(HOT, 4)
    if kind == 0:  # portal, plain text
        page = [
            title,
            f"{y}年{m}月{dd}日 {rng.randint(6, 22)}:{rng.randint(10, 59)}  来源：{site}",
            "",
            first,
            *body[1:],
            f"（记者：{name}）" if rng.random() < 0.5 else f"责任编辑：{name2}",
            "【免责声明】本文仅代表作者本人观点，与本网无关。本网对文中陈述、观点判断保持中立。",
            "相关新闻",
            *hot[:3],
            "热门推荐",
            *hot[3:],
        ]
    elif kind == 1:  # people's-daily style
        page = [
            title,
            f"{y}年{m}月{dd}日{rng.randint(6, 22)}:{rng.randint(10, 59)}  来源：{site}－{rng.choice(['人民日报', '经济日报'])}",
            "分享到：",
            first,
            *body[1:],
            f"（责编：{name}、{name2}）",
            "关注公众号",
            "扫一扫在手机打开当前页",
        ]
    elif kind == 2:  # WeChat
        page = [
            title,
            f"原创 {site}发布 {d}",
            "点击上方蓝字关注我们",
            first,
            *body[1:],
            f"来源：{site}",
            f"编辑：{name}",
            f"审核：{name2}",
            "往期推荐",
            *hot[:3],
            "点个在看，你最好看",
        ]
    elif kind == 3:  # local government site
        page = [
            title,
            f"发布时间：{d} 09:12:00 来源：县政府办公室 浏览次数：{rng.randint(100, 9999)}",
            "【字体：大 中 小】",
            first,
            *body[1:],
            "【打印本页】 【关闭窗口】",
            "主办单位：某某县人民政府办公室 承办：县大数据中心",
            "网站标识码：5101000012 蜀ICP备12345678号",
        ]
    elif kind == 4:  # original-title repeats and a truncated lead
        page = [
            f"原标题：{title}",
            title,
            f"{int(m)}-{int(dd)} 08:0{rng.randint(0, 9)}:11 来源:{site}",
            (lead + body[0])[:40],
            first,
            *body[1:],
            f"{site}记者 {name} 实习生 {name2}",
            f"原标题:{title}",
            "• 头条",
            "• 要闻",
            "• 视频",
            "点击进入频道",
            "本周热榜",
            *hot[:2],
        ]
    elif kind == 5:  # HTML portal page
        ps = "".join(f"<p>　　{p}</p>" for p in [first, *body[1:]])
        cap = f"<p class='pic'><img src='a.jpg'></p><p class='pic-caption'>图为{title[:10]}现场。{name} 摄</p>"
        page = [
            f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}_{site}</title>"
            "<script>var x=1;</script></head><body>"
            f"<div class='top-nav'><a href='/'>首页</a> | <a href='/n'>新闻</a> | <a href='/v'>视频</a></div>"
            f"<div class='main'><h1>{title}</h1><div class='info'><span>{d} 10:3{rng.randint(0, 9)}</span>"
            f"<span>来源：{site}</span><span>作者：{name}</span></div><div class='content'>{cap}{ps}"
            f"<p class='editor'>[责任编辑：{name2}]</p></div></div>"
            "<div class='side'><h3>排行榜</h3><ul>"
            + "".join(f"<li><a href='/{i}'>{h}</a></li>" for i, h in enumerate(hot))
            + "</ul></div><div class='footer'><p>Copyright © 2020 "
            + site
            + " 版权所有</p>"
            "<p>违法和不良信息举报电话：010-12345678</p></div></body></html>"
        ]
        return "\n".join(page), "\n".join(body)
    elif kind == 6:  # HTML fragment with subheading and bylines
        mid = len(body) // 2
        sub = "一线见闻"
        body = body[:mid] + [sub] + body[mid:]
        page = [f"<div class='article'><h2>{title}</h2><p>{d} 来源：{site}</p>"]
        page += [f"<p>{p}</p>" for p in [lead + body[0], *body[1:]]]
        page += [
            f"<p>（记者 {name}）</p>",
            f"<p>责任编辑：{name2}</p></div>",
            "<div class='related'><h4>相关阅读</h4><ul>"
            + "".join(f"<li><a href='#'>{h}</a></li>" for h in hot)
            + "</ul></div>",
        ]
        return "\n".join(page), "\n".join(body)
    elif kind == 8:  # self-media platform
        mid = max(1, len(body) // 2)
        page = [
            title,
            f"{site}  {d} 18:2{rng.randint(0, 9)}  关注",
            "展开全文",
            first,
            *body[1:mid],
            "（图片来源：视觉中国）",
            *body[mid:],
            "返回搜狐，查看更多",
            f"责任编辑：{name}",
            "声明：该文观点仅代表作者本人，搜狐号系信息发布平台，搜狐仅提供信息存储空间服务。",
            "阅读 (10万+)",
            "举报/反馈",
        ]
    elif kind == 9:  # breadcrumb, meta line, A+ A-, END, QR code
        page = [
            "当前位置：首页 > 新闻中心 > 本地要闻",
            title,
            f"作者：{name}  来源：{site}  时间：{d}",
            "字号：A+ A-  打印  收藏",
            first,
            *body[1:],
            "— END —",
            "长按识别二维码关注我们",
            "欢迎分享转发",
            f"文章来源：{site}",
        ]
    elif kind == 10:  # captions and photo credits inside the body, (完)
        mid = max(1, len(body) // 2)
        page = [
            title,
            f"{y}-{m}-{dd} {rng.randint(6, 22)}:{rng.randint(10, 59)}:00  {site}",
            first,
            *body[1:mid],
            f"▲ 图为{title[:8]}。新华社记者 {name} 摄",
            *body[mid:-1],
            body[-1] + "（完）",
            f"【编辑：{name2}】",
        ]
    elif kind == 11:  # Traditional Hong Kong/Taiwan portal with 原標題 and 責任編輯
        page = [
            title,
            f"{d} {rng.randint(6, 22)}:{rng.randint(10, 59)}  {site}",
            first,
            *body[1:],
            f"原標題：{title}",
            f"責任編輯：{name}",
            "分享：",
            "延伸閱讀",
            *hot[:3],
        ]
    else:  # Hexo front matter
        page = [
            "---",
            f"title: {title}",
            f"date: {d} 06:13:00",
            "tags:",
            "---",
            "<!-- more -->",
            first,
            *body[1:],
            f"[责任编辑：{name}]",
        ]
    return "\n".join(page), "\n".join(body)


def char_f1(pred: str, gold: str) -> float:
    """Character F1 of a cleaned text against the known body, whitespace ignored (matching blocks of difflib).

    >>> char_f1("第一段。\\n第二段。", "第一段。第二段。"), round(char_f1("第一段。", "第一段。第二段。"), 3)
    (1.0, 0.667)
    """
    a, b = re.sub(r"\s+", "", pred), re.sub(r"\s+", "", gold)
    if not a or not b:
        return float(a == b)
    match = sum(bl.size for bl in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
    p, r = match / len(a), match / len(b)
    return 0.0 if not match else 2 * p * r / (p + r)
