"""The match index cache inside a compiled corpus folder (``<corpus>/index/``), or, for a corpus that has
no folder (the shipped starter corpus, a trademark CSV, a corpus with a watch list added), in the user's
cache folder (:func:`user_cache_root`, one sub-folder per corpus content, the :data:`KEEP_USER_INDEXES` most
recently used kept), so that a weekly scan does not rebuild the same index every time.

Safe formats only: ``manifest.json`` (format version, normalisation version, wordfreq version, the
corpus content hash, array dtypes and shapes), one ``.npy`` file per array (memory-mapped read-only,
``allow_pickle=False``: loading copies nothing) and Parquet for the key strings. A cache whose manifest does not match the corpus
and the running code, or that cannot be read, is rebuilt; a folder that cannot be written gets an
in-memory index and a note.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from ..corpus import Corpus
from ..frequency import wordfreq_version
from ..progress import Progress
from ..text import NORMALIZATION_VERSION
from ..user_cache import user_cache_root
from .index import ARRAY_FIELDS, INDEX_FORMAT_VERSION, MatchIndex

CACHE_DIR = "index"
MANIFEST = "manifest.json"
#: Indexes of folder-less corpora kept in the user cache (the least recently used are removed).
KEEP_USER_INDEXES = 3


def user_cache_dir(corpus: Corpus) -> Path | None:
    """Where the index of a corpus without a folder is cached (by the scanner version and the corpus content
    hash: an upgrade never reads an index an older matcher built), or ``None``."""
    from .. import __version__

    digest = str(corpus.content_hash or "")
    if corpus.path is not None and Path(corpus.path).is_dir() or not digest.isalnum():
        return None
    version = "".join(c if c.isalnum() or c in ".-" else "_" for c in str(__version__))
    return user_cache_root() / "indexes" / f"{version}-{digest[:32]}"


def _location(corpus: Corpus) -> tuple[Path | None, bool]:
    """``(folder, in the user cache)`` of the index cache of ``corpus``."""
    own = cache_dir(corpus)
    return (own, False) if own is not None else (user_cache_dir(corpus), True)


def _prune(root: Path, keep: Path) -> None:
    """Remove all but the :data:`KEEP_USER_INDEXES` most recently used indexes under ``root``."""
    try:
        found = [p for p in root.iterdir() if p.is_dir() and (p / MANIFEST).is_file()]
        found.sort(key=lambda p: (p == keep, (p / MANIFEST).stat().st_mtime), reverse=True)
        for old in found[KEEP_USER_INDEXES:]:
            shutil.rmtree(old, ignore_errors=True)
    except OSError:
        pass


def _versions() -> dict[str, object]:
    return {"format": INDEX_FORMAT_VERSION, "normalization": NORMALIZATION_VERSION, "wordfreq": wordfreq_version()}


def cache_dir(corpus: Corpus) -> Path | None:
    """Where the index of ``corpus`` is cached, or ``None`` (a corpus read from a CSV has no folder)."""
    if corpus.path is None:
        return None
    path = Path(corpus.path)
    return path / CACHE_DIR if path.is_dir() else None


def load(corpus: Corpus, progress: Progress) -> MatchIndex | None:
    """The cached index of ``corpus`` if present, current and readable; otherwise ``None``."""
    folder, in_user_cache = _location(corpus)
    if folder is None or not (folder / MANIFEST).is_file():
        return None
    if in_user_cache:
        with contextlib.suppress(OSError):
            os.utime(folder / MANIFEST)  # most recently used (see _prune)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        expected = {**_versions(), "content_hash": corpus.content_hash, "n_marks": len(corpus)}
        stale = [k for k, v in expected.items() if manifest.get(k) != v]
        if stale:
            progress.info(f"match index cache in {folder} is out of date ({', '.join(stale)}); rebuilding")
            return None
        arrays = {}
        for name in ARRAY_FIELDS:
            spec = manifest["arrays"][name]
            # memory-mapped, read-only: the OS pages the arrays in on use and shares them between the
            # processes of a machine (Dask workers), instead of each process holding a copy
            arr = np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False)
            if str(arr.dtype) != spec["dtype"] or list(arr.shape) != spec["shape"]:
                raise ValueError(f"{name}.npy does not match the manifest")
            arrays[name] = arr
        keys = pd.read_parquet(folder / "keys.parquet")
        owners = pd.read_parquet(folder / "owners.parquet")
        index = MatchIndex(
            content_hash=manifest["content_hash"],
            keys=keys["key"].astype(str).tolist(),
            key_tokens=keys["tokens"].astype(str).tolist(),
            key_alias=keys["alias"].astype(str).tolist(),
            owner_keys=owners["owner_key"].astype(str).tolist(),
            meta=dict(manifest.get("meta", {})),
            **arrays,
        )
        n_keys = len(index.keys)
        if not (len(index.key_mark) == len(index.key_tokens) == len(index.key_alias) == len(index.key_base) == n_keys
                and len(index.record_key) == len(corpus) and len(index.alias_row) == len(index.alias_key)):
            raise ValueError("array lengths disagree")
        if n_keys and (int(index.key_mark.max()) >= len(corpus) or int(index.record_key.max()) >= n_keys
                       or int(index.key_base.max()) >= n_keys):
            raise ValueError("ids out of range")
        return index
    except Exception as exc:  # any damage: rebuild rather than fail the scan
        progress.info(f"match index cache in {folder} is unreadable ({type(exc).__name__}: {exc}); rebuilding")
        return None


def save(index: MatchIndex, corpus: Corpus, progress: Progress) -> bool:
    """Write ``index`` into the corpus folder, or the user cache for a corpus without one (atomically
    replacing an old cache). False when it cannot be written (the index is then only kept in memory; a note
    says so for a corpus folder, the user cache is silent)."""
    folder, in_user_cache = _location(corpus)
    if folder is None:
        return False
    if in_user_cache:
        try:
            folder.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            return False
    tmp = folder.with_name(f"{CACHE_DIR}.tmp-{os.getpid()}")
    old = folder.with_name(f"{CACHE_DIR}.old-{os.getpid()}")
    try:
        if tmp.exists():
            shutil.rmtree(tmp)
        tmp.mkdir()
        specs = {}
        for name in ARRAY_FIELDS:
            arr = np.ascontiguousarray(getattr(index, name))
            np.save(tmp / f"{name}.npy", arr, allow_pickle=False)
            specs[name] = {"dtype": str(arr.dtype), "shape": list(arr.shape)}
        pd.DataFrame({"key": index.keys, "tokens": index.key_tokens, "alias": index.key_alias}).to_parquet(tmp / "keys.parquet", index=False)
        pd.DataFrame({"owner_key": index.owner_keys}).to_parquet(tmp / "owners.parquet", index=False)
        manifest = {
            **_versions(),
            "content_hash": corpus.content_hash,
            "n_marks": len(corpus),
            "arrays": specs,
            "meta": index.meta,
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
        if folder.exists():
            folder.rename(old)
        tmp.rename(folder)
        if old.exists():
            shutil.rmtree(old, ignore_errors=True)
        if in_user_cache:
            _prune(folder.parent, folder)
        return True
    except OSError as exc:
        if not in_user_cache:
            progress.info(f"cannot write the match index cache in {folder.parent} ({exc.strerror or exc}); "
                          "using an in-memory index for this run")
        shutil.rmtree(tmp, ignore_errors=True)
        with contextlib.suppress(OSError):
            if old.exists() and not folder.exists():
                old.rename(folder)
        return False
