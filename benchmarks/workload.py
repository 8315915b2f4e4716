"""Synthetic workloads for the benchmarks: real news texts replicated with perturbation to any size.

The base pool is every article of ``../shared/corpora/`` (xwlb_general, xwlb_poverty, cnews: about 5,000 texts,
~2 KB each) or, when that folder is absent (a user's clone, the test suite), the slices shipped in ``data/``.
Documents beyond the base pool get new ids and are of two kinds (workload v4):

* 10% are *reprints* (:func:`perturb`): an earlier document of the workload (a base article or a remix) with
  paragraph order partly shuffled, one sentence dropped and about 1 character in 60 replaced by another character
  of the same text — near-duplicates, not exact copies; ``base`` names the document reprinted;
* 90% are *remixes* (:func:`remix`): an equal share of the sentences of :data:`REMIX_SOURCES` base articles of
  the same source, in a random order, characters replaced as above — new articles with
  realistic vocabulary and lengths, ``base`` empty. Two remixes share at most a quarter of one article's units
  (Jaccard similarity of a few percent), so they are not near-duplicates of each other.

Because a reprint copies any earlier document, not one of a fixed pool, reprint clusters stay small as the corpus
grows (as in real news) and the near-duplicate pairs grow linearly with the documents. Every document is a
function of the seed and its position alone (a reprint regenerates the document it copies), so the JSONL file
(``id, date, title, text, base``) is written as a stream, once, and reused by later runs.

>>> texts = base_texts(limit=3)
>>> len(texts), all(len(t) > 50 for _, t in texts)
(3, True)
"""

from __future__ import annotations

import json
import os
import random
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from helpers.paths import DATA_DIR, PROJECT_ROOT, SHARED_CORPORA_DIR

WORK_DIR = Path(os.environ.get("TUOPIN_BENCH_DIR", PROJECT_ROOT / "benchmarks" / "results" / "workloads"))
RESULTS_DIR = PROJECT_ROOT / "benchmarks" / "results"

_SOURCES = (
    SHARED_CORPORA_DIR / "xwlb_general" / "stories.jsonl",
    SHARED_CORPORA_DIR / "xwlb_poverty" / "stories.jsonl",
    SHARED_CORPORA_DIR / "cnews" / "articles.jsonl",
)
_FALLBACK = (
    DATA_DIR / "xwlb_poverty_sample" / "xwlb_poverty_sample.jsonl",
    DATA_DIR / "cnews_sample" / "cnews_sample.jsonl",
)
#: share of the documents beyond the base pool that are reprints (near-duplicates) of an earlier document
REPRINT_SHARE = 0.1
#: base articles of one source a remix draws from, in equal shares: two remixes of one article then share about
#: 1/16 of it (Jaccard ~0.03, far below the near-duplicate search's LSH threshold of 0.2), whereas workload v2's
#: 60 % + 40 % remixes of a fixed pool made every remix of an article a near-duplicate of every other one
REMIX_SOURCES = 4
#: base articles of fewer sentences are not drawn into remixes: a remix takes a quarter of each source, at least a
#: sentence, so a short article would be taken whole and every remix holding it would contain it (a near-duplicate
#: by containment): with 1-3 sentence stories allowed, 20,000 documents gave 3,556 base-remix and 2,768
#: remix-remix pairs, growing as the square of the documents
MIN_REMIX_SENTENCES = 8
#: sentences per paragraph of a remix (news paragraphs hold 2-4)
PARAGRAPH_SENTENCES = 3
#: version of the workload's construction, in its file names (a new version never reuses an older file)
VERSION = "v4"
_P_SPLIT = re.compile(r"(?<=</p>)\s*|\n+")
_SENT = re.compile(r"(?<=[。！？])")
_TAGS = re.compile(r"</?p[^>]*>")
_SENT_BREAK = re.compile(r"[。！？]")


def sizes_from_env(default: str) -> list[int]:
    """Sizes from the environment variable ``BENCH_SIZES`` (comma-separated), else ``default``."""
    raw = os.environ.get("BENCH_SIZES", default)
    return [int(s.replace("_", "")) for s in raw.split(",") if s.strip()]


@lru_cache(maxsize=2)
def base_texts(limit: int | None = None) -> tuple[tuple[dict, str], ...]:
    """(metadata, text) of every base article, in a fixed order."""
    files = [p for p in _SOURCES if p.exists()] or [p for p in _FALLBACK if p.exists()]
    out = []
    for path in files:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                obj = json.loads(line)
                text = obj.get("text") or ""
                if len(text) < 50:
                    continue
                meta = {
                    "base": str(obj.get("id")),
                    "date": obj.get("date"),
                    "title": obj.get("title"),
                    "source": path.parent.name,
                }
                out.append((meta, text))
                if limit and len(out) >= limit:
                    return tuple(out)
    return tuple(out)


