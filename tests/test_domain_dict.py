"""The mined domain dictionary holds terms, not clauses (issue 13 part 1; ``scripts/build_domain_dict.py``).

A clause entry (取得新突破, 贫困县开展, 县脱贫攻坚) becomes one token, hides the term it holds from a search for that
term and then surfaces as a keyword. The miner drops them (:func:`is_clause`, ``_drop_admin_prefixed``); these
tests read the committed dictionaries, the shipped one and the held-out one of ``data/segmentation_heldout``.
"""

import importlib.util

import jieba
import pytest
from jieba import posseg

from helpers.paths import DATA_DIR, PROJECT_ROOT
from helpers.tokenize import DOMAIN_DICT_PATH, Tokenizer

DICTIONARIES = (DOMAIN_DICT_PATH, DATA_DIR / "segmentation_heldout" / "domain_dict_heldout.txt")


@pytest.fixture(scope="module")
def miner():
    spec = importlib.util.spec_from_file_location(
        "build_domain_dict", PROJECT_ROOT / "scripts" / "build_domain_dict.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def parts_of():
    """The entry's words and tags as jieba's general dictionary cuts it (as the miner's ``_Evidence.parts_of``)."""
    plain = jieba.Tokenizer()
    plain.initialize()
    tagger = posseg.POSTokenizer(plain)
    return lambda w: [(p.word, p.flag) for p in tagger.cut(w, HMM=False)]


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
