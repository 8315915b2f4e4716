"""The seed documents are the shared ones, unchanged."""

import hashlib

from helpers.paths import SEEDS_DIR, SHARED_CORPORA_DIR


def test_sha256sums_match():
    lines = (SEEDS_DIR / "SHA256SUMS").read_text().splitlines()
    assert len(lines) == 5
    for line in lines:
        digest, name = line.split()
        assert hashlib.sha256((SEEDS_DIR / name).read_bytes()).hexdigest() == digest, name


def test_seeds_identical_to_shared_copy():
    shared = SHARED_CORPORA_DIR.parent / "seeds"
    if not shared.is_dir():
        return
    for f in sorted(shared.iterdir()):
        assert (SEEDS_DIR / f.name).read_bytes() == f.read_bytes(), f.name
