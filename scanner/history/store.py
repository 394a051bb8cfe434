"""The scan history: an embedded SQLite database (stdlib ``sqlite3``), one file per history directory.

Default directory: ``$XDG_DATA_HOME/scanner/`` or ``~/.local/share/scanner/`` (``%LOCALAPPDATA%\\scanner``
on Windows); ``scanner scan --history DIR`` moves it. WAL mode; every scan is recorded in one transaction.

Tables (schema version 2; ``schema_version`` records the migrations applied):

- ``scans``: one row per recorded scan: seller name and marketplace (the *scope* whose scans are compared),
  times, scanner version, corpus name/hash, model name/version, thresholds, counts, outputs;
- ``scan_files``: the input files of each scan with rows read / scanned / rejected;
- ``listings``: per scan, one row per listing key (marketplace + SKU): text hash, risk level and score,
  marks, owners, ``is_new``, decision; the title is kept for risky listings only (for ``scanner diff``);
- ``decisions``: every decision imported from a report (by seller, marketplace, SKU), with the text hash
  of the listing it was taken on and its date. The newest decision per listing is the one in force.
- ``notes`` (schema 2): every note typed in a report's Notes column, imported like the decisions; the
  newest note per listing is shown again in the next reports.

Seller names compare without the spaces around them (an older scanner recorded a profile's ``name =
"Acme "`` as it was written).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import HistoryError
from ..numbers import ascii_digits

if TYPE_CHECKING:  # pandas is loaded by the methods that need it: `scanner history` starts without it
    import pandas as pd

DB_NAME = "history.sqlite3"
SCHEMA_VERSION = 2
#: The ``seller`` column without surrounding spaces, tabs and line breaks (compared with ``seller.strip()``).
_SELLER = "trim(seller, ' ' || char(9, 10, 13))"

#: Migrations: version -> statements that bring the previous version to it. Append, never edit.
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        """CREATE TABLE scans (
            id INTEGER PRIMARY KEY,
            seller TEXT NOT NULL,
            marketplace TEXT NOT NULL,
            started TEXT NOT NULL,
            finished TEXT NOT NULL,
            recorded TEXT NOT NULL,
            scanner_version TEXT NOT NULL DEFAULT '',
            corpus_name TEXT NOT NULL DEFAULT '',
            corpus_hash TEXT NOT NULL DEFAULT '',
            corpus_info TEXT NOT NULL DEFAULT '{}',
            model_name TEXT NOT NULL DEFAULT '',
            model_version TEXT NOT NULL DEFAULT '',
            model_info TEXT NOT NULL DEFAULT '{}',
            thresholds TEXT NOT NULL DEFAULT '{}',
            counts TEXT NOT NULL DEFAULT '{}',
            outputs TEXT NOT NULL DEFAULT '[]'
        )""",
        "CREATE INDEX scans_scope ON scans (seller, marketplace, id)",
        """CREATE TABLE scan_files (
            scan_id INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            path TEXT NOT NULL,
            format TEXT NOT NULL DEFAULT '',
            encoding TEXT NOT NULL DEFAULT '',
            rows_read INTEGER NOT NULL DEFAULT 0,
            rows_scanned INTEGER NOT NULL DEFAULT 0,
            rows_rejected INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (scan_id, position)
        )""",
        """CREATE TABLE listings (
            scan_id INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
            marketplace TEXT NOT NULL,
            sku TEXT NOT NULL,
            asin TEXT NOT NULL DEFAULT '',
            title TEXT,
            text_hash TEXT NOT NULL,
            risk_level TEXT NOT NULL,
            risk_score REAL NOT NULL,
            marks TEXT NOT NULL DEFAULT '',
            owners TEXT NOT NULL DEFAULT '',
            is_new INTEGER NOT NULL DEFAULT 0,
            decision TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (scan_id, marketplace, sku)
        ) WITHOUT ROWID""",
        """CREATE TABLE decisions (
            id INTEGER PRIMARY KEY,
            seller TEXT NOT NULL,
            marketplace TEXT NOT NULL,
            sku TEXT NOT NULL,
            decision TEXT NOT NULL CHECK (decision IN ('pull', 'edit', 'keep', 'authorized')),
            text_hash TEXT NOT NULL DEFAULT '',
            decided_at TEXT NOT NULL,
            marks TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT '',
            imported_at TEXT NOT NULL
        )""",
        "CREATE INDEX decisions_key ON decisions (seller, marketplace, sku, id)",
    ),
    2: (
        """CREATE TABLE notes (
            id INTEGER PRIMARY KEY,
            seller TEXT NOT NULL,
            marketplace TEXT NOT NULL,
            sku TEXT NOT NULL,
            note TEXT NOT NULL,
            text_hash TEXT NOT NULL DEFAULT '',
            noted_at TEXT NOT NULL,
            source TEXT NOT NULL DEFAULT '',
            imported_at TEXT NOT NULL
        )""",
        "CREATE INDEX notes_key ON notes (seller, marketplace, sku, id)",
    ),
}



def default_history_dir() -> Path:
    """``$XDG_DATA_HOME/scanner``, else ``~/.local/share/scanner`` (``%LOCALAPPDATA%\\scanner`` on Windows)."""
    xdg = os.environ.get("XDG_DATA_HOME", "")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "scanner"
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "scanner"
    return Path.home() / ".local" / "share" / "scanner"


@dataclass
class Note:
    """A note in force for one listing key (the newest one imported)."""

    note: str
    text_hash: str
    noted_at: str
    source: str = ""


@dataclass
class Decision:
    """A decision in force for one listing key."""

    decision: str
    text_hash: str
    decided_at: str
    source: str = ""
    marks: str = ""


def same_decision(now: Decision | None, d: Decision) -> bool:
    """``d`` says nothing new over ``now``, the decision in force: the same value on the same text, or the
    same value with no text hash (a report whose Text hash column was deleted never replaces a checked one)."""
    return now is not None and now.decision == d.decision and (now.text_hash == d.text_hash or not d.text_hash)


class HistoryStore:
    """The history database in ``directory`` (created when missing, unless ``create=False``)."""

    def __init__(self, directory: str | Path | None = None, *, create: bool = True) -> None:
        self.directory = Path(directory) if directory is not None else default_history_dir()
        self.path = self.directory / DB_NAME
        if not self.path.exists():
            if not create:
                raise HistoryError("no scan history here yet (run `scanner scan` first)", path=self.path)
            try:
                self.directory.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise HistoryError(f"cannot create the history directory: {exc.strerror}", path=self.directory) from None
        try:
            self.conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.Error as exc:
            raise HistoryError(f"cannot open the scan history: {exc}", path=self.path) from None

    # -- plumbing ---------------------------------------------------------------------------------------
    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self) -> None:
        self.conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied TEXT NOT NULL)")
        current = self.conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version").fetchone()[0]
        if current > SCHEMA_VERSION:
            raise HistoryError(f"the scan history was written by a newer scanner (schema {current}, this one "
                               f"knows {SCHEMA_VERSION}); upgrade scanner", path=self.path)
        for version in range(current + 1, SCHEMA_VERSION + 1):
            with self.transaction():
                for statement in MIGRATIONS[version]:
                    self.conn.execute(statement)
                self.conn.execute("INSERT INTO schema_version VALUES (?, datetime('now'))", (version,))

    @property
    def schema_version(self) -> int:
        return self.conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0]

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction (``BEGIN IMMEDIATE``): committed when the block ends, rolled back on error."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise HistoryError(f"the scan history is busy or locked ({exc}); is another scan running?",
                               path=self.path) from None
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise HistoryError(f"cannot save the scan history: {exc}", path=self.path) from None

    # -- scans ------------------------------------------------------------------------------------------
    @staticmethod
    def _scan_dict(row: sqlite3.Row) -> dict[str, Any]:
        out = dict(row)
        for key in ("corpus_info", "model_info", "thresholds", "counts", "outputs"):
            out[key] = json.loads(out[key] or "null")
        return out

    def scan(self, scan_id: int) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT * FROM scans WHERE id = ?", (scan_id,)).fetchone()
        if row is None:
            return None
        out = self._scan_dict(row)
        out["files"] = [dict(r) for r in self.conn.execute(
            "SELECT path, format, encoding, rows_read, rows_scanned, rows_rejected FROM scan_files "
            "WHERE scan_id = ? ORDER BY position", (scan_id,))]
        return out

    def scans(self, *, limit: int | None = None) -> list[dict[str, Any]]:
        """Recorded scans, newest first."""
        sql = "SELECT id FROM scans ORDER BY id DESC" + (" LIMIT ?" if limit else "")
        ids = [r[0] for r in self.conn.execute(sql, (limit,) if limit else ())]
        return [s for s in (self.scan(i) for i in ids) if s is not None]

    def previous_scan(self, seller: str, marketplace: str, *, before: int | None = None) -> dict[str, Any] | None:
        """The latest scan of this seller and marketplace (before scan id ``before``, if given)."""
        row = self.conn.execute(
            f"SELECT id FROM scans WHERE {_SELLER} = ? AND marketplace = ? AND id < ? ORDER BY id DESC LIMIT 1",
            (seller.strip(), marketplace, before if before is not None else 2**62)).fetchone()
        return self.scan(row[0]) if row else None

    def resolve(self, ref: str) -> int:
        """A scan id from ``ref``: a number (``12`` or ``#12``), ``last`` or ``previous`` (the scan before the
        last one of the same seller and marketplace)."""
        ref = str(ref).strip().lower().lstrip("#")
        if ref in ("last", "latest", "previous", "prev"):
            last = self.conn.execute("SELECT * FROM scans ORDER BY id DESC LIMIT 1").fetchone()
            if last is None:
                raise HistoryError("no scans recorded yet", path=self.path)
            if ref in ("last", "latest"):
                return int(last["id"])
            prev = self.previous_scan(last["seller"], last["marketplace"], before=last["id"])
            if prev is None:
                raise HistoryError(f"scan #{last['id']} is the only scan of its seller and marketplace",
                                   path=self.path)
            return int(prev["id"])
        if not ascii_digits(ref):
            raise HistoryError(f"{ref!r} is not a scan id (use a number from `scanner history`, 'last' or "
                               "'previous')")
        if self.conn.execute("SELECT 1 FROM scans WHERE id = ?", (int(ref),)).fetchone() is None:
            raise HistoryError(f"no scan #{ref} in the history", path=self.path)
        return int(ref)

    def scan_listings(self, scan_id: int) -> pd.DataFrame:
        """The listings recorded for a scan (one row per marketplace + SKU)."""
        cols = ["marketplace", "sku", "asin", "title", "text_hash", "risk_level", "risk_score", "marks", "owners",
                "is_new", "decision"]
        rows = self.conn.execute(f"SELECT {', '.join(cols)} FROM listings WHERE scan_id = ?", (scan_id,)).fetchall()
        import pandas as pd

        df = pd.DataFrame([tuple(r) for r in rows], columns=cols)
        df["title"] = df["title"].fillna("")
        return df

    def levels(self, scan_id: int) -> dict[tuple[str, str], str]:
        """``{(marketplace, sku): risk_level}`` of a recorded scan."""
        return {(m, s): lvl for m, s, lvl in self.conn.execute(
            "SELECT marketplace, sku, risk_level FROM listings WHERE scan_id = ?", (scan_id,))}

    def scan_decisions(self, scan_id: int) -> dict[tuple[str, str], tuple[str, str]]:
        """``{(marketplace, sku): (decision, text_hash)}`` of a recorded scan: the decision its report
        pre-filled (empty when none) and the text hash of each listing."""
        return {(m, s): (d, h) for m, s, d, h in self.conn.execute(
            "SELECT marketplace, sku, decision, text_hash FROM listings WHERE scan_id = ?", (scan_id,))}

    def record_scan(self, scan: dict[str, Any], files: Iterable[dict[str, Any]], listings: pd.DataFrame) -> int:
        """Insert a scan, its files and its listings (call inside :meth:`transaction`). Returns the scan id."""
        cur = self.conn.execute(
            "INSERT INTO scans (seller, marketplace, started, finished, recorded, scanner_version, corpus_name, "
            "corpus_hash, corpus_info, model_name, model_version, model_info, thresholds, counts, outputs) "
            "VALUES (?, ?, ?, ?, datetime('now'), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (str(scan["seller"]).strip(), scan["marketplace"], scan["started"], scan["finished"], scan.get("scanner_version", ""),
             scan.get("corpus_name", ""), scan.get("corpus_hash", ""), json.dumps(scan.get("corpus_info", {}), default=str),
             scan.get("model_name", ""), scan.get("model_version", ""), json.dumps(scan.get("model_info", {}), default=str),
             json.dumps(scan.get("thresholds", {})), json.dumps(scan.get("counts", {})),
             json.dumps(scan.get("outputs", []))))
        scan_id = int(cur.lastrowid)
        self.conn.executemany(
            "INSERT INTO scan_files VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(scan_id, i, f["path"], f.get("format", ""), f.get("encoding", ""), f.get("rows_read", 0),
              f.get("rows_scanned", 0), f.get("rows_rejected", 0)) for i, f in enumerate(files)])
        cols = ["marketplace", "sku", "asin", "title", "text_hash", "risk_level", "risk_score", "marks", "owners",
                "is_new", "decision"]
        self.conn.executemany(
            f"INSERT OR IGNORE INTO listings (scan_id, {', '.join(cols)}) VALUES (?{', ?' * len(cols)})",
            ((scan_id, *row) for row in zip(*(listings[c].tolist() for c in cols), strict=True)))
        return scan_id

    # -- decisions --------------------------------------------------------------------------------------
    def decisions(self, seller: str) -> dict[tuple[str, str], Decision]:
        """The decision in force per ``(marketplace, sku)`` for a seller: the newest one imported."""
        out: dict[tuple[str, str], Decision] = {}
        for r in self.conn.execute(
            "SELECT marketplace, sku, decision, text_hash, decided_at, source, marks FROM decisions "
            f"WHERE {_SELLER} = ? ORDER BY id", (seller.strip(),)):
            out[(r["marketplace"], r["sku"])] = Decision(r["decision"], r["text_hash"], r["decided_at"], r["source"],
                                                         r["marks"])
        return out

    def add_decisions(self, seller: str, records: Iterable[tuple[str, str, Decision]]) -> int:
        """Record ``(marketplace, sku, Decision)``s (call inside :meth:`transaction`); a decision equal to the
        one in force (:func:`same_decision`) is not recorded again, so its original date stays.
        Returns how many were recorded."""
        seller = seller.strip()
        current = self.decisions(seller)
        added = 0
        for marketplace, sku, d in records:
            if same_decision(current.get((marketplace, sku)), d):
                continue
            self.conn.execute(
                "INSERT INTO decisions (seller, marketplace, sku, decision, text_hash, decided_at, marks, source, "
                "imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, datetime('now'))",
                (seller, marketplace, sku, d.decision, d.text_hash, d.decided_at, d.marks, d.source))
            current[(marketplace, sku)] = d
            added += 1
        return added

    # -- notes ------------------------------------------------------------------------------------------
    def notes(self, seller: str) -> dict[tuple[str, str], Note]:
        """The note in force per ``(marketplace, sku)`` for a seller: the newest one imported."""
        out: dict[tuple[str, str], Note] = {}
        for r in self.conn.execute(
            f"SELECT marketplace, sku, note, text_hash, noted_at, source FROM notes WHERE {_SELLER} = ? ORDER BY id",
            (seller.strip(),)):
            out[(r["marketplace"], r["sku"])] = Note(r["note"], r["text_hash"], r["noted_at"], r["source"])
        return out

    def add_notes(self, seller: str, records: Iterable[tuple[str, str, Note]]) -> int:
        """Record ``(marketplace, sku, Note)``s (call inside :meth:`transaction`); a note equal to the one in
        force is not recorded again. Returns how many were recorded."""
        seller = seller.strip()
        current = self.notes(seller)
        added = 0
        for marketplace, sku, n in records:
            now = current.get((marketplace, sku))
            if now is not None and now.note == n.note:
                continue
            self.conn.execute(
                "INSERT INTO notes (seller, marketplace, sku, note, text_hash, noted_at, source, imported_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, datetime('now'))",
                (seller, marketplace, sku, n.note, n.text_hash, n.noted_at, n.source))
            current[(marketplace, sku)] = n
            added += 1
        return added
