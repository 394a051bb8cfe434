"""Brand-field values that name no brand: "Generic", "Unbranded", "No brand" and their forms in the
marketplaces' languages. One list for every stage that reads a declared brand (``scanner profile init``,
the scan's own-brand checks).

Compared with :func:`scanner.text.brand_key` (case, accents, spaces and punctuation ignored), so
``"NO-BRAND"``, ``"Sin Marca"`` and ``"Genérico"`` all match.
"""

from __future__ import annotations

from .text import brand_key

#: Placeholder brand values as sellers type them (Amazon asks for "Generic" when a product has no brand).
PLACEHOLDER_BRANDS: tuple[str, ...] = (
    # English
    "Generic", "Generics", "Unbranded", "Un-branded", "Non-branded", "No brand", "No-brand", "Nobrand",
    "No brand name", "Brandless", "No name", "Noname", "None", "N/A", "NA", "Not applicable",
    "Does not apply", "Unknown", "Not specified", "Other", "OEM", "White label", "Private label",
    # Spanish, Portuguese, Italian, French, German, Dutch, Polish, Swedish, Turkish
    "Sin marca", "Genérico", "Genérica", "Genericos", "Sem marca", "Senza marca", "Generica", "Generico",
    "Sans marque", "Générique", "Ohne Marke", "Markenlos", "Generisch", "No-Name", "Geen merk", "Merkloos",
    "Bez marki", "Utan märke", "Markasız",
    # Russian, Ukrainian
    "Без бренда", "Без марки", "Нет бренда", "Без бренду",
    # Japanese, Korean, Chinese
    "ノーブランド", "ノーブランド品", "ノンブランド", "ブランドなし", "汎用", "노브랜드", "브랜드 없음",
    "无品牌", "無品牌", "无牌", "无", "通用", "其他",
)  # fmt: skip

_KEYS: frozenset[str] = frozenset(brand_key(b) for b in PLACEHOLDER_BRANDS)
#: The same values compared as :func:`scanner.text.brand_key` keys (the one set every stage uses).
PLACEHOLDER_KEYS: frozenset[str] = _KEYS


def is_placeholder_brand(text: str | None) -> bool:
    """Whether a brand-field value names no brand (a placeholder such as "Generic", or blank)."""
    if text is None:
        return True
    key = brand_key(text)
    return not key or key in _KEYS
