"""Fonts and figures, so that Chinese renders everywhere a person looks.

This package holds the CJK font set-up and :func:`savefig` (here), and the figures of the notebooks in one
submodule per analysis (``helpers.plotting.<analysis>``), so that a notebook cell reads as a short call.

Matplotlib's default font has no CJK glyphs: Chinese labels become empty boxes with only a warning. The project
uses Noto Sans CJK SC as installed by the PyPI package ``mplfonts`` (no system font is assumed), registers it
with matplotlib and sets it first in ``font.sans-serif``. Word clouds need the font file passed explicitly:
:func:`make_wordcloud` does that.

>>> name = setup_cjk_fonts()
>>> name
'Noto Sans CJK SC'
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import matplotlib
from matplotlib import font_manager

__all__ = ["cjk_font_path", "setup_cjk_fonts", "make_wordcloud", "savefig", "compact_png"]

_FONT_FILE = "NotoSansCJKsc-Regular.otf"


@lru_cache(maxsize=1)
def cjk_font_path() -> Path:
    """Path of the bundled CJK font file (Noto Sans CJK SC, from the ``mplfonts`` package)."""
    import mplfonts

    path = Path(mplfonts.__file__).resolve().parent / "fonts" / _FONT_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{path}: CJK font missing; reinstall the 'mplfonts' package (make setup)")
    return path


def setup_cjk_fonts() -> str:
    """Register the bundled CJK font with matplotlib and make it the default sans-serif font.

    Returns the font family name. Safe to call more than once.
    """
    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    name = font_manager.FontProperties(fname=str(path)).get_name()
    rc = matplotlib.rcParams
    rc["font.family"] = "sans-serif"
    rc["font.sans-serif"] = [name, *[f for f in rc["font.sans-serif"] if f != name]]
    rc["axes.unicode_minus"] = False  # the CJK font lacks U+2212; use ASCII hyphen-minus
    rc["svg.fonttype"] = "path"
    rc["pdf.fonttype"] = 42
    return name


def make_wordcloud(
    frequencies: Mapping[str, float],
    *,
    width: int = 800,
    height: int = 400,
    random_state: int = 0,
    max_words: int = 100,
    background_color: str = "white",
):
    """A ``wordcloud.WordCloud`` from term weights, drawn with the bundled CJK font.

    >>> wc = make_wordcloud({"脱贫攻坚": 3.0, "乡村振兴": 2.0})
    >>> wc.to_array().shape
    (400, 800, 3)
    """
    from wordcloud import WordCloud

    freqs = {str(k): float(v) for k, v in frequencies.items() if v and float(v) > 0}
    if not freqs:
        raise ValueError("make_wordcloud: no positive term weights to draw")
    wc = WordCloud(
        font_path=str(cjk_font_path()),
        width=width,
        height=height,
        random_state=random_state,
        max_words=max_words,
        background_color=background_color,
        collocations=False,
    )
    return wc.generate_from_frequencies(freqs)


#: a PNG with at most this many colours is stored with a palette (PNG's limit for one byte per pixel)
PALETTE_COLOURS = 256


def compact_png(data: bytes) -> bytes:
    """The same image as smaller PNG bytes, pixel for pixel: an opaque alpha channel dropped, a palette when the
    image has at most :data:`PALETTE_COLOURS` colours (a chart of a few flat colours), and Pillow's ``optimize``.

    Matplotlib writes every figure as RGBA with the default compression; nothing here changes a pixel (the palette
    is kept only when the image read back from it is identical). The input is returned when it is not smaller.

    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(3, 2)); _ = ax.bar(["脱贫", "振兴"], [3, 5])
    >>> buf = io.BytesIO(); fig.savefig(buf, format="png"); plt.close(fig)
    >>> len(compact_png(buf.getvalue())) < len(buf.getvalue())
    True
    """
    import numpy as np
    from PIL import Image

    image = Image.open(io.BytesIO(data))
    image.load()
    if image.mode == "RGBA" and image.getextrema()[3] == (255, 255):
        image = image.convert("RGB")
    if image.mode == "RGB" and image.getcolors(PALETTE_COLOURS) is not None:
        paletted = image.convert("P", palette=Image.Palette.ADAPTIVE, colors=PALETTE_COLOURS)
        if np.array_equal(np.asarray(paletted.convert("RGB")), np.asarray(image)):
            image = paletted
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue() if out.tell() < len(data) else data


def savefig(fig, path: str | Path, *, dpi: int = 150) -> Path:
    """Save a figure as PNG (tight bounding box), made smaller without changing a pixel (:func:`compact_png`), and
    return its path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    path.write_bytes(compact_png(buf.getvalue()))
    return path


# Importing the figures of any analysis (``helpers.plotting.<analysis>``) imports this package first: the font is set
# here, so a notebook of the researcher's own that draws with these helpers renders Chinese without calling
# :func:`setup_cjk_fonts` (a figure drawn before any set-up showed empty boxes, with only a warning).
setup_cjk_fonts()
