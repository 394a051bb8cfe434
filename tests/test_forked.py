"""``scanner.forked.fork_imap``: a function over items in forked worker processes, results in order."""

from __future__ import annotations

import os

import pytest

from scanner import forked
from scanner.errors import ScannerError

pytestmark = pytest.mark.skipif(not forked.can_fork(), reason="fork_imap forks worker processes (Linux only)")


def test_results_in_order_from_other_processes():
    offset = 10  # a closure: the workers inherit it, nothing is pickled but items and results
    got = list(forked.fork_imap(lambda x: (x + offset, os.getpid()), list(range(7)), jobs=2))
    assert [v for v, _ in got] == list(range(10, 17))
    pids = {p for _, p in got}
    assert os.getpid() not in pids and 1 <= len(pids) <= 2
    assert forked._TASK is None


def test_one_job_runs_here():
    assert {p for p in forked.fork_imap(lambda _: os.getpid(), [1, 2, 3], jobs=1)} == {os.getpid()}


def test_a_worker_starts_no_pool_of_its_own():
    def inner(_):
        return {p for p in forked.fork_imap(lambda _: os.getpid(), [1, 2, 3], jobs=2)} == {os.getpid()}

    assert list(forked.fork_imap(inner, [1, 2], jobs=2)) == [True, True]


def test_an_error_in_a_worker_is_raised_here():
    def fail(x):
        if x == 3:
            raise ValueError(f"bad item {x}")
        return x

    with pytest.raises(ValueError, match="bad item 3"):
        list(forked.fork_imap(fail, list(range(6)), jobs=2))


def test_a_dead_worker_names_the_work():
    with pytest.raises(ScannerError, match=r"the evidence worker stopped abruptly at item 1 of 4 .*--jobs 1"):
        list(forked.fork_imap(lambda _: os._exit(9), [1, 2, 3, 4], jobs=2, what="the evidence worker"))


def test_in_background_runs_while_the_block_runs(tmp_path):
    flag = tmp_path / "started"

    def work():
        flag.write_text(str(os.getpid()))
        return "done"

    with forked.in_background(work, jobs=2) as task:
        import time

        for _ in range(500):  # the work runs before the block asks for it
            if flag.exists():
                break
            time.sleep(0.01)
        assert flag.exists()
        assert task.result() == "done"
    assert int(flag.read_text()) != os.getpid()


def test_in_background_with_one_job_runs_here_when_asked(tmp_path):
    pids = []
    with forked.in_background(lambda: pids.append(os.getpid()), jobs=1) as task:
        assert pids == []
        task.result()
    assert pids == [os.getpid()]


@pytest.mark.parametrize("jobs", [1, 2])
def test_in_background_answers_once(tmp_path, jobs):
    """Asked twice, the result is the first answer: ``fn`` does not run again (here, once the process is
    reaped), and an error is raised again."""
    runs = tmp_path / "runs"

    def work():
        with open(runs, "a") as fh:
            fh.write(f"{os.getpid()}\n")
        return len(runs.read_text().split())

    with forked.in_background(work, jobs=jobs) as task:
        assert task.result() == 1 and task.result() == 1
    assert len(runs.read_text().split()) == 1

    calls = []

    def fail():
        calls.append(1)
        raise ValueError("disk full")

    with forked.in_background(fail, jobs=jobs) as task:
        for _ in range(2):
            with pytest.raises(ValueError, match="disk full"):
                task.result()
    assert len(calls) == (1 if jobs == 1 else 0)  # forked: it ran in the child only


def test_in_background_error_and_death():
    def fail():
        raise ScannerError("cannot write the CSV: disk full", path="out/r.csv")

    with forked.in_background(fail, jobs=2) as task, pytest.raises(ScannerError, match=r"out/r.csv.*disk full"):
        task.result()
    with forked.in_background(lambda: os._exit(3), jobs=2, what="the CSV writer") as task, \
            pytest.raises(ScannerError, match=r"the CSV writer stopped abruptly \(exit code 3;"):
        task.result()


def test_leaving_the_block_by_an_error_stops_the_work(tmp_path):
    import time

    flag = tmp_path / "finished"

    def slow():
        time.sleep(5)
        flag.write_text("x")

    started = time.monotonic()
    with pytest.raises(RuntimeError), forked.in_background(slow, jobs=2):
        raise RuntimeError("the report failed")
    assert time.monotonic() - started < 4 and not flag.exists()


