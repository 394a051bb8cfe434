"""The matcher's filters of matches that are not uses of a mark (scanner.match.doubtful / doubled)."""

from __future__ import annotations

import pandas as pd

from scanner.config import SellerProfile
from scanner.corpus import Corpus
from scanner.corpus.schema import MARK_COLUMNS
from scanner.listings.schema import CANONICAL_COLUMNS
from scanner.match import find_matches


def _corpus(rows) -> Corpus:
    marks = pd.DataFrame([{"mark": m, "owner": o, "kind": "brand", "nice_classes": c, "status": "live"}
                          for m, o, c in rows])
    for col in MARK_COLUMNS:
        if col not in marks.columns:
            marks[col] = ""
    return Corpus(marks=marks[list(MARK_COLUMNS)].fillna("").astype(str), info={"name": "test"})


def _found(titles, corpus, brands=None, **kw) -> pd.DataFrame:
    recs = []
    for i, title in enumerate(titles):
        rec = {c: "" for c in CANONICAL_COLUMNS}
        rec.update(sku=f"S{i}", title=title, brand=(brands or {}).get(i, ""), source_row=i + 2)
        recs.append(rec)
    return find_matches(pd.DataFrame(recs), corpus, SellerProfile(), **kw)


CORPUS = _corpus([("POLO", "ralph lauren", "25"), ("APPLE", "apple", "9"), ("IPAD", "apple", "9"),
                  ("TIC TAC", "ferrero", "30"), ("NIKE", "nike", "25"), ("KITH", "kith", "25"),
                  ("FLOORLINER", "macneil", "12"), ("AIRPODS", "apple", "9"), ("VELMORA", "velmora", "9")])


def test_a_mark_that_is_a_word_of_a_generic_product_name_is_not_a_use():
    titles = ["Mens Polo Shirt Classic Fit", "Polo by Ralph Lauren Crew Neck Tee", "Stainless Apple Corer",
              "Tic Tac Toe Wooden Yard Game", "iPad case with stand", "Tic Tac mints 200 pack"]
    found = _found(titles, CORPUS)
    by_listing = found.groupby("listing")["mark"].apply(set).to_dict()
    assert 0 not in by_listing and 2 not in by_listing and 3 not in by_listing   # generic names
    assert by_listing[1] == {"POLO"} and by_listing[4] == {"IPAD"} and by_listing[5] == {"TIC TAC"}
    # the switch keeps them, for measuring the filter
    assert 0 in set(_found(titles, CORPUS, drop_doubtful=False)["listing"])


def test_joined_matches_must_be_the_mark_written_apart_not_a_cut_code_or_a_goods_name():
    found = _found(["Xenon HID Conversion Kit H11 8000K", "Car Floor Liners All Weather", "Air Pods Pro Case"],
                   CORPUS)
    assert set(found["mark"]) == {"AIRPODS"}


def test_a_short_coined_mark_with_a_doubled_letter_is_a_typo_match():
    found = _found(["Nikee Air Running Shoes", "Velmmora wireless speaker"], CORPUS)
    nike = found[found["listing"] == 0]
    assert list(nike["mark"]) == ["NIKE"] and nike.iloc[0]["method"] == "typo"
    assert nike.iloc[0]["similarity"] > 80  # the inserted letter outranks a substitution into a longer key


def test_typo_matches_that_are_words_codes_or_other_languages_are_dropped():
    corpus = _corpus([("CAMRY", "toyota", "12"), ("AESOP", "aesop", "3"), ("SEETHER", "seether", "41"),
                      ("VELMORA", "velmora", "9")])
    found = _found(["Kamery samochodowe 4K", "he50p filter", "seethru case", "Velmorra speaker"], corpus)
    assert list(found["mark"]) == ["VELMORA"]
    assert len(_found(["Kamery samochodowe 4K", "he50p filter", "seethru case"], corpus,
                      drop_doubtful=False)) >= 2


def test_a_brand_written_twice_as_one_word_is_the_mark_but_not_a_doubled_ordinary_word():
    corpus = _corpus([("TISSOT", "tissot", "14"), ("HOUSE", "x", "20"), ("TOM", "tom", "9"),
                      ("NIKE", "nike", "25")])
    found = _found(["TissotTissot Swiss Made Wrist Watch", "tomtom gps", "househouse slippers", "nikenike shoes",
                    "Tissot-Tissot strap"], corpus)
    by_listing = found.groupby("listing")["mark"].apply(list).to_dict()
    assert by_listing[0] == ["TISSOT"] and found.iloc[0]["matched_text"] == "TissotTissot"
    assert found.iloc[0]["similarity"] == 100 and found.iloc[0]["method"] != "typo"
    assert 1 not in by_listing                     # "tom" is too short to be read twice over
    assert 2 not in by_listing                     # an ordinary word twice is no brand
    assert by_listing[3] == ["NIKE"]               # NIKE is 4 letters: the shortest half read
    assert by_listing[4] == ["TISSOT", "TISSOT"]   # written apart: two ordinary exact matches


