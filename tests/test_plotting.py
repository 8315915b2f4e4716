"""Chinese renders: glyphs drawn, not tofu boxes."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from fontTools.ttLib import TTFont  # noqa: E402

from helpers.plotting import cjk_font_path, make_wordcloud, setup_cjk_fonts  # noqa: E402


def _render(text: str) -> np.ndarray:
    fig = plt.figure(figsize=(1.2, 1.2), dpi=60)
    fig.text(0.5, 0.5, text, fontsize=40, ha="center", va="center")
    fig.canvas.draw()
    arr = np.asarray(fig.canvas.buffer_rgba())[..., :3].mean(axis=2)
    plt.close(fig)
    return arr < 128


def test_font_has_glyphs():
    cmap = TTFont(str(cjk_font_path()), fontNumber=0).getBestCmap()
    for ch in "脱贫攻坚两不愁三保障黔江鎮":
        assert ord(ch) in cmap, ch


def test_matplotlib_draws_distinct_glyphs():
    setup_cjk_fonts()
    a, b, c = _render("脱"), _render("贫"), _render("脱")
    assert a.sum() > 50 and b.sum() > 50  # ink on the canvas
    assert (a != b).sum() > 30  # different characters, different shapes (tofu boxes would be identical)
    assert (a == c).all()


def test_wordcloud_draws_chinese():
    wc = make_wordcloud({"脱贫攻坚": 5, "乡村振兴": 3, "精准扶贫": 2}, width=300, height=150)
    arr = wc.to_array()
    assert arr.shape == (150, 300, 3) and (arr.mean(axis=2) < 200).sum() > 500


def _png(fig) -> bytes:
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def _pixels(data: bytes) -> np.ndarray:
    import io

    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(data)).convert("RGBA"))


def test_savefig_writes_smaller_pngs_pixel_for_pixel(tmp_path, seeds_dir):
    """R8b: reports were 13–27 MB, much of it figures as matplotlib writes them (RGBA, default compression)."""
    from collections import Counter

    from helpers.corpus import load_corpus
    from helpers.plotting import compact_png, savefig
    from helpers.tokenize import tokenize_corpus

    setup_cjk_fonts()
    docs = load_corpus(seeds_dir).docs
    counts = Counter(t for doc in tokenize_corpus(docs.text.tolist(), n_jobs=1, progress=False) for t in doc)
    top = [(t, n) for t, n in counts.most_common(40) if len(t) > 1][:15]

    def bars():
        fig, ax = plt.subplots(figsize=(6, 4))
        ax.barh([t for t, _ in top], [n for _, n in top], color="#4477aa")
        return fig

    plain, flat = _png(bars()), compact_png(_png(bars()))
    assert len(flat) < 0.9 * len(plain) and (_pixels(flat) == _pixels(plain)).all()
    fig = plt.figure(figsize=(4, 4))  # a heatmap of thousands of colours: no palette, still the same pixels
    plt.imshow(np.corrcoef(np.array([[counts[t] * (i + 1) % 97 for t, _ in top] for i in range(30)])))
    plain = _png(fig)
    assert (_pixels(compact_png(plain)) == _pixels(plain)).all() and len(compact_png(plain)) <= len(plain)
    path = savefig(bars(), tmp_path / "bars.png", dpi=100)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and len(path.read_bytes()) < len(_png(bars()))
