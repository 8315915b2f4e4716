"""Cleaning scraped Chinese news: the article body only, with a record of every change.

:func:`clean_document` turns a raw page (plain text, Markdown with front matter, an HTML fragment or a full HTML
page) into the article body, paragraphs separated by newlines, and reports what it removed or changed, rule by
rule. :func:`clean_text` returns just the body.

The rules are generic, not per-site: front matter and markup; the header block before the first body paragraph
(title, dateline, source line, photo caption); ``原标题`` lines; editor, disclaimer, byline and photo-credit lines;
news-agency lead-ins (本报讯（记者…）, 央视网消息（新闻联播）：, 新华社北京1月1日电); navigation, related-article and
hot lists after the body; a paragraph repeated or cut short next to its copy; pinyin annotations and GBK mojibake;
Traditional → Simplified conversion. Subheadings between body paragraphs are kept.

>>> clean_text("<p>　　央视网消息（新闻联播）：今年以来，各地扎实推进脱贫攻坚。</p><p>[责任编辑：张三]</p>")
'今年以来，各地扎实推进脱贫攻坚。'
"""

from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from .mojibake import remove_pinyin_annotations, repair_mojibake

__all__ = [
    "CleanResult",
    "clean_document",
    "clean_text",
    "normalize_date",
    "opencc_converter",
    "to_simplified",
    "variant_table",
    "VARIANT_CONFIGS",
    "VARIANT_DETAIL",
    "split_paragraphs",
    "site_template",
    "reads_as_boilerplate",
    "shorten_tags",
    "is_body_line",
    "headline_after_title",
    "headline_lines",
    "document_headlines",
    "headlines_label",
    "HEADING_MAX_LINES",
    "SUBHEADING_MAX_CHARS",
    "TEMPLATE_MIN_DOCS",
    "TEMPLATE_MAX_SHARED",
    "diff_html",
    "align_paragraphs",
    "aligned_html",
    "ALIGN_MIN_COVERAGE",
    "RULES",
]

#: rule name -> what it removes or changes (the columns of the cleaning report)
RULES: dict[str, str] = {
    "front_matter": "YAML/Hexo front matter block",
    "markup": "HTML tags, comments, scripts, styles and entities",
    "page_chrome": "page elements outside the article (navigation, header, footer, sidebars, lists of links)",
    "title": "the title line(s) before the body",
    "original_title": "原标题 lines",
    "dateline": "date/time and source lines",
    "caption": "photo captions and photo credits",
    "header_other": "other short lines before the first body paragraph",
    "byline": "reporter/author credit lines and trailing name parentheses",
    "editor": "editor, reviewer and source credit lines (责任编辑, 责编, 本期编辑 …)",
    "disclaimer": "disclaimers and copyright notices",
    "navigation": "navigation, related-article, hot-list and share blocks after the body",
    "after_body": "other short lines after the last body paragraph (a document's signature and date, 此件公开发布, sign-offs)",
    "lead_in": "news-agency lead-ins at the start of a paragraph (本报讯, 央视网消息 …)",
    "duplicate": "a paragraph repeated, or cut short, next to its copy",
    "pinyin": "pinyin annotations after characters (級(jí))",
    "link_label": "labels of links a site left inline after names (赵薇(微博): Sina's link to the person's 微博)",
    "mojibake": "repaired or removed mojibake spans",
    "traditional": "Traditional characters converted to Simplified",
    "whitespace": "indentation, no-break spaces and blank lines",
    "site_template": "lines repeated across many documents of the corpus (site templates)",
}

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_SENT_END = "。！？!?…”」』）)"
_WS = re.compile(r"[ \t\u00a0\u2002\u2003\u2009\u200b\u3000\ufeff]+")
_TAG = re.compile(r"<[a-zA-Z!/?][^>]*>")
_BLOCK_TAGS = re.compile(
    r"</?(p|div|br|li|ul|ol|h[1-6]|tr|table|section|article|blockquote|figure|figcaption|header|footer|nav|aside|dd|dt|pre)\b[^>]*>",
    re.I,
)

# --- line patterns ------------------------------------------------------------------------------------------
_ORIGINAL_TITLE = re.compile(r"^[【\[]?\s*原标题\s*[】\]]?\s*[:：]?\s*(.*)$")
_EDITOR = re.compile(
    r"^[【\[（(]?\s*[\u4e00-\u9fff]{0,8}?(责任编辑|责编|编辑|本期编辑|值班编辑|实习编辑|主编|编审|审核|审校|校对|监制|终审|"
    r"出品人?|制作|统筹|策划|作者|稿源|来源|文字|撰文|校审)\s*[:：]"
)
_EDITOR_PAREN = re.compile(
    r"[（(【\[][^（）()【】\[\]]{0,12}(责任编辑|责编|编辑|审核|校对|来源)\s*[:：][^（）()【】\[\]]{0,30}[)）】\]]\s*$"
)
_DISCLAIMER = re.compile(
    r"(免责声明|版权声明|版权所有|copyright|©|未经.{0,12}(授权|许可|同意).{0,10}(转载|使用|复制)|转载请注明|"
    r"本文(来源|转自|系转载)|如涉及版权|如有侵权|不代表本(站|网|平台)观点|联系(删除|我们)|违法和不良信息举报)",
    re.I,
)
_NAV_MARKERS = re.compile(
    r"^(你会喜欢|猜你喜欢|相关文章|相关阅读|相关新闻|相关推荐|推荐阅读|延伸阅读|热门推荐|热点推荐|精彩推荐|本周热榜|"
    r"热门文章|热门新闻|热门阅读|排行榜|24小时排行|往期回顾|往期精彩|更多精彩|更多新闻|更多内容|点击进入频道|查看原文|"
    r"阅读原文|返回顶部|返回首页|上一篇|下一篇|分享到|分享至|扫一扫|关注我们|打印本页|关闭窗口|【纠错】|纠错|举报|评论|"
    r"网友评论|我要评论|责任编辑|点击排行|频道推荐|图片新闻|视频推荐|延伸閱讀|相關閱讀|相關新聞|當前位置|当前位置|"
    r"长按识别|长按二维码|欢迎分享|点击上方|点击下方|点击蓝字|点个在看|返回搜狐|打开APP|打开app|本文来自|文章来源|"
    r"声明：该文观点|特别声明|温馨提示)\b.{0,40}$"
)
_BULLET = re.compile(r"^([•·▪●◆■□◇○▶►»]\s*\S|[-*>]\s+\S)")
_CAPTION = re.compile(
    # a caption starts with its marker (图为…, ▲…, 图片来源…) or ends with a photo credit (… 张三 摄, （新华社发）)
    r"^[▲△↑◆]|^[（(【\[]?\s*(图为|图片来源|图片由|图片提供|资料图片?|视频截图|截图|图/|图：|图\d|摄影\s*[:：/]|摄\s*[:：])|"
    r"(供图|[\u4e00-\u9fff]{2,4}\s*摄影?|（[^（）]{0,16}(摄|供图|发)）|\([^()]{0,16}(摄|供图|发)\)|图片由[^，。]{2,20}提供)\s*[。.]?$"
)
_DATE_FULL = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_DATE_MD = re.compile(r"(?<![\d.])(\d{1,2})\s*(?:-|/|月)\s*(\d{1,2})\s*日?")
_TIME = re.compile(r"\d{1,2}:\d{2}(:\d{2})?")
# a word of a dateline is followed by a colon, a count, a space or the line's end (发布时间：, 浏览次数 9946, 分享到 is
# a navigation marker); glued to more words it is a headline's verb (【2018-10-02】分享节日欢乐 礼赞丰收中国)
_DATELINE_WORDS = re.compile(
    r"(来源|来自|稿源|发布|发表|时间|作者|编辑|浏览|阅读|字号|点击|次数|分享|打印|评论|出处)(\s|[:：\d(（]|$)"
)
_SOURCE = re.compile(r"(?:来源|稿源|出处)\s*[:：]\s*([^\s|｜]{2,30})")

