"""wordfreq's frequencies of one or several languages in one memory-mapped table, kept in the user cache.

A scan asks how common each new listing word is in English and the eight
:data:`scanner.frequency.EXCESS_LANGUAGES` (``english_excess``, the local-word and coined-word tests), in
the "small" lists of the 19 :data:`scanner.frequency.TYPO_WORD_LANGUAGES` (the typo filter) and, for a word
in another script, in Japanese, Korean, Russian or Chinese (:data:`scanner.frequency.OTHER_SCRIPT_LANGUAGES`:
the readings of Cyrillic, katakana and Hangul words, the aliases of marks); the match index build
(``scanner corpus build``) asks how common each of up to a million mark keys is in English. As Python
dictionaries (``wordfreq.get_frequency_dict``) the eight full lists are 2.1 million distinct words: about
1.4 s and 0.4 GB to load in every scan (the small lists another 0.4 s and 90 MB, the other scripts' 1.2
million words 0.6 s and 0.2 GB in every scoring process that meets them, English's 321,000 words 0.1 s and
60 MB, plus 0.1 s importing wordfreq), for the few thousand words a scan looks up. A table holds the same
frequencies as arrays in one file, written once per wordfreq version (:func:`table_path`; about 5 s for the
eight full lists, 2 s for the small ones, 1.5 s for the other scripts', 1 s for English's) and then
memory-mapped: opening it costs nothing (reading one imports no wordfreq), a lookup about a microsecond
(:meth:`FrequencyTable.freq`; :meth:`FrequencyTable.lang_freqs` reads a word's every column with one lookup,
:meth:`FrequencyTable.freqs` looks many words up at once, ~0.3 s for a million), and the processes of a scan
share its pages. :mod:`scanner.frequency` keeps four: English (``english_table``), the eight
(``frequency_table``), the small lists (``small_list_table``) and the other scripts' (``other_script_table``).

The file (``words/freqtable-HASH.bin`` under :func:`scanner.user_cache.user_cache_root`): a JSON header
line, then at 8-byte-aligned offsets

* ``words``: the words, UTF-8, one after another, grouped by hash bucket;
* ``offsets`` (uint32, n + 1): where each word starts in ``words``;
* ``starts`` (uint32, buckets + 1): the first row of each hash bucket (``zlib.crc32`` of the word's bytes,
  modulo a power of two: a bucket holds about one word);
* ``cents`` (uint16, n x languages): the word's wordfreq bucket in each language plus one, 0 where the
  word is not in that language's list. wordfreq's bucket ``i`` holds the words of ``-i`` centibels, i.e. of
  frequency ``wordfreq.cB_to_freq(-i)`` (:func:`cb_to_freq`): :meth:`FrequencyTable.freq` returns that very
  float.

A file whose header does not match its size (cut short) or that cannot be read is made again, and writing a
table removes the older tables of the same lists but the latest (an older wordfreq's); a cache that cannot
be written costs only the time (the table is then made in memory: about 4 s, as when the file is
first written).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import mmap
import os
import zlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["FrequencyTable", "cb_to_freq", "frequency_buckets", "load_table", "table_path"]

#: Version of the file layout: part of the file's name (raise it when the layout changes).
TABLE_FORMAT = 1
_MAGIC = "scanner frequency table"
#: From how many words :meth:`FrequencyTable.rows` looks them up all at once (below it, one at a time, ~0.8 µs
#: each: the batch lookup first hashes every word of the table, ~60 ms for English's 321,000).
BATCH_ROWS = 100_000


def cb_to_freq(cb: int) -> float:
    """``wordfreq.cB_to_freq(cb)`` (centibels, <= 0, to a frequency): its very formula and float, without
    importing wordfreq (~0.1 s) where only a table is read (checked against wordfreq in the tests)."""
    return 10 ** (cb / 100)


def frequency_buckets(lang: str, wordlist: str = "best") -> Iterator[list[str]]:
    """The words of wordfreq's ``lang`` list (``wordlist``: "best", "small"), one frequency bucket at a time (bucket ``i``: the words
    of ``-i`` centibels; what ``wordfreq.get_frequency_list(lang)`` returns, read from its file as a stream
    instead of all at once, and without wordfreq keeping it)."""
    import gzip

    import msgpack
    import wordfreq

    filename = wordfreq.available_languages(wordlist).get(lang)
    if filename is None:  # a code wordfreq resolves by its nearest match: its own reader
        yield from wordfreq.get_frequency_list.__wrapped__(lang, wordlist)
        return
    with gzip.open(filename, "rb") as infile:
        unpacker = msgpack.Unpacker(infile, raw=False)
        n = unpacker.read_array_header()
        header = unpacker.unpack() if n else None
        if not isinstance(header, dict) or header.get("format") != "cB" or header.get("version") != 1:
            raise ValueError(f"Unexpected header: {header!r}")
        for _ in range(n - 1):
            yield unpacker.unpack()


class FrequencyTable:
    """The frequencies of ``langs`` for every word of their ``wordlist`` lists (see the module)."""

    def __init__(self, langs: Sequence[str], words: bytes | mmap.mmap, offsets: np.ndarray, starts: np.ndarray,
                 cents: np.ndarray, base: int = 0, top: int | None = None, wordlist: str = "best") -> None:
        self.langs = tuple(langs)
        self.wordlist = wordlist
        self._column = {lang: j for j, lang in enumerate(self.langs)}
        self._words = words  # the words start at ``base`` in it
        self._offsets = offsets
        self._starts = starts
        self._cents = cents
        self._mask = len(starts) - 2
        # plain Python sequences over the same memory: indexing them is several times faster than a numpy array
        self._base = base
        self._off = memoryview(offsets).cast("B").cast("I")
        self._start = memoryview(starts).cast("B").cast("I")
        self._cent = memoryview(cents).cast("B").cast("H")
        top = int(cents.max()) if top is None else top
        #: the frequency of each stored value: 0 for "not in the list", else wordfreq's float for its bucket
        self._freq = [0.0] + [cb_to_freq(-(c - 1)) for c in range(1, top + 1)]
        self._arrow: Any = None  # the words as a pyarrow array, made by the first large :meth:`rows`

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def row(self, word: str) -> int:
        """The row of ``word`` (exactly as written in the lists: lower case, NFC), -1 when in no list."""
        b = word.encode("utf-8", "surrogatepass")
        bucket = zlib.crc32(b) & self._mask
        off, words, base = self._off, self._words, self._base
        for r in range(self._start[bucket], self._start[bucket + 1]):
            if words[base + off[r]:base + off[r + 1]] == b:
                return r
        return -1

    def freq(self, word: str, lang: str) -> float:
        """``wordfreq.get_frequency_dict(lang, wordlist).get(word, 0.0)``: the same float."""
        r = self.row(word)
        return 0.0 if r < 0 else self._freq[self._cent[r * len(self.langs) + self._column[lang]]]

    def lang_freqs(self, word: str) -> list[float]:
        """:meth:`freq` of ``word`` in every language of the table, in the order of :attr:`langs`: the word
        looked up once (its row), then its columns read."""
        r = self.row(word)
        n = len(self.langs)
        if r < 0:
            return [0.0] * n
        freq, cent = self._freq, self._cent
        return [freq[c] for c in cent[r * n:r * n + n]]

    def freqs(self, words: Sequence[str], lang: str, of: Callable[[float], float] | None = None) -> np.ndarray:
        """:meth:`freq` of every word of ``words`` (float64, the same floats), or ``of`` of it when given (asked
        once per frequency bucket, so ``of(freq)`` is the very float it returns)."""
        rows = self.rows(words)  # -1 (in no list) picks the last row, masked out
        codes = np.where(rows >= 0, self._cents[rows, self._column[lang]], 0) if len(rows) else rows
        return np.array(self._freq if of is None else list(map(of, self._freq)), dtype=np.float64)[codes]

    def rows(self, words: Sequence[str]) -> np.ndarray:
        """:meth:`row` of every word of ``words`` (int64; -1 for a word in no list). From :data:`BATCH_ROWS`
        words on, one pyarrow hash lookup of all of them in the table's words (``pyarrow.compute.index_in``:
        about 0.3 s for a million words, against 0.8 s one :meth:`row` call each)."""
        if len(words) < BATCH_ROWS:
            return np.fromiter(map(self.row, words), dtype=np.int64, count=len(words))
        import pyarrow as pa
        import pyarrow.compute as pc

        value_set = self._word_array()
        try:
            keys = pa.array(words, type=value_set.type)
        except UnicodeEncodeError:  # a lone surrogate: in no list (their words are valid UTF-8), one at a time
            return np.fromiter(map(self.row, words), dtype=np.int64, count=len(words))
        found = pc.fill_null(pc.index_in(keys, value_set=value_set), -1)
        rows = found.to_numpy(zero_copy_only=False).astype(np.int64)
        del keys
        pa.default_memory_pool().release_unused()  # the keys' copy (tens of MB for a million) back to the system
        return rows

    def _word_array(self) -> Any:
        """The table's words as a pyarrow string array over the table's own memory (row order)."""
        if self._arrow is None:
            import pyarrow as pa

            end = int(self._offsets[-1])
            small = end < 2**31  # 32-bit offsets: the table's own, as they are
            offsets = self._offsets.view(np.int32) if small else self._offsets.astype(np.int64)
            data = memoryview(self._words)[self._base:self._base + end]
            self._arrow = pa.Array.from_buffers(pa.string() if small else pa.large_string(), len(self),
                                                [None, pa.py_buffer(offsets), pa.py_buffer(data)])
        return self._arrow

    def column_words(self, lang: str, keep: Callable[[float], bool]) -> list[str]:
        """The words of ``lang``'s list whose frequency ``keep`` accepts (a scan of the whole column, asking
        ``keep`` once per frequency bucket)."""
        j = self._column[lang]
        rows = np.flatnonzero(np.isin(self._cents[:, j], [c for c, f in enumerate(self._freq) if c and keep(f)]))
        off, words, base = self._off, self._words, self._base
        return [words[base + off[r]:base + off[r + 1]].decode("utf-8", "surrogatepass") for r in rows.tolist()]


def table_path(langs: Sequence[str], version: str, wordlist: str = "best") -> Path:
    """Where the table of the ``wordlist`` lists of ``langs`` made from wordfreq ``version`` is kept: the user
    cache, ``words/``, under a name made of the version, the lists and :data:`TABLE_FORMAT`."""
    from .user_cache import user_cache_root

    key = json.dumps([version, TABLE_FORMAT, list(langs)] + ([] if wordlist == "best" else [wordlist]))
    return user_cache_root() / "words" / f"freqtable-{hashlib.sha256(key.encode()).hexdigest()[:16]}.bin"


def load_table(langs: Sequence[str], path: Path, wordlist: str = "best") -> FrequencyTable:
    """The table of the ``wordlist`` lists of ``langs`` from ``path`` (:func:`table_path`), made and written
    there first when it is missing or damaged; made in memory when it cannot be written."""
    with contextlib.suppress(OSError, ValueError):
        return _read(path, langs, wordlist)
    arrays = _make(langs, wordlist)
    with contextlib.suppress(OSError):  # an unwritable cache only costs the time
        _write(path, langs, wordlist, arrays)
        with contextlib.suppress(OSError, ValueError):
            return _read(path, langs, wordlist)
    words, offsets, starts, cents = arrays
    return FrequencyTable(langs, words, offsets, starts, cents, wordlist=wordlist)


def _make(langs: Sequence[str], wordlist: str) -> tuple[bytes, np.ndarray, np.ndarray, np.ndarray]:
    """(words, offsets, starts, cents) of the ``wordlist`` lists of ``langs`` (about 4 s; pyarrow does the bulk)."""
    import pyarrow as pa

    flat: list[str] = []
    column_parts, cent_parts = [], []
    for j, lang in enumerate(langs):
        sizes = []
        for bucket in frequency_buckets(lang, wordlist):
            flat += bucket
            sizes.append(len(bucket))
        cent_parts.append(np.repeat(np.arange(1, len(sizes) + 1, dtype=np.int64), sizes))
        column_parts.append(np.full(sum(sizes), j, dtype=np.int64))
    cent_of = np.concatenate(cent_parts) if cent_parts else np.zeros(0, dtype=np.int64)
    if cent_of.size and cent_of.max() > np.iinfo(np.uint16).max:  # pragma: no cover - wordfreq's lists end near -900 cB
        raise ValueError("a wordfreq bucket beyond the table's range")
    encoded = pa.array(flat, type=pa.string()).dictionary_encode()
    del flat
    codes = encoded.indices.to_numpy()
    uniques = pa.concat_arrays([encoded.dictionary])  # its own buffers, from offset 0
    n = len(uniques)
    cents = np.zeros((n, len(langs)), dtype=np.uint16)
    cents[codes, np.concatenate(column_parts) if column_parts else codes] = cent_of
    buckets = 1 << max(1, n).bit_length()  # a power of two >= n: about one word a bucket
    data, ends = _buffers(uniques)
    bucket_of = np.fromiter(map(zlib.crc32, map(data.__getitem__, map(slice, ends[:-1].tolist(), ends[1:].tolist()))),
                            dtype=np.int64, count=n) & (buckets - 1)
    order = np.argsort(bucket_of, kind="stable")
    words, offsets = _buffers(uniques.take(pa.array(order)))
    starts = np.zeros(buckets + 1, dtype=np.uint32)
    np.cumsum(np.bincount(bucket_of, minlength=buckets), out=starts[1:])
    return words, offsets.astype(np.uint32), starts, np.ascontiguousarray(cents[order])


def _buffers(strings: Any) -> tuple[bytes, np.ndarray]:
    """The UTF-8 bytes of a pyarrow string array and where each string starts in them (n + 1 offsets)."""
    import pyarrow as pa

    strings = pa.concat_arrays([strings])  # its own buffers
    offsets = np.frombuffer(strings.buffers()[1], dtype=np.int32, count=len(strings) + 1).astype(np.int64)
    data = strings.buffers()[2].to_pybytes()[offsets[0]:offsets[-1]] if len(strings) else b""
    return data, offsets - offsets[0]


def _layout(words_len: int, n: int, buckets: int, langs: int) -> dict[str, tuple[int, int]]:
    """(offset from the end of the header, length in bytes) of each part of the file."""
    out, at = {}, 0
    for name, size in (("words", words_len), ("offsets", 4 * (n + 1)), ("starts", 4 * (buckets + 1)),
                       ("cents", 2 * n * langs)):
        out[name] = (at, size)
        at += (size + 7) // 8 * 8
    return out


def _write(path: Path, langs: Sequence[str], wordlist: str,
           arrays: tuple[bytes, np.ndarray, np.ndarray, np.ndarray]) -> None:
    words, offsets, starts, cents = arrays
    n, buckets = len(offsets) - 1, len(starts) - 1
    layout = _layout(len(words), n, buckets, len(langs))
    size = max(at + length for at, length in layout.values())
    header = json.dumps({"magic": _MAGIC, "langs": list(langs), "wordlist": wordlist, "n": n, "buckets": buckets,
                         "top": int(cents.max()) if cents.size else 0,
                         "words": len(words), "size": size}).encode() + b"\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    try:
        with open(tmp, "wb") as out:
            out.write(header)
            for name, data in (("words", words), ("offsets", offsets.tobytes()), ("starts", starts.tobytes()),
                               ("cents", cents.tobytes())):
                at, length = layout[name]
                out.seek(len(header) + at)
                out.write(data)
            out.truncate(len(header) + size)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    _prune(path, langs, wordlist)


def _prune(path: Path, langs: Sequence[str], wordlist: str) -> None:
    """Remove the older tables of the same lists next to ``path`` (made from another wordfreq version or in an
    older layout) but the most recently written one, so that the cache does not grow by a table with every
    wordfreq upgrade, and two installations with different wordfreq versions sharing one cache do not make
    their tables again in turn."""
    same = []
    for other in path.parent.glob("freqtable-*.bin"):
        if other == path:
            continue
        with contextlib.suppress(OSError, ValueError), open(other, "rb") as f:
            header = json.loads(f.readline(4096))
            if isinstance(header, dict) and header.get("langs") == list(langs) and header.get("wordlist") == wordlist:
                same.append((os.fstat(f.fileno()).st_mtime_ns, other))
    for _, other in sorted(same, reverse=True)[1:]:
        with contextlib.suppress(OSError):
            other.unlink()


def _read(path: Path, langs: Sequence[str], wordlist: str) -> FrequencyTable:
    """The table in ``path``; ValueError when it is not a whole table of the ``wordlist`` lists of ``langs``."""
    with open(path, "rb") as f:
        header = json.loads(f.readline(4096))
        skip = f.tell()
        try:
            if (not isinstance(header, dict) or header.get("magic") != _MAGIC or header.get("langs") != list(langs)
                    or header.get("wordlist") != wordlist
                    or os.fstat(f.fileno()).st_size != skip + int(header["size"])):
                raise ValueError(f"{path}: not a whole frequency table")
            n, buckets, words, top = (int(header[k]) for k in ("n", "buckets", "words", "top"))
        except (KeyError, TypeError) as exc:
            raise ValueError(f"{path}: not a frequency table header") from exc
        mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    layout = _layout(words, n, buckets, len(langs))

    def part(name: str, dtype: type, shape: tuple[int, ...]) -> np.ndarray:
        at, _ = layout[name]
        return np.frombuffer(mm, dtype=dtype, count=int(np.prod(shape)), offset=skip + at).reshape(shape)

    return FrequencyTable(langs, mm, part("offsets", np.uint32, (n + 1,)), part("starts", np.uint32, (buckets + 1,)),
                          part("cents", np.uint16, (n, len(langs))), base=skip + layout["words"][0],
                          top=top, wordlist=wordlist)