INITIALS = _corpus([("M&M'S", "mars", "30"), ("H&M", "h & m hennes & mauritz", "25"), ("B+W", "schneider", "9"),
                    ("TEXAS A&M AGGIES", "texas a&m university", "25"), ("JOHNSON & JOHNSON", "johnson & johnson", "5")])


def test_letters_of_a_mark_of_initials_written_apart_without_its_joiner_are_not_the_mark():
    """"M/M", "M-M", "m m" (connector genders), "B/W" (black and white) are letters, not M&M'S or B+W; the
    mark with its ampersand or plus, a longer mark around the letters and a mark of words stay matched."""
    titles = ["StarTech.com Thunderbolt Cable - M/M", "VGA Cable Male to Male M-M 15ft", "hdmi m m video cable 10 ft",
              "B/W Laser Printer Toner", "H M size chart dress",
              "M&M's candy dispenser", "M & M candy jar", "H&M style summer dress", "B+W 77mm UV filter",
              "Texas A M Aggies T-Shirt", "Johnson Johnson baby shampoo"]
    found = _found(titles, INITIALS)
    marks = {i: set(found.loc[found["listing"] == i, "mark"]) for i in range(len(titles))}
    assert all(not marks[i] for i in range(5)), marks
    assert [marks[i] for i in range(5, 11)] == [{"M&M'S"}, {"M&M'S"}, {"H&M"}, {"B+W"}, {"TEXAS A&M AGGIES"},
                                                  {"JOHNSON & JOHNSON"}]
    unfiltered = _found(titles[:5], INITIALS, drop_doubtful=False)
    assert set(unfiltered["listing"]) >= {0, 1, 2, 3}  # found, then dropped: the filter is what removes them


APART = _corpus([("STEELCASE", "steelcase", "20"), ("FOREO", "foreo", "3"), ("SWATCH", "swatch", "14"),
                 ("BLACKPINK", "yg entertainment", "25"), ("INCASE", "incase", "18"), ("SALEEN", "saleen", "12"),
                 ("BAR-S", "bar-s foods", "29"), ("GOPRO", "gopro", "9"), ("MACOS", "apple", "9"), ("ADATA", "adata", "9"),
                 ("AIRPODS", "apple", "9"), ("SOUND BLASTER", "creative", "9")])


def test_words_that_are_a_phrase_of_their_own_are_not_a_mark_written_apart():
    """Split and joined readings that are ordinary phrases: a material and a goods noun, two colours, a
    phrase starting with a function word (or the "s" of "Men\u00b4s", written with an acute accent), parts
    run together by quotes and "@", one dictionary word for a mark of two parts. Marks written apart stay:
    "Go Pro", "Mac OS", "Air Pods", "soundblaster", and "A-Data" (a function word joined by a hyphen)."""
    dropped = ["Outdoor steel case water bottle", "Lens hood for EOS R5 camera", "Men\u00b4s Watch stainless steel",
               "Black Pink striped hoodie", "Laptop sleeve, in case of rain", 'Summer dress sale"@en',
               "Granola bars 12 pack"]
    kept = {"Go Pro Hero 9 mount": "GOPRO", "Mac OS X install disk": "MACOS", "Charging case for Air Pods": "AIRPODS",
            "Creative soundblaster audio card": "SOUND BLASTER", "Steelcase Leap office chair": "STEELCASE",
            "A-Data 500 GB portable drive": "ADATA"}
    titles = dropped + list(kept)
    found = _found(titles, APART)
    marks = {i: set(found.loc[found["listing"] == i, "mark"]) for i in range(len(titles))}
    assert all(not marks[i] for i in range(len(dropped))), marks
    assert [marks[len(dropped) + j] for j in range(len(kept))] == [{m} for m in kept.values()]
    unfiltered = _found(dropped, APART, drop_doubtful=False)
    assert set(unfiltered["listing"]) == set(range(len(dropped)))  # each was read, then dropped by the filter


def test_pieces_of_a_word_that_lost_a_letter_are_not_marks():
    corpus = _corpus([("NOCO", "noco", "9"), ("OPI", "opi", "3"), ("GE", "ge", "11"), ("LEGO", "lego", "28"),
                      ("NARZO", "realme", "9"), ("STUDIO 100", "studio 100", "28"),
                      ("FORMULA 1", "formula one licensing", "14")])
    titles = ["Kamera Dzie?/Noc o?wietleniem LED",       # Noc-o of "oświetleniem": NOCO split across the lost ś
              "Ch?opi?ce buty sportowe",                  # "Chłopięce": OPI between two lost letters
              "Notebook Neuware (OVP ge\ufffdffnet)",      # "geöffnet" read in the wrong encoding
              "ZESTAW NARZ?DZI 108 el.",                    # "NARZĘDZI" in capitals: no typo of NARZO
              "LEGO?Blocks starter set",                    # a sign lost between two words: LEGO stays
              "TAG Heuer Formula 1?F1 zegarek m?ski",       # a digit does not run on: FORMULA 1 stays
              "Studio 10.0 speaker stand",                  # a decimal number is not STUDIO 100 written apart
              "Studio 100 kids figure"]
    found = _found(titles, corpus)
    assert found.groupby("listing")["mark"].apply(set).to_dict() == {4: {"LEGO"}, 5: {"FORMULA 1"},
                                                                          7: {"STUDIO 100"}}
    # the switch keeps them, for measuring the filter
    kept = _found(titles, corpus, drop_doubtful=False)
    assert {0, 1, 2}.issubset(set(kept["listing"]))