#: who is named before 消息 in a lead-in: a news outlet (a paper, a site, an agency, a station, an app: 重庆日报, 央视网,
#: 新华社, 中国之声, 央视新闻客户端). Any other name is the source a sentence cites: the 33 paragraphs of the 4,067 CCTV
#: stories of ../shared/corpora/xwlb_* that open with ``X消息，`` or ``X消息：`` other than 央视网's all name a ministry,
#: a company or an office (民政部消息，, 中国石化今天发布消息，, 据中央气象台消息，), and the 16 of them among a story's first
#: paragraphs were cut when any name was read as a lead-in; 国家电网 is a company, 据/根据/来自 open a citation
_OUTLET_MESSAGE = (
    r"(?!据|根据|来自)[\u4e00-\u9fff]{0,10}(?:报|(?<!电)网|社|刊|电视台|电台|广播|新闻|频道|客户端|在线|之声|卫视)消息"
)
#: a lead-in's tag is 电, 讯 or 消息; 讯息 is 消息 as OpenCC s2twp writes it for Taiwan (中广网北京6月27日讯息, back in
#: Simplified characters): the tag is 讯息 whole, never 讯 with 息 left to open the body
_LEAD_INS = [
    # 本报讯(记者彭禹乔） / 本报讯 记者 X / 本报北京1月1日讯（记者 X）
    re.compile(
        r"^(本报|本刊|本台|本网|本站)[\u4e00-\u9fff\d月日]{0,12}(讯息|讯|电|消息)\s*([(（][^()（）]{0,40}[)）])?\s*[:：，,]?\s*"
    ),
    # 新华社北京3月1日电（记者 X） / 中新网3月1日电 / 人民网北京3月1日电
    re.compile(
        r"^(新华社|中新社|中新网|人民网|新华网|央视网|中国新闻网|光明网|澎湃新闻|央广网|国际在线|中国日报网|[\u4e00-\u9fff]{2,8}(日报|晚报|晨报|网|台|社))"
        r"[\u4e00-\u9fff]{0,10}\d{1,2}月\d{1,2}日\s*(电|讯息|讯|消息)\s*([(（][^()（）]{0,40}[)）])?\s*[:：，,]?\s*"
    ),
    # 央视网消息（新闻联播）： / 重庆日报消息, / XX网讯: an outlet's 消息 (民政部消息， 据中央气象台消息， are a source the
    # sentence names: :data:`_OUTLET_MESSAGE`) or a 讯 tag (not 喜讯, 闻讯 …)
    re.compile(
        rf"^(?:{_OUTLET_MESSAGE}|[\u4e00-\u9fff]{{2,12}}(?<![喜死音通凶噩闻简])讯)\s*([(（][^()（）]{{0,30}}[)）])?\s*[:：，,]\s*"
    ),
    re.compile(r"^[\u4e00-\u9fff]{2,12}(消息|讯)\s*[(（][^()（）]{0,30}[)）]\s*"),
    # a standfirst's label (导语：, 导读：) and a dealer's bracketed source tag (（中关村在线上海行情）) at the very start
    re.compile(r"^(导语|导读)\s*[:：]\s*"),
    re.compile(r"^[（(【\[][^()（）【】\[\]]{2,30}?(行情|报道|www\.[^()（）【】\[\]]*|\.com|\.cn)[)）】\]]\s*"),
    # （记者 张三） at the very start
    re.compile(r"^[(（]\s*(记者|通讯员)[^()（）]{1,30}[)）]\s*[:：，,]?\s*"),
    # 记者 张三 报道： / 记者从…获悉 is content, so only "报道" forms
    re.compile(r"^(本报|本台)?记者\s*[\u4e00-\u9fff]{2,4}(\s+[\u4e00-\u9fff]{2,4}){0,3}\s*报道\s*[:：，,]?\s*"),
]
_AGENCIES = r"(新华社|中新社|中新网|人民网|新华网|央视网|中国新闻网|光明网|澎湃新闻|央广网|国际在线|中国日报网)"
#: one to four names of two to four characters after a role word, and how a credit ends: ``/文`` (with ``Y/图``),
#: 报道 after a place (深圳报道), or a space (after 发自X too) (新快报记者 刘嫣 贺雅佳/文 龚吉林/图, ⊙本报记者 徐婧婧 上周…, 每经记者 别冶 发自北京)
_CREDIT_NAMES = (
    r"[\u4e00-\u9fff·]{2,4}(?:\s+[\u4e00-\u9fff·]{2,4}){0,3}"
    r"(?:\s*/\s*文(?:\s*[\u4e00-\u9fff·]{2,4}\s*/\s*图)?|\s*[\u4e00-\u9fff]{0,4}?报道[:：，,]?|(?:\s*发自[\u4e00-\u9fff]{1,4})?(?=\s))\s*"
)
_CREDIT_ROLE = r"(?:驻[\u4e00-\u9fff]{1,4})?(?:特约|见习|实习|首席)?(?:记者|作者)\s*[:：]?\s*"
#: a credit that opens a paragraph: an outlet (any, as the paragraph starts there), a role and names, ended as
#: :data:`_CREDIT_NAMES` says; an outlet's tag with the reporter in 【】 (新报讯【记者 王伟】)
_CREDIT_LEADS = [
    re.compile(rf"^[□⊙◆■]?\s*(?:[\u4e00-\u9fff]{{0,8}}?(?:报|刊|社|网|台|经)\s*)?{_CREDIT_ROLE}{_CREDIT_NAMES}"),
    # an outlet's name of at most six characters (北京青年报讯): a longer run before 讯 is a headline glued to it
    re.compile(r"^(?:[\u4e00-\u9fff]{2,6}讯\s*)?【\s*(?:记者|通讯员)[^【】]{1,30}】\s*[:：，,]?\s*"),
]
_LEAD_INS.extend(_CREDIT_LEADS)
#: lead-ins stripped at the start of any paragraph (a bulletin or compilation joins many stories, each with its own
#: 央视网消息（新闻联播）：): only those naming the paper or a news agency; the generic ``XX消息，`` forms of
#: :data:`_LEAD_INS` are read only in a document's first paragraphs, where a story begins
_LEAD_INS_ANYWHERE = [
    _LEAD_INS[0],
    _LEAD_INS[1],
    # 央视网消息（新闻联播）： / 新华网消息： — a colon or a programme in brackets after it (新华社消息称 is a sentence)
    re.compile(rf"^{_AGENCIES}(消息|讯息|讯)\s*([(（][^()（）]{{0,30}}[)）]\s*[:：，,]?|[:：，,])\s*"),
]
#: a date in a wire-service tag, in digits or in Chinese numerals (中新社北京六月二十五日电)
_TAG_DATE = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})月(?:\d{1,2}|[一二三四五六七八九十]{1,3})日"
# a lead-in glued after the headline on the first line, without a line break (THUCNews/Sina exports: "标题新浪体育讯
# 正文…", "标题新华网北京7月26日电 正文…", "标题本报讯(记者 X)正文…", "组图：标题导语：正文…"): only tags that cannot be
# read otherwise, and only after a span without sentence punctuation (:func:`_split_first_line`)
_GLUED_LEAD = re.compile(
    r"(新浪[\u4e00-\u9fff]{0,4}讯(?!息)"  # Sina's channel tags: 新浪体育讯, 新浪家居谢娟讯
    # an agency, a place and a date: 新华网北京7月26日电, 中新社北京六月二十五日电, 中广网北京6月15日消息
    rf"|(?:{_AGENCIES}|中广网)[\u4e00-\u9fff]{{0,10}}{_TAG_DATE}\s*(?:电|讯息|讯|消息)"
    r"|据(?:新华社|中新社)电"  # 据新华社电
    rf"|(?:本报|本刊|本台|本网)(?:[\u4e00-\u9fff]{{0,6}}?{_TAG_DATE})?(?:讯息|讯|电)"  # 本报讯, 本报北京1月1日电
    # after a space, any outlet's tag followed by its brackets: 南方日报讯(记者/谢思佳), 荆楚网消息 (楚天金报)
    r"|(?<=\s)(?![\u4e00-\u9fff]{1,8}本报)[\u4e00-\u9fff]{2,10}(?:讯息|讯|消息)(?=\s*[(（])"
    r"|(?:导语|导读)(?=\s*[:：])"  # a standfirst's label: 导语：正文…
    # a bracketed source tag of a dealer's report: （中关村在线上海行情）, 【ZOL-七天在线 it7t.com】
    r"|[（(【\[][^()（）【】\[\]]{2,30}?(?:行情|报道|www\.[^()（）【】\[\]]*|\.com|\.cn)[)）】\]])"
    r"\s*([(（][^()（）]{0,40}[)）])?\s*[:：，,]?\s*"
)
#: the tag must start within this many characters of the line (a headline's length) to be a glued lead-in
GLUED_LEAD_MAX_START = 60
#: what ends a headline without being a lead-in: a photo mark that portals put after headlines ((组图), (图), （视频）),
#: an arrow of link text after it (>>>点击观看高清版九美图), a byline glued to it (□本报记者 X, ⊙本报记者, 本刊记者)
_HEADLINE_END = re.compile(
    r"(?P<photo>[(（\[【](?:组图|图|多图|附图|图文|高清组图|高清图|视频|图表)[)）\]】])|(?P<link>>>|》》)"
    r"|(?P<byline>[□⊙◆■]|(?:本报|本刊)(?:特约|见习)?记者)"
)
#: a credit glued after a headline, with no wire tag after it: an outlet whose name starts where it is known (本报,
#: 本刊, a paper's four-character name ending in 时报, 日报, 早报 or 周报, a news agency; not 晚报, 晨报: bylines shorten
#: their papers to these two characters, 晚报记者 曾索狄), a role, names ended as :data:`_CREDIT_NAMES` says
#: (…投资者宜把握股债轮动机会本报记者：潘清 尽管…, …跑赢指数东方早报记者 肖莉 进入…)
_GLUED_HEAD_CREDIT = re.compile(
    rf"(?:本报|本刊|[\u4e00-\u9fff]{{2}}(?:时报|日报|早报|周报)|{_AGENCIES}){_CREDIT_ROLE}{_CREDIT_NAMES}"
)
#: a lead-in on a line of its own; a line that is only ``…快讯`` (国际联播快讯, 联播快讯) is a headline, not a lead-in
#: (新华社快讯： with its colon is one)
_LEAD_ONLY = re.compile(
    r"^(?![\u4e00-\u9fff]{0,10}快讯$)([\u4e00-\u9fff]{2,12}(消息|讯息|讯)|本报讯|[\u4e00-\u9fff]{2,10}\d{1,2}月\d{1,2}日电)\s*([(（][^()（）]{0,30}[)）])?\s*[:：，,]?$"
)
_TRAILING_NAMES = re.compile(
    rf"(?<=[{_SENT_END}])\s*[(（]\s*((记者|通讯员|实习生|作者|文|图|编辑|责编)?\s*[:：/]?\s*[\u4e00-\u9fff·]{{2,5}}"
    rf"([\s、，,/]+(记者|通讯员|实习生)?\s*[\u4e00-\u9fff·]{{2,5}}){{0,4}}|完)\s*[)）]\s*$"
)
# a column label before the headline: 头条|…, 视频｜…, and a portal's label of a gallery or a video: 组图：…, 视频：…
_TITLE_PREFIX = re.compile(
    r"^([\u4e00-\u9fff]{1,4}\s*[|｜]\s*(?=\S{6})|(组图|图集|多图|高清组图|视频)\s*[:：]\s*(?=.{6}))"
)
# a photo mark after the headline, and link text after it: …美人如花隔云端(组图)>>>点击观看高清版九美图
_TITLE_PHOTO = re.compile(r"\s*([(（\[【](组图|图|多图|附图|图文|高清组图|高清图|视频|图表)[)）\]】]|>>|》》).*$")
_TITLE_SUFFIX = re.compile(
    r"\s*[_|｜\-—–]+\s*[^_|｜\-—–]{1,16}(频道|网|新闻|首页|客户端|在线|日报|晚报|报|官网|门户|资讯)\s*$"
)


@dataclass
class CleanResult:
    """The outcome of :func:`clean_document`."""

    text: str
    title: str | None = None
    date: str | None = None
    source: str | None = None
    changes: list[dict] = field(default_factory=list)
    traditional: bool = False

    def add(self, rule: str, action: str, chars: int, detail: str = "") -> None:
        """Record a change: ``chars`` is the number of characters of the text removed (action ``removed``),
        replaced by one character each (``repaired``) or converted (``changed``)."""
        self.changes.append({"rule": rule, "action": action, "chars": int(chars), "detail": detail[:200]})


# --- Traditional -> Simplified ---------------------------------------------------------------------------------
@lru_cache(maxsize=8)  # one converter per config: t2s, s2t, s2tw
def opencc_converter(config: str = "t2s"):
    """The OpenCC converter for ``config`` (``t2s``, ``s2t``, ``s2tw`` …), built once per process and config.

    Every module converts through this one accessor (cleaning, mojibake repair, reprint fingerprints, encoding
    detection), so all use the same OpenCC build and settings.

    >>> opencc_converter("t2s").convert("脫貧攻堅")
    '脱贫攻坚'
    """
    import opencc

    return opencc.OpenCC(config)


#: words in which 著 is not the aspect particle 着 and stays 著 after conversion (著名, 土著, 名著 …)
_ZHU_KEEP = frozenset(
    "著名 著作 著称 显著 土著 卓著 昭著 著述 名著 原著 巨著 专著 论著 编著 译著 合著 遗著 著录 著者 著书 著有 新著 "
    "拙著 大著 著文 著说".split()
)


def _fix_zhe(text: str) -> str:
    """After t2s, Traditional 著 used as the aspect particle (等著) becomes 着; 著名, 土著 … stay."""
    if "著" not in text:
        return text
    out = []
    for i, ch in enumerate(text):
        keep = ch != "著" or text[max(0, i - 1) : i + 1] in _ZHU_KEEP or text[i : i + 2] in _ZHU_KEEP
        out.append(ch if keep else "着")
    return "".join(out)


#: the OpenCC configs whose tables turn Hong Kong (hk2t: 衞, 敍, 枱) and Taiwan (tw2t: 痺, 睪, 簷) variant characters
#: into OpenCC's standard Traditional characters, which t2s then converts; t2s alone keeps these variants (reviewer
#: T: 61 of 500 news stories converted with OpenCC s2hk / s2twp kept 衞生, 敍利亚, 总枱 after t2s)
VARIANT_CONFIGS = ("hk2t", "tw2t")
#: the Unicode blocks of CJK ideographs searched for variant characters (URO, extension A, compatibility ideographs,
#: extensions B to G)
_CJK_BLOCKS = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00), (0x20000, 0x2A6E0), (0x2A700, 0x2EBF0),
               (0x30000, 0x3134B))  # fmt: skip
#: the start of the ``detail`` of the cleaning report's row counting the variant characters a document held
VARIANT_DETAIL = "Hong Kong / Taiwan variant characters converted to mainland forms"


@lru_cache(maxsize=1)
def variant_table() -> dict[int, str]:
    """Hong Kong and Taiwan variant characters that OpenCC ``t2s`` leaves as they are, and their mainland form.

    Read from the installed OpenCC: every CJK ideograph that ``t2s`` keeps but that :data:`VARIANT_CONFIGS` turn
    into a character ``t2s`` converts (衞 → 衛 → 卫, 敍 → 敘 → 叙, 枱 → 檯 → 台). Characters only: the configs'
    phrase tables and Taiwan's phrases (軟體, 資訊), which ``tw2sp`` would rewrite as 软件, 信息, are the author's
    words and are kept. Characters of GB 2312 are left out: they are Simplified characters in their own right,
    which the Taiwan table reads as variants of others (么 in 什么 is not 幺; 著 in 著名 is not 着).

    A :meth:`str.translate` table, applied after ``t2s``.

    >>> "".join(variant_table()[ord(c)] for c in "衞敍枱")
    '卫叙台'
    >>> ord("么") in variant_table(), ord("著") in variant_table()
    (False, False)
    """
    t2s = opencc_converter("t2s")
    chars = "".join(chr(c) for start, stop in _CJK_BLOCKS for c in range(start, stop))
    kept = t2s.convert(chars)
    table: dict[int, str] = {}
    for config in VARIANT_CONFIGS:
        read = opencc_converter(config).convert(chars)
        if len(read) != len(chars):  # one character in, one out: anything else is not a variant table
            raise ValueError(f"OpenCC {config}: changed the number of characters of single ideographs")
        for ch, same, mainland in zip(chars, kept, t2s.convert(read)):
            if ch == same and mainland != ch and len(mainland) == 1 and not _in_gb2312(ch):
                table.setdefault(ord(ch), mainland)
    return table


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def to_simplified(text: str) -> str:
    """Traditional → Simplified (OpenCC ``t2s``), with the aspect particle 著 read as 着 (等著 → 等着, 著名 stays) and
    Hong Kong and Taiwan variant characters in their mainland form (衞生 → 卫生: :func:`variant_table`).

    Phrases are not rewritten (軟體 → 软体, not 软件).

    >>> to_simplified("他們等著看著名的節目")
    '他们等着看著名的节目'
    >>> to_simplified("敍利亞的衞生，軟體")
    '叙利亚的卫生，软体'
    """
    return _fix_zhe(opencc_converter("t2s").convert(text)).translate(variant_table())


# --- paragraphs -----------------------------------------------------------------------------------------------
_LINE_BREAKS = re.compile(r"[\r\n]+")
_MARKUP_BREAKS = re.compile(r"[\r\n]+|</p>|<br\s*/?>", re.I)
_ANY_TAG = re.compile(r"<[^>]+>")


def split_paragraphs(text: str, *, markup: bool = True) -> list[str]:
    """The paragraphs of a text: its non-blank lines, stripped.

    Parameters
    ----------
    text : str
        Cleaned text (one paragraph a line) or a raw page.
    markup : bool, default True
        Also split at ``</p>`` and ``<br>`` and remove any tag left (for raw pages; on cleaned text this changes
        nothing unless a line holds something like a tag). ``False``: split at line breaks only, as the
        before/after view and topic units do.

    Returns
    -------
    list of str

    Examples
    --------
    >>> split_paragraphs("第一段。\\n\\n<p>第二段。</p>")
    ['第一段。', '第二段。']
    >>> split_paragraphs("<b>第一段。</b>\\r\\n 第二段。 ", markup=False)
    ['<b>第一段。</b>', '第二段。']
    """
    if not markup:
        return [p for p in (x.strip() for x in _LINE_BREAKS.split(text or "")) if p]
    parts = (_ANY_TAG.sub("", p).strip() for p in _MARKUP_BREAKS.split(text or ""))
    return [p for p in parts if p]