@pytest.mark.parametrize(("files", "cpus", "memory"), [
    ({"cpu.max": "max 100000", "memory.max": "max"}, None, None),  # cgroup v2, no limits
    ({"cpu.max": "150000 100000", "memory.max": str(6 * 1024**3)}, 1.5, 6 * 1024**3),  # v2 limits
    ({"cpu/cpu.cfs_quota_us": "-1", "cpu/cpu.cfs_period_us": "100000",
      "memory/memory.limit_in_bytes": "9223372036854771712"}, None, None),  # v1, no limits
    ({"cpu/cpu.cfs_quota_us": "300000", "cpu/cpu.cfs_period_us": "100000",
      "memory/memory.limit_in_bytes": str(2 * 1024**3)}, 3.0, 2 * 1024**3),  # v1 limits
    ({}, None, None),  # no cgroup files
])
def test_container_limits(tmp_path, monkeypatch, files, cpus, memory):
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text + "\n", encoding="ascii")
    monkeypatch.setattr(forked, "CGROUP_ROOT", tmp_path)
    assert forked._cgroup_cpus() == cpus and forked._cgroup_memory() == memory
    if cpus is not None:
        assert forked.usable_cpus() <= max(1, -(-cpus // 1))
    if memory is not None:
        assert forked._memory_bytes() == memory  # below any test machine's memory


def test_a_container_limit_lowers_the_default_jobs(tmp_path, monkeypatch):
    (tmp_path / "cpu.max").write_text("800000 100000\n", encoding="ascii")
    (tmp_path / "memory.max").write_text(f"{4 * 1024**3}\n", encoding="ascii")
    monkeypatch.setattr(forked, "CGROUP_ROOT", tmp_path)
    monkeypatch.setattr(forked.os, "sched_getaffinity", lambda pid: set(range(16)))
    assert forked.usable_cpus() == 8
    assert forked.default_jobs(100) == 1  # 4 GiB: one job of 3 GiB


def test_an_iterator_is_read_as_the_results_are_taken():
    pulled = []

    def items():
        for i in range(20):
            pulled.append(i)
            yield i

    results = forked.fork_imap(lambda x: x * x, items(), jobs=2, ahead=3)
    assert pulled == []  # nothing is read before the first result is asked for
    assert next(results) == 0
    assert len(pulled) <= 5  # 3 handed out, the next one after the first result: never the whole stream
    assert list(results) == [i * i for i in range(1, 20)] and pulled == list(range(20))


def test_an_iterator_error_stops_the_workers_and_is_raised_here():
    def items():
        yield 1
        yield 2
        raise ValueError("the stream broke")

    with pytest.raises(ValueError, match="the stream broke"):
        list(forked.fork_imap(lambda x: x, items(), jobs=2))
    assert forked._TASK is None


_STOPPED_MID_MESSAGE = """
import sys
from scanner.forked import fork_imap

def big(i):
    return b"x" * (16 << 20)  # far more than a pipe holds: a worker is still sending it when it is killed

def items():
    yield from range(4)
    raise ValueError("the stream broke")

for _ in range(5):
    try:
        for _ in fork_imap(big, items(), jobs=2, ahead=4):
            pass
    except ValueError:
        pass
print("ended")
"""


def test_workers_stopped_while_sending_large_results_do_not_hang_the_pool():
    # a worker killed mid-message left the pool's thread waiting for the rest of it for ever (a corrupt zip
    # met while the USPTO parsing processes sent back their records hung the import): in a child process,
    # so that a hang is a failed test, not a stuck run
    import subprocess
    import sys

    try:
        done = subprocess.run([sys.executable, "-c", _STOPPED_MID_MESSAGE], capture_output=True, text=True,
                              timeout=120)
    except subprocess.TimeoutExpired:
        pytest.fail("fork_imap's shutdown hung after its workers were stopped mid-message")
    assert done.returncode == 0 and done.stdout.strip() == "ended", done.stderr[-2000:]


def test_a_dead_worker_on_a_stream_names_the_item_without_a_total():
    with pytest.raises(ScannerError, match=r"the parser stopped abruptly at item 1 \(killed"):
        list(forked.fork_imap(lambda _: os._exit(9), iter([1, 2, 3]), jobs=2, what="the parser"))


def test_a_daemonic_process_starts_no_pool():
    # a Dask worker process is daemonic: the standard library lets it start no process of its own
    import multiprocessing

    context = multiprocessing.get_context("fork")
    answers = context.Queue()
    child = context.Process(target=lambda: answers.put(forked.jobs_for(10, 2)), daemon=True)
    child.start()
    got = answers.get(timeout=30)
    child.join(timeout=30)
    assert got == 1 and forked.jobs_for(10, 2) == 2
