"""Progress: tqdm bars on a terminal; in a log one plain line per stage and at most one update per interval."""

from __future__ import annotations

import io

from scanner.progress import Progress


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_log_gets_plain_lines_at_most_every_interval():
    out, clock = io.StringIO(), FakeClock()  # StringIO is not a terminal
    p = Progress(stream=out, clock=clock)
    assert not p.interactive
    p.stage("matching 100,000 listings against 2,749 marks")
    with p.task("normalising listings", total=100_000, unit="fields", unit_scale=True) as bar:
        for _ in range(100):
            clock.now += 0.5  # 50 s in all, in steps of half a second
            bar.update(1000)
    lines = out.getvalue().splitlines()
    assert "\r" not in out.getvalue()
    assert lines[0].endswith("] matching 100,000 listings against 2,749 marks")
    assert lines[1].endswith("] normalising listings")  # the task's own first line
    updates = lines[2:]
    assert len(updates) == 5  # one every 10 s of the 50 s
    assert updates[0] == "normalising listings: 20.0k/100.0k fields (20%), 10 s"
    assert updates[-1].startswith("normalising listings: 100.0k/100.0k fields (100%)")


def test_a_short_task_prints_one_line_and_no_updates():
    out, clock = io.StringIO(), FakeClock()
    p = Progress(stream=out, clock=clock, interval=10)
    p.stage("loading the model")
    with p.task("reading x.txt", total=10, unit="B") as bar:
        bar.update(10)
    assert [line.split("] ", 1)[1] for line in out.getvalue().splitlines()] == ["loading the model", "reading x.txt"]
    assert p.stages == ["loading the model"]


def test_quiet_silences_stages_tasks_and_warnings():
    out = io.StringIO()
    p = Progress(quiet=True, stream=out)
    p.stage("matching")
    p.warn("2 SKUs appear more than once")
    p.info("summary")
    with p.task("x", total=3) as bar:
        bar.update(3)
        bar.set_postfix_str("file.zip")
    assert out.getvalue() == ""


def test_unknown_totals_and_postfix_in_log_lines():
    out, clock = io.StringIO(), FakeClock()
    p = Progress(stream=out, clock=clock)
    with p.task("importing apc240101.zip", unit="rec") as bar:
        bar.set_postfix_str("12,000 records")
        clock.now += 11
        bar.update(5)
    assert out.getvalue().splitlines()[1:] == ["importing apc240101.zip: 5 rec, 12,000 records, 11 s"]


def test_warn_prefixes_the_line():
    out = io.StringIO()
    Progress(stream=out).warn("the corpus has no marks")
    assert out.getvalue() == "warning: the corpus has no marks\n"


def test_a_terminal_gets_tqdm_bars():
    out = io.StringIO()
    p = Progress(stream=out, interactive=True)
    p.stage("matching")
    with p.task("normalising listings", total=4, unit="fields") as bar:
        bar.update(4)
    assert out.getvalue().startswith("matching ...\n")
    assert "\r" in out.getvalue()  # tqdm redraws in place


def test_messages_are_one_printable_line_of_a_readable_length():
    from scanner.errors import MAX_MESSAGE, InputError, one_line

    # a terminal escape, DEL, a lone surrogate and line breaks from a listing never reach the terminal raw
    assert one_line("brand \x1b[31mRED\x7f\nnext\tline \ud800!") == "brand \\x1b[31mRED\\x7f next line \\ud800!"
    assert one_line("Café 日本 ✓") == "Café 日本 ✓"
    # a file's 50 MB first line quoted in an error is cut, saying how much was left out
    err = str(InputError("no title column; headers seen: " + "x" * 50_000, path="one.txt", row=1))
    assert len(err) < MAX_MESSAGE + 100 and err.startswith("one.txt, row 1: no title column")
    assert err.endswith(f"({50_000 + len('no title column; headers seen: ') - MAX_MESSAGE:,} more characters)")
    out = io.StringIO()
    Progress(stream=out).warn("brand \x1b]0;pwned\x07 seen")
    assert out.getvalue() == "warning: brand \\x1b]0;pwned\\x07 seen\n"