# --- site templates: units repeated across documents that otherwise share nothing -------------------------------
#: a line or paragraph is a template candidate when this many documents hold it: two copies are a reprint pair,
#: three pages of one site are the smallest evidence of a template (the value both former copies of this rule used)
TEMPLATE_MIN_DOCS = 3
#: ... and it is template when the median holder shares less than this share of its other text with the other
#: holders (pages of a site each carry their own story; reprints share the rest of the story). Former value of
#: both copies, pinned by tests/test_corpus.py and the reprint benchmark of notebook 04.
TEMPLATE_MAX_SHARED = 0.3


def site_template(
    doc_units: Sequence[Sequence[str]],
    *,
    min_docs: int = TEMPLATE_MIN_DOCS,
    max_shared: float = TEMPLATE_MAX_SHARED,
    min_own: int = 1,
    other_text: str = "non_frequent",
    features: Callable[[list[str]], np.ndarray] | None = None,
    eligible: Callable[[str], bool] | None = None,
) -> dict[str, int]:
    """Units (lines or paragraphs) that are site template, with the number of documents holding each.

    A unit repeated verbatim in ``min_docs`` or more documents is either template (a footer, a copyright notice,
    navigation) or part of a reprinted story. The two differ in what else the holders share. Take a holder's
    *other text*: pages of one site each carry their own article, found in none of the other holders; copies of
    one story share the rest of the story. A unit is template when, for the median holder, less than
    ``max_shared`` of the features of that other text occur in another holder. A holder with fewer than
    ``min_own`` features of other text (a copy that is all story, or all template) gives no evidence and counts as
    sharing.

    Features are sorted NumPy arrays (4 or 8 bytes a feature instead of ~65 for an int in a Python set), computed
    once per holder and per frequent unit; units with the same holders share one count of the holders' features.

    Parameters
    ----------
    doc_units : sequence of sequences of str
        Each document's units; repeats inside a document count once.
    min_docs : int
        Documents that must hold a unit before it can be template.
    max_shared : float
        The template cut-off on the median holder's shared share of its other text.
    min_own : int
        Fewer features of other text than this: the holder counts as sharing.
    other_text : {"non_frequent", "all_but_unit"}
        A holder's other text: its units that are not frequent themselves (paragraph level, with shingle
        features: the reprint detector), or all its units but the one judged (line level: the lines of a story
        printed three times are all frequent, and they are what its copies share; :func:`helpers.corpus.load_corpus`).
    features : callable, optional
        Maps a list of units to the sorted array (without repeats) of their features, e.g. hashed character
        shingles (:mod:`helpers.reprints`). Default: each unit is one feature (exact line identity).
    eligible : callable, optional
        Which units may be template at all (e.g. lines of at least four characters); default: all.

    Returns
    -------
    dict
        ``{unit: number of documents holding it}`` for the template units.

    Examples
    --------
    >>> pages = [["版权所有 不得转载", f"第{i}篇报道的正文。", f"第{i}篇的第二段。"] for i in range(3)]
    >>> site_template(pages + [["一篇转载的报道。", "版权所有 不得转载"]])
    {'版权所有 不得转载': 4}
    """
    if other_text not in ("non_frequent", "all_but_unit"):
        raise ValueError(f"other_text must be 'non_frequent' or 'all_but_unit', not {other_text!r}")
    holders: dict[str, list[int]] = defaultdict(list)
    for i, units in enumerate(doc_units):
        for u in dict.fromkeys(units):
            holders[u].append(i)
    frequent = {u for u, h in holders.items() if len(h) >= min_docs and (eligible is None or eligible(u))}
    if not frequent:
        return {}
    if features is None:
        ids = {u: n for n, u in enumerate(holders)}

        def features(units: list[str]) -> np.ndarray:
            return np.unique(np.array([ids[u] for u in units], dtype=np.int64))

    unit_arrays: dict[str, np.ndarray] = {}
    own_arrays: dict[int, np.ndarray] = {}  # a holder's units that are not frequent
    all_arrays: dict[int, np.ndarray] = {}  # all of a holder's text

    def unit_array(u: str) -> np.ndarray:
        if u not in unit_arrays:
            unit_arrays[u] = features([u])
        return unit_arrays[u]

    def holder_arrays(i: int) -> tuple[np.ndarray, np.ndarray]:
        if i not in own_arrays:
            units = list(dict.fromkeys(doc_units[i]))
            own_arrays[i] = features([u for u in units if u not in frequent])
            all_arrays[i] = np.unique(np.concatenate([own_arrays[i], *(unit_array(u) for u in units if u in frequent)]))
        return all_arrays[i], own_arrays[i]

    def median_share(others: list[np.ndarray], shared: np.ndarray) -> float:
        shares = sorted(
            1.0 if len(own) < min_own else np.isin(own, shared, assume_unique=True).sum() / len(own) for own in others
        )
        return shares[len(shares) // 2]

    by_holders: dict[tuple[int, ...], list[str]] = defaultdict(list)
    for u in frequent:
        by_holders[tuple(holders[u])].append(u)
    template: dict[str, int] = {}
    for group, units in by_holders.items():
        values, counts = np.unique(np.concatenate([holder_arrays(i)[0] for i in group]), return_counts=True)
        shared = values[counts >= 2]
        if other_text == "non_frequent":
            if median_share([holder_arrays(i)[1] for i in group], shared) < max_shared:
                template.update(dict.fromkeys(units, len(group)))
            continue
        for u in units:
            others = [np.setdiff1d(holder_arrays(i)[0], unit_array(u), assume_unique=True) for i in group]
            if median_share(others, shared) < max_shared:
                template[u] = len(group)
    return template


def reads_as_boilerplate(line: str) -> bool:
    """Does a line read as page furniture (a disclaimer or copyright notice, navigation, page controls, an editor
    credit) rather than prose? A sentence repeated across a corpus is template only when it does.

    >>> reads_as_boilerplate("本文来源于网络，如有侵权请联系删除。"), reads_as_boilerplate("会议还研究了其他事项。")
    (True, False)
    """
    line = line.strip()
    return bool(_DISCLAIMER.search(line) or _NAV_MARKERS.match(line) or _is_ui_line(line) or _EDITOR.match(line))


def drop_template(units: Sequence[str], template: set[str] | dict[str, int]) -> tuple[list[str], list[str]]:
    """A document's units without the template ones, and the units removed; never empties a document.

    A document made only of template units (or of those and blank lines) is kept whole: it is a short story
    present several times, not a page of a site.

    >>> drop_template(["页脚", "正文一"], {"页脚"}), drop_template(["页脚"], {"页脚"})
    ((['正文一'], ['页脚']), (['页脚'], []))
    """
    kept = [u for u in units if u not in template]
    if len(kept) == len(units) or not any(u.strip() for u in kept):
        return list(units), []
    return kept, [u for u in units if u in template]


# --- helpers ------------------------------------------------------------------------------------------------
def _changed_chars(before: str, after: str) -> int:
    """How many characters of ``before`` a character conversion changed (replaced, dropped or added)."""
    if len(before) == len(after):
        return sum(1 for a, b in zip(before, after) if a != b)
    import difflib

    ops = difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in ops if tag != "equal")


def _cjk_count(s: str) -> int:
    return sum(1 for c in s if "\u4e00" <= c <= "\u9fff")


def is_body_line(line: str) -> bool:
    """Does a line look like a body paragraph (a sentence), not a title, label or list item?"""
    n = len(line)
    if n >= 18 and line[-1] in _SENT_END and _cjk_count(line) >= 10:
        return True
    if n >= 8 and line[-1] in "。！？!?…" and _cjk_count(line) >= 6:
        return True
    return n >= 50 and _cjk_count(line) >= 30 and any(p in line for p in "，。；,;")


_DATE_COMPACT = re.compile(r"((?:19|20)\d{2})(\d{2})(\d{2})")
_YEAR_MONTH = re.compile(r"((?:19|20)\d{2})\s*[-/._年]\s*(\d{1,2})\s*月?")


def normalize_date(value: object) -> str | None:
    """A date as ``YYYY-MM-DD``, ``--MM-DD`` when no year is given, or ``None``.

    A value that is only a compact date (``20190305``, a date column written as a number) or only a year and a
    month (``2018-01``, ``2018年1月``: a monthly file or period) is read too, the month as its first day.

    >>> normalize_date("2019-02-22- 06:13"), normalize_date("03-09 06:21:22"), normalize_date("2020年05月25日")
    ('2019-02-22', '--03-09', '2020-05-25')
    >>> normalize_date(20190305), normalize_date("2018-01"), normalize_date("2018年2月")
    ('2019-03-05', '2018-01-01', '2018-02-01')
    >>> normalize_date("no date") is None
    True
    """
    if value is None:
        return None
    s = str(value).strip()
    if not s or s.lower() in {"nan", "none", "nat"}:
        return None
    whole = _DATE_COMPACT.fullmatch(s) or _YEAR_MONTH.fullmatch(s)
    if whole:
        y, mo, d = int(whole.group(1)), int(whole.group(2)), int(whole.group(3)) if whole.lastindex == 3 else 1
        return f"{y:04d}-{mo:02d}-{d:02d}" if 1 <= mo <= 12 and 1 <= d <= 31 else None
    m = _DATE_FULL.search(s)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if 1 <= mo <= 12 and 1 <= d <= 31:
            return f"{y:04d}-{mo:02d}-{d:02d}"
    m = _DATE_MD.search(s)
    if m:
        mo, d = int(m.group(1)), int(m.group(2))
        if 1 <= mo <= 12 and 1 <= d <= 31:
            return f"--{mo:02d}-{d:02d}"
    return None


# --- stages -------------------------------------------------------------------------------------------------
_FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\n(.*?)\n---[ \t]*(\n|\Z)", re.S)


def _front_matter(raw: str, res: CleanResult) -> str:
    m = _FRONT_MATTER.match(raw)
    if not m or not re.search(r"^\w[\w-]*\s*:", m.group(1), re.M):
        return raw
    meta = {}
    for line in m.group(1).splitlines():
        k, sep, v = line.partition(":")
        if sep:
            meta[k.strip().lower()] = v.strip().strip("'\"")
    if meta.get("title"):
        res.title = meta["title"]
    if meta.get("date"):
        res.date = normalize_date(meta["date"])
    for key in ("source", "author"):
        if meta.get(key) and key == "source":
            res.source = meta[key]
    res.add("front_matter", "removed", len(m.group(0)), m.group(0).strip().replace("\n", " | "))
    return raw[m.end() :]


def _looks_like_full_page(raw: str) -> bool:
    head = raw[:5000].lower()
    return "<html" in head or "<body" in head or "<!doctype" in head or head.count("<div") >= 3


_CHROME_HINT = re.compile(
    r"(^|[\s_-])(nav|navbar|menu|header|footer|foot|sidebar|side|aside|breadcrumb|crumb|related|recommend|rec|hot|"
    r"rank|share|comment|copyright|toolbar|topbar|banner|advert|ad|ads|login|search|subnav|friend|links?|tags?|"
    r"pager|pagination|qrcode|weixin|wechat)([\s_-]|$)",
    re.I,
)


