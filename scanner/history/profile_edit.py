"""Add marks to ``authorized_brands`` in a seller profile (``seller.toml``) without disturbing the rest.

The file is edited as text: only the ``authorized_brands`` value of the ``[seller]`` table changes (new names
are appended to the list; comments, order and formatting elsewhere stay as they are). The result is parsed
again and compared with the original before it replaces the file (a copy of the original is kept as
``seller.toml.bak``); anything unexpected raises :class:`~scanner.errors.ConfigError` and leaves the file alone.
The lines added end as the file's lines do (``\r\n`` in a file saved on Windows).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import tomllib
from pathlib import Path

from ..config import load_profile
from ..errors import ConfigError
from ..text import brand_key
from ..toml_text import toml_string

_SECTION = re.compile(r"^[ \t]*\[[ \t]*seller[ \t]*\][ \t]*(?:#[^\r\n]*)?(?=\r?$)", re.M)
_ANY_HEADER = re.compile(r"^[ \t]*\[", re.M)
_KEY = re.compile(r"^([ \t]*)(?:authorized_brands|\"authorized_brands\"|'authorized_brands')[ \t]*=[ \t]*", re.M)


def _q(name: str) -> str:
    return toml_string(name)  # a valid TOML basic string, control characters escaped


def toml_lines(brands: list[str]) -> str:
    """The ``[seller]`` lines that list ``brands`` as authorized (for printing a suggestion)."""
    return "[seller]\nauthorized_brands = [" + ", ".join(_q(b) for b in brands) + "]"


def _string_end(text: str, i: int) -> int:
    quote = text[i]
    triple = text[i : i + 3] == quote * 3
    j = i + (3 if triple else 1)
    while j < len(text):
        if quote == '"' and text[j] == "\\":
            j += 2
            continue
        if triple and text[j : j + 3] == quote * 3:
            return j + 3
        if not triple and text[j] == quote:
            return j + 1
        if not triple and text[j] == "\n":
            break
        j += 1
    raise ConfigError("unterminated string in authorized_brands")


def _array_items(text: str, i: int) -> tuple[int, list[int], int]:
    """For an array starting at ``text[i] == '['``: (end after ']', ends of the string items, position of ']')."""
    j, ends, depth = i + 1, [], 1
    while j < len(text):
        c = text[j]
        if c in "\"'":
            k = _string_end(text, j)
            ends.append(k)
            j = k
            continue
        if c == "#":
            nl = text.find("\n", j)
            j = len(text) if nl < 0 else nl
            continue
        if c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
            if depth == 0:
                return j + 1, ends, j
        j += 1
    raise ConfigError("unterminated list in authorized_brands")


def _edit(text: str, new: list[str]) -> str:
    nl = "\r\n" if "\r\n" in text else "\n"
    section = _SECTION.search(text)
    if section is None:
        raise ConfigError("no [seller] table line to add authorized_brands to")
    nxt = _ANY_HEADER.search(text, section.end())
    sec_end = nxt.start() if nxt else len(text)
    key = _KEY.search(text, section.end(), sec_end)
    items = ", ".join(_q(b) for b in new)
    if key is None:
        body = text[section.end() : sec_end]
        stripped = body.rstrip()
        insert_at = section.end() + len(stripped)
        line = f"{nl}authorized_brands = [{items}]"
        return text[:insert_at] + line + text[insert_at:]
    start = key.end()
    if text[start : start + 1] in "\"'":
        end = _string_end(text, start)
        return text[:start] + "[" + text[start:end] + ", " + items + "]" + text[end:]
    if text[start : start + 1] != "[":
        raise ConfigError("authorized_brands is neither a list nor a string")
    _end, ends, close = _array_items(text, start)
    inner = text[start + 1 : close]
    if "\n" in inner:  # a multi-line list: one name per line before the closing bracket
        indent = key.group(1) + "    "
        first = re.search(r"\n([ \t]*)\S", inner)
        if first:
            indent = first.group(1)
        line_start = text.rfind("\n", 0, close) + 1
        if text[line_start:close].strip():  # "]" shares its line with an item
            line_start = close
            addition = nl + "".join(f"{indent}{_q(b)},{nl}" for b in new)
        else:
            addition = "".join(f"{indent}{_q(b)},{nl}" for b in new)
        out = text[:line_start] + addition + text[line_start:]
        if ends and not re.match(r"\s*,", text[ends[-1] : close]):
            out = out[: ends[-1]] + "," + out[ends[-1] :]
        return out
    if ends:
        after_last = text[ends[-1] : close]
        sep = " " if after_last.strip().startswith(",") else ", "
        pos = ends[-1] + (len(after_last) - len(after_last.lstrip()) + 1 if after_last.strip().startswith(",") else 0)
        return text[:pos] + sep + items + text[pos:]
    return text[: start + 1] + items + text[close:]


def update_authorized_brands(path: str | Path, marks: list[str]) -> list[str]:
    """Append the ``marks`` the profile does not list yet (as own or authorized) to ``authorized_brands``.

    Returns the names added (``[]`` when there was nothing to add; the file is then not touched).
    """
    path = Path(path)
    profile = load_profile(path)  # validates the file (and reports a missing one)
    new: list[str] = []
    seen = set(profile.authorized_keys) | set(profile.own_keys)
    for m in marks:
        key = brand_key(m)
        if key and key not in seen:
            seen.add(key)
            new.append(" ".join(m.split()))
    if not new:
        return []
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    try:
        edited = _edit(text, new)
    except ConfigError as exc:
        raise ConfigError(f"cannot add to authorized_brands automatically ({exc.message}); add these lines by hand: "
                          f"{toml_lines(new)}", path=path) from None
    before = tomllib.loads(text)
    try:
        after = tomllib.loads(edited)
    except tomllib.TOMLDecodeError as exc:  # a bug in the editor, never the user's fault; do not write
        raise ConfigError(f"editing authorized_brands would break the file ({exc}); add by hand: {toml_lines(new)}",
                          path=path) from None
    old_list = before["seller"].get("authorized_brands", [])
    old_list = [old_list] if isinstance(old_list, str) else list(old_list)
    expected = dict(before)
    expected["seller"] = {**before["seller"], "authorized_brands": old_list + new}
    if after != expected:
        raise ConfigError(f"editing authorized_brands changed something else; add by hand: {toml_lines(new)}",
                          path=path)
    shutil.copy2(path, path.with_name(path.name + ".bak"))
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write((b"\xef\xbb\xbf" if bom else b"") + edited.encode("utf-8"))
        shutil.copymode(path, tmp)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ConfigError(f"cannot write the seller profile: {exc.strerror}", path=path) from None
    return new
