"""A small client for the USPTO Open Data Portal (ODP) bulk trademark files (``scanner corpus update``).

What it relies on (see ``docs/corpus.md``): a product listing at
``{base}/api/v1/datasets/products/{PRODUCT}?includeFiles=true`` with the header ``X-API-Key``, answering
``bulkDataProductBag[0].productFileBag.fileDataBag[]`` entries (``fileName``, ``fileSize``,
``fileDownloadURI``, ``fileDataFromDate``, ``fileDataToDate``); downloads answer with a redirect to the
storage. Rate limits: about 4 zip downloads a minute in US business hours, 12 off-peak (22:00-05:00 US
Eastern); HTTP 429 carries ``Retry-After``.

Standard library only (``urllib``). Downloads go to ``NAME.part`` and resume with HTTP ``Range`` after a
dropped connection (in the same run or the next one); the finished size must equal the listed size and a
zip must open, else the file is deleted and the run stops with one line.
"""

from __future__ import annotations

import datetime as _dt
import email.utils
import hashlib
import http.client
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import CorpusError
from ..numbers import ascii_digits

DEFAULT_BASE_URL = "https://api.uspto.gov"
BACKFILE_PRODUCT = "TRTYRAP"  # annual backfile: applications from 1884 to the end of last year (~80 zips)
DAILY_PRODUCT = "TRTDXFAP"  # daily application files of the current year (apcYYMMDD.zip)
KEY_ENV = "USPTO_API_KEY"
KEY_URL = "https://data.uspto.gov/apis/getting-started"

PEAK_PER_MINUTE = 4  # zip downloads a minute in US business hours
OFF_PEAK_PER_MINUTE = 12  # 22:00-05:00 US Eastern
MAX_RETRY_AFTER = 900.0  # never wait longer than this for one 429
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_DAILY_NAME = re.compile(r"^apc(\d{2})(\d{2})(\d{2})\.zip$", re.IGNORECASE)
_CHUNK = 256 * 1024


class PortalError(CorpusError):
    """The Open Data Portal refused, failed or served something unusable (one line, exit 1)."""


@dataclass(frozen=True)
class RemoteFile:
    """One file of a product listing."""

    name: str
    size: int
    url: str
    product: str
    from_date: str = ""  # ISO date (YYYY-MM-DD) or ""
    to_date: str = ""

    @property
    def date(self) -> str:
        """The date the file's data runs to (ISO), from the listing or else the ``apcYYMMDD`` name."""
        if self.to_date or self.from_date:
            return self.to_date or self.from_date
        m = _DAILY_NAME.match(self.name)
        return f"20{m.group(1)}-{m.group(2)}-{m.group(3)}" if m else ""


def missing_key_message() -> str:
    return (f"no USPTO API key: pass --api-key KEY or set {KEY_ENV} (a free key from the USPTO Open Data "
            f"Portal: {KEY_URL})")


def us_eastern_hour(now: _dt.datetime) -> int:
    """The hour in US Eastern time (zoneinfo when available, else UTC-5)."""
    try:
        from zoneinfo import ZoneInfo

        return now.astimezone(ZoneInfo("America/New_York")).hour
    except Exception:  # noqa: BLE001 - no tz database: standard time is close enough for a rate limit
        return (now.astimezone(_dt.UTC) - _dt.timedelta(hours=5)).hour


def downloads_per_minute(now: _dt.datetime) -> int:
    """The documented download rate limit at ``now``: 12 a minute off-peak (22:00-05:00 US Eastern), else 4."""
    hour = us_eastern_hour(now)
    return OFF_PEAK_PER_MINUTE if hour >= 22 or hour < 5 else PEAK_PER_MINUTE


