"""Notes typed in the workbook carried to next week; --previous standing in for a new history; a
non-workbook given to `decisions import`."""

from __future__ import annotations

from click.testing import CliRunner
from openpyxl import load_workbook

from scanner.cli import cli
from scanner.history import HistoryStore, read_decisions
from scanner.history.store import Note
from tests.test_weekly import WEEK1, WEEK2, read_csv, rows_by_sku, run, write_all_listings
from tests.test_weekly import weeks as weeks  # noqa: F401  (the fixture)


def fill(path, column: str, values: dict[str, str]) -> None:
    """What the seller does: type into a column of the risk sheets (or Kept) and save."""
    wb = load_workbook(path)
    left = dict(values)
    for name in ("High risk", "Review", "Kept"):
        ws = wb[name]
        header = [c.value for c in ws[1]]
        for row in ws.iter_rows(min_row=2):
            sku = row[header.index("SKU")].value
            if sku in left:
                row[header.index(column)].value = left.pop(sku)
    assert not left, f"not on the risk sheets: {left}"
    wb.save(path)


def test_notes_are_carried_to_next_week(weeks):  # noqa: F811
    tmp, common, hist, _profile = weeks
    l1 = write_all_listings(tmp / "week1.txt", WEEK1)
    run("scan", str(l1), "--out", str(tmp / "r1.xlsx"), *common)
    fill(tmp / "r1.xlsx", "Notes", {"A1": "asked supplier for invoice\nsecond line", "A3": "YETI licence?"})
    fill(tmp / "r1.xlsx", "Decision", {"A3": "keep"})
    l2 = write_all_listings(tmp / "week2.txt", WEEK2)
    run("scan", str(l2), "--out", str(tmp / "r2.xlsx"), "--previous", str(tmp / "r1.xlsx"), *common)
    wb = load_workbook(tmp / "r2.xlsx")
    risk = {**rows_by_sku(wb, "High risk"), **rows_by_sku(wb, "Review")}
    assert risk["A1"]["Notes"] == "asked supplier for invoice\nsecond line"
    assert rows_by_sku(wb, "Kept")["A3"]["Notes"] == "YETI licence?"  # kept listings show their note too
    assert risk["A2"]["Notes"] is None
    with HistoryStore(hist) as store:
        stored = store.notes("Acme Trading")
    assert {k[1]: n.note for k, n in stored.items()} == {"A1": "asked supplier for invoice\nsecond line",
                                                        "A3": "YETI licence?"}
    # week 3 without --previous: the notes come from the history; a changed note replaces the old one
    fill(tmp / "r2.xlsx", "Notes", {"A1": "invoice received"})
    out = run("decisions", "import", str(tmp / "r2.xlsx"), "--history", str(hist))
    assert "decisions read" in out
    run("scan", str(l2), "--out", str(tmp / "r3.xlsx"), *common)
    risk3 = {**rows_by_sku(load_workbook(tmp / "r3.xlsx"), "High risk"),
             **rows_by_sku(load_workbook(tmp / "r3.xlsx"), "Review")}
    assert risk3["A1"]["Notes"] == "invoice received"


def test_store_keeps_the_newest_note(tmp_path):
    with HistoryStore(tmp_path) as store, store.transaction():
        assert store.add_notes("S", [("US", "A", Note("one", "h", "2026-01-01"))]) == 1
        assert store.add_notes("S", [("US", "A", Note("one", "h2", "2026-01-08"))]) == 0  # same text
        assert store.add_notes("S", [("US", "A", Note("two", "h", "2026-01-15"))]) == 1
    with HistoryStore(tmp_path) as store:
        assert store.notes("S")[("US", "A")].note == "two" and store.notes("other") == {}


def test_previous_stands_in_for_a_new_history(weeks):  # noqa: F811
    tmp, common, hist, _profile = weeks
    l1 = write_all_listings(tmp / "week1.txt", WEEK1)
    run("scan", str(l1), "--out", str(tmp / "r1.xlsx"), "--csv", str(tmp / "r1.csv"), "--no-history",
        *[c for c in common if c not in ("--history", str(hist))])
    fill(tmp / "r1.xlsx", "Decision", {"A3": "keep", "A1": "pull"})
    fill(tmp / "r1.xlsx", "Notes", {"A2": "check the case photos"})
    assert not hist.exists()
    l2 = write_all_listings(tmp / "week2.txt", WEEK2)
    out = run("scan", str(l2), "--out", str(tmp / "r2.xlsx"), "--csv", str(tmp / "r2.csv"), "--previous",
              str(tmp / "r1.xlsx"), *common)  # a history that is new: --previous stands in for it
    r2 = read_csv(tmp / "r2.csv")
    assert {s for s, r in r2.items() if r["is_new"] == "True"} == {"A5", "A7"}, out
    assert r2["A1"]["decision"] == "pull" and r2["A3"]["decision"] == "keep"
    wb = load_workbook(tmp / "r2.xlsx")
    risk = {**rows_by_sku(wb, "High risk"), **rows_by_sku(wb, "Review")}
    assert risk["A2"]["Notes"] == "check the case photos" and "A3" in rows_by_sku(wb, "Kept")
    summary = {r[0]: r[1:] for r in wb["Summary"].iter_rows(values_only=True) if r and r[0]}
    assert "--previous" in summary["Compared with"][0]
    with HistoryStore(hist) as store:  # and the decisions and notes are now in the history
        assert store.decisions("Acme Trading")[("US", "A3")].decision == "keep"
        assert store.notes("Acme Trading")[("US", "A2")].note == "check the case photos"


def test_decisions_import_of_a_text_file_is_one_line_error(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("A1 keep\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["decisions", "import", str(notes), "--history", str(tmp_path / "h")])
    assert result.exit_code == 1, result.output
    assert "notes.txt" in result.output and "not a report" in result.output
    assert len(result.output.strip().splitlines()) == 1 and "internal error" not in result.output
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a zip", encoding="utf-8")
    result = CliRunner().invoke(cli, ["decisions", "import", str(fake), "--history", str(tmp_path / "h")])
    assert result.exit_code == 1 and "not a zip archive" in result.output
    try:
        read_decisions(tmp_path)
    except Exception as exc:  # noqa: BLE001
        assert type(exc).__name__ == "InputError" and "folder" in str(exc)
    else:
        raise AssertionError("a folder is not a report")
