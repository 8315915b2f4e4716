"""tuopin-notebooks helpers: loading, cleaning and tokenising Chinese news, and the analyses the notebooks share.

>>> from helpers import load_corpus, clean_text, tokenize, tokenize_corpus
"""

from .clean import clean_document, clean_text
from .corpus import CorpusError, LoadedCorpus, cleaning_summary, load_corpus
from .tokenize import Tokenizer, tokenize, tokenize_corpus

__all__ = [
    "CorpusError",
    "LoadedCorpus",
    "Tokenizer",
    "clean_document",
    "clean_text",
    "cleaning_summary",
    "load_corpus",
    "tokenize",
    "tokenize_corpus",
]
__version__ = "0.1.0"