def _sentences(text: str) -> list[str]:
    """The sentences of ``text`` (tags removed), a paragraph that does not end a sentence (a news bulletin's
    sub-headline, "央视网消息：") joined to the sentence after it: drawn into remixes that share nothing else, such
    a line would be removed by the cleaning as a site template line, as a real site's would."""
    paras = [p for p in (_TAGS.sub("", x).strip() for x in _P_SPLIT.split(text)) if p]
    sents, head = [], ""
    for p in paras:
        if not _SENT_BREAK.search(p):  # no sentence in it at all (a one-paragraph article ending without 。 has many)
            head += p + " "
            continue
        parts = [x for x in _SENT.split(p) if x.strip()]
        sents += [head + parts[0], *parts[1:]]
        head = ""
    return sents + ([head.strip()] if head else [])


def _join(parts: list[str], by_paragraph: bool, html: bool) -> str:
    if not by_paragraph:
        return f"<p>{''.join(parts)}</p>" if html else "".join(parts)
    return "\r\n".join(f"<p>{p}</p>" for p in parts) if html else "\n".join(parts)


def _replace_chars(text: str, rng: random.Random, rate: int = 60) -> str:
    out = list(text)
    cjk = [k for k, ch in enumerate(out) if "\u4e00" <= ch <= "\u9fff"]
    if cjk:
        pool = [out[k] for k in cjk]
        for k in rng.sample(cjk, max(1, len(cjk) // rate)):
            out[k] = rng.choice(pool)
    return "".join(out)


def perturb(text: str, rng: random.Random) -> str:
    """A near-duplicate of ``text`` (a reprint): paragraphs partly shuffled, a sentence dropped, 1 char in 60 replaced."""
    html = "</p>" in text
    paras = [p for p in (_TAGS.sub("", x).strip() for x in _P_SPLIT.split(text)) if p]
    if len(paras) > 2:
        for _ in range(max(1, len(paras) // 4)):
            i, j = rng.randrange(len(paras)), rng.randrange(len(paras))
            paras[i], paras[j] = paras[j], paras[i]
    i = rng.randrange(len(paras))
    sents = [s for s in _SENT.split(paras[i]) if s.strip()]
    if len(sents) > 1:
        del sents[rng.randrange(len(sents))]
        paras[i] = "".join(sents)
    return _replace_chars(_join(paras, True, html), rng)


def remix(text: str, others: str | Sequence[str], rng: random.Random) -> str:
    """A new article: an equal share of the sentences of ``text`` and of each of ``others``, in a random order, in
    paragraphs of :data:`PARAGRAPH_SENTENCES` sentences, 1 character in 60 replaced. Sentences, not paragraphs, so
    that a long paragraph cannot make most of a remix: two remixes drawing on one article share about a sixteenth
    of it, never the bulk of either."""
    sources = [text, others] if isinstance(others, str) else [text, *others]
    picked = []
    for source in sources:
        sents = _sentences(source)
        picked += rng.sample(sents, max(1, round(len(sents) / len(sources)))) if sents else []
    rng.shuffle(picked)
    paras = ["".join(picked[k : k + PARAGRAPH_SENTENCES]) for k in range(0, len(picked), PARAGRAPH_SENTENCES)]
    return _replace_chars(_join(paras, True, "</p>" in text), rng)


def _by_source(base: tuple[tuple[dict, str], ...]) -> dict[str, list[int]]:
    """Indices of the base articles of each source that remixes draw from (:data:`MIN_REMIX_SENTENCES`; every
    article when none is that long, as in a tiny test pool)."""
    groups: dict[str, list[int]] = {}
    long_enough = [len(_sentences(text)) >= MIN_REMIX_SENTENCES for _, text in base]
    for k, (meta, _) in enumerate(base):
        if long_enough[k] or not any(long_enough):
            groups.setdefault(meta["source"], []).append(k)
    return groups


def document(i: int, base: tuple[tuple[dict, str], ...], groups: dict[str, list[int]], seed: int) -> dict:
    """Document ``i`` of the workload (``id, date, title, text, base``): a function of ``seed`` and ``i`` alone."""
    meta, text = base[i % len(base)]
    rec = {"id": f"b{i:07d}", "date": meta["date"], "title": meta["title"], "base": meta["base"]}
    if i < len(base):
        return {**rec, "text": text}
    rng = random.Random(f"{seed}:{i}")
    if rng.random() < REPRINT_SHARE:
        original = document(rng.randrange(i), base, groups, seed)
        return {**rec, "title": original["title"], "text": perturb(original["text"], rng), "base": original["id"]}
    group = groups.get(meta["source"]) or [k for g in groups.values() for k in g]
    anchor = i % len(base) if i % len(base) in set(group) else rng.choice(group)
    others = [base[k][1] for k in rng.sample([k for k in group if k != anchor], min(len(group) - 1, REMIX_SOURCES - 1))]
    return {**rec, "text": remix(base[anchor][1], others, rng), "base": ""}


def workload_file(n: int, *, seed: int = 0) -> Path:
    """Path of a JSONL workload of ``n`` articles (written on first use, streamed so memory stays small)."""
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    src = "shared" if any(p.exists() for p in _SOURCES) else "slices"
    path = WORK_DIR / f"news_{VERSION}_{src}_{n}_s{seed}.jsonl"
    if path.exists():
        return path
    base = base_texts()
    if not base:
        raise FileNotFoundError(f"no base articles: neither {_SOURCES[0].parent.parent} nor {DATA_DIR} has them")
    groups = _by_source(base)
    return _write_jsonl(path, (document(i, base, groups, seed) for i in range(n)))


def workload_texts(n: int, *, seed: int = 0) -> list[str]:
    """The raw texts of :func:`workload_file` (HTML paragraphs for the xwlb stories)."""
    with open(workload_file(n, seed=seed), encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in fh]


def cleaned_file(n: int, *, seed: int = 0) -> Path:
    """JSONL of the cleaned documents of :func:`workload_file` (``id``, ``date``, ``text``), written on first use.

    Cleaned once with :func:`helpers.corpus.load_corpus` (two processes, no cache), so that every measured run
    reads the same cleaned texts instead of cleaning them again.
    """
    from helpers.corpus import load_corpus

    path = workload_file(n, seed=seed).with_name(f"cleaned_{workload_file(n, seed=seed).stem}.jsonl")
    if path.exists():
        return path
    docs = load_corpus(str(workload_file(n, seed=seed)), n_jobs=2, cache=False, keep_raw=False, progress=False).docs
    rows = ({"id": i, "date": d, "text": t} for i, d, t in zip(docs["doc_id"], docs["date"], docs["text"]))
    return _write_jsonl(path, rows)


def tokens_file(n: int, *, seed: int = 0) -> Path:
    """JSONL of the project tokenizer's tokens of every cleaned document (one JSON list a line), written on first use.

    The file name carries the tokenizer's fingerprint, so a change of dictionary or engine writes a new file.
    """
    from helpers.tokenize import get_default_tokenizer, tokenize_corpus

    fingerprint = get_default_tokenizer().fingerprint[:12]
    path = cleaned_file(n, seed=seed).with_name(f"tokens_{fingerprint}_{workload_file(n, seed=seed).stem}.jsonl")
    if path.exists():
        return path
    return _write_jsonl(path, tokenize_corpus(cleaned_texts(n, seed=seed), n_jobs=2, cache=False, progress=False))


def cleaned_texts(n: int, *, seed: int = 0) -> list[str]:
    """The texts of :func:`cleaned_file`."""
    with open(cleaned_file(n, seed=seed), encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in fh]


def read_tokens(n: int, *, seed: int = 0) -> list[list[str]]:
    """The token lists of :func:`tokens_file`."""
    with open(tokens_file(n, seed=seed), encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def _write_jsonl(path: Path, rows) -> Path:
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    tmp.replace(path)
    return path


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB.

    Linux: ``VmHWM`` of ``/proc/self/status``, the high-water mark of this program's own memory. ``ru_maxrss`` is
    not used there because Linux carries it over from the parent through fork and exec: a child started by a
    parent holding 1 GB would report at least 1 GB. Elsewhere ``ru_maxrss`` (KiB on Linux, bytes on macOS).
    """
    import resource
    import sys

    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def children_peak_rss_mb() -> float:
    """Largest peak resident memory of any finished child process, in MB."""
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def print_table(rows: list[dict], title: str) -> None:
    """Print rows as an aligned text table."""
    if not rows:
        return
    cols = list(rows[0])
    cells = [[_fmt(r.get(c)) for c in cols] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(cols)]
    print(f"\n## {title}")
    print("  ".join(c.rjust(w) for c, w in zip(cols, widths)))
    for row in cells:
        print("  ".join(v.rjust(w) for v, w in zip(row, widths)))


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:.3g}" if abs(v) < 100 else f"{v:.0f}"
    return "" if v is None else str(v)


def write_csv(rows: list[dict], name: str) -> Path:
    """Write rows to ``benchmarks/results/<name>.csv``."""
    import csv

    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return path


def run_child(module: str, *args: object, cache_dir: str | None = None, timeout: float | None = None):
    """Run ``python -m <module> --child <args>`` in a fresh process with its own empty cache folder.

    The child prints one JSON value (an object, a list or null) as its last line of output; that value is
    returned. A fresh process per measurement keeps sizes from contaminating each other's peak memory, and a fresh
    ``TUOPIN_CACHE_DIR`` makes every run cold (``helpers.paths`` reads the variable at import).
    """
    import subprocess
    import sys
    import tempfile

    with tempfile.TemporaryDirectory(prefix="tuopin-bench-") as tmp:
        env = {**os.environ, "TUOPIN_CACHE_DIR": cache_dir or tmp, "PYTHONUNBUFFERED": "1"}
        cmd = [sys.executable, "-m", module, "--child", *map(str, args)]
        proc = subprocess.run(cmd, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=timeout)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
        lines = [x for x in proc.stdout.splitlines() if x.startswith(("{", "[", "null"))]
        return json.loads(lines[-1])
