"""Seller profile (``seller.toml``) and scan configuration.

The profile format is a fixed contract (see README): a ``[seller]`` table with ``name``, ``marketplace``,
``own_brands``, ``authorized_brands`` and optional ``own_brands_file`` / ``authorized_brands_file``
(one brand per line, relative to the TOML file), ``watchlist_file``, ``marketplaces`` (other marketplaces
the seller sells on) and ``shop`` (the shop domain or account that product-page links need). Marketplace
codes and their jurisdictions come from the one table, :data:`scanner.jurisdictions.MARKETPLACES`.

Outside ``[seller]`` only tables are allowed (a table of the seller's own, such as ``[notes]``, is left
alone); a key written above the ``[seller]`` line would belong to no table and be ignored, so it is an error.
The seller name is compared without the spaces around it (it files the decisions in the scan history).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import jurisdictions as _jur
from .errors import ConfigError, read_bytes
from .text import brand_key

#: The profile's marketplace codes: code -> (Amazon product-page host, or "" where Amazon has no store;
#: jurisdictions whose marks count there). A view of the one table, :data:`scanner.jurisdictions.MARKETPLACES`
#: (with its other spellings such as ``UK``), kept for callers of the older name.
MARKETPLACES: dict[str, tuple[str, tuple[str, ...]]] = {
    code: (market.amazon, market.jurisdictions)
    for code, market in [*_jur.MARKETPLACES.items(),
                         *((alias, _jur.MARKETPLACES[target]) for alias, target in _jur.ALIASES.items()
                           if target in _jur.MARKETPLACES)]
}

#: Platforms whose product-page URL holds the seller's shop (a domain or an account): the keys of a
#: ``shop`` table in the profile (``scanner.links.product_url``).
SHOP_PLATFORMS: tuple[str, ...] = ("shopify", "woocommerce", "rakuten", "yahoo-jp", "shein")
_SHOP = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._~-]*)(?:/[A-Za-z0-9._~-]+)*")

_SELLER_KEYS = {
    "name",
    "marketplace",
    "own_brands",
    "authorized_brands",
    "own_brands_file",
    "authorized_brands_file",
    "watchlist_file",
    "marketplaces",
    "shop",
}


@dataclass(frozen=True)
class SellerProfile:
    """Who is selling: the marks they own or are authorized for are never a risk."""

    name: str = ""
    marketplace: str = "US"
    own_brands: tuple[str, ...] = ()
    authorized_brands: tuple[str, ...] = ()
    source: str | None = None  # the TOML file it came from, if any
    watchlist: str | None = None  # watch list CSV (``watchlist_file``, resolved), if any
    #: other marketplaces the seller sells on: codes (``DE``), store domains (``mercadolibre.com.br``) or
    #: ``shein:XX`` (see :func:`scanner.jurisdictions.marketplace`); their jurisdictions count too
    marketplaces: tuple[str, ...] = ()
    #: the seller's shop on platforms whose product URLs hold it: ``(("", "myshop.example"),)`` for every
    #: such platform, or per platform ``(("shopify", "acme.myshopify.com"), ("rakuten", "acme"))``
    shops: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if isinstance(self.name, str):
            object.__setattr__(self, "name", self.name.strip())
        code = _jur.profile_code(self.marketplace if isinstance(self.marketplace, str) else "")
        if not code:
            raise ConfigError(
                f"unknown marketplace {self.marketplace!r}; use one of {', '.join(sorted(MARKETPLACES))}",
                path=self.source,
            )
        object.__setattr__(self, "marketplace", code)
        markets = (self.marketplaces,) if isinstance(self.marketplaces, str) else tuple(self.marketplaces)
        for value in markets:
            if not isinstance(value, str) or _jur.marketplace(value) is None:
                raise ConfigError(
                    f"[seller] marketplaces: unknown marketplace {value!r}; use a code such as \"DE\", a store "
                    "domain such as \"mercadolibre.com.br\", or \"shein:XX\" with the country sold to",
                    path=self.source,
                )
        object.__setattr__(self, "marketplaces", tuple(dict.fromkeys(v.strip() for v in markets)))
        shops = []
        for platform, shop in self.shops:
            if platform and platform not in SHOP_PLATFORMS:
                raise ConfigError(f"[seller] shop: unknown platform {platform!r}; use one of "
                                  f"{', '.join(SHOP_PLATFORMS)}", path=self.source)
            clean = re.sub(r"^https?://", "", str(shop).strip(), flags=re.I).strip("/")
            if not _SHOP.fullmatch(clean):
                raise ConfigError(f"[seller] shop: {shop!r} is not a shop domain or account name (e.g. "
                                  "\"myshop.example\" or \"myshop\")", path=self.source)
            shops.append((platform, clean))
        object.__setattr__(self, "shops", tuple(shops))
        object.__setattr__(self, "own_brands", _dedupe(self.own_brands))
        object.__setattr__(self, "authorized_brands", _dedupe(self.authorized_brands))

    @property
    def own_keys(self) -> frozenset[str]:
        return frozenset(k for k in map(brand_key, self.own_brands) if k)

    @property
    def authorized_keys(self) -> frozenset[str]:
        return frozenset(k for k in map(brand_key, self.authorized_brands) if k)

    @property
    def domain(self) -> str:
        """Amazon's product-page host on the profile's marketplace ("" where Amazon has no store)."""
        return _jur.amazon_host(self.marketplace)

    @property
    def jurisdictions(self) -> tuple[str, ...]:
        """Where the seller sells: :func:`scanner.jurisdictions.sold_in`."""
        return _jur.sold_in(self)

    def shop_for(self, platform: str) -> str:
        """The seller's shop on ``platform`` (``"shopify"``, ``"rakuten"`` ...): its own entry, else the
        profile-wide ``shop``, else ""."""
        entries = dict(self.shops)
        return entries.get(platform, "") or entries.get("", "")

    def is_own(self, name: str) -> bool:
        return brand_key(name) in self.own_keys

    def is_authorized(self, name: str) -> bool:
        return brand_key(name) in self.authorized_keys


def _dedupe(names: Iterable[str]) -> tuple[str, ...]:
    seen: set[str] = set()
    out = []
    for name in names:
        name = " ".join(str(name).split())
        key = brand_key(name)
        if key and key not in seen:
            seen.add(key)
            out.append(name)
    return tuple(out)


def _read_brand_file(toml_path: Path, key: str, value: object) -> list[str]:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"[seller] {key} must be a file name", path=toml_path)
    path = (toml_path.parent / value).resolve()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"[seller] {key} names {str(path)!r}, which does not exist", path=toml_path) from None
    except OSError as exc:
        raise ConfigError(f"[seller] {key}: cannot read {str(path)!r}: {exc.strerror}", path=toml_path) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError("brand list is not UTF-8 text", path=path, row=line) from None
    names = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names.append(line)
    return names


def _check_top_level(data: dict[str, object], path: Path) -> None:
    """A key outside any table (written above the ``[seller]`` line) is an error; tables are allowed."""
    for key, value in data.items():
        if key in _SELLER_KEYS and isinstance(value, dict):
            raise ConfigError(f"[{key}] is a table of its own, so it would be ignored; it belongs to the seller: "
                              f"write it as [seller.{key}]", path=path)
        if key in _SELLER_KEYS:
            raise ConfigError(f"{key!r} is written above the [seller] line, so it belongs to no table and would "
                              "be ignored; move it under [seller]", path=path)
        if not isinstance(value, dict):
            raise ConfigError(f"unknown key {key!r} outside any table; the profile's keys go under [seller] "
                              f"({', '.join(sorted(_SELLER_KEYS))})", path=path)


def load_profile(path: str | Path | None) -> SellerProfile:
    """Read a ``seller.toml``; ``None`` gives an empty US profile (no own brands)."""
    if path is None:
        return SellerProfile()
    path = Path(path)
    raw = read_bytes(path, what="seller profile", error=ConfigError)
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ConfigError("seller profile is not UTF-8 text", path=path) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", path=path) from None
    _check_top_level(data, path)
    seller = data.get("seller")
    if not isinstance(seller, dict):
        raise ConfigError("no [seller] table; see README 'Seller profile'", path=path)
    unknown = sorted(set(seller) - _SELLER_KEYS)
    if unknown:
        raise ConfigError(
            f"unknown key(s) in [seller]: {', '.join(unknown)}; expected {', '.join(sorted(_SELLER_KEYS))}",
            path=path,
        )
    lists: dict[str, list[str]] = {}
    for key in ("own_brands", "authorized_brands"):
        value = seller.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"[seller] {key} must be a list of strings", path=path)
        lists[key] = list(value)
        file_key = f"{key}_file"
        if file_key in seller:
            lists[key] += _read_brand_file(path, file_key, seller[file_key])
    watchlist = None
    if "watchlist_file" in seller:
        value = seller["watchlist_file"]
        if not isinstance(value, str) or not value.strip():
            raise ConfigError("[seller] watchlist_file must be a file name", path=path)
        resolved = (path.parent / value).resolve()
        if not resolved.is_file():
            raise ConfigError(f"[seller] watchlist_file names {str(resolved)!r}, which does not exist", path=path)
        watchlist = str(resolved)
    marketplaces = seller.get("marketplaces", [])
    if isinstance(marketplaces, str):
        marketplaces = [marketplaces]
    if not isinstance(marketplaces, list) or not all(isinstance(v, str) for v in marketplaces):
        raise ConfigError("[seller] marketplaces must be a list of strings such as [\"US\", \"DE\"]", path=path)
    shop = seller.get("shop", {})
    if isinstance(shop, str):
        shops = [("", shop)]
    elif isinstance(shop, dict) and all(isinstance(v, str) for v in shop.values()):
        shops = [(str(k).strip().lower(), v) for k, v in shop.items()]
    else:
        raise ConfigError("[seller] shop must be a string (\"myshop.example\") or a table of strings per "
                          "platform ({shopify = \"acme.myshopify.com\", rakuten = \"acme\"})", path=path)
    name = seller.get("name", "")
    marketplace = seller.get("marketplace", "US")
    if not isinstance(name, str):
        raise ConfigError("[seller] name must be a string", path=path)
    if not isinstance(marketplace, str):
        raise ConfigError("[seller] marketplace must be a string such as \"US\"", path=path)
    return SellerProfile(
        name=name,
        marketplace=marketplace,
        own_brands=tuple(lists["own_brands"]),
        authorized_brands=tuple(lists["authorized_brands"]),
        source=str(path),
        watchlist=watchlist,
        marketplaces=tuple(marketplaces),
        shops=tuple(shops),
    )


@dataclass
class ScanConfig:
    """Everything one scan needs. ``scanner.scan`` and the CLI both take one of these."""

    listings: list[Path]
    corpus: Path | None = None  # None: the shipped starter corpus
    model: Path | None = None  # None: the shipped default model
    profile: SellerProfile = field(default_factory=SellerProfile)
    encoding: str | None = None  # None: detect
    column_map: dict[str, str] = field(default_factory=dict)  # canonical field -> header in the file
    out: Path | None = None  # report.xlsx
    csv: Path | None = None
    json: Path | None = None
    history: Path | None = None  # None: the default history directory
    use_history: bool = True
    previous: list[Path] = field(default_factory=list)  # last week's workbook(s) with decisions
    watchlist: Path | None = None  # watch list CSV; None: the profile's watchlist_file, if any
    quiet: bool = False
    allow_empty_corpus: bool = False  # scan against a corpus of 0 marks with a warning instead of an error
    #: prefix formula-like text cells with ' (OWASP CSV injection); None: on for --csv, off for --json
    csv_safe: bool | None = None
    #: Dask (:mod:`scanner.distributed`): ``workers`` > 0 starts a local cluster of that many processes;
    #: ``scheduler`` (``tcp://host:8786``) uses an existing one; neither: one process, no Dask.
    workers: int = 0
    scheduler: str | None = None
    #: listings per Dask task, or per batch of the single-process scan; None: by the corpus's size
    #: (:func:`scanner.scoring.batch_rows`: 10,000, or 2,500 against a corpus of 250,000 marks or more)
    partition_rows: int | None = None
    #: Without Dask: processes scoring the batches on this machine (:func:`scanner.scoring.score_in_batches`); None: one per
    #: core (at most 4, see ``default_jobs``); 1: this process only.
    jobs: int | None = None
    worker_corpus: str | None = None  # the corpus as the workers see it (path or fsspec URL); None: ``corpus``
    worker_model: str | None = None  # the model bundle as the workers see it; None: ``model``
    retries: int = 2  # times Dask re-runs a partition whose worker died
    #: The columns of the matches the scan keeps (:func:`scanner.scoring.keep_columns`); None: all of them.
    #: ``scanner scan`` keeps what its report reads (:data:`scanner.report.MATCH_COLUMNS_READ`).
    match_columns: tuple[str, ...] | None = None
    #: Keep only the matches the report shows (:func:`scanner.scoring.evidence_rows`: third-party matches of
    #: medium and high listings, side matches left out); False: every match. ``scanner scan`` sets it.
    evidence_only: bool = False
