"""scanner: find the marketplace listings likely to draw a trademark (IP) complaint.

Public API (each stage is also a public function of its own module, for notebooks)::

    from scanner import scan, ScanConfig, load_profile, load_corpus, load_model
    result = scan(ScanConfig(listings=[Path("All+Listings+Report.txt")]))
    result.results  # one row per listing: risk_level, risk_score, marks, owners, reasons, ...
"""

from __future__ import annotations

from .lazy import lazy_exports

__version__ = "0.1.0"

_EXPORTS = {
    "scan": "scanner.pipeline",
    "run_scan": "scanner.pipeline",
    "ScanResult": "scanner.pipeline",
    "ScanConfig": "scanner.config",
    "SellerProfile": "scanner.config",
    "load_profile": "scanner.config",
    "read_listings": "scanner.listings",
    "load_corpus": "scanner.corpus",
    "Corpus": "scanner.corpus",
    "find_matches": "scanner.match",
    "build_features": "scanner.features",
    "load_model": "scanner.model",
    "train": "scanner.model",
    "evaluate": "scanner.model",
    "ScannerError": "scanner.errors",
}

__all__ = ["__version__", *_EXPORTS]

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
