"""Keep a corpus of the full US register current from the USPTO Open Data Portal (``scanner corpus update``).

``DIR/downloads/`` holds the downloaded zips (``.part`` while downloading), ``DIR/corpus/`` the compiled
corpus (use it with ``scanner scan --corpus DIR/corpus``). The first run downloads the annual backfile
and this year's daily files and compiles them; later runs download only the dailies newer than the last
one applied and compile them over the existing corpus (``build.compile_corpus`` with the old corpus as the
first source: the newest transaction of each serial number wins, as in ``scanner corpus build``). The new
corpus is built in a folder beside the old one and swapped in only when complete, so a failed update
leaves the old corpus as it was. ``corpus.json`` records under ``"update"`` every file applied (name,
product, dates, size, sha256, when).
"""

from __future__ import annotations

import datetime as _dt
import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError, CorpusError, ScannerError
from ..progress import Progress
from ..progress import get as _progress
from . import store
from .build import compile_corpus
from .odp import (
    BACKFILE_PRODUCT,
    DAILY_PRODUCT,
    DEFAULT_BASE_URL,
    KEY_ENV,
    PortalClient,
    PortalError,
    RemoteFile,
    missing_key_message,
    sha256_file,
)

CORPUS_DIR = "corpus"
DOWNLOADS_DIR = "downloads"
STATE_KEY = "update"


@dataclass
class UpdateResult:
    """What one ``corpus update`` did. ``applied`` = the files applied this run (empty when up to date)."""

    folder: Path
    corpus_dir: Path
    applied: list[dict[str, Any]] = field(default_factory=list)
    meta: dict[str, Any] | None = None
    up_to_date: bool = False
    notes: list[str] = field(default_factory=list)


def human_bytes(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:,.0f} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1000
    return f"{n:,.1f} TB"  # pragma: no cover


def read_state(corpus_dir: Path) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """``(corpus.json, its "update" record)`` of the corpus kept by ``corpus update``, or None if none yet."""
    if not corpus_dir.exists():
        return None
    meta = store.read_meta(corpus_dir)
    state = meta.get(STATE_KEY)
    if not isinstance(state, dict) or not isinstance(state.get("applied"), list):
        raise CorpusError("this corpus was not made by `scanner corpus update` (no \"update\" record in "
                          "corpus.json); give corpus update a folder of its own", path=corpus_dir)
    return meta, state