def _html_page_to_text(raw: str, res: CleanResult) -> str:
    """Full HTML page: drop page chrome, keep the subtree that holds the body paragraphs, to text with newlines."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(raw)
    title_node = tree.css_first("h1") or tree.css_first("title")
    if title_node is not None and not res.title:
        t = _WS.sub(" ", title_node.text(strip=True)).strip()
        res.title = t or None
    for sel, kind in (
        ("meta[property='article:published_time']", "content"),
        ("meta[name='publishdate']", "content"),
        ("meta[name='pubdate']", "content"),
        ("time", "datetime"),
    ):
        node = tree.css_first(sel)
        if node is not None and not res.date:
            d = normalize_date(node.attributes.get(kind) or node.text())
            if d:
                res.date = d
    removed = 0
    for node in tree.css("script, style, noscript, template, svg, iframe, form, head, button, select, textarea"):
        removed += len(node.text() or "")
        node.decompose()
    for node in tree.css("nav, header, footer, aside, figcaption"):
        removed += len(node.text() or "")
        node.decompose()
    for node in tree.css("[class], [id]"):
        attrs = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"
        if _CHROME_HINT.search(attrs):
            text = node.text() or ""
            # never drop a container that holds most of the page's sentence text
            if sum(1 for p in re.split(r"\n+", text) if is_body_line(p.strip())) >= 3:
                continue
            removed += len(text)
            node.decompose()
    # link lists: <ul>/<ol> whose items are mostly links
    for node in tree.css("ul, ol"):
        links = node.css("a")
        text = node.text() or ""
        if links and sum(len(a.text() or "") for a in links) >= 0.6 * max(1, len(text.strip())):
            removed += len(text)
            node.decompose()
    body = tree.body or tree.root
    html_text = (body.html if body is not None else raw) or ""
    if removed:
        # the characters of the page around the body (head, chrome elements and their markup), so that the
        # report's counts add up to what was taken away; `removed` (their visible text) goes into the detail
        res.add(
            "page_chrome",
            "removed",
            max(0, len(raw) - len(html_text)),
            f"navigation/header/footer/sidebar elements ({removed} characters of visible text)",
        )
    return html_text


def _markup_to_text(raw: str, res: CleanResult) -> str:
    before = len(raw)
    s = re.sub(r"<!--.*?-->", "", raw, flags=re.S)
    s = re.sub(r"<(script|style|noscript)\b.*?</\1\s*>", "", s, flags=re.S | re.I)
    s = re.sub(r"<img\b[^>]*>", "\n", s, flags=re.I)
    s = _BLOCK_TAGS.sub("\n", s)
    s = _TAG.sub("", s)
    s = html.unescape(s)
    removed = before - len(s)
    if removed > 0:
        res.add("markup", "removed", removed, "tags, comments and entities")
    return s


def _lines(text: str, res: CleanResult) -> tuple[list[str], int]:
    """Non-blank lines, whitespace normalised; returns them and the number of line breaks of the input."""
    out = []
    unix = text.replace("\r\n", "\n")
    ws = len(text) - len(unix)
    raw_lines = unix.replace("\r", "\n").split("\n")
    for line in raw_lines:
        stripped = _WS.sub(" ", line).strip()
        ws += len(line) - len(stripped)
        if stripped:
            out.append(stripped)
    if ws:
        res.add("whitespace", "removed", ws, "indentation, no-break and full-width spaces, carriage returns")
    return out, len(raw_lines) - 1


def _strip_lead_in(line: str, patterns: Sequence[re.Pattern] = _LEAD_INS) -> tuple[str, str]:
    """``(rest, lead-in)`` of a paragraph starting with one of ``patterns`` and text after it, or made only of a
    lead-in naming a paper or an agency (央视网消息（新闻联播）： on a line of its own; rest ``""``); else
    ``(line, "")``."""
    for pat in patterns:
        m = pat.match(line)
        if m and len(line) - m.end() >= 8:
            return line[m.end() :], m.group(0)
    for pat in _LEAD_INS_ANYWHERE:  # alone on its line, in any paragraph (the generic forms may be a headline)
        m = pat.match(line)
        if m and m.end() == len(line):
            return "", m.group(0)
    return line, ""


#: a headline glued to the body by a space is found only when its parts have at least this many Chinese characters
#: (one part) or together (two parts): shorter chunks before a space are a clause's opening words (近日 , 据悉 ,
#: 记者 张三); 4,030 of the 4,067 CCTV headlines of ../shared/corpora/xwlb_* have at least 6, the 37 shorter ones are
#: mostly section labels (联播快讯, 点赞中国)
HEADLINE_MIN_CJK = 6
_HEAD_SPACE = re.compile(r"\s+")
#: sentence marks, with a full stop written after a Chinese character (CSL abstracts: …非常重要.采用…)
_SENTENCE_MARKS_EN = rf"[。！？!?…；;，,、]|(?<=[{_CJK}])\.(?!\d)"
#: a bullet before a byline (□本报记者 X, ⊙本报记者, □本版撰文): a headline ends there
_BULLET_BYLINE = re.compile(r"[□⊙◆■]\s*[\u4e00-\u9fff]{0,6}(记者|撰文|作者|通讯员)")
#: a chunk ending like this has a byline, a source or a wire tag glued to it (…行情证券时报记者, …理财周报特约作者,
#: …美国名校增加文汇报报道, …净值上扬全景网2月12日讯, …降价促销编辑观点：), or holds a credit (…现象作者：X)
_GLUED_CREDIT = re.compile(
    rf"(记者|通讯员|实习生|作者|撰稿人?|撰文|编辑|编译|讯|电|消息|报道|行情|[:：]|{_TAG_DATE})$|(记者|通讯员|作者|撰稿人?|撰文|编辑)\s*[:：]"
)
#: a space between two letters or digits separates the words of a name or a model (W931 A, IXUS 120), not a
#: headline from its body
_WORD_SPACE = re.compile(r"[A-Za-z0-9]\s+[A-Za-z0-9]")
_CLOSERS = {"》": "《", "”": "“", "）": "（", ")": "(", "】": "【", "」": "「", "』": "『"}


def _balanced(s: str) -> bool:
    """Every bracket and quotation mark of ``s`` closed (a headline's part is whole; 【ZOL-七天在线 is not)."""
    stack: list[str] = []
    for ch in s:
        if ch in _CLOSERS.values():
            stack.append(ch)
        elif ch in _CLOSERS:
            if not stack or stack.pop() != _CLOSERS[ch]:
                return False
    return not stack


def _headline_part(part: str) -> bool:
    """A chunk that may be (part of) a headline glued to the body: Chinese characters, no sentence marks inside
    (``！`` ``？`` may end it), brackets closed, and not a dateline, byline, editor line or lead-in."""
    core = part.rstrip("！？!?")
    return (
        _cjk_count(part) >= 2
        and len(part) <= GLUED_LEAD_MAX_START
        and not re.search(_SENTENCE_MARKS_EN, core)
        and not re.search(r"[□⊙◆■]", part)  # a bullet before a byline: 关注特色基金□好买基金研究中心
        and not _GLUED_CREDIT.search(part)
        and _balanced(part)
        and _classify(part) is None
        and not _LEAD_ONLY.match(part)
        and not _is_byline(part)
    )


def _wide_gap(gap: str) -> bool:
    """A gap of two or more spaces, or of a full-width, no-break or tab space: the indentation of a paragraph, where
    a line break was lost; a single space is the gap inside a headline (白蛇传N次翻拍腻歪观众 3大理由不愿又见白娘子)."""
    return len(gap) >= 2 or gap != " "


def _split_at_space(line: str, gaps: Sequence[str] = ()) -> tuple[str, str]:
    """``(headline, body)`` of a first line whose headline is glued to the body by a space, or ``("", line)``.

    ``gaps`` are the line's whitespace runs as written in the raw text (``line`` has each as one space). One
    headline-shaped part before a wide gap (:func:`_wide_gap`; 牛年偏股新基金募集近300亿元, two spaces, 新快报讯…) is
    the headline; two parts and a single space between them (白蛇传N次翻拍腻歪观众 3大理由不愿又见白娘子 正文…) are a
    two-part headline when body text follows the second. One part before a single space is not taken: where the line
    breaks of a text were deleted, as in THUCNews/cnews, a single space is inside the headline (171 of the 223 cnews
    headlines ended by a wire tag hold one) and the body is glued to the headline's second part, so the first part is
    half a headline (8 of 57 such first parts of cnews were whole headlines, read when this was written). A run of
    short chunks (a table: 建筑面积 10万平方米 占地面积 …) is no headline, nor a space between letters or digits (W931 A).
    """
    parts = _HEAD_SPACE.split(line, maxsplit=2)
    if len(parts) < 2 or not _headline_part(parts[0]) or _WORD_SPACE.match(line, len(parts[0]) - 1):
        return "", line
    rest = line[len(parts[0]) :].lstrip()
    if gaps and _wide_gap(gaps[0]):
        ok = (
            _cjk_count(parts[0]) >= HEADLINE_MIN_CJK
            and not _headline_part(rest.split(" ", 1)[0])
            and is_body_line(rest)
        )
        return (parts[0], rest) if ok else ("", line)
    if len(parts) == 3 and _headline_part(parts[1]) and min(map(_cjk_count, parts[:2])) >= 3:
        head, rest = f"{parts[0]} {parts[1]}", parts[2]
        first = rest.split(" ", 1)[0]
        if (
            _cjk_count(head) >= HEADLINE_MIN_CJK
            and len(head) <= GLUED_LEAD_MAX_START
            and is_body_line(rest)
            and not _WORD_SPACE.search(line[len(head) - 1 : len(head) + 3])
            and not (first != rest and _headline_part(first) and _cjk_count(first) >= 4)
        ):
            return head, rest
    return "", line


#: a byline glued to the end of a headline before a wire tag: a paper's four-character name (证券时报, 东方早报,
#: 理财周报; not 晚报 or 晨报, which bylines use alone: …成就六纸情晚报记者 曾索狄) or a news agency, a role, a name of two to four characters (written with a space inside: 陈 墨):
#: …首募11.84亿元证券时报记者 陈 墨本报讯. Where the name of a paper of another length starts inside glued text is not
#: known, so only these are cut (a character of the headline is never taken as the paper's)
_GLUED_END_BYLINE = re.compile(
    rf"(?:[\u4e00-\u9fff]{{2}}(?:时报|日报|早报|周报)|{_AGENCIES})(?:驻[\u4e00-\u9fff]{{1,4}})?"
    r"(?:特约|见习|实习)?记者\s*[\u4e00-\u9fff](?:\s?[\u4e00-\u9fff]){1,3}$"
)
#: a comma that joins clauses in a headline glued to a wire tag (…31个增发项目中，21个锁定期满后…): not inside
#: brackets or quotation marks, and no colon before it (a column's headline 人民日报钟声文章：香者自香，臭者自臭 is
#: written with one; the 13 of the 4,067 CCTV titles of ../shared/corpora/xwlb_* holding a comma all have it after a
#: colon, inside 《》 or “”, or after a year: 2019，决战脱贫攻坚)
_COMMA_CLAUSE = re.compile(r"^(?![^，]*[:：])(?![^，]*[《“「(（])(?!\d+，)[^，]*[\u4e00-\u9fff][^，]*，\S")


def _glued_byline(head: str, tag: str) -> str:
    """The byline glued to the end of ``head``, a headline found before the wire tag ``tag``: an outlet's reporter and
    a name (:data:`_GLUED_END_BYLINE`), or the names the tag credits (…返还给社会吴鹏 李静睿本报讯 (记者吴鹏 李静睿));
    ``""`` when there is none.

    >>> _glued_byline("诺德债券基金首募11.84亿元证券时报记者 陈 墨", "本报讯 "), _glued_byline("湖人赢球", "本报讯")
    ('证券时报记者 陈 墨', '')
    """
    m = _GLUED_END_BYLINE.search(head)
    if m:
        return m.group(0)
    credit = re.search(r"[(（]\s*(?:记者|通讯员|实习生)\s*([^()（）]{2,30})[)）]", tag)
    if credit:
        names = credit.group(1).strip()
        if len(_norm_key(names)) >= 2 and head.endswith(names) and len(head) > len(names):
            return names
    return ""


def _split_first_line(line: str, raw: str | None = None) -> tuple[str, list[tuple[str, str]], str]:
    """``(headline, removed, body)`` of a first line that holds the headline and the body without a line break;
    ``("", [], line)`` when it does not.

    The headline ends where, within :data:`GLUED_LEAD_MAX_START` characters, a lead-in tag starts (新浪体育讯, 新华网
    北京7月26日电, 本报讯(记者 X), 导语：, （中关村在线上海行情）: :data:`_GLUED_LEAD`), or a photo mark, an arrow of
    link text or a glued byline (:data:`_HEADLINE_END`), with no ``。`` or ``；`` before it; else at a space
    (:func:`_split_at_space`; ``raw``, the line as written, tells its gaps). ``removed`` lists ``(rule, text)`` of
    what goes with the headline: the lead-in tag, a photo mark and link text between headline and tag
    (``(组图)>>>点击观看高清版九美图``), a subtitle or byline."""
    window = line[: GLUED_LEAD_MAX_START + 20]
    tag = _GLUED_LEAD.search(window)
    if tag and (tag.start() > GLUED_LEAD_MAX_START or len(line) - tag.end() < 8):
        tag = None
    end = _HEADLINE_END.search(window, 0, tag.start() if tag else GLUED_LEAD_MAX_START)
    if (
        end
        and not tag
        and (
            end.lastgroup == "link"  # where link text ends is not known without a tag after it
            or (end.lastgroup == "byline" and not _BULLET_BYLINE.match(line, end.start()))  # ◆ of a list
        )
    ):
        end = None
    credit = None if tag else _GLUED_HEAD_CREDIT.search(window, 0, GLUED_LEAD_MAX_START + 20)
    if credit and (end is None or credit.start() <= end.start()) and credit.start() <= GLUED_LEAD_MAX_START:
        head = line[: credit.start()].strip().rstrip("-—_|｜").strip()  # …由乱及治-本报记者 张晓赫
        if (
            _cjk_count(head) >= 4
            and not re.search(_SENTENCE_MARKS_EN, head)
            and _classify(head) is None
            and len(line) - credit.end() >= 8
        ):
            return head, [("byline", credit.group(0).strip())], line[credit.end() :]
    if not tag and not end:
        gaps = _WS.findall(raw.strip()) if raw else []
        head, rest = _split_at_space(line, gaps if len(gaps) == len(_WS.findall(line)) else [])
        return (head, [], rest) if head else ("", [], line)
    stop = end.start() if end else tag.start()  # type: ignore[union-attr]
    head = line[:stop].strip()
    if tag and not line[: tag.start()].strip():  # the line starts with the tag: a lead-in, no headline
        return "", [("lead_in", tag.group(0))], line[tag.end() :]
    if (
        _cjk_count(head) < 4
        # running sentences, not a headline (a headline ended by a wire tag may hold a comma; by a mark, none)
        or re.search(
            rf"[。；;]|(?<=[{_CJK}])\.(?!\d)" if tag else _SENTENCE_MARKS_EN, line[: tag.start() if tag else stop]
        )
        or _classify(head) is not None
        or _LEAD_ONLY.match(head)
    ):
        return "", [], line
    removed: list[tuple[str, str]] = []
    if tag:
        byline = _glued_byline(head, tag.group(0))
        if byline:  # …基金赚45.80%证券时报记者 付建利本报讯: the byline goes, not into the title
            stop = len(line[:stop].rstrip()) - len(byline)
            head = line[:stop].strip()
            if _cjk_count(head) < 4:
                return "", [], line
        if _COMMA_CLAUSE.search(head):  # a headline with its standfirst or first sentence: header text, no title
            removed.append(("header_other", head))
            head = ""
        between = line[stop : tag.start()].strip()
        if between:
            rule = "header_other" if end and end.lastgroup == "byline" else "navigation"
            rule = "byline" if byline and between == byline.strip() else rule
            removed.append((rule, between))
        removed.append(("lead_in", tag.group(0)))
        return head, removed, line[tag.end() :]
    if end.lastgroup == "photo":  # type: ignore[union-attr]
        removed.append(("navigation", end.group(0)))  # type: ignore[union-attr]
        return head, removed, line[end.end() :].lstrip()  # type: ignore[union-attr]
    return head, removed, line[stop:]  # a glued byline starts the body


def _norm_key(s: str) -> str:
    return re.sub(rf"[^{_CJK}A-Za-z0-9]", "", s)


_ROLE = r"(记者|见习记者|特约记者|融媒体记者|实习生|通讯员|特约撰稿人?|撰稿|撰文|作者|编译)"
_WEAK_ROLE = r"(文|图|摄影|摄)"
#: what may stand before a role word in a byline: an outlet (人民日报, 新华社, 总台央视, 本台, 新闻中心), posted
#: somewhere (驻京, 驻甘肃); 十九大新闻中心举行记者招待会 is a headline, not a byline
_OUTLET = r"([\u4e00-\u9fff]{0,8}(报|社|台|网|刊|站|视|端|号|频道|中心|新闻|本)(驻[\u4e00-\u9fff]{1,4})?|驻[\u4e00-\u9fff]{1,4})?"
_BYLINE_FIRST = re.compile(
    rf"^{_OUTLET}{_ROLE}\s*[:：/]?\s*([\u4e00-\u9fff·]{{2,4}})?$|^{_WEAK_ROLE}\s*[:：/]\s*[\u4e00-\u9fff·]{{2,4}}$"
)
_BYLINE_NEXT = re.compile(
    rf"^({_ROLE}\s*[:：/]?\s*)?[\u4e00-\u9fff·]{{2,4}}(报道|摄)?$|^{_WEAK_ROLE}\s*[:：/]\s*[\u4e00-\u9fff·]{{2,4}}$|^{_ROLE}$|^(报道|摄)$"
)


#: what ends an event after a role word (记者招待会, 记者见面会, 记者节), never a name after it
_NOT_NAME_ENDS = ("会", "节")


def _is_byline(line: str) -> bool:
    """重庆日报记者 颜安 实习生 廖雨寒 / 文/张三 图/李四 / 记者：王五 报道 — role words followed by names only."""
    parts = [p for p in re.split(r"[\s、，,]+", line.strip("（()）【】[] ")) if p]
    if not parts or len(parts) > 10:
        return False
    # "文/张三" and "记者张三" may be glued: the first part must end in or contain a role
    if not _BYLINE_FIRST.match(parts[0]) or parts[0].endswith(_NOT_NAME_ENDS):
        return False
    return all(_BYLINE_NEXT.match(p) for p in parts[1:])


_UI_WORDS = re.compile(
    r"(字号|字体|打印本页|打印|收藏|分享到|分享|评论|关注|举报|反馈|纠错|展开全文|阅读全文|查看更多|更多|点赞|在看|转发|"
    r"返回顶部|关闭窗口|关闭|大|中|小|默认|A\+|A-|T|阅读\s*\(?\d+[万+]*\)?|\d+\s*阅读|扫码|二维码|下载客户端|"
    r"视频加载中|点击图片查看大图|当前位置|首页|图集|上一页|下一页|广告|END|—|-|>|›|»|\||【|】|\[|\]|：|:|/|\s)+"
)


def _is_ui_line(line: str) -> bool:
    """A line made only of page controls (字号：A+ A- 打印 收藏, 展开全文, — END —)."""
    return len(line) <= 40 and _UI_WORDS.fullmatch(line) is not None


_LINK_BAR_SEPARATOR = re.compile(r"\s*[|｜>›»]\s*")
#: a link bar's items are menu labels, at most this many characters (首页, 新闻, 国际, 视频直播: channel names on
#: Chinese news sites have 2–4 characters); a headline or a sentence is longer
LINK_BAR_MAX_ITEM_CHARS = 4


def _is_link_bar(line: str) -> bool:
    """A menu or breadcrumb line: two or more short labels of letters only (no digits, no punctuation) separated by
    ``|``, ``>`` or ``›`` (首页 | 新闻, 首页 > 国内); a Markdown table row (``| 年份 | 人数 |``) starts with ``|``."""
    if line.startswith(("|", "｜")):
        return False
    items = [x for x in _LINK_BAR_SEPARATOR.split(line) if x]
    return len(items) >= 2 and all(len(x) <= LINK_BAR_MAX_ITEM_CHARS and x.isalpha() for x in items)


def _classify(line: str) -> str | None:
    """Rule name for a line that is never body text, or None."""
    if _is_ui_line(line) or _is_link_bar(line):
        return "navigation"
    if _ORIGINAL_TITLE.match(line):
        return "original_title"
    short = len(line) <= 60
    if _DISCLAIMER.search(line) and (short or line.startswith(("【", "[", "声明", "免责"))):
        return "disclaimer"
    if line.startswith(("【免责声明】", "免责声明", "【版权声明】", "版权声明", "声明：", "声明:")):
        return "disclaimer"
    if _EDITOR.match(line) and len(line) <= 80:
        return "editor"
    if _EDITOR_PAREN.fullmatch(line) or (_EDITOR_PAREN.search(line) and len(line) <= 40):
        return "editor"
    if short and _NAV_MARKERS.match(line):
        return "navigation"
    if short and _BULLET.match(line) and not is_body_line(line):
        return "navigation"
    if len(line) <= 50 and _CAPTION.search(line) and not is_body_line(line):
        return "caption"
    if len(line) <= 40 and _is_byline(line):
        return "byline"
    if (
        len(line) <= 100
        and (_TIME.search(line) or _DATE_FULL.search(line))
        and (_DATELINE_WORDS.search(line) or len(_TIME.sub("", _DATE_FULL.sub("", line)).strip()) <= 4)
        and not is_body_line(line)
    ):
        return "dateline"
    if len(line) <= 40 and re.match(r"^\d{1,2}-\d{1,2}\s+\d{1,2}:\d{2}", line):
        return "dateline"
    if short and re.match(r"^(来源|來源|稿源|出处)\s*[:：]", line):
        return "dateline"
    return None


# --- the pipeline: each step takes the text (or lines) and the result, records what it changed -------------------
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff\x00-\x08\x0b\x0c\x0e-\x1f]")
_PRIVATE_USE = re.compile(r"[\ue000-\uf8ff]")
#: a character a database could not encode, written as its code between two private-use marks (CNKI exports:
#: 苯二氮杂\ue000FDA8\ue002 in a CSL abstract); the placeholder is replaced by :data:`MISSING_GLYPH` whole, not left as
#: "FDA8" once the private-use marks are removed (review R10a)
_GLYPH_CODE = re.compile(r"[\ue000-\uf8ff][0-9A-Fa-f]{4}[\ue000-\uf8ff]")
#: the mark printed where a character is missing (U+25A1 WHITE SQUARE, the typesetters' mark for a missing glyph)
MISSING_GLYPH = "□"
#: a document is converted from Traditional when OpenCC t2s changes at least this many characters, and at least
#: this share of its Chinese characters. A Simplified text holds characters t2s also maps (乾 in a name → 干, 鮰,
#: 篠): on the 1,932 texts of data/ and seeds/ that are Simplified the share is 0 for 99 % and at most 4.0 % (a CSL
#: abstract naming the fish 鮰 four times); a CCTV story on 雷晋乾 has 2.4 %. The same texts through OpenCC s2t or
#: s2tw change 15.5 % at least (median 36 %); 10 % lies between the two.
TRADITIONAL_MIN_CHARS = 3
TRADITIONAL_MIN_SHARE = 0.10
#: how many distinct character conversions the cleaning report lists for a document (most frequent first)
TRADITIONAL_LIST_MAX = 12
#: a line of at most this many characters is a list item when it follows a "相关阅读"-style marker
LIST_ITEM_MAX_CHARS = 60