def test_a_plural_ending_is_read_only_onto_the_marks_own_words():
    corpus = _corpus([("LPGA", "ladies professional golf association", "25"), ("Tein", "tein", "12"),
                      ("AirPod", "apple", "9"), ("GOPRO", "gopro", "9"), ("NutriBullet", "capital brands", "7")])
    titles = ["Portable LP gas grill 2 burner",   # "gas" is a word: not LPGA + s
              "Herren Tissot T-Eins Automatik",     # "eins" is a word: not TEIN + s
              "Air Pods case cover",                # between AirPod's own words: the mark
              "Go Pros mount kit",                  # a register's capitals: dictionary words written apart
              "LPGA tour cap",
              "Nutri Bullets blender cups"]          # between its own words, though "nutri" is no word
    found = _found(titles, corpus)
    assert found.groupby("listing")["mark"].apply(set).to_dict() == {2: {"AirPod"}, 3: {"GOPRO"}, 4: {"LPGA"},
                                                                          5: {"NutriBullet"}}
    assert {0, 1}.issubset(set(_found(titles, corpus, drop_doubtful=False)["listing"]))


def test_a_dropped_reading_gives_back_the_marks_it_covered():
    corpus = _corpus([("FOREO", "foreo", "3"), ("EOS", "canon", "9"), ("EOS R", "canon", "9"),
                      ("NOKIAN", "nokian tyres", "12"), ("NOKIA", "nokia", "9")])
    titles = ["Lens cap for EOS cameras",   # "for EOS" is not FOREO written apart: EOS is what it covered
              "Case for Nokia N8 phone",    # "Nokia N" cuts the model code N8: not NOKIAN, but NOKIA is there
              "Adapter for EOS R body",     # EOS lies inside EOS R, which stays: not reported twice
              "FOREO Luna face brush"]
    found = _found(titles, corpus)
    assert found.groupby("listing")["mark"].apply(sorted).to_dict() == {
        0: ["EOS"], 1: ["NOKIA"], 2: ["EOS R"], 3: ["FOREO"]}
    eos = found[found["listing"] == 0].iloc[0]
    assert eos["matched_text"] == "EOS" and eos["nominative_cue"] == "for" and eos["method"] == "exact"
    # without the filters the longer readings stand, covering the marks
    kept = _found(titles, corpus, drop_doubtful=False)
    assert set(kept.loc[kept["listing"] == 0, "mark"]) == {"FOREO"}
    assert "EOS" in kept.loc[kept["listing"] == 0, "covers"].iloc[0]


def test_a_typo_reading_must_be_a_slip_of_the_keyboard_or_the_ear():
    corpus = _corpus([("LUMINOX", "luminox", "14"), ("TENDA", "tenda", "9"), ("PHOTOSHOP", "adobe", "9"),
                      ("SAMSUNG", "samsung", "9"), ("NVIDIA", "nvidia", "9"), ("SENNHEISER", "sennheiser", "9"),
                      ("PANASONIC", "panasonic", "9"), ("LOGITECH", "logitech", "9"), ("ADIDAS", "adidas", "25")])
    other_names = ["Panerai Luminor Marina 44mm watch",   # r for x: no typist's slip, another name
                   "Tenba Mixx camera shoulder bag",        # b for d
                   "PhotoShow Deluxe slideshow software"]   # w for p
    slips = ["Samsnug Galaxy case",       # two letters swapped
             "Nvida graphics card",       # a letter left out
             "Sennheizer headphones",     # a letter of the same sound
             "Panasanic battery",         # a vowel for a vowel
             "Logitec webcam",            # a letter left out at the end
             "Adidaz running shoes",      # z for s
             "Samsunf tablet"]            # a neighbouring key
    found = _found(other_names + slips, corpus)
    assert found.groupby("listing")["mark"].apply(set).to_dict() == {
        3: {"SAMSUNG"}, 4: {"NVIDIA"}, 5: {"SENNHEISER"}, 6: {"PANASONIC"}, 7: {"LOGITECH"}, 8: {"ADIDAS"},
        9: {"SAMSUNG"}}
    assert set(found["method"]) == {"typo"}
    # without the filter the other names are read as typos
    assert {0, 1, 2}.issubset(set(_found(other_names, corpus, drop_doubtful=False)["listing"]))