def _check_folder(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise CorpusError("not a folder", path=folder)
    if store.is_corpus_dir(folder):
        raise CorpusError(f"this is a corpus folder itself; corpus update keeps its corpus in DIR/{CORPUS_DIR} "
                          f"and its downloads in DIR/{DOWNLOADS_DIR}: give it a folder of its own", path=folder)


def _since(value: _dt.date | str | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    try:
        return _dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise ConfigError(f"--since {value!r} is not a date (YYYY-MM-DD)") from None


def plan_dailies(dailies: Sequence[RemoteFile], last: dict[str, Any] | None, since: str) -> list[RemoteFile]:
    """The daily files to apply, oldest first: dated after the last applied one and on/after ``since``."""
    undated = [f.name for f in dailies if not f.date]
    if undated:
        raise PortalError(f"the {DAILY_PRODUCT} listing gives no date for {', '.join(undated[:3])}; cannot order "
                          "the daily files")
    chosen = sorted(dailies, key=lambda f: (f.date, f.name))
    if since:
        chosen = [f for f in chosen if f.date >= since]
    if last:
        mark = (str(last.get("date", "")), str(last.get("name", "")))
        chosen = [f for f in chosen if (f.date, f.name) > mark]
    return chosen


def update_corpus(
    folder: str | Path,
    *,
    api_key: str | None = None,
    base_url: str = DEFAULT_BASE_URL,
    since: _dt.date | str | None = None,
    full: bool = False,
    statuses: Sequence[str] | None = None,
    jobs: int | None = None,
    prune: bool = False,
    client: PortalClient | None = None,
    progress: Progress | None = None,
    finish: Callable[[Path, Progress], None] | None = None,
) -> UpdateResult:
    """Download what is new on the USPTO Open Data Portal and apply it to the corpus in ``folder``.

    ``api_key`` defaults to the ``USPTO_API_KEY`` environment variable. ``since`` (first run or ``full``)
    skips the backfile and takes only the dailies dated on or after it; ``full`` rebuilds from the backfile
    and every listed daily (re-using the downloads already there); ``statuses`` keeps only marks of those
    statuses (fixed at the first run); ``jobs`` imports that many zips at once (see
    :func:`scanner.corpus.build.compile_corpus`); ``prune`` deletes the downloads
    once applied (a later ``full`` downloads them again). ``client`` replaces the HTTP client (tests).
    ``finish(folder, progress)`` runs on the new corpus folder before it is swapped in (``scanner corpus
    update`` prepares the match index there: the corpus does not know who searches it); an error in it
    leaves the old corpus as it was.
    """
    progress = _progress(progress)
    folder = Path(folder)
    key = (api_key or os.environ.get(KEY_ENV, "")).strip()
    if client is None:
        if not key:
            raise PortalError(missing_key_message())
        client = PortalClient(key, base_url)
    _check_folder(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with _lock(folder):
        _recover(folder)
        return _update(folder, client, since=since, full=full, statuses=statuses, jobs=jobs, prune=prune,
                       progress=progress, finish=finish)


def _update(folder: Path, client: PortalClient, *, since: _dt.date | str | None, full: bool,
            statuses: Sequence[str] | None, jobs: int | None, prune: bool, progress: Progress,
            finish: Callable[[Path, Progress], None] | None = None) -> UpdateResult:
    corpus_dir = folder / CORPUS_DIR
    since_iso = _since(since)
    previous = read_state(corpus_dir)
    fresh = previous is None or full
    old_meta, state = previous if previous is not None else ({}, {})
    kept_statuses = _statuses(statuses, state, fresh)
    result = UpdateResult(folder=folder, corpus_dir=corpus_dir, meta=old_meta or None)
    if since_iso and not fresh:
        result.notes.append("--since applies to a first run or --full only; ignored (this run applies the daily "
                            "files newer than the last one applied)")
        since_iso = ""

    backfile: list[RemoteFile] = []
    if fresh and not since_iso:
        progress.info(f"listing the annual backfile ({BACKFILE_PRODUCT}) on {client.base_url}")
        backfile = sorted(client.list_files(BACKFILE_PRODUCT), key=lambda f: f.name)
        if not backfile:
            raise PortalError(f"the {BACKFILE_PRODUCT} listing has no zip files; try again later")
    progress.info(f"listing the daily application files ({DAILY_PRODUCT})")
    listed = client.list_files(DAILY_PRODUCT)
    last = None if fresh else state.get("last_daily")
    dailies = plan_dailies(listed, last, since_iso)
    if last and listed:
        first_listed = min(f.date for f in listed if f.date)
        if first_listed[:4] > str(last.get("date", ""))[:4]:
            result.notes.append(
                f"the portal now lists the daily files of {first_listed[:4]} only; the dailies after "
                f"{last.get('date')} of the year before are in the new annual backfile: run `scanner corpus "
                "update DIR --full` to rebuild from it")
    for note in result.notes:
        progress.info(f"note: {note}")
    if not backfile and not dailies:
        if fresh:
            raise PortalError(f"nothing to download: the {DAILY_PRODUCT} listing has no daily files"
                              + (f" dated {since_iso} or later" if since_iso else ""))
        result.up_to_date = True
        progress.info(f"nothing new: the corpus already holds every daily file up to {last['name']} "
                      f"({last['date']})" if last else "nothing new: no daily files are listed")
        return result

    files = backfile + dailies
    downloads = folder / DOWNLOADS_DIR
    paths = _download_all(client, files, downloads, progress)
    entries = _describe(files, paths, progress)
    sources: list[Path] = ([] if fresh else [corpus_dir]) + paths
    new_dir = folder / f".{CORPUS_DIR}.new-{os.getpid()}"
    shutil.rmtree(new_dir, ignore_errors=True)
    progress.info(f"compiling {len(paths)} file(s)" + ("" if fresh else " over the existing corpus"))
    try:
        meta = compile_corpus(sources, new_dir, name=folder.resolve().name, statuses=kept_statuses,
                              jobs=jobs, progress=progress)
        now = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
        applied = ([] if fresh else list(state.get("applied", []))) + [{**e, "applied": now} for e in entries]
        newest = dailies[-1] if dailies else None
        meta[STATE_KEY] = {
            "portal": client.base_url,
            "products": {"backfile": BACKFILE_PRODUCT, "daily": DAILY_PRODUCT},
            "first_run": now if fresh else state.get("first_run", now),
            "last_run": now,
            "since": since_iso if fresh else state.get("since", ""),
            "statuses": sorted(kept_statuses) if kept_statuses is not None else None,
            "last_daily": ({"name": newest.name, "date": newest.date} if newest else
                           (None if fresh else state.get("last_daily"))),
            "applied": applied,
        }
        store.write_meta(new_dir, meta)
        if finish is not None:
            finish(new_dir, progress)
        _swap(new_dir, corpus_dir)
    except BaseException as exc:
        shutil.rmtree(new_dir, ignore_errors=True)
        if isinstance(exc, ScannerError):
            _forget_bad_download(exc, paths)
        raise
    if prune:
        for path in paths:
            path.unlink(missing_ok=True)
        progress.info(f"deleted the {len(paths)} applied download(s) (--prune)")
    result.applied = [{**e, "applied": now} for e in entries]
    result.meta = meta
    return result


LOCK_FILE = ".update.lock"


@contextmanager
def _lock(folder: Path) -> Iterator[None]:
    """One ``corpus update`` at a time per folder (a lock left by a process that is gone is taken over)."""
    lock = folder / LOCK_FILE
    for _ in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            try:
                pid = int(lock.read_text(encoding="ascii").strip() or "0")
            except (OSError, ValueError):
                pid = 0
            if pid and _alive(pid):
                raise CorpusError(f"another `scanner corpus update` (process {pid}) is updating this folder; "
                                  f"wait for it (or delete {LOCK_FILE} if it is gone)", path=folder) from None
            lock.unlink(missing_ok=True)
            continue
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(str(os.getpid()))
        break
    else:
        raise CorpusError(f"cannot take the lock {LOCK_FILE}", path=folder)
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _recover(folder: Path) -> None:
    """Clean up after an update that was killed: put a corpus moved aside back, delete half-built ones."""
    corpus_dir = folder / CORPUS_DIR
    aside = sorted(folder.glob(f".{CORPUS_DIR}.old-*"), key=lambda p: p.stat().st_mtime)
    if not corpus_dir.exists() and aside and store.is_corpus_dir(aside[-1]):
        aside[-1].rename(corpus_dir)
    for leftover in [*folder.glob(f".{CORPUS_DIR}.old-*"), *folder.glob(f".{CORPUS_DIR}.new-*"),
                     *folder.glob(f"..{CORPUS_DIR}.new-*")]:
        shutil.rmtree(leftover, ignore_errors=True)


def _statuses(statuses: Sequence[str] | None, state: dict[str, Any], fresh: bool) -> list[str] | None:
    wanted = sorted({s.lower() for s in statuses}) if statuses else None
    before = state.get("statuses")
    if fresh:
        return wanted if wanted is not None else before
    if wanted is not None and wanted != before:
        kept = ", ".join(before) if before else "all statuses"
        raise ConfigError(f"this corpus keeps {kept}; --status can change only with --full (a rebuild)")
    return before


def _download_all(client: PortalClient, files: list[RemoteFile], downloads: Path, progress: Progress) -> list[Path]:
    downloads.mkdir(parents=True, exist_ok=True)
    have = {f.name for f in files if (downloads / f.name).is_file() and (downloads / f.name).stat().st_size == f.size}
    partial = {f.name: (downloads / f"{f.name}.part").stat().st_size
               for f in files if f.name not in have and (downloads / f"{f.name}.part").is_file()}
    need = sum(f.size for f in files if f.name not in have) - sum(partial.values())
    free = shutil.disk_usage(downloads).free
    if need > free:
        raise CorpusError(f"not enough disk space: {human_bytes(need)} to download, {human_bytes(free)} free",
                          path=downloads)
    progress.info(f"downloading {len(files) - len(have)} of {len(files)} file(s), {human_bytes(max(need, 0))}, into "
                  f"{downloads}" + (f" ({len(partial)} resumed)" if partial else "")
                  + (f"; {len(have)} already there" if have else ""))
    every = client.limiter.current_interval()
    if every > 0 and len(files) - len(have) > 1:
        progress.info(f"the portal's rate limit: one download every {every:.0f} s at this time of day")
    paths = []
    for i, remote in enumerate(files, 1):
        with progress.task(f"[{i}/{len(files)}] {remote.name}", total=remote.size, unit="B",
                           unit_scale=True) as bar:
            paths.append(client.download(remote, downloads, bar=bar))
    return paths


def _describe(files: list[RemoteFile], paths: list[Path], progress: Progress) -> list[dict[str, Any]]:
    entries = []
    with progress.task("sha256 of the downloads", total=sum(f.size for f in files), unit="B",
                       unit_scale=True) as bar:
        for remote, path in zip(files, paths, strict=True):
            entries.append({"name": remote.name, "product": remote.product, "from_date": remote.from_date,
                            "to_date": remote.to_date, "date": remote.date, "size": path.stat().st_size,
                            "sha256": sha256_file(path, bar)})
    return entries


def _swap(new_dir: Path, corpus_dir: Path) -> None:
    """Put ``new_dir`` in the place of ``corpus_dir`` (two renames in the same folder)."""
    if not corpus_dir.exists():
        new_dir.rename(corpus_dir)
        return
    old = corpus_dir.parent / f".{corpus_dir.name}.old-{os.getpid()}"
    shutil.rmtree(old, ignore_errors=True)
    corpus_dir.rename(old)
    try:
        new_dir.rename(corpus_dir)
    except BaseException:
        old.rename(corpus_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _forget_bad_download(exc: ScannerError, paths: list[Path]) -> None:
    """A download the importer could not read is deleted, so that the next run fetches it anew."""
    if exc.path is None:
        return
    bad = Path(exc.path)
    for path in paths:
        if bad == path or bad.resolve() == path.resolve():
            path.unlink(missing_ok=True)
            exc.message = f"{exc.message} (deleted the download; run again to fetch it anew)"
            exc.args = (exc.format(),)
