"""Deflated zip members read with ISA-L (scanner.corpus.inflate): the bytes and the checks of zipfile."""

from __future__ import annotations

import io
import random
import struct
import zipfile
from pathlib import Path

import pytest

from scanner.corpus import inflate

pytestmark = pytest.mark.skipif(inflate.isal_zlib is None, reason="python-isal is not installed")

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "uspto"


def _xml_like(n: int, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    words = [b"<case-file>", b"<mark-identification>", b"NOVA", b"ZEPHYR", b"</case-file>\n", b"candles; wicks"]
    return b"".join(rng.choice(words) + str(rng.randrange(10**6)).encode() for _ in range(n))


def _zip(path: Path, members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _read_all(stream, size: int) -> bytes:
    parts = []
    while chunk := stream.read(size):
        assert len(chunk) <= size
        parts.append(chunk)
    return b"".join(parts)


@pytest.mark.parametrize("size", [1, 1000, 1 << 20])
def test_same_bytes_as_zipfile(tmp_path, size):
    data = _xml_like(300_000 if size > 1 else 3_000)
    path = _zip(tmp_path / "a.zip", {"a.xml": data, "b.xml": data[::-1]})
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            assert inflate.fast_inflate(info)
            with inflate.open_member(archive, path, info) as stream:
                assert isinstance(stream, inflate.InflatedMember)
                assert _read_all(stream, size) == archive.read(info)


def test_read_everything_and_through_a_buffered_reader(tmp_path):
    data = _xml_like(50_000)
    path = _zip(tmp_path / "a.zip", {"a.xml": data})
    with zipfile.ZipFile(path) as archive:
        info = archive.infolist()[0]
        with inflate.open_member(archive, path, info) as stream:
            assert stream.read() == data and stream.read(10) == b""
        with io.BufferedReader(inflate.open_member(archive, path, info)) as stream:
            assert stream.read(5) == data[:5] and stream.read() == data[5:]


def test_the_real_fixture_daily_zip(tmp_path):
    path = FIXTURES / "apc250101.zip"
    with zipfile.ZipFile(path) as archive:
        info = archive.infolist()[0]
        with inflate.open_member(archive, path, info) as stream:
            assert stream.read() == archive.read(info)


def test_stored_members_are_read_by_zipfile(tmp_path):
    path = _zip(tmp_path / "s.zip", {"a.xml": b"<x/>"}, compression=zipfile.ZIP_STORED)
    with zipfile.ZipFile(path) as archive:
        info = archive.infolist()[0]
        assert not inflate.fast_inflate(info)
        with inflate.open_member(archive, path, info) as stream:
            assert not isinstance(stream, inflate.InflatedMember) and stream.read() == b"<x/>"


def _central_crc_offset(data: bytes) -> int:
    at = data.rindex(b"PK\x01\x02")  # the (only) central directory entry
    return at + 16


def test_a_wrong_crc_is_bad_zip_file(tmp_path):
    data = bytearray(_zip(tmp_path / "a.zip", {"a.xml": _xml_like(20_000)}).read_bytes())
    at = _central_crc_offset(bytes(data))
    struct.pack_into("<L", data, at, struct.unpack_from("<L", data, at)[0] ^ 1)
    bad = tmp_path / "bad.zip"
    bad.write_bytes(bytes(data))
    with zipfile.ZipFile(bad) as archive, inflate.open_member(archive, bad, archive.infolist()[0]) as stream, \
            pytest.raises(zipfile.BadZipFile, match="CRC"):
        _read_all(stream, 1 << 16)


def test_corrupt_data_is_bad_zip_file_and_a_cut_file_is_eof(tmp_path):
    good = _zip(tmp_path / "a.zip", {"a.xml": _xml_like(50_000)})
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as archive:
        info = archive.infolist()[0]
    start = info.header_offset + 30 + len(info.filename)
    for i in range(start + 10, start + 200):
        data[i] ^= 0x5A
    bad = tmp_path / "bad.zip"
    bad.write_bytes(bytes(data))
    with zipfile.ZipFile(bad) as archive, inflate.open_member(archive, bad, archive.infolist()[0]) as stream, \
            pytest.raises((zipfile.BadZipFile, EOFError)):
        _read_all(stream, 1 << 16)
    # the member's data cut: the zip's directory still says how long it was
    with open(good, "rb") as handle:
        whole = handle.read()
    cut = tmp_path / "cut.bin"
    cut.write_bytes(whole[: start + info.compress_size // 2])
    with zipfile.ZipFile(good) as archive, pytest.raises(EOFError, match="cut short"):
        stream = inflate.InflatedMember(cut, archive.infolist()[0])
        _read_all(stream, 1 << 16)


def test_a_bad_local_header_is_bad_zip_file(tmp_path):
    path = _zip(tmp_path / "a.zip", {"a.xml": b"<x/>" * 100})
    with zipfile.ZipFile(path) as archive:
        info = archive.infolist()[0]
    data = bytearray(path.read_bytes())
    data[info.header_offset] = 0
    path.write_bytes(bytes(data))
    with pytest.raises(zipfile.BadZipFile, match="local file header"):
        inflate.InflatedMember(path, info)
