"""What each feature means, in model order: :data:`FEATURE_DOCS` (name -> meaning) is the one list of the
features; :data:`FEATURE_NAMES` is its order (the model refuses a bundle whose names differ), and
:data:`MATCH_TABLE_INFO` the columns of :func:`scanner.features.match_table` besides the ``m_*`` features."""

from __future__ import annotations

#: Feature name -> meaning. Listing-level first, then aggregates, then the strongest match (``s_``).
FEATURE_DOCS: dict[str, str] = {
    # counts (the first four are the walking-skeleton features the "rules" baseline model reads)
    "n_third_party": "distinct third-party marks found (any field)",
    "n_identity": "distinct third-party marks with no compatibility cue from the matcher",
    "n_nominative": "distinct third-party marks with a compatibility cue from the matcher ('for', ...)",
    "n_counterfeit": "distinct third-party marks next to a counterfeit cue (matcher's or ours)",
    "n_tp_matches": "third-party match rows (a mark can match several times)",
    "n_tp_owners": "distinct owners of the third-party marks",
    "n_own_matches": "matches of the seller's own marks (or, when higher, how often its own brand names are written in the text)",
    "n_authorized_matches": "matches of marks the seller is authorized for",
    "n_word_kind": "third-party matches of marks whose kind is 'word' (ordinary words registered as marks)",
    "n_specific_kind": "third-party matches of kind brand, product_line, franchise, character or team",
    "all_word_kind": "every third-party match is of kind 'word' (only ordinary words registered as marks)",
    # listing level
    "brand_is_own": "the declared brand (brand field) is one of the seller's own brands",
    "brand_is_authorized": "the declared brand is one the seller is authorized for",
    "brand_is_placeholder": "the declared brand is a placeholder ('Generic', 'Unbranded', ...)",
    "brand_empty": "the brand field is empty",
    "title_n_tokens": "number of words in the title, trivia words at either end left out (capped at 60)",
    "category_known": "the listing's category maps to Nice classes",
    "goods_known": "the product's Nice classes could be inferred from its title and category",
    "brand_declared_other": "the brand field names a brand that is not the seller's own or authorized (nor a placeholder)",
    "brand_unknown": "the brand field names a brand that is not the seller's and that no corpus mark matches",
    "lead_unknown": "no brand field, and the title starts with a coined (non-dictionary) word no corpus mark matches",
    # aggregates over the third-party matches
    "any_declared_brand": "a third-party mark is the declared brand (brand field or equal to it)",
    "any_title_first3_nocue": "a third-party mark among the first 3 words of the title, with no cue",
    "any_title_nocue": "a third-party mark in the title with no compatibility cue (ours or the matcher's)",
    "any_counterfeit": "a counterfeit cue next to a third-party mark",
    "any_comparison": "a comparison cue next to a third-party mark ('alternative to X', 'X dupe', 'like X')",
    "any_keywords_only": "a third-party mark found only in the search keywords (not in title or brand)",
    "any_fitment": "a third-party mark referred to as what the product fits (see s_fitment)",
    "any_goods_same": "a third-party mark registered for a class the product falls in",
    "all_word_off_goods": "every third-party match is a dictionary word on goods its mark is not registered for",
    "max_goods_rel": "highest goods relatedness of a third-party mark (1 same class, 0.5 related, 0 unrelated; -1 unknown)",
    "all_nominative": "every third-party match has a compatibility cue",
    "any_strong_kind": "a third-party mark of kind brand, product_line, franchise, character or team",
    "any_class_overlap": "a third-party mark registered for a Nice class of the listing's category",
    "any_fuzzy": "a third-party match found by typo or phonetic similarity",
    "any_symbol": "a ®/™/© symbol next to a third-party match",
    "any_in_bullets": "a third-party match in the bullet points",
    "any_in_description": "a third-party match in the description",
    "any_in_keywords": "a third-party match in the search keywords",
    "min_mark_zipf": "lowest word frequency (zipf, 0..8) of the third-party marks; 8 when there is none",
    "min_mark_en_excess": "lowest English excess of the third-party marks (most name-like); 3 when there is none",
    "max_mark_tokens": "most words in a third-party mark",
    "max_similarity": "highest similarity (0..1) of a third-party match",
    # the strongest third-party match (see strength_order): all 0 when there is none
    "s_present": "the listing has a third-party match",
    "s_field_title": "strongest match is in the title",
    "s_field_brand": "strongest match is in the brand field",
    "s_field_other": "strongest match is in bullets, description or keywords",
    "s_position": "its word position in its field, trivia words at the start left out (0 = first; capped at 30)",
    "s_first3": "it is among the first 3 words of the title",
    "s_pos_rel": "its relative position in its field (0 = start, 1 = end)",
    "s_is_last": "it is the last word(s) of its field",
    "s_nominative_cue": "the cue detector found a compatibility cue for it (before, after or a platform tag)",
    "s_cue_before": "the compatibility cue stands before it ('for', 'compatible with', 'fits', ...)",
    "s_cue_after": "the compatibility cue stands after it ('hp compatible toner', 'canon replacement battery')",
    "s_in_parens": "it is inside brackets ('(mac)')",
    "s_cue_in_clause": "a compatibility cue earlier in the same clause ('case for asus eee pad ... android')",
    "s_comparison": "a comparison cue next to it ('alternative to', 'like', 'vs', '... alternative')",
    "s_keywords_only": "it is in the search keywords and its mark (or owner) is nowhere in the title or brand",
    "s_fitment": "another brand leads the field (declared, own or coined), the product's noun comes before the "
                 "mark (or the mark is inside a product code) and a model number follows it: fitment",
    "s_other_brand_first": "another brand (declared brand, own mark, coined leading word) comes first in the title",
    "s_model_after": "a model number, size or year range follows it within 3 words ('Camry 2018-2023')",
    "s_owner_cued": "another match of the same mark or owner in the same field has a compatibility cue (not for a "
                    "mention opening the field or declared as the brand)",
    "s_in_model_number": "it is glued to a model number ('ipad-209', 'unix-hp'), not a word of its own",
    "s_counterfeit": "a counterfeit cue next to it (replica, dupe, inspired by, style, ...)",
    "s_symbol": "a ®/™/© symbol next to it",
    "s_method_exact": "found exactly, case/accent-folded, or read from another script ('Пума' as PUMA)",
    "s_method_joinsplit": "found joined or split ('i pad', 'go-pro')",
    "s_method_fuzzy": "found by typo or phonetic similarity",
    "s_similarity": "match similarity 0..1",
    "s_mark_zipf": "how common the mark is as an ordinary word (wordfreq zipf, 0..8)",
    "s_mark_max_token_zipf": "zipf of the most common word of the mark",
    "s_mark_en_excess": "how much more common the mark is in English than in other languages (ordinary word)",
    "s_mark_tokens": "number of words in the mark",
    "s_mark_len": "length of the mark's key in characters (capped at 30)",
    "s_kind_brand": "mark kind is brand",
    "s_kind_line": "mark kind is product_line",
    "s_kind_merch": "mark kind is franchise, character or team",
    "s_kind_word": "mark kind is word (an ordinary word registered as a mark)",
    "s_kind_unknown": "mark kind is empty or unknown",
    "s_status_live": "mark status is live",
    "s_status_dead": "mark status is dead",
    "s_status_pending": "mark status is pending",
    "s_not_where_sold": "the mark is registered only in jurisdictions where the seller does not sell (an EU mark "
                        "on amazon.com): a weaker signal; 0 when it counts there or cannot be told",
    "s_n_records_log": "log(1 + corpus records with the same key), when the matcher reports n_records",
    "s_n_owners_log": "log(1 + distinct owners of those records): many owners = an ordinary word (n_owners)",
    "s_is_declared_brand": "it is the declared brand (brand field, or equal to the brand field)",
    "s_owner_is_declared": "its owner is the declared brand (a product line of the declared brand)",
    "s_owner_matched_too": "another mark of the same owner is also found ('Apple' + 'iPad')",
    "s_own_before": "one of the seller's own marks comes earlier in the same field",
    "s_class_overlap": "its Nice classes include one of the listing category's classes",
    "s_goods_rel": "relatedness of its Nice classes to the product's (1 same, 0.5 related, 0 unrelated; -1 unknown)",
    "s_goods_same": "it is registered for a class the product falls in (confidence >= 0.3)",
    "s_goods_unknown": "the product's or the mark's classes are unknown, so relatedness cannot be told",
    "s_mark_dictionary": "the mark is one ordinary dictionary word ('shark', 'swatch', 'azul'), not a coined name",
    "s_word_off_goods": "a dictionary-word mark whose classes do not include the product's: the ordinary word "
                        "on other goods ('swatch card set' vs SWATCH watches); not when the next word is another "
                        "mark of its owner ('Jeep Wrangler') or a company word ('Buddy Products')",
    "s_owner_chosen": "several owners hold this word; the one whose goods fit the product was chosen",
    "s_next_colour_material": "the next word is a colour or material word ('dove gray', 'coach leather')",
    "s_prev_colour_material": "the previous word is a colour or material word ('gray dove')",
    "s_next_zipf": "word frequency of the next word (0 if none or not alphabetic)",
    "s_next_en_excess": "English excess of the next word (a generic English noun: 'slicer', 'remote')",
    "s_next_digit": "the next word contains a digit (a model number: 'canon pg-30', 'ipad 2')",
    "s_next_is_mark": "the next word starts another match (own or third-party)",
    "s_prev_zipf": "word frequency of the previous word (0 if none or not alphabetic)",
    "s_prev_digit": "the previous word contains a digit",
    "s_first_word": "it is the first word of its field",
}
FEATURE_NAMES: tuple[str, ...] = tuple(FEATURE_DOCS)

#: Columns of :func:`match_table` besides the ``m_*`` features (used by the reason texts).
MATCH_TABLE_INFO: tuple[str, ...] = (
    "listing", "field", "start", "end", "matched_text", "mark", "mark_key", "owner", "kind", "cue", "fake_cue",
    "next_word", "prev_word", "comparison_cue", "owners_considered", "match_row", "mark_id", "jurisdiction",
)

#: The per-match features (``m_<name>`` in the match table, ``s_<name>`` for the strongest match).
PER_MATCH: tuple[str, ...] = tuple(name[2:] for name in FEATURE_NAMES if name.startswith("s_") and name != "s_present")
