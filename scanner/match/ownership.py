"""Own and authorized marks.

A match is ``own`` when any of these holds:

1. its key is one of the seller's own brands (compared as normalised keys, so ``Cooler Master`` /
   ``CoolerMaster`` / ``cooler-master`` agree; the profile's ``brand_key`` forms are accepted too);
2. the text it matched, as written, is one of the seller's own brands: the seller's own name is never a
   third-party use, even when it also is (or resembles) another owner's mark — the row is kept, with
   ``own`` set, so the collision stays visible;
3. some record with the same key (or with the key as an alias) belongs to an *own owner*: the owner of the records of an own brand.
   Propagation by owner needs an unambiguous owner: for each own brand, the distinct owners of its
   records; if there is one, it is the own owner; if there are several (a short brand shared by many
   unrelated owners in a big register), only an owner whose own name contains the brand counts, and only
   if exactly one does; otherwise nothing is propagated for that brand.

``authorized`` is the same with the authorized brands.
"""

from __future__ import annotations

import numpy as np

from ..config import SellerProfile
from ..text import compact_key
from .index import MatchIndex


def brand_keys(names: tuple[str, ...], profile_keys: frozenset[str]) -> frozenset[str]:
    """The keys under which a list of brand names is recognised."""
    return frozenset(k for k in (compact_key(n) for n in names) if k) | profile_keys


def owner_of_brand(index: MatchIndex, key_id: int, key: str) -> int:
    """The unambiguous owner id of a brand's records (those with the key as an alias included), or -1."""
    aliased = index.alias_row[index.alias_key == key_id]
    owners = np.unique(np.concatenate([index.record_owner[index.record_key == key_id], index.record_owner[aliased]]))
    owners = owners[owners >= 0]
    if len(owners) == 1:
        return int(owners[0])
    named = [int(o) for o in owners if key and key in index.owner_keys[o]]
    return named[0] if len(named) == 1 else -1


def key_ids_of(index: MatchIndex, keys: frozenset[str]) -> np.ndarray:
    """Key ids of ``keys`` plus every key sharing an unambiguous owner with one of them (bool per key)."""
    flags = np.zeros(index.n_keys, dtype=bool)
    owners = set()
    for key in keys:
        kid = index.key_id(key)
        if kid < 0:
            continue
        flags[kid] = True
        owner = owner_of_brand(index, kid, key)
        if owner >= 0:
            owners.add(owner)
    if owners:
        rows = np.isin(index.record_owner, np.fromiter(owners, dtype=np.int32)) & (index.record_key >= 0)
        flags[index.record_key[rows]] = True
        aliased = np.isin(index.record_owner[index.alias_row], np.fromiter(owners, dtype=np.int32))
        flags[index.alias_key[aliased]] = True
    return flags


def ownership(profile: SellerProfile, index: MatchIndex) -> tuple[frozenset[str], np.ndarray, frozenset[str], np.ndarray]:
    """``(own keys, own flag per key id, authorized keys, authorized flag per key id)``."""
    own = brand_keys(profile.own_brands, profile.own_keys)
    auth = brand_keys(profile.authorized_brands, profile.authorized_keys)
    return own, key_ids_of(index, own), auth, key_ids_of(index, auth)