class RateLimiter:
    """Spaces download requests so that no more than the documented number start in a minute.

    ``interval`` fixes the seconds between two starts (tests pass ``0``); by default it follows the time
    of day (:func:`downloads_per_minute`). ``sleep``/``clock`` are injectable.
    """

    def __init__(self, interval: float | None = None, *, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = interval
        self.sleep = sleep
        self.clock = clock
        self._last: float | None = None

    def current_interval(self) -> float:
        if self.interval is not None:
            return self.interval
        return 60.0 / downloads_per_minute(_dt.datetime.now(_dt.UTC))

    def wait(self) -> None:
        now = self.clock()
        if self._last is not None:
            delay = self._last + self.current_interval() - now
            if delay > 0:
                self.sleep(delay)
                now = self.clock()
        self._last = now


class _RedirectHandler(urllib.request.HTTPRedirectHandler):
    """Follow the portal's redirect to the storage, but never send the API key to another host."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and urllib.parse.urlsplit(newurl).netloc != urllib.parse.urlsplit(req.full_url).netloc:
            for name in list(new.headers):
                if name.lower() == "x-api-key":
                    del new.headers[name]
        return new


def _retry_after(value: str | None, default: float) -> float:
    if not value:
        return default
    value = value.strip()
    if ascii_digits(value):
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return default
    return max(0.0, (when - _dt.datetime.now(_dt.UTC)).total_seconds())


def _iso_date(value: Any) -> str:
    text = str(value or "").strip()
    m = re.match(r"^(\d{4})-?(\d{2})-?(\d{2})", text)
    return f"{m.group(1)}-{m.group(2)}-{m.group(3)}" if m else ""


def check_name(name: Any, product: str) -> str:
    """A file name from the listing, refused unless it is a plain file name (no folders, no ``..``)."""
    if not isinstance(name, str) or not _SAFE_NAME.match(name) or ".." in name:
        raise PortalError(f"the {product} listing names an unsafe or empty file name {name!r}; refusing it")
    return name


def parse_listing(data: Any, product: str) -> list[RemoteFile]:
    """The files of a product listing JSON (``bulkDataProductBag[0].productFileBag.fileDataBag``)."""
    try:
        bag = data["bulkDataProductBag"][0]
        entries = (bag.get("productFileBag") or {}).get("fileDataBag") or []
    except (KeyError, IndexError, TypeError, AttributeError):
        raise PortalError(f"the {product} listing is not in the expected shape (no "
                          "bulkDataProductBag[0].productFileBag.fileDataBag)") from None
    files = []
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        name = check_name(entry.get("fileName"), product)
        url = str(entry.get("fileDownloadURI") or "")
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise PortalError(f"the {product} listing gives {name} a download address that is not http(s): {url!r}")
        try:
            size = int(entry.get("fileSize"))
        except (TypeError, ValueError):
            raise PortalError(f"the {product} listing gives {name} no usable fileSize") from None
        files.append(RemoteFile(name=name, size=size, url=url, product=product,
                                from_date=_iso_date(entry.get("fileDataFromDate")),
                                to_date=_iso_date(entry.get("fileDataToDate"))))
    return files


def sha256_file(path: Path, bar: Any = None) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            if bar is not None:
                bar.update(len(block))
    return digest.hexdigest()


class PortalClient:
    """Lists products and downloads their files, with the API key, rate limits, retries and resume."""

    def __init__(self, api_key: str, base_url: str = DEFAULT_BASE_URL, *, limiter: RateLimiter | None = None,
                 sleep: Callable[[float], None] = time.sleep, retries: int = 5, backoff: float = 2.0,
                 timeout: float = 120.0) -> None:
        self.api_key = api_key
        self.base_url = base_url.rstrip("/")
        self.limiter = limiter or RateLimiter(sleep=sleep)
        self.sleep = sleep
        self.retries = retries
        self.backoff = backoff
        self.timeout = timeout
        self._opener = urllib.request.build_opener(_RedirectHandler)

    # -- HTTP -------------------------------------------------------------------------------------------
    def _request(self, url: str, headers: dict[str, str] | None = None) -> urllib.request.Request:
        req = urllib.request.Request(url)
        req.add_header("X-API-Key", self.api_key)
        req.add_header("User-Agent", f"scanner/{__version__} (corpus update)")
        for key, value in (headers or {}).items():
            req.add_header(key, value)
        return req

    def _open(self, url: str, what: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
        """Open ``url``, waiting out 429s (``Retry-After``) and retrying 5xx and network errors."""
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            try:
                return self._opener.open(self._request(url, headers), timeout=self.timeout)
            except urllib.error.HTTPError as exc:
                exc.close()
                if exc.code in (401, 403):
                    raise PortalError(
                        f"the USPTO Open Data Portal refused the API key (HTTP {exc.code}) for {what}; check "
                        f"--api-key / {KEY_ENV}, or get a key at {KEY_URL}") from None
                if exc.code == 429 and not last:
                    self.sleep(min(_retry_after(exc.headers.get("Retry-After"), 60.0), MAX_RETRY_AFTER))
                    continue
                if exc.code >= 500 and not last:
                    self.sleep(self.backoff * 2 ** attempt)
                    continue
                if exc.code == 416 and headers and "Range" in headers:
                    raise
                raise PortalError(f"{what}: HTTP {exc.code} {exc.reason} from {url}") from None
            except (urllib.error.URLError, OSError) as exc:
                if last:
                    reason = getattr(exc, "reason", exc)
                    raise PortalError(f"cannot reach the USPTO Open Data Portal for {what} ({url}): {reason}"
                                      ) from None
                self.sleep(self.backoff * 2 ** attempt)
        raise AssertionError("unreachable")

    # -- listing ----------------------------------------------------------------------------------------
    def list_files(self, product: str) -> list[RemoteFile]:
        """The ``.zip`` files of ``product``, as the portal lists them."""
        url = f"{self.base_url}/api/v1/datasets/products/{urllib.parse.quote(product)}?includeFiles=true"
        with self._open(url, f"the {product} listing", {"Accept": "application/json"}) as resp:
            raw = resp.read()
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise PortalError(f"the {product} listing is not JSON: {exc}") from None
        return [f for f in parse_listing(data, product) if f.name.lower().endswith(".zip")]

    # -- download ---------------------------------------------------------------------------------------
    def download(self, remote: RemoteFile, folder: Path, bar: Any = None) -> Path:
        """Download ``remote`` into ``folder`` (resuming a ``.part``), check its size and that it is a zip.

        A file already there with the listed size is kept as it is.
        """
        folder.mkdir(parents=True, exist_ok=True)
        final = folder / check_name(remote.name, remote.product)
        part = folder / f"{remote.name}.part"
        if final.is_file():
            if final.stat().st_size == remote.size:
                if bar is not None:
                    bar.update(remote.size)
                return final
            final.unlink()
        done = part.stat().st_size if part.is_file() else 0
        if bar is not None and done:
            bar.update(min(done, remote.size))
        problem = ""
        for attempt in range(self.retries + 1):
            done = part.stat().st_size if part.is_file() else 0
            if done > remote.size:
                part.unlink()
                raise PortalError(f"downloaded {remote.name} is {done:,} bytes, more than the {remote.size:,} "
                                  "the portal lists; deleted it (run again, or report it if it repeats)")
            if done == remote.size:
                break
            if attempt:
                self.sleep(self.backoff * 2 ** (attempt - 1))
            self.limiter.wait()
            headers = {"Range": f"bytes={done}-"} if done else None
            try:
                resp = self._open(remote.url, f"the download of {remote.name}", headers)
            except urllib.error.HTTPError:  # 416: the part is no prefix the server knows; start over
                part.unlink(missing_ok=True)
                if bar is not None and hasattr(bar, "reset"):
                    bar.reset(total=remote.size)
                problem = "the server refused to resume"
                continue
            with resp:
                start = 0
                if done and resp.status == 206:
                    m = re.match(r"bytes (\d+)-", resp.headers.get("Content-Range", ""))
                    start = int(m.group(1)) if m else -1
                if start != done:  # a full answer (200) or a range we did not ask for: start over
                    part.unlink(missing_ok=True)
                    done = 0
                    if bar is not None and hasattr(bar, "reset"):
                        bar.reset(total=remote.size)
                try:
                    with open(part, "ab") as out:
                        while chunk := resp.read(_CHUNK):
                            out.write(chunk)
                            if bar is not None:
                                bar.update(len(chunk))
                            if out.tell() > remote.size:
                                break
                except (http.client.HTTPException, OSError) as exc:
                    problem = f"the connection dropped ({type(exc).__name__})"
                    continue
            problem = "the server sent fewer bytes than listed"
        size = part.stat().st_size if part.is_file() else 0
        if size != remote.size:
            if size > remote.size:
                part.unlink(missing_ok=True)
                raise PortalError(f"downloaded {remote.name} is {size:,} bytes, more than the {remote.size:,} the "
                                  "portal lists; deleted it (run again, or report it if it repeats)")
            raise PortalError(f"download of {remote.name} incomplete: {size:,} of {remote.size:,} bytes after "
                              f"{self.retries + 1} attempts ({problem}); run again to resume")
        try:
            with zipfile.ZipFile(part) as archive:
                if not archive.namelist():
                    raise zipfile.BadZipFile("empty archive")
        except (zipfile.BadZipFile, OSError) as exc:
            part.unlink(missing_ok=True)
            raise PortalError(f"downloaded {remote.name} ({size:,} bytes, the listed size) is not a valid zip "
                              f"({exc}); deleted it, run again to download it anew") from None
        part.replace(final)
        return final
