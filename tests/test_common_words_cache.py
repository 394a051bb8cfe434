"""``scanner.match.words.common_words`` is kept in the user cache: read back, it is the same set; a damaged
or foreign file is made again; a cache that cannot be written costs only time."""

from __future__ import annotations

import pytest

from scanner.match import words


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    monkeypatch.setenv("SCANNER_CACHE_DIR", str(tmp_path / "cache"))
    words.common_words.cache_clear()
    yield tmp_path / "cache"
    words.common_words.cache_clear()


def test_cached_words_are_the_words(fresh):
    made = words._make_common_words()
    assert {"universal", "camara", "cannon"} <= made and len(made) > 100_000  # English, Spanish, English
    first = words.common_words()
    files = list((fresh / "words").glob("common-*.txt"))
    assert len(files) == 1 and files[0].read_text(encoding="utf-8").startswith(words._COMMON_WORDS_HEADER)
    words.common_words.cache_clear()
    assert words.common_words() == first == made


def test_a_damaged_cache_is_made_again(fresh):
    words.common_words()
    path = next((fresh / "words").glob("common-*.txt"))
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2], encoding="utf-8")  # cut short: the count no longer matches
    words.common_words.cache_clear()
    assert words.common_words() == words._make_common_words()
    assert path.read_text(encoding="utf-8") == text  # rewritten whole


def test_the_file_name_follows_what_the_words_depend_on(fresh, monkeypatch):
    before = words._common_words_file()
    monkeypatch.setattr(words, "COMMON_ZIPF", 3.5)
    assert words._common_words_file() != before and words._common_words_file().parent == before.parent


def test_an_unwritable_cache_still_gives_the_words(fresh):
    fresh.parent.mkdir(exist_ok=True)
    fresh.write_text("a file where the cache folder should be", encoding="utf-8")
    assert words.common_words() == words._make_common_words()