def _strip_invisible(s: str, res: CleanResult) -> str:
    """Byte-order marks, zero-width and control characters."""
    text = s.lstrip("\ufeff")
    n = len(s) - len(text) + len(_INVISIBLE.findall(text))
    if n:
        text = _INVISIBLE.sub("", text)
        res.add("whitespace", "removed", n, "invisible/control characters")
    return text


def _strip_markup(s: str, res: CleanResult) -> str:
    """HTML to text: a full page loses its chrome first, then tags, comments and entities go."""
    if not (_TAG.search(s) or "&nbsp;" in s or "&#" in s):
        return s
    if _looks_like_full_page(s):
        s = _html_page_to_text(s, res)
    return _markup_to_text(s, res)


#: a link label a site printed after the name it linked: Sina (THUCNews, cnews) writes 赵薇(微博), 新快报(微博)讯 for a
#: link to the person's or paper's 微博 account (96 of the 1,000 cnews articles of ../shared/corpora); only these
#: exact parentheses directly after a character or letter, so 微博 as a word and other parentheses stay
_LINK_LABEL = re.compile(rf"(?<=[{_CJK}A-Za-z0-9])(?:[(（](?:微博|博客)[)）])+")  # 李晨(微博)(微博) too


def _strip_link_labels(s: str, res: CleanResult) -> str:
    """Inline link labels (:data:`_LINK_LABEL`) removed and counted."""
    found = _LINK_LABEL.findall(s)
    if found:
        s = _LINK_LABEL.sub("", s)
        n, chars = sum(len(f) // 4 for f in found), sum(len(f) for f in found)
        res.add("link_label", "removed", chars, f"{n} inline link labels such as (微博)")
    return s


def _repair_encoding(s: str, res: CleanResult) -> str:
    """Mojibake and pinyin annotations (before conversion: they follow the Traditional characters), then stray
    private-use characters left by broken encodings."""
    s, repairs = repair_mojibake(s)
    for r in repairs:
        res.add(
            "mojibake",
            "repaired" if r["replacement"] else "removed",
            len(r["span"]),
            f"{r['span']} → {r['replacement'] or '∅'} ({r['how']})",
        )
    before = len(s)
    s, n_pinyin = remove_pinyin_annotations(s)
    if n_pinyin:
        res.add("pinyin", "removed", before - len(s), f"{n_pinyin} pinyin annotations")
    s, n_codes = _GLYPH_CODE.subn(MISSING_GLYPH, s)
    if n_codes:  # the whole placeholder goes: its code alone (FDA8) would read as a word of the text
        res.add(
            "mojibake",
            "replaced",
            n_codes,
            f"{n_codes} placeholder(s) of a character the source lacked → {MISSING_GLYPH}",
        )
    pua = _PRIVATE_USE.findall(s)
    if pua:
        s = _PRIVATE_USE.sub("", s)
        res.add("mojibake", "removed", len(pua), "private-use characters")
    lost = s.count("\ufffd")
    if lost:  # U+FFFD: a character the source had already lost when it was decoded; no font draws it
        s = s.replace("\ufffd", "")
        res.add(
            "mojibake", "removed", lost, "replacement characters (U+FFFD): characters lost before the text reached us"
        )
    return s


def _conversions(before: str, after: str) -> Counter:
    """The character conversions from ``before`` to ``after``: ``{"乾→干": 9, …}`` (a phrase conversion of unequal
    length counts as one entry, e.g. ``"乾隆→干隆"`` stays whole)."""
    import difflib

    if len(before) == len(after):
        return Counter(f"{a}→{b}" for a, b in zip(before, after) if a != b)
    out: Counter = Counter()
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if i2 - i1 == j2 - j1:
            out.update(f"{a}→{b}" for a, b in zip(before[i1:i2], after[j1:j2]) if a != b)
        else:
            out[f"{before[i1:i2] or '∅'}→{after[j1:j2] or '∅'}"] += 1
    return out


def _convert_traditional(s: str, res: CleanResult) -> str:
    """Traditional → Simplified when the document is written in Traditional characters (and its title too).

    A document is Traditional when OpenCC t2s, with the Hong Kong and Taiwan variant characters it keeps
    (:func:`variant_table`), would change at least :data:`TRADITIONAL_MIN_SHARE` of its Chinese characters; a
    Simplified text is left as it is, names with 乾, 於 … included. The change is recorded with the conversions made
    (``乾→干 ×9``) so that a reader can check them: one row for t2s, one for the variant characters
    (:data:`VARIANT_DETAIL`: ``衞→卫 ×2``) when the text held any. Phrases are not rewritten (軟體 stays 软体).
    """
    conv = opencc_converter("t2s").convert(s)
    table = variant_table()
    changed = _changed_chars(s, conv) + sum(ch in table for ch in map(ord, conv))
    if not changed or changed < max(TRADITIONAL_MIN_CHARS, TRADITIONAL_MIN_SHARE * max(1, _cjk_count(s))):
        return s
    res.traditional = True
    conv = _fix_zhe(conv)
    res.add("traditional", "changed", _changed_chars(s, conv), _conversions_detail(s, conv, "OpenCC t2s"))
    mainland = conv.translate(table)
    if mainland != conv:
        config = "/".join(VARIANT_CONFIGS)
        res.add(
            "traditional",
            "changed",
            _changed_chars(conv, mainland),
            _conversions_detail(conv, mainland, f"OpenCC {config} characters, not phrases", what=VARIANT_DETAIL),
        )
    if len(mainland) < len(s):
        res.add("traditional", "removed", len(s) - len(mainland), "characters dropped by phrase conversions")
    if res.title:
        res.title = to_simplified(res.title)
    return mainland


def _conversions_detail(before: str, after: str, how: str, *, what: str = "characters converted") -> str:
    """``278 characters converted (OpenCC t2s): 會→会 ×29, 國→国 ×17, … 88 more``: the conversions made, most
    frequent first, at most :data:`TRADITIONAL_LIST_MAX` of them."""
    pairs = _conversions(before, after).most_common()
    listed = ", ".join(f"{p} ×{n}" for p, n in pairs[:TRADITIONAL_LIST_MAX])
    more = f", … {len(pairs) - TRADITIONAL_LIST_MAX} more" if len(pairs) > TRADITIONAL_LIST_MAX else ""
    return f"{_changed_chars(before, after)} {what} ({how}): {listed}{more}"


def _note_metadata(rule: str, line: str, res: CleanResult) -> None:
    """A removed dateline, or an editor line that names the source (来源：央视网 2016-02-23 19:30, the ``info`` bar
    of many sites), may give the date and the source."""
    if rule not in ("dateline", "editor"):
        return
    d = normalize_date(line)
    if d and not res.date:
        res.date = d
    m = _SOURCE.search(line)
    if m and not res.source:
        res.source = m.group(1)


def _drop_non_body_lines(lines: list[str], res: CleanResult) -> tuple[list[str], str | None, int | None]:
    """Lines that are never body text, anywhere (:func:`_classify`), and the items of a list after its marker.

    Datelines are looked for only before the first body paragraph and after the last one (a page's header and
    footer): between body paragraphs a line with a date is text, such as the headline ``【2018-02-20】央视评论：…`` of
    a story inside a monthly bulletin, or the date of a speech quoted in full.

    Returns the lines kept, the first ``原标题`` title found, and how many lines were kept when the first dateline
    was removed (``1``: the dateline stood right below the first line, where scraped pages put the headline).
    """
    original_title: str | None = None
    dateline_after: int | None = None
    kept: list[str] = []
    in_list = False  # after a "相关阅读"-style marker, the short lines that follow are its items
    rules = [_classify(line) for line in lines]
    # the first line is left out: a headline may read like a sentence (【央视快评】香港不能无休止乱下去！)
    # (unless it opens with a wire lead-in: 央视网消息（新闻联播）：… is the story's first paragraph)
    body_rows = [
        i
        for i, (line, rule) in enumerate(zip(lines, rules))
        if rule is None and is_body_line(line) and (i or _opens_with_lead_in(line))
    ]
    for i, line in enumerate(lines):
        rule = rules[i]
        if rule == "dateline" and body_rows and body_rows[0] < i < body_rows[-1]:
            rule = None  # between body paragraphs a dated line is text (a story's headline in a bulletin)
        if rule is None and in_list and not is_body_line(line) and len(line) <= LIST_ITEM_MAX_CHARS:
            rule = "navigation"
        elif rule is None:
            in_list = False
            kept.append(line)
            continue
        if rule == "navigation" and _NAV_MARKERS.match(line):
            in_list = True
        if rule == "dateline" and dateline_after is None:
            dateline_after = len(kept)
        if rule == "original_title":
            t = _ORIGINAL_TITLE.match(line).group(1).strip()  # type: ignore[union-attr]
            if t and not original_title and len(t) <= 80:
                original_title = t
        _note_metadata(rule, line, res)
        res.add(rule, "removed", len(line), line)
    return kept, original_title, dateline_after


def _body_span(kept: list[str], res: CleanResult) -> tuple[int, int]:
    """Indexes of the first and last body paragraphs.

    The body runs from the first to the last sentence-like line; a lead-in on a line of its own (央视网消息（新闻联播）：)
    starts the body earlier (what follows it are subheadings), and short sentences after the last long paragraph
    are still body (杨晶陪同考察。).
    """
    body_idx = [i for i, ln in enumerate(kept) if is_body_line(ln)]
    if not body_idx:
        # no sentence-like paragraph: keep what is left (short notices, lists of sentences without punctuation)
        body_idx = list(range(len(kept)))
    first, last = (body_idx[0], body_idx[-1]) if body_idx else (0, -1)
    for j, line in enumerate(kept[:first]):
        if _LEAD_ONLY.match(line):
            res.add("lead_in", "removed", len(line), line)
            kept[j] = ""
            first = j + 1
            break
        if _opens_with_lead_in(line):  # 央视网消息（新闻联播）：日前，中共中央决定： starts the story
            first = j
            break
    while first > 0 and _list_line(kept[first - 1]):  # 日前，中共中央决定： / 孙政才同志不再兼任…； above the body
        first -= 1
    while last + 1 < len(kept) and not _NAV_MARKERS.match(kept[last + 1]):
        line = kept[last + 1]
        if _closing_line(line):
            last += 1
        elif _LIST_INTRO.search(line) and not _LIST_LABEL.search(line):  # 发来贺电或贺函的还有： and its items
            items = 0
            for item in kept[last + 2 :]:
                if len(item) > LIST_ITEM_MAX_CHARS or _BRACKETED_NOTE.fullmatch(item) or _NAV_MARKERS.match(item):
                    break
                items += 1
            if not items:
                break
            last += 1 + items
        else:
            break
    return first, last


#: a line that opens a list or is an item of one ends like this (日前，中共中央决定： / 孙政才同志不再兼任…职务；)
_LIST_INTRO = re.compile(r"[\u4e00-\u9fff）)”][:：]$")
_LIST_ITEM_END = re.compile(r"[\u4e00-\u9fff）)”][；;]$")
#: a list's label that is page furniture, not text: a line ending in a noun of the related-article, hot and share blocks
#: (往期推荐：, 相关链接：, 更多报道：, 热门标签：); a line that ends in a verb (还有：, 如下：, 决定：, 他们是：) opens the text's own list
_LIST_LABEL = re.compile(
    r"(推荐|阅读|链接|报道|专题|标签|文章|新闻|资讯|图集|图片|视频|热点|热搜|排行|回顾|精彩|相关|更多|关键词|分享|评论|下载|二维码|"
    r"关注|订阅|扫码|投稿)\s*[:：]$"
)
#: a credit in a header line, whatever ends it (记者：张三；通讯员：李四；)
_CREDIT_COLON = re.compile(r"(记者|通讯员|实习生|作者|撰稿人?|撰文|编辑|责编|摄影|来源)\s*[:：]")
#: a note in brackets on a line of its own after a document (（此件公开发布）, （完）): no list item
_BRACKETED_NOTE = re.compile(r"[(（【\[][^()（）【】\[\]]*[)）】\]]")
#: the least Chinese characters of a line that opens a list without a clause in it (中共中央决定：, 6); shorter ones
#: are labels of a page's header (导读：, 核心提示：, 编者按：)
LIST_INTRO_MIN_CJK = 6
#: how a story's closing line names who attended, written without its 。 (国务委员杨洁篪参加会见, 杨晶陪同考察, 王毅等在座):
#: a verb of attending and at most five characters after it; a signature (国务院), a byline or a note has none
_ATTENDED = re.compile(r"[\u4e00-\u9fff](参加|出席|陪同|在座|列席)[\u4e00-\u9fff]{0,5}$")


def _opens_with_lead_in(line: str) -> bool:
    """A line that starts with a lead-in naming a paper or an agency and goes on with text: the story's first paragraph,
    whatever follows the lead-in (a clause ending in ``：``, a compilation's first headline), not a page header."""
    rest, lead = _strip_lead_in(line, _LEAD_INS_ANYWHERE)
    return bool(lead and rest)


def _list_line(line: str) -> bool:
    """A line that continues into the next one: a list's item ending in ``；``, or a line opening a list with ``：``
    that holds a clause (日前，中共中央决定：, 国土资源部、中国地质调查局并参加…全体同志：) or at least
    :data:`LIST_INTRO_MIN_CJK` characters. A page's header has no such line (a title, a dateline, a label)."""
    if _CREDIT_COLON.search(line):  # 记者：张三；通讯员：李四；
        return False
    if _LIST_ITEM_END.search(line):
        return _cjk_count(line) >= 4
    if not _LIST_INTRO.search(line) or _LIST_LABEL.search(line) or _NAV_MARKERS.match(line):
        return False
    return bool(re.search(r"[，,、；;]", line)) or _cjk_count(line) >= LIST_INTRO_MIN_CJK


def _closing_line(line: str) -> bool:
    """A short sentence after the last long paragraph that is still body: it ends a sentence (杨晶陪同考察。, with a
    credit or （完） after it: 肖捷陪同考察。（完）), or it names who attended without its 。 (:data:`_ATTENDED`)."""
    core = line
    m = _TRAILING_NAMES.search(line)
    if m and m.start():
        core = line[: m.start()].rstrip()
    if len(core) >= 4 and core[-1] in "。！？!?”":
        return True
    # a label (原標題：…列席代表座谈) or a list's item has a colon or a space; the closing sentence has neither
    plain = not re.search(r"[\s:：]", line)
    return len(line) <= 40 and plain and _cjk_count(line) >= 6 and bool(_ATTENDED.search(line))


#: the longest first line read as the title: the titles of the 4,067 CCTV stories of ../shared/corpora/xwlb_* have a
#: 99th percentile of 60-65 characters and a longest of 86 (xwlb_general) and 100 (xwlb_poverty, a Politburo meeting
#: listing three reports); a longer first line before the body is removed as header text, not taken as the title
TITLE_MAX_CHARS = 110


#: punctuation inside a sentence or at its end: a first line without any is a heading even when it ends on a bracket
_SENTENCE_MARKS = re.compile(r"[。！？!?…；;，,、]")


def _headline_first(kept: list[str], first: int, last: int, dateline_after: int | None) -> int:
    """The body's first index, after a first line read as a paragraph that is the headline, with body text after it.

    It is one when it stands right above the dateline (it ends on ” or ？: 【时代先锋】李保国：他把农民培养成了“专家”),
    or when it holds no sentence punctuation (新闻联播扶贫报道月度汇编（2018年1月）, read as a paragraph as it ends on ）).
    """
    if first != 0 or last < 1 or len(kept[0]) > TITLE_MAX_CHARS or _opens_with_lead_in(kept[0]):
        return first  # a line opening with a wire lead-in starts the story (央视网消息（新闻联播）：伊朗军方反对…谈判)
    if dateline_after == 1 or (not _SENTENCE_MARKS.search(kept[0]) and any(map(is_body_line, kept[1 : last + 1]))):
        return 1
    return first


#: a date in a dateline or a lead-in: ``2019年1月5日``, ``1月5日`` (the lead-in 新华社北京1月5日电 gives no year)
_HEADER_DATE = re.compile(r"((?:19|20)\d{2}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*日")
#: a line that is only a date, with its weekday or in brackets (（2016年12月31日）, 1月5日 星期六)
_DATE_ALONE = re.compile(
    r"[\s(（【\[]*((?:19|20)\d{2}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*日[\s)）】\]]*((星期|周)[一二三四五六日天])?[\s)）】\]]*"
)


def _header_date(text: str) -> str | None:
    """The date of a lead-in or a date line (``YYYY-MM-DD``, or ``--MM-DD`` without a year), or ``None``.

    >>> _header_date("新华社北京1月5日电（记者 张三）"), _header_date("2019年1月5日 星期六"), _header_date("央视网消息：")
    ('--01-05', '2019-01-05', None)
    """
    m = _HEADER_DATE.search(text)
    return normalize_date(m.group(0)) if m else None


def _drop_header(header: list[str], res: CleanResult, original_title: str | None) -> None:
    """The block before the first body paragraph: title, dateline, caption, labels (all removed, the title kept)."""
    first = len(header)
    for j, line in enumerate(header):
        if not line:
            continue
        if res.date is None and _DATE_ALONE.fullmatch(line):  # a date line of its own above the body: 1月5日 星期六
            res.date = _header_date(line)
        if j == 0 and not res.title and len(line) <= TITLE_MAX_CHARS:
            res.title = line
            res.add("title", "removed", len(line), line)
        elif res.title and _norm_key(line) and _norm_key(line) in _norm_key(res.title):
            res.add("title", "removed", len(line), line)
        elif len(line) <= 30 and not any(p in line for p in "，。,;；"):
            res.add("caption" if j == first - 1 and j > 0 else "header_other", "removed", len(line), line)
        else:
            res.add("header_other", "removed", len(line), line)
    if not res.title and original_title:
        res.title = original_title


def _headline_shaped(line: str) -> bool:
    """A line that could be a title: short, with Chinese characters, not a sentence (:func:`is_body_line`)."""
    return 0 < len(line) <= TITLE_MAX_CHARS and _cjk_count(line) >= 2 and not is_body_line(line)


#: a line that ends like this opens or continues a list (这9起典型案例分别是：, …等问题；, 满天风雪满天愁，): not a headline
_LIST_LINE_END = re.compile(r"[：:；;，,、]$")
#: a numbered line (一、 （二） 3. ① ——) is a section or an item of one text, not the headline of another story;
#: 第十三届… is a headline, so 第 is not a number here
_NUMBERED_LINE = re.compile(
    r"^([一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,3}\s*[.、．](?!\d)|[①-⑳]|——|--)"
)
#: a speaker's words on a line of their own (纳米比亚前总统努乔马：“新年好!”, 记者：“在排练什么呀？”)
_QUOTED_SPEECH = re.compile(r"[:：]\s*[“\"「『].*[”\"」』]\s*$")
#: a line wholly in brackets (【新春走基层】, 【这一年，什么让你最难忘?】) labels a series or a part of a story: it may
#: stand above a headline, it is not one
_BRACKETED_LINE = re.compile(r"^[【\[〔][^】\]〕]*[】\]〕]$")
#: the most headline-shaped lines in a row read as one heading: a section label, then the story's headline
#: (国内联播快讯 / 四部门指导发展涉外法律服务业); a longer run is a list, a signature or a verse (二〇一七年新年贺词 /
#: （2016年12月31日） / 习近平)
HEADING_MAX_LINES = 2
#: parallel headings this short are one story's subheadings (锚定目标, 一线奔忙促脱贫: 4-9 characters in the seeds);
#: 12.5 % of the 4,067 CCTV headlines of ../shared/corpora/xwlb_* are this short, so the two (three) headlines of a
#: text have one length this short by chance in 0.3 % (0.01 %) of texts, against 3.8 % (0.2 %) at any length
SUBHEADING_MAX_CHARS = 12


def _story_headline(line: str) -> bool:
    """A line that may head a story inside a text: headline-shaped (:func:`_headline_shaped`; one that ends on a
    quotation mark without any sentence mark counts, 【民营企业在行动】比亚迪：从“自主创新”到“开放创新”), no ``。`` in
    it, no list line, numbered line, quoted speech or bracketed label."""
    shaped = _headline_shaped(line) or (
        0 < len(line) <= TITLE_MAX_CHARS and _cjk_count(line) >= 2 and not _SENTENCE_MARKS.search(line)
    )
    return (
        shaped
        and "。" not in line
        and not _LIST_LINE_END.search(line)
        and not _NUMBERED_LINE.match(line)
        and not _QUOTED_SPEECH.search(line)
        and not _BRACKETED_LINE.match(line)
    )


def headline_lines(text: str) -> list[tuple[int, str]]:
    """The headline lines of a cleaned text that holds several stories, each with the offset where its line starts.

    A file of a broadcast day (``新闻联播_2018-03-05.txt``: a headline line, its story, the next headline, its story …)
    or a bulletin of news flashes keeps a headline line above each story; a single story keeps at most its own
    title. A headline line is headline-shaped (short, not a sentence: :func:`is_body_line`), heads body text (the
    next non-blank line is a body paragraph) and follows body text or the start of the text; a section label may
    stand right above it (国内联播快讯, then the headline: the headline is returned). These are not headlines: a
    line that opens or continues a list (ends on ``：`` ``；`` ``，``), a numbered line (一、, （二）), a speaker's
    quoted words, a bracketed label, a line with a ``。`` in it, and the subheadings of one story when they are
    short and parallel, every heading of the text having the same length(s), at most :data:`SUBHEADING_MAX_CHARS`
    (锚定目标 / 决不让疫情影响进度 three times over; 一线奔忙促脱贫, 立足岗位战贫困, 把准方向奔小康).

    Parameters
    ----------
    text : str
        A cleaned text, one paragraph a line (``load_corpus``'s ``text``).

    Returns
    -------
    list of (int, str)
        ``(offset, line)`` in the order of the text: ``text[offset:offset + len(line)] == line``. Empty when the
        text has no headline line (a story whose title was taken off as its title).

    Examples
    --------
    >>> day = "西藏推进易地扶贫搬迁工作。\\n国内联播快讯\\n我国实施健康扶贫工程\\n国家卫生计生委今天召开发布会。"
    >>> headline_lines(day)
    [(21, '我国实施健康扶贫工程')]
    >>> headline_lines("一线奔忙促脱贫\\n王运洪走村入户遍访查摆问题。\\n立足岗位战贫困\\n李波跑遍了全镇所有村社进行调研。")
    []
    """
    lines = text.split("\n")
    starts = np.cumsum([0] + [len(x) + 1 for x in lines[:-1]]).tolist()
    rows = [i for i, x in enumerate(lines) if x.strip()]  # blank lines stand between stories, not in a heading
    blocks: list[list[int]] = []
    k = 0
    while k < len(rows):
        if not _story_headline(lines[rows[k]].strip()):
            k += 1
            continue
        end = k
        while end + 1 < len(rows) and _story_headline(lines[rows[end + 1]].strip()):
            end += 1
        before = lines[rows[k - 1]].strip() if k else ""
        after_body = end + 1 < len(rows) and is_body_line(lines[rows[end + 1]].strip())
        # after body text, a short sentence (杨晓渡主持。) or a bracketed label
        opens = not k or is_body_line(before) or before[-1] in "。！？!?…" or bool(_BRACKETED_LINE.match(before))
        if opens and after_body and end - k < HEADING_MAX_LINES:
            blocks.append(rows[k : end + 1])
        k = end + 1
    shapes = {tuple(len(lines[i].strip()) for i in block) for block in blocks}
    if len(blocks) >= 2 and len(shapes) == 1 and max(max(shape) for shape in shapes) <= SUBHEADING_MAX_CHARS:
        return []  # short parallel subheadings of one story
    found = []
    for block in blocks:
        line = lines[block[-1]]
        found.append((starts[block[-1]] + len(line) - len(line.lstrip()), line.strip()))
    return found


def document_headlines(title: object, text: str) -> list[tuple[int, str]]:
    """The headlines of a document with the offset in its text from which each heads it: its title from offset 0
    when body text comes before the text's first headline line (a broadcast day whose first headline was taken
    off as the title), then the text's :func:`headline_lines`.

    A document holds several stories when this gives two or more; a single story gives at most one.

    >>> document_headlines("土警方抓获12名夜总会恐袭嫌疑人", "土耳其政府2日确认，逮捕了12名嫌疑人。\\n伊军首次从北部进入摩苏尔\\n6号，伊拉克政府军继续展开收复战。")
    [(0, '土警方抓获12名夜总会恐袭嫌疑人'), (21, '伊军首次从北部进入摩苏尔')]
    >>> document_headlines("土警方抓获12名夜总会恐袭嫌疑人", "土耳其政府2日确认，逮捕了12名嫌疑人。")
    [(0, '土警方抓获12名夜总会恐袭嫌疑人')]
    """
    found = headline_lines(text)
    title = title.strip() if isinstance(title, str) else ""
    if title and (not found or text[: found[0][0]].strip()):
        found.insert(0, (0, title))
    return found


def headlines_label(title: object, text: str, *, width: int | None = None) -> str | None:
    """What a document is about, for a label: its title, or for a document holding several stories its first
    headline and how many more it holds (``土警方抓获12名夜总会恐袭嫌疑人 (+3 more)``); ``None`` without a title and
    without headlines.

    Parameters
    ----------
    title : str or None
        The document's title (``load_corpus``'s ``title``).
    text : str
        Its cleaned text.
    width : int, optional
        Cut the title or first headline to this many characters (``…`` marks the cut); the count of more headlines
        is kept.

    Examples
    --------
    >>> headlines_label("标题", "正文第一段，讲的是一件事。")
    '标题'
    >>> day = "土耳其政府2日确认，逮捕了12名嫌疑人。\\n伊军首次从北部进入摩苏尔\\n6号，伊拉克政府军继续展开收复战。"
    >>> headlines_label("土警方抓获12名夜总会恐袭嫌疑人", day), headlines_label("土警方抓获12名夜总会恐袭嫌疑人", day, width=6)
    ('土警方抓获12名夜总会恐袭嫌疑人 (+1 more)', '土警方抓获1… (+1 more)')
    """
    found = document_headlines(title, text)
    if len(found) < 2:
        first, more = (title.strip() if isinstance(title, str) else ""), ""
    else:
        first, more = found[0][1], f" (+{len(found) - 1} more)"
    if not first:
        return None
    if width is not None and len(first) > width:
        first = first[:width] + "…"
    return first + more


def headline_after_title(text: str, changes: Sequence[dict], skip: Collection[str] = ()) -> str | None:
    """The headline-shaped line that follows a document's title line, for a title found not to be one (a section
    label such as 国内联播快讯 that the corpus repeats as site template): a header line removed after the title,
    else the first paragraph's headline (removed as its duplicate, or the paragraph itself); ``None`` when the
    document goes on with body text. Lines in ``skip`` (the corpus's template lines) are passed over.

    >>> changes = [{"rule": "title", "detail": "国内联播快讯"}, {"rule": "duplicate", "detail": "审计署发布首次公告"}]
    >>> headline_after_title("审计署发布首次公告，对跟踪审计情况进行公开。", changes, skip={"国内联播快讯"})
    '审计署发布首次公告'
    >>> headline_after_title("审计署今天发布首次公告，对跟踪审计情况进行公开。", changes[:1]) is None
    True
    """
    header = [c["detail"] for c in changes if c["rule"] in ("caption", "header_other")]
    found = next((x for x in header if x not in skip and _headline_shaped(x)), None)
    if found:
        return found
    first = next((x for x in text.split("\n") if x.strip() and x not in skip), "")
    key = _norm_key(first)
    cut = [c["detail"] for c in changes if c["rule"] == "duplicate" and key.startswith(_norm_key(c["detail"]))]
    return next((x for x in [*cut, first] if _headline_shaped(x)), None)


#: every lead-in pattern is tried on the paragraphs before this index (a story's first paragraphs: after a subtitle
#: or a 原标题 line, the lead-in may stand third); later ones lose only a lead-in naming a paper or an agency
LEAD_IN_MAX_PARAGRAPH = 3


def _fix_paragraphs(body: list[str], res: CleanResult, raw_first: str | None = None) -> list[str]:
    """Paragraph-level fixes: a headline glued to the first paragraph (``raw_first``: that paragraph as written,
    before its whitespace was normalised), lead-ins (any known one, or any form in the first paragraphs), trailing
    name credits, the title repeated."""
    out: list[str] = []
    removed: list[tuple[str, str]] = []
    for i, line in enumerate(body):
        if i == 0:
            head, removed, rest = _split_first_line(line, raw_first)
            # a headline found by a space only, under a title found already, must be that title
            if removed or (head and (not res.title or _norm_key(head) == _norm_key(res.title))):
                taken = sum(len(x) for _, x in removed)
                if head:
                    res.add("title", "removed", len(line) - len(rest) - taken, head)  # with its spaces
                    res.title = res.title or head
                elif len(line) - len(rest) > taken:  # the spaces around a header removed as no title
                    res.add("whitespace", "removed", len(line) - len(rest) - taken, "spaces around the header")
                for rule, text in removed:
                    res.add(rule, "removed", len(text), text)
                line = rest
        patterns = _LEAD_INS if i < LEAD_IN_MAX_PARAGRAPH else _LEAD_INS_ANYWHERE
        if i == 0 and any(rule == "lead_in" for rule, _ in removed):
            # after a wire tag the body starts: only a credit may follow it (本报讯记者X报道：), not another lead-in
            # (本报讯 (记者马力)北京城建建设公司昨天发布消息，… keeps its first clause)
            patterns = _LEAD_INS[4:]
        stripped, lead = _strip_lead_in(line, patterns)
        if lead:  # a reporter's credit (⊙本报记者 徐婧婧, 作者：陈亮) is a byline
            res.add("byline" if _CREDIT_LEADS[0].fullmatch(lead) else "lead_in", "removed", len(lead), lead)
            line = stripped
        if i == 0 and res.date is None:  # the story's own dateline: 新华社北京1月5日电, 本报北京1月1日讯
            res.date = _header_date(" ".join([*(x for rule, x in removed if rule == "lead_in"), lead]))
        m = _TRAILING_NAMES.search(line)
        if m and (i == len(body) - 1 or len(line) > len(m.group(0)) + 10):
            res.add("byline", "removed", len(m.group(0)), m.group(0).strip())
            line = line[: m.start()].rstrip()
        if res.title and _norm_key(line) == _norm_key(res.title):
            res.add("title", "removed", len(line), line)
            continue
        if line:
            out.append(line)
    return out


#: a paragraph shorter than this (letters and digits) is never dropped as a duplicate; one of at least
#: DUPLICATE_MIN_CONTAINED is dropped when contained anywhere in a longer one (shorter ones only as its prefix)
DUPLICATE_MIN_CHARS = 6
DUPLICATE_MIN_CONTAINED = 20


def _drop_duplicates(paragraphs: list[str], res: CleanResult) -> list[str]:
    """Duplicate paragraphs, and truncated duplicates (the prefix of, or contained in, another paragraph).

    Only a neighbour is compared: a page repeats a paragraph, or a lead cut short, right next to it (the 5 duplicates of
    the cleaning evaluation's pages all stand next to their copy). A sentence that recurs further away is text: in a
    compilation of stories, 胡春华出席会议并讲话。 is a paragraph of one story and starts a paragraph of a later one.
    """
    keys = [_norm_key(x) for x in paragraphs]
    kept: list[str] = []
    for i, line in enumerate(paragraphs):
        k = keys[i]
        before, after = keys[i - 1] if i else "", keys[i + 1] if i + 1 < len(keys) else ""
        dup = len(k) >= DUPLICATE_MIN_CHARS and (
            k == before
            or any(
                len(other) > len(k) and (other.startswith(k) or (len(k) >= DUPLICATE_MIN_CONTAINED and k in other))
                for other in (before, after)
            )
        )
        if dup:
            res.add("duplicate", "removed", len(line), line)
        else:
            kept.append(line)
    return kept


def _tidy_metadata(paragraphs: list[str], res: CleanResult) -> None:
    """The title without a column label or a site suffix.

    No date is read from the body: a date opening its first sentence is the date of an event (1964年1月27日,中法宣布建交
    in an abstract; 2017年3月8日，习近平… in a 2019 story), not the document's own (:func:`_header_date`).
    """
    if res.title:
        t = _TITLE_PREFIX.sub("", _TITLE_PHOTO.sub("", _TITLE_SUFFIX.sub("", res.title))).strip()
        res.title = t or res.title


def clean_document(raw: str) -> CleanResult:
    """Clean one raw document; returns the body text, metadata found and the list of changes.

    The steps, in order: invisible characters; front matter; markup (page chrome of a full page first);
    mojibake, pinyin annotations and private-use characters; inline link labels; Traditional → Simplified; lines; lines that are
    never body text; the body span (lead-in line, trailing short sentences); the header block before it and
    everything after it; paragraph fixes (lead-ins, name credits, repeated title); duplicates; title and date.

    Parameters
    ----------
    raw : str
        Plain text, Markdown with front matter, an HTML fragment or a full HTML page.

    Returns
    -------
    CleanResult
        The body (paragraphs separated by newlines), title, date, source and the changes, one per rule and item.

    Examples
    --------
    >>> r = clean_document("标题在此\\n2020年05月25日07:26  来源:重庆日报\\n今年是脱贫攻坚决战决胜之年，全区上下齐心协力。")
    >>> r.text, r.title, r.date, r.source
    ('今年是脱贫攻坚决战决胜之年，全区上下齐心协力。', '标题在此', '2020-05-25', '重庆日报')
    """
    if not isinstance(raw, str):
        raise TypeError(f"clean_document expects str, got {type(raw).__name__}")
    res = CleanResult(text="")
    s = _strip_invisible(raw, res)
    s = _front_matter(s, res)
    s = _strip_markup(s, res)
    s = _repair_encoding(s, res)
    s = _strip_link_labels(s, res)
    s = _convert_traditional(s, res)
    lines, n_breaks = _lines(s, res)
    kept, original_title, dateline_after = _drop_non_body_lines(lines, res)
    first, last = _body_span(kept, res)
    first = _headline_first(kept, first, last, dateline_after)
    _drop_header(kept[:first], res, original_title)
    for line in kept[last + 1 :]:  # after the last body paragraph: signatures, sign-offs, unmarked link lists
        res.add("after_body", "removed", len(line), line)
    body = [x for x in kept[first : last + 1] if x]
    raw_first = next((x for x in re.split(r"\r\n?|\n", s) if body and _WS.sub(" ", x).strip() == body[0]), None)
    body = _fix_paragraphs(body, res, raw_first)
    final = _drop_duplicates(body, res)
    _tidy_metadata(final, res)
    res.text = "\n".join(final)
    # line breaks of blank lines and of removed lines (the removed lines themselves are counted by their rule)
    breaks = n_breaks - max(len(final) - 1, 0)
    if breaks > 0:
        res.add("whitespace", "removed", breaks, "line breaks of blank and removed lines")
    return res


def clean_text(raw: str) -> str:
    """The article body of a raw scraped page, paragraphs separated by newlines (see :func:`clean_document`).

    >>> clean_text("原标题：测试\\n　　本报讯（记者 张三）近日，全县召开脱贫攻坚推进会。\\n【责任编辑：李四】")
    '近日，全县召开脱贫攻坚推进会。'
    """
    return clean_document(raw).text


def diff_html(raw: str, cleaned: str, *, wrap: int = 48, context: bool = False) -> str:
    r"""A side-by-side HTML diff of a raw document and its cleaned body (no external resources).

    >>> "<table" in diff_html("标题\n正文。", "正文。")
    True
    """
    import difflib

    raw_lines = [ln.strip() for ln in raw.splitlines() if ln.strip()]
    clean_lines = cleaned.splitlines()
    table = difflib.HtmlDiff(wrapcolumn=wrap).make_table(raw_lines, clean_lines, "raw", "cleaned", context=context)
    style = (
        "<style>table.diff{font-size:12px;border-collapse:collapse}table.diff td{vertical-align:top;padding:0 4px}"
        ".diff_add{background:#cfc}.diff_chg{background:#ffa}.diff_sub{background:#fbb}.diff_header{color:#888}</style>"
    )
    return style + table


# --- before/after view --------------------------------------------------------------------------------------
#: a cleaned paragraph is paired with a raw one when at least this share of its characters is found in it, in order
#: (a paragraph that lost its lead-in keeps ~90%; Traditional text with pinyin annotations, once keyed, ~100%)
ALIGN_MIN_COVERAGE = 0.6
#: how the before/after view labels a paragraph of status ``split`` (:func:`align_paragraphs`)
SPLIT_LABEL = "split from the raw line above"


def _paragraphs(text: str | list[str] | tuple[str, ...]) -> list[str]:
    if isinstance(text, str):
        return split_paragraphs(text, markup=False)
    return [ln.strip() for ln in map(str, text) if ln.strip()]


def _align_key(paragraph: str) -> str:
    """What two versions of a paragraph share: letters and digits, pinyin annotations dropped, in Simplified."""
    return _norm_key(to_simplified(remove_pinyin_annotations(paragraph)[0]))


def _coverage(before_key: str, after_key: str) -> float:
    """The share of ``after_key``'s characters found, in order, in ``before_key``."""
    import difflib

    if not after_key:
        return 0.0
    sm = difflib.SequenceMatcher(None, after_key, before_key, autojunk=False)
    if sm.real_quick_ratio() * (len(after_key) + len(before_key)) < ALIGN_MIN_COVERAGE * len(after_key) * 2:
        return 0.0
    return sum(b.size for b in sm.get_matching_blocks()) / len(after_key)


def align_paragraphs(before: str | list[str], after: str | list[str]):
    """Pair the paragraphs of a raw document with those of its cleaned text, for a before/after view.

    Both sides are split into non-blank lines. Paragraphs whose text (letters and digits, Traditional read as
    Simplified, pinyin annotations ignored) is the same are aligned with :class:`difflib.SequenceMatcher` over the
    two paragraph lists; inside the stretches that differ, each cleaned paragraph is paired, in order, with the raw
    line holding most of its characters (at least :data:`ALIGN_MIN_COVERAGE`).

    Parameters
    ----------
    before, after : the raw document and the cleaned text (strings, split into lines) or lists of paragraphs.

    Returns
    -------
    DataFrame with one row per paragraph, in reading order, and columns ``before``, ``after`` and ``status``:
    ``kept`` (the same text), ``changed`` (paired, text differs), ``removed`` (only before), ``split`` (only
    after, its text taken from a raw line that another cleaned paragraph is paired with: one raw line holding
    several paragraphs between ``<br>`` tags, split by cleaning; :data:`SPLIT_LABEL` on the page) or ``added``
    (only after, from no raw line; cleaning does not normally add text).

    >>> raw = "标题\\n　　本报讯（记者 张三）近日，全县召开推进会。\\n【责任编辑：李四】"
    >>> align_paragraphs(raw, "近日，全县召开推进会。").status.tolist()
    ['removed', 'changed', 'removed']
    >>> align_paragraphs("<p>全县召开推进会。<br/><br/>会议部署了下一步工作。</p>", "全县召开推进会。\\n会议部署了下一步工作。").status.tolist()
    ['changed', 'split']
    """
    import difflib

    import pandas as pd

    b, a = _paragraphs(before), _paragraphs(after)
    kb, ka = [_align_key(x) for x in b], [_align_key(x) for x in a]
    pairs: list[tuple[int, int]] = []
    split: set[int] = set()  # cleaned paragraphs cut out of a raw line already paired
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, kb, ka, autojunk=False).get_opcodes():
        if tag == "equal":
            pairs.extend(zip(range(i1, i2), range(j1, j2)))
            continue
        start = i1
        for j in range(j1, j2):
            scores = [(_coverage(kb[i], ka[j]), -i) for i in range(start, i2)]
            best = max(scores, default=(0.0, 0))
            if best[0] >= ALIGN_MIN_COVERAGE:
                pairs.append((-best[1], j))
                start = -best[1] + 1
            elif start > i1 and _coverage(kb[start - 1], ka[j]) >= ALIGN_MIN_COVERAGE:
                split.add(j)
    rows: list[dict] = []
    bi = aj = 0
    for i, j in [*pairs, (len(b), len(a))]:
        rows += [{"before": b[k], "after": "", "status": "removed"} for k in range(bi, i)]
        rows += [{"before": "", "after": a[k], "status": "split" if k in split else "added"} for k in range(aj, j)]
        if i < len(b) and j < len(a):
            same = _WS.sub(" ", b[i]).strip() == a[j]
            rows.append({"before": b[i], "after": a[j], "status": "kept" if same else "changed"})
        bi, aj = i + 1, j + 1
    return pd.DataFrame(rows, columns=["before", "after", "status"])


