"""``scanner corpus update``: the USPTO Open Data Portal client and the incremental corpus update, against a
local HTTP server started by the test (no network) that answers in the portal's shape."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import json
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from scanner.cli import cli
from scanner.corpus import build_corpus, load_corpus, odp
from scanner.corpus.odp import PortalClient, PortalError, RateLimiter, downloads_per_minute, parse_listing
from scanner.corpus.update import update_corpus
from scanner.errors import ConfigError, CorpusError

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "uspto"
DAY1, DAY2 = FIXTURES / "apc250101.zip", FIXTURES / "apc250102.zip"
KEY = "test-key-123"
BACKFILE_NAME = "apc18840407-20241231-01.zip"


def _fixture_module():
    spec = importlib.util.spec_from_file_location("uspto_make_fixtures", FIXTURES / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def day3_zip() -> bytes:
    """A third daily file: GLIMMERWICK (99000001) revived by a newer transaction, and a new fictitious mark."""
    mk = _fixture_module()
    revived = mk.GLIMMERWICK_2.replace("<transaction-date>20250102", "<transaction-date>20250103").replace(
        "<status-code>602</status-code>", "<status-code>630</status-code>")
    new = mk.case_file("99000011", txn="20250103", filing="20241220", status="630", mark="QUORBEL GLOW",
                       drawing="4000", statements=[("GS0111", "Lamps")], classes=[(["011"], "021", "011")],
                       owners=[(10, 1, "Quorbel Test Housewares LLC", "NY", "Albany")])
    return _zip("apc250103.xml", mk.daily("202501032200", [("NA", [revived, new])]))


def _zip(member: str, text: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo(member, date_time=(2025, 1, 3, 22, 0, 0)), text)
    return buf.getvalue()


class Portal:
    """What the fake portal serves and what it saw."""

    def __init__(self) -> None:
        self.products: dict[str, list[dict]] = {"TRTYRAP": [], "TRTDXFAP": []}
        self.blobs: dict[str, bytes] = {}
        self.listed_size: dict[str, int] = {}  # a wrong fileSize in the listing
        self.drop_once: dict[str, int] = {}  # name -> bytes sent before the connection drops (once)
        self.too_many: dict[str, int] = {}  # path prefix -> number of 429 answers before success
        self.log: list[tuple[str, dict]] = []
        self.port = 0

    def add(self, product: str, name: str, data: bytes, date: str) -> None:
        self.blobs[name] = data
        self.products[product].append({"name": name, "date": date})

    def listing(self, product: str) -> dict:
        files = [{
            "fileName": f["name"],
            "fileSize": self.listed_size.get(f["name"], len(self.blobs[f["name"]])),
            "fileDownloadURI": f"http://127.0.0.1:{self.port}/api/v1/datasets/products/files/{product}/{f['name']}",
            "fileDataFromDate": f["date"],
            "fileDataToDate": f["date"],
            "fileTypeText": "Data",
        } for f in self.products[product]]
        return {"count": 1, "bulkDataProductBag": [{
            "productIdentifier": product,
            "productTotalFileSize": sum(f["fileSize"] for f in files),
            "productFileBag": {"count": len(files), "fileDataBag": files},
        }]}


def _handler(portal: Portal):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # quiet
            pass

        def _send(self, code: int, body: bytes = b"", headers: dict | None = None) -> None:
            self.send_response(code)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):  # noqa: N802 - http.server's name
            path = self.path.split("?")[0]
            portal.log.append((path, {k.lower(): v for k, v in self.headers.items()}))
            for prefix, left in list(portal.too_many.items()):
                if path.startswith(prefix) and left > 0:
                    portal.too_many[prefix] = left - 1
                    return self._send(429, b'{"error": "too many requests"}', {"Retry-After": "7"})
            if path.startswith("/storage/"):
                return self._storage(path.rsplit("/", 1)[1])
            if self.headers.get("X-API-Key") != KEY:
                return self._send(403, b'{"message": "Forbidden"}')
            parts = path.strip("/").split("/")
            if parts[:4] == ["api", "v1", "datasets", "products"] and len(parts) == 5:
                body = json.dumps(portal.listing(parts[4])).encode()
                return self._send(200, body, {"Content-Type": "application/json"})
            if parts[:5] == ["api", "v1", "datasets", "products", "files"] and len(parts) == 7:
                # the portal redirects downloads to its storage (another host: localhost, not 127.0.0.1)
                return self._send(302, headers={"Location": f"http://localhost:{portal.port}/storage/{parts[6]}"})
            return self._send(404)

        def _storage(self, name: str) -> None:
            data = portal.blobs.get(name)
            if data is None:
                return self._send(404)
            start = 0
            rng = self.headers.get("Range")
            if rng:
                start = int(rng.split("=")[1].split("-")[0])
                body = data[start:]
                headers = {"Content-Range": f"bytes {start}-{len(data) - 1}/{len(data)}"}
                code = 206
            else:
                body, headers, code = data, {}, 200
            cut = portal.drop_once.pop(name, None)
            if cut is not None:  # promise the whole body, send part of it, drop the connection
                self.send_response(code)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[:cut])
                self.wfile.flush()
                self.close_connection = True
                return None
            return self._send(code, body, headers)

    return Handler


@pytest.fixture
def portal():
    state = Portal()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    state.add("TRTYRAP", BACKFILE_NAME, DAY1.read_bytes(), "2024-12-31")
    state.add("TRTDXFAP", "apc250102.zip", DAY2.read_bytes(), "2025-01-02")
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def sleeps():
    return []


def client_for(portal: Portal, sleeps: list, key: str = KEY) -> PortalClient:
    return PortalClient(key, f"http://127.0.0.1:{portal.port}", limiter=RateLimiter(0, sleep=sleeps.append),
                        sleep=sleeps.append, retries=3, backoff=0.001)


def marks_of(corpus) -> set[tuple]:
    cols = ["serial_number", "mark", "status", "status_code", "owner", "nice_classes", "source"]
    return set(corpus.marks[cols].itertuples(index=False, name=None))


def named(tmp_path: Path, files: dict[str, bytes]) -> list[Path]:
    """The files as the portal names them (the corpus records the file name as each mark's source)."""
    folder = tmp_path / "expected-sources"
    folder.mkdir(exist_ok=True)
    out = []
    for name, data in files.items():
        (folder / name).write_bytes(data)
        out.append(folder / name)
    return out


def downloads(portal: Portal) -> list[str]:
    return [p for p, _ in portal.log if p.startswith("/storage/")]


def test_first_update_downloads_backfile_then_dailies_and_matches_a_build(tmp_path, portal, sleeps):
    folder = tmp_path / "us"
    result = update_corpus(folder, client=client_for(portal, sleeps))
    corpus_dir = folder / "corpus"
    assert result.corpus_dir == corpus_dir and not result.up_to_date
    # the listing calls carry the key; backfile listed before the dailies
    listings = [(p, h) for p, h in portal.log if "/products/" in p and "/files/" not in p]
    assert [p.rsplit("/", 1)[1] for p, _ in listings] == ["TRTYRAP", "TRTDXFAP"]
    assert all(h.get("x-api-key") == KEY for _, h in listings)
    # the key goes to the portal, never to the storage host it redirects to
    storage = [h for p, h in portal.log if p.startswith("/storage/")]
    assert len(storage) == 2 and not any("x-api-key" in h for h in storage)
    assert sorted(p.name for p in (folder / "downloads").iterdir()) == [BACKFILE_NAME, "apc250102.zip"]
    # same marks as `corpus build` of the same files in the same order
    expected = build_corpus(named(tmp_path, {BACKFILE_NAME: DAY1.read_bytes(), "apc250102.zip": DAY2.read_bytes()}),
                            tmp_path / "expected")
    got = load_corpus(corpus_dir)
    assert marks_of(got) == marks_of(expected) and len(got) == len(expected) == 4
    meta = json.loads((corpus_dir / "corpus.json").read_text(encoding="utf-8"))
    state = meta["update"]
    assert [a["name"] for a in state["applied"]] == [BACKFILE_NAME, "apc250102.zip"]
    assert [a["product"] for a in state["applied"]] == ["TRTYRAP", "TRTDXFAP"]
    assert state["applied"][1]["size"] == DAY2.stat().st_size
    assert state["applied"][1]["sha256"] == odp.sha256_file(DAY2)
    assert state["last_daily"] == {"name": "apc250102.zip", "date": "2025-01-02"}
    assert not any(p.name.startswith(".") for p in folder.iterdir())  # no build leftovers


def test_second_update_applies_nothing_and_changes_nothing(tmp_path, portal, sleeps, capsys):
    folder = tmp_path / "us"
    update_corpus(folder, client=client_for(portal, sleeps))
    meta_before = (folder / "corpus" / "corpus.json").read_bytes()
    marks_before = (folder / "corpus" / "marks.parquet").read_bytes()
    n_downloads = len(downloads(portal))
    from scanner.progress import Progress

    result = update_corpus(folder, client=client_for(portal, sleeps), progress=Progress())
    assert result.up_to_date and result.applied == []
    assert "nothing new" in capsys.readouterr().err
    assert len(downloads(portal)) == n_downloads  # nothing downloaded
    assert (folder / "corpus" / "corpus.json").read_bytes() == meta_before
    assert (folder / "corpus" / "marks.parquet").read_bytes() == marks_before


def test_a_new_daily_is_applied_on_the_next_run_newest_transaction_wins(tmp_path, portal, sleeps):
    folder = tmp_path / "us"
    update_corpus(folder, client=client_for(portal, sleeps))
    glimmer = load_corpus(folder / "corpus").marks.set_index("serial_number").loc["99000001"]
    assert glimmer["status"] == "dead"  # apc250102: abandoned
    data3 = day3_zip()
    portal.add("TRTDXFAP", "apc250103.zip", data3, "2025-01-03")
    result = update_corpus(folder, client=client_for(portal, sleeps))
    assert [a["name"] for a in result.applied] == ["apc250103.zip"]
    assert downloads(portal)[-1] == "/storage/apc250103.zip" and len(downloads(portal)) == 3  # only the new one
    expected = build_corpus(named(tmp_path, {BACKFILE_NAME: DAY1.read_bytes(), "apc250102.zip": DAY2.read_bytes(),
                                             "apc250103.zip": data3}), tmp_path / "expected")
    got = load_corpus(folder / "corpus")
    assert len(got) == len(expected) == 5
    assert marks_of(got) == marks_of(expected)  # incremental update == full build
    marks = got.marks.set_index("serial_number")
    assert marks.loc["99000001", "status_code"] == "630" and marks.loc["99000011", "mark"] == "QUORBEL GLOW"
    state = got.info["update"]
    assert [a["name"] for a in state["applied"]] == [BACKFILE_NAME, "apc250102.zip", "apc250103.zip"]
    assert state["last_daily"] == {"name": "apc250103.zip", "date": "2025-01-03"}


def test_dailies_are_applied_in_date_order_whatever_the_listing_order(tmp_path, portal, sleeps):
    portal.products["TRTDXFAP"] = []
    portal.add("TRTDXFAP", "apc250103.zip", day3_zip(), "2025-01-03")
    portal.add("TRTDXFAP", "apc250102.zip", DAY2.read_bytes(), "2025-01-02")
    result = update_corpus(tmp_path / "us", client=client_for(portal, sleeps))
    assert [a["name"] for a in result.applied] == [BACKFILE_NAME, "apc250102.zip", "apc250103.zip"]
    assert load_corpus(tmp_path / "us" / "corpus").marks.set_index("serial_number").loc[
        "99000001", "status_code"] == "630"


def test_an_interrupted_download_resumes_with_a_range_request(tmp_path, portal, sleeps):
    size = DAY2.stat().st_size
    portal.drop_once["apc250102.zip"] = 500
    update_corpus(tmp_path / "us", client=client_for(portal, sleeps))
    tries = [h for p, h in portal.log if p == "/storage/apc250102.zip"]
    assert len(tries) == 2 and "range" not in tries[0] and tries[1]["range"] == "bytes=500-"
    assert (tmp_path / "us" / "downloads" / "apc250102.zip").read_bytes() == DAY2.read_bytes()
    assert size > 500


def test_a_part_file_left_by_an_earlier_run_is_resumed(tmp_path, portal, sleeps):
    dl = tmp_path / "us" / "downloads"
    dl.mkdir(parents=True)
    (dl / "apc250102.zip.part").write_bytes(DAY2.read_bytes()[:700])
    update_corpus(tmp_path / "us", client=client_for(portal, sleeps))
    tries = [h for p, h in portal.log if p == "/storage/apc250102.zip"]
    assert [h.get("range") for h in tries] == ["bytes=700-"]
    assert (dl / "apc250102.zip").read_bytes() == DAY2.read_bytes() and not (dl / "apc250102.zip.part").exists()


def test_a_corrupt_download_stops_with_one_line_and_keeps_the_old_corpus(tmp_path, portal, sleeps):
    folder = tmp_path / "us"
    update_corpus(folder, client=client_for(portal, sleeps))
    before = load_corpus(folder / "corpus")
    meta_before = (folder / "corpus" / "corpus.json").read_bytes()
    bad = b"PK\x03\x04 this is not really a zip file" + b"x" * 300
    portal.add("TRTDXFAP", "apc250103.zip", bad, "2025-01-03")
    with pytest.raises(PortalError, match=r"apc250103.zip .*not a valid zip") as err:
        update_corpus(folder, client=client_for(portal, sleeps))
    assert "\n" not in str(err.value)
    assert not (folder / "downloads" / "apc250103.zip").exists()
    assert not (folder / "downloads" / "apc250103.zip.part").exists()
    assert (folder / "corpus" / "corpus.json").read_bytes() == meta_before
    assert marks_of(load_corpus(folder / "corpus")) == marks_of(before)


def test_a_download_of_the_wrong_size_stops_with_one_line(tmp_path, portal, sleeps):
    portal.listed_size["apc250102.zip"] = DAY2.stat().st_size + 100  # the server sends fewer bytes than listed
    with pytest.raises(PortalError, match=r"apc250102.zip incomplete: .* of .* bytes"):
        update_corpus(tmp_path / "us", client=client_for(portal, sleeps))
    assert not (tmp_path / "us" / "corpus").exists()
    portal.listed_size["apc250102.zip"] = DAY2.stat().st_size - 100  # ... or more
    with pytest.raises(PortalError, match=r"more than the .* the portal lists"):
        update_corpus(tmp_path / "us", client=client_for(portal, sleeps))


def test_a_failed_build_keeps_the_old_corpus_usable(tmp_path, portal, sleeps):
    folder = tmp_path / "us"
    update_corpus(folder, client=client_for(portal, sleeps))
    meta_before = (folder / "corpus" / "corpus.json").read_bytes()
    # a valid zip of the listed size whose XML is not a USPTO trademark file: fails while compiling
    portal.add("TRTDXFAP", "apc250103.zip", _zip("apc250103.xml", "<html><body>maintenance</body></html>"),
               "2025-01-03")
    with pytest.raises(CorpusError, match="apc250103.zip.*not a USPTO trademark XML file") as err:
        update_corpus(folder, client=client_for(portal, sleeps))
    assert "deleted the download" in str(err.value) and "\n" not in str(err.value)
    assert not (folder / "downloads" / "apc250103.zip").exists()  # fetched anew next time
    assert (folder / "corpus" / "corpus.json").read_bytes() == meta_before
    assert len(load_corpus(folder / "corpus")) == 4
    assert not any(p.name.startswith(".") for p in folder.iterdir())
    # the next run, with the file fixed on the portal, applies it
    portal.blobs["apc250103.zip"] = day3_zip()
    result = update_corpus(folder, client=client_for(portal, sleeps))
    assert [a["name"] for a in result.applied] == ["apc250103.zip"] and len(load_corpus(folder / "corpus")) == 5


def test_http_429_waits_for_retry_after_then_succeeds(tmp_path, portal, sleeps):
    portal.too_many["/api/v1/datasets/products/TRTDXFAP"] = 1
    portal.too_many["/storage/apc250102.zip"] = 2
    update_corpus(tmp_path / "us", client=client_for(portal, sleeps))
    assert sleeps.count(7.0) == 3  # Retry-After: 7, each time
    assert (tmp_path / "us" / "corpus" / "corpus.json").is_file()


def test_http_429_that_never_ends_is_one_line(tmp_path, portal, sleeps):
    portal.too_many["/api/v1/datasets/products/TRTYRAP"] = 100
    with pytest.raises(PortalError, match="HTTP 429"):
        update_corpus(tmp_path / "us", client=client_for(portal, sleeps))


def test_rate_limiter_spaces_downloads():
    waits, now = [], [100.0]
    limiter = RateLimiter(15.0, sleep=lambda s: (waits.append(s), now.__setitem__(0, now[0] + s)),
                          clock=lambda: now[0])
    limiter.wait()
    now[0] += 4.0
    limiter.wait()
    now[0] += 20.0
    limiter.wait()
    assert waits == [11.0]
    # documented limits: 4 a minute in US business hours, 12 off-peak (22:00-05:00 US Eastern)
    assert downloads_per_minute(dt.datetime(2025, 1, 15, 15, 0, tzinfo=dt.UTC)) == 4  # 10:00 EST
    assert downloads_per_minute(dt.datetime(2025, 1, 15, 4, 0, tzinfo=dt.UTC)) == 12  # 23:00 EST
    assert downloads_per_minute(dt.datetime(2025, 7, 15, 9, 30, tzinfo=dt.UTC)) == 4  # 05:30 EDT
    assert downloads_per_minute(dt.datetime(2025, 7, 15, 8, 30, tzinfo=dt.UTC)) == 12  # 04:30 EDT


def test_listing_names_are_untrusted():
    def listing(name, url="https://example.invalid/f"):
        return {"bulkDataProductBag": [{"productFileBag": {"fileDataBag": [
            {"fileName": name, "fileSize": 10, "fileDownloadURI": url}]}}]}

    for name in ("../evil.zip", "a/b.zip", "..", "", ".hidden.zip", None):
        with pytest.raises(PortalError, match="unsafe or empty file name"):
            parse_listing(listing(name), "TRTDXFAP")
    with pytest.raises(PortalError, match="not http"):
        parse_listing(listing("apc250101.zip", "file:///etc/passwd"), "TRTDXFAP")
    with pytest.raises(PortalError, match="expected shape"):
        parse_listing({"products": []}, "TRTDXFAP")
    (remote,) = parse_listing(listing("apc250101.zip"), "TRTDXFAP")
    assert remote.date == "2025-01-01" and remote.size == 10


def test_since_skips_the_backfile(tmp_path, portal, sleeps):
    portal.add("TRTDXFAP", "apc250103.zip", day3_zip(), "2025-01-03")
    result = update_corpus(tmp_path / "us", since="2025-01-03", client=client_for(portal, sleeps))
    assert [a["name"] for a in result.applied] == ["apc250103.zip"]
    assert not any("TRTYRAP" in p for p, _ in portal.log)
    assert set(load_corpus(tmp_path / "us" / "corpus").marks["serial_number"]) == {"99000001", "99000011"}


def test_prune_deletes_applied_downloads_and_later_runs_still_apply_only_new_dailies(tmp_path, portal, sleeps):
    folder = tmp_path / "us"
    update_corpus(folder, prune=True, client=client_for(portal, sleeps))
    assert list((folder / "downloads").iterdir()) == [] and len(load_corpus(folder / "corpus")) == 4
    assert update_corpus(folder, prune=True, client=client_for(portal, sleeps)).up_to_date
    portal.add("TRTDXFAP", "apc250103.zip", day3_zip(), "2025-01-03")
    result = update_corpus(folder, prune=True, client=client_for(portal, sleeps))
    assert [a["name"] for a in result.applied] == ["apc250103.zip"] and len(downloads(portal)) == 3
    assert len(load_corpus(folder / "corpus")) == 5


def test_full_rebuilds_from_the_backfile_reusing_downloads(tmp_path, portal, sleeps):
    folder = tmp_path / "us"
    update_corpus(folder, client=client_for(portal, sleeps))
    portal.add("TRTDXFAP", "apc250103.zip", day3_zip(), "2025-01-03")
    result = update_corpus(folder, full=True, client=client_for(portal, sleeps))
    assert [a["name"] for a in result.applied] == [BACKFILE_NAME, "apc250102.zip", "apc250103.zip"]
    assert len(downloads(portal)) == 3  # the two already there were not fetched again
    state = load_corpus(folder / "corpus").info["update"]
    assert [a["name"] for a in state["applied"]] == [BACKFILE_NAME, "apc250102.zip", "apc250103.zip"]
    assert len(load_corpus(folder / "corpus")) == 5


def test_new_year_says_to_rebuild_with_full(tmp_path, portal, sleeps):
    folder = tmp_path / "us"
    update_corpus(folder, client=client_for(portal, sleeps))
    portal.products["TRTDXFAP"] = []  # January: only the new year's dailies are listed
    portal.add("TRTDXFAP", "apc260106.zip", day3_zip(), "2026-01-06")
    result = update_corpus(folder, client=client_for(portal, sleeps))
    assert [a["name"] for a in result.applied] == ["apc260106.zip"]
    assert len(result.notes) == 1 and "--full" in result.notes[0] and "2026" in result.notes[0]


def test_one_update_at_a_time_and_recovery_after_a_kill(tmp_path, portal, sleeps):
    import os
    import subprocess
    import sys

    folder = tmp_path / "us"
    update_corpus(folder, client=client_for(portal, sleeps))
    (folder / ".update.lock").write_text(str(os.getpid()), encoding="ascii")  # a live process holds it
    with pytest.raises(CorpusError, match="another `scanner corpus update`"):
        update_corpus(folder, client=client_for(portal, sleeps))
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()
    (folder / ".update.lock").write_text(gone, encoding="ascii")  # left by a process that is gone
    # killed between the two renames of the swap: the old corpus was moved aside, a new one half-built
    (folder / "corpus").rename(folder / ".corpus.old-12345")
    (folder / ".corpus.new-12345").mkdir()
    assert update_corpus(folder, client=client_for(portal, sleeps)).up_to_date
    assert len(load_corpus(folder / "corpus")) == 4
    assert not any(p.name.startswith(".") for p in folder.iterdir())


def test_status_cannot_change_without_full(tmp_path, portal, sleeps):
    update_corpus(tmp_path / "us", statuses=["live"], client=client_for(portal, sleeps))
    assert set(load_corpus(tmp_path / "us" / "corpus").marks["status"]) == {"live"}
    with pytest.raises(ConfigError, match="only with --full"):
        update_corpus(tmp_path / "us", statuses=["dead"], client=client_for(portal, sleeps))


# -- the command line --------------------------------------------------------------------------------------

def run(*args, env=None):
    return CliRunner().invoke(cli, [str(a) for a in args], env=env)


def test_cli_missing_key_is_one_line_naming_where_to_get_one(tmp_path, monkeypatch):
    monkeypatch.delenv("USPTO_API_KEY", raising=False)
    result = run("corpus", "update", tmp_path / "us", "--base-url", "http://127.0.0.1:9")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "USPTO_API_KEY" in lines[0] and "https://data.uspto.gov/apis/getting-started" in lines[0]
    assert not (tmp_path / "us").exists()


def test_cli_wrong_key_is_one_line(tmp_path, portal, monkeypatch):
    monkeypatch.delenv("USPTO_API_KEY", raising=False)
    result = run("corpus", "update", tmp_path / "us", "--api-key", "wrong", "--base-url",
                 f"http://127.0.0.1:{portal.port}", "--quiet")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "refused the API key (HTTP 403)" in lines[0], result.output


def test_cli_update_with_the_key_from_the_environment_then_nothing_new(tmp_path, portal, monkeypatch):
    monkeypatch.setattr(odp, "downloads_per_minute", lambda now: 60_000)  # no real waiting in tests
    monkeypatch.setenv("USPTO_API_KEY", KEY)
    base = f"http://127.0.0.1:{portal.port}"
    result = run("corpus", "update", tmp_path / "us", "--base-url", base)
    assert result.exit_code == 0, result.output
    assert "applied 2 file(s) (1 backfile, 1 daily); newest daily apc250102.zip (2025-01-02); 4 marks" in result.output
    again = run("corpus", "update", tmp_path / "us", "--base-url", base)
    assert again.exit_code == 0 and "nothing new" in again.output
    info = run("corpus", "info", tmp_path / "us" / "corpus")
    assert "by `scanner corpus update`" in info.output and "2 files applied" in info.output


def test_real_daily_excerpt_through_the_portal(tmp_path, portal, sleeps, shared_data):
    excerpt = shared_data / "uspto" / "apc180218_excerpt_seed.zip"
    if not excerpt.is_file():
        pytest.skip(f"needs {excerpt}")
    portal.products["TRTDXFAP"] = []
    portal.add("TRTDXFAP", "apc180218.zip", excerpt.read_bytes(), "2018-02-18")
    update_corpus(tmp_path / "us", client=client_for(portal, sleeps))
    expected = build_corpus(named(tmp_path, {BACKFILE_NAME: DAY1.read_bytes(), "apc180218.zip": excerpt.read_bytes()}),
                            tmp_path / "expected")
    got = load_corpus(tmp_path / "us" / "corpus")
    assert len(got) == len(expected) > 4
    assert marks_of(got) == marks_of(expected)


def test_finish_runs_on_the_new_folder_before_the_swap_and_a_failure_keeps_the_old_corpus(tmp_path, portal, sleeps):
    folder = tmp_path / "us"
    seen = []

    def finish(new_dir, progress):
        # the complete new corpus, still beside the old one
        seen.append((new_dir.name, (new_dir / "corpus.json").is_file(), (folder / "corpus").exists()))

    update_corpus(folder, client=client_for(portal, sleeps), finish=finish)
    assert len(seen) == 1 and seen[0][0].startswith(".corpus.new-") and seen[0][1:] == (True, False)
    assert not (folder / "corpus" / "index").exists()  # the library alone prepares no match index
    before = (folder / "corpus" / "marks.parquet").read_bytes()
    portal.add("TRTDXFAP", "apc250103.zip", day3_zip(), "2025-01-03")

    def broken(new_dir, progress):
        raise CorpusError("index preparation failed", path=new_dir)

    with pytest.raises(CorpusError, match="index preparation failed"):
        update_corpus(folder, client=client_for(portal, sleeps), finish=broken)
    assert (folder / "corpus" / "marks.parquet").read_bytes() == before
    assert not any(p.name.startswith(".corpus.new") for p in folder.iterdir())


def test_cli_update_prepares_the_match_index_like_corpus_build(tmp_path, portal, monkeypatch):
    monkeypatch.setattr(odp, "downloads_per_minute", lambda now: 60_000)
    monkeypatch.setenv("USPTO_API_KEY", KEY)
    result = run("corpus", "update", tmp_path / "us", "--base-url", f"http://127.0.0.1:{portal.port}", "-q")
    assert result.exit_code == 0, result.output
    index = tmp_path / "us" / "corpus" / "index"
    built = run("corpus", "build", *sorted((tmp_path / "us" / "downloads").iterdir()), "--out", tmp_path / "b", "-q")
    assert built.exit_code == 0, built.output
    for name in ("key_mark.npy", "record_key.npy", "fuzzy_sig.npy", "keys.parquet"):
        assert (index / name).read_bytes() == (tmp_path / "b" / "index" / name).read_bytes(), name
