"""``scanner.match.words.common_words`` and ``ordinary_words`` are kept in the user cache: read back, each is
the same set; a damaged or foreign file is made again; a cache that cannot be written costs only time."""

from __future__ import annotations

import pytest

from scanner.match import words

SETS = {
    "common": (words.common_words, words._make_common_words, words._common_words_file),
    "ordinary": (words.ordinary_words, words._make_ordinary_words, words._ordinary_words_file),
}


@pytest.fixture(params=sorted(SETS))
def word_set(request, monkeypatch, tmp_path):
    monkeypatch.setenv("SCANNER_CACHE_DIR", str(tmp_path / "cache"))
    cached, make, file = SETS[request.param]
    cached.cache_clear()
    yield request.param, cached, make, file, tmp_path / "cache"
    cached.cache_clear()


def test_cached_words_are_the_words(word_set):
    name, cached, make, _, cache = word_set
    made = make()
    if name == "common":
        assert {"universal", "camara", "cannon"} <= made and len(made) > 100_000  # English, Spanish, English
    else:
        assert {"universe", "crown", "inside"} <= made and not {"samsung", "nike", "canon"} & made
    first = cached()
    files = list((cache / "words").glob(f"{name}-*.txt"))
    assert len(files) == 1 and files[0].read_text(encoding="utf-8").startswith(f"scanner {name} words v1 ")
    cached.cache_clear()
    assert cached() == first == made


def test_a_damaged_cache_is_made_again(word_set):
    name, cached, make, _, cache = word_set
    cached()
    path = next((cache / "words").glob(f"{name}-*.txt"))
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2], encoding="utf-8")  # cut short: the count no longer matches
    cached.cache_clear()
    assert cached() == make()
    assert path.read_text(encoding="utf-8") == text  # rewritten whole


def test_a_planted_file_with_a_matching_count_is_what_is_read(word_set):
    # the cache is trusted as written (its name says what it was made from): this shows it is really read
    name, cached, _, file, _ = word_set
    path = file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"scanner {name} words v1 2\nalpha\nbeta", encoding="utf-8")
    assert cached() == frozenset({"alpha", "beta"})


@pytest.mark.parametrize("constant", ["COMMON_ZIPF", "ORDINARY_MARGIN", "VERY_COMMON_ZIPF", "ORDINARY_RULE_VERSION"])
def test_the_file_name_follows_what_the_words_depend_on(word_set, monkeypatch, constant):
    name, _, _, file, _ = word_set
    before = file()
    monkeypatch.setattr(words, constant, getattr(words, constant) + 1)
    depends = constant == "COMMON_ZIPF" or name == "ordinary"
    assert (file() != before) == depends and file().parent == before.parent


def test_an_unwritable_cache_still_gives_the_words(word_set):
    _, cached, make, _, cache = word_set
    cache.parent.mkdir(exist_ok=True)
    cache.write_text("a file where the cache folder should be", encoding="utf-8")
    assert cached() == make()
