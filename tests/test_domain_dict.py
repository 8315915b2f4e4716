"""The mined domain dictionary holds terms, not clauses (issue 13 part 1; ``scripts/build_domain_dict.py``).

A clause entry (取得新突破, 贫困县开展, 县脱贫攻坚) becomes one token, hides the term it holds from a search for that
term and then surfaces as a keyword. The miner drops them (:func:`is_clause`, ``_drop_admin_prefixed``); these
tests read the committed dictionaries, the shipped one and the held-out one of ``data/segmentation_heldout``. So is
a fragment of a number or a date (万贫困人口, 日在京: 1000 / 万贫困人口 hides 贫困人口), judged on the CCTV stories
of ``data/xwlb_poverty_sample`` (:func:`number_bound_share`).
"""

import importlib.util
import json

import jieba
import pytest
from jieba import posseg

from helpers.paths import DATA_DIR, PROJECT_ROOT
from helpers.tokenize import DOMAIN_DICT_PATH, Tokenizer

DICTIONARIES = (DOMAIN_DICT_PATH, DATA_DIR / "segmentation_heldout" / "domain_dict_heldout.txt")
SAMPLE = DATA_DIR / "xwlb_poverty_sample" / "xwlb_poverty_sample.jsonl"
#: an entry is judged on the sample when it occurs there at least this often: "most of its occurrences" says
#: little of one or two
MIN_SAMPLE_OCCURRENCES = 3


@pytest.fixture(scope="module")
def miner():
    spec = importlib.util.spec_from_file_location(
        "build_domain_dict", PROJECT_ROOT / "scripts" / "build_domain_dict.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tagger():
    plain = jieba.Tokenizer()
    plain.initialize()
    return posseg.POSTokenizer(plain)


@pytest.fixture(scope="module")
def parts_of(tagger):
    """The entry's words and tags as jieba's general dictionary cuts it (as the miner's ``_Evidence.parts_of``)."""
    return lambda w: [(p.word, p.flag) for p in tagger.cut(w, HMM=False)]


@pytest.fixture(scope="module")
def sample_text():
    """Titles and texts of the 200 CCTV poverty stories of ``data/xwlb_poverty_sample``, as the miner reads them."""
    rows = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    return "\n".join(row["title"] + "\n" + row["text"] for row in rows)


def entries(path):
    return [line.split()[0] for line in path.read_text(encoding="utf-8").splitlines() if line and line[0] != "#"]


def test_clause_rule_on_clauses_and_terms(miner, parts_of):
    clauses = ["重要指示强调", "作出批示", "取得新突破", "中央一号文件提出", "贫困县开展", "贫困户已经", "必须到位"]
    clauses += ["脱了贫", "尝到了甜头", "有更多", "能致富", "逐步致富", "代表团审议时说"]
    terms = ["获得感", "驻村第一书记", "村集体经济", "县域经济", "乡村振兴", "可持续", "日常监督", "应纳税所得额"]
    assert [w for w in clauses if not miner.is_clause(w, parts_of(w))] == []
    assert [w for w in terms if miner.is_clause(w, parts_of(w))] == []


@pytest.mark.parametrize("path", DICTIONARIES, ids=["shipped", "heldout"])
def test_no_clause_entries(miner, parts_of, path):
    words = entries(path)
    assert len(words) > 1000
    assert [w for w in words if miner.is_clause(w, parts_of(w))] == []
    admin = [w for w in words if w[0] in miner.ADMIN_LEVEL_CHARS and w[1:] in set(words)]
    assert admin == []  # 县脱贫攻坚: the end of a place name, then a term of the dictionary


def test_terms_with_the_same_characters_stay_whole():
    words = set(entries(DOMAIN_DICT_PATH))
    assert {"获得感", "驻村第一书记", "村集体经济", "村党支部书记", "脱贫攻坚"} <= words
    tokens = Tokenizer().tokenize("全县脱贫攻坚取得新突破，驻村第一书记作出批示，群众获得感增强")
    assert {"脱贫攻坚", "驻村第一书记", "获得感", "批示"} <= set(tokens)


def test_number_rule_on_fragments_and_terms(miner, tagger, sample_text):
    def share(w):
        return miner.number_bound_share(w, sample_text, tagger.word_tag_tab)

    fragments = ["万贫困人口", "户贫困户", "轮巡视", "多块钱"]  # 1000万贫困人口, 12户贫困户, 第二轮巡视, 十多块钱
    terms = ["贫困人口", "多规合一", "日常监督", "万众创新", "人均收入"]  # the same first characters, after words
    assert all(w in sample_text for w in fragments + terms)
    assert [w for w in fragments if share(w) <= miner.NUMBER_BOUND_SHARE] == []
    assert [w for w in terms if share(w) > miner.NUMBER_BOUND_SHARE] == []


@pytest.mark.parametrize("path", DICTIONARIES, ids=["shipped", "heldout"])
def test_no_number_fragment_entries(miner, tagger, sample_text, path):
    """No entry starts with the unit of a number before it in most of its occurrences in the sample (the old
    dictionaries held 万贫困人口, 户贫困户, 日在京, 万人脱贫 …)."""
    counted = [w for w in entries(path) if sample_text.count(w) >= MIN_SAMPLE_OCCURRENCES]
    assert len(counted) > 300
    share = {w: miner.number_bound_share(w, sample_text, tagger.word_tag_tab) for w in counted}
    assert {w: s for w, s in share.items() if s > miner.NUMBER_BOUND_SHARE} == {}
