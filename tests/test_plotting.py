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