#: an HTML tag of the raw text longer than this is shown as its name (``<br …>``) in :func:`aligned_html`: pasted
#: pages carry ``<br style="font: 16px/28px Arial, 宋体; …" />`` of about 200 characters, over and over
SHOWN_TAG_MAX_CHARS = 24
_LONG_TAG = re.compile(rf"<(/?[A-Za-z][\w:-]*)(?=[\s/])[^<>]{{{SHOWN_TAG_MAX_CHARS - 2},}}>")


def shorten_tags(raw: str) -> str:
    """``raw`` as shown beside its cleaned text: tags longer than :data:`SHOWN_TAG_MAX_CHARS` cut to their name.

    >>> shorten_tags('甲<br style="font: 16px/28px Arial, 宋体; color: rgb(0, 0, 0);" />乙<p>丙</p>')
    '甲<br …>乙<p>丙</p>'
    """
    return _LONG_TAG.sub(r"<\1 …>", raw)


def aligned_html(aligned) -> str:
    """An HTML table of :func:`align_paragraphs`: raw on the left, cleaned on the right, rows coloured by status.

    Removed paragraphs are red, changed ones yellow with the characters taken out struck through on the left and
    the characters put in underlined on the right; kept paragraphs are plain; long tags of the raw text are shown
    by their name (:func:`shorten_tags`; ``aligned`` itself is unchanged). No external resources.

    >>> aligned_html(align_paragraphs("标题\\n正文。", "正文。")).count("<tr")
    3
    """
    import difflib

    esc = html.escape
    colours = {
        "removed": "#fbdada",
        "changed": "#fff6bf",
        "added": "#d9f2d9",
        "kept": "transparent",
        "split": "#eef3fb",
    }
    out = [
        "<style>table.align{border-collapse:collapse;font-size:13px;width:100%}table.align td,table.align th"
        "{vertical-align:top;padding:3px 6px;border-bottom:1px solid #eee;text-align:left;width:46%}"
        "table.align td.s{width:8%;color:#666}table.align del{color:#b00}table.align ins{background:#cfc;"
        "text-decoration:none}</style>",
        "<table class='align'><tr><th>raw 原文</th><th>cleaned 清洗后</th><th class='s'>status</th></tr>",
    ]
    for before, after, status in aligned[["before", "after", "status"]].itertuples(index=False):
        before = shorten_tags(before)
        left, right = esc(before), esc(after)
        if status == "changed":
            left_parts, right_parts = [], []
            sm = difflib.SequenceMatcher(None, before, after, autojunk=False)
            for tag, i1, i2, j1, j2 in sm.get_opcodes():
                if tag == "equal":
                    left_parts.append(esc(before[i1:i2]))
                    right_parts.append(esc(after[j1:j2]))
                    continue
                if i2 > i1:
                    left_parts.append(f"<del>{esc(before[i1:i2])}</del>")
                if j2 > j1:
                    right_parts.append(f"<ins>{esc(after[j1:j2])}</ins>")
            left, right = "".join(left_parts), "".join(right_parts)
        out.append(
            f"<tr style='background:{colours.get(status, 'transparent')}'><td>{left}</td><td>{right}</td>"
            f"<td class='s'>{esc(SPLIT_LABEL if status == 'split' else status)}</td></tr>"
        )
    out.append("</table>")
    return "".join(out)
