"""scanner.goods: product classes from the product's own text, related classes, relatedness."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

from scanner.goods import RELATED_CLASSES, head_noun, infer_classes, relatedness
from scanner.goods.lexicon import default_table, hand_table, is_goods_term, may_end_goods_term
from scanner.goods.text import singular

TRAINING = Path(__file__).resolve().parents[1] / "training" / "goods"

# (title, the class that must be the most confident, classes that must also be inferred)
KNOWN = [
    ("Shark Tooth Pendant Necklace for Men, Stainless Steel Chain", 14, ()),
    ("Phone Mount for Car Dashboard, Universal Cell Phone Holder", 9, (12,)),
    ("Replacement Filter Compatible with Brita Pitchers, 6 Pack", 11, (21,)),
    ("Silicone Phone Case for iPhone 14 Pro Max, Shockproof", 9, ()),
    ("Stainless Steel Insulated Tumbler with Lid and Straw, 30 oz", 21, ()),
    ("Oversized Graphic Hoodie for Women, Cotton Pullover Sweatshirt", 25, ()),
    ("Sterling Silver Heart Pendant with 18 inch Chain", 14, ()),
    ("Decorative Throw Pillow Covers 18x18 Set of 4, Boho Linen", 24, ()),
    ("Resin Buddha Figurine for Home Decor", 20, (28, 21)),
    ("Jaguar Plush Toy, 12 inch Stuffed Animal", 28, ()),
    ("Mustang Horse Wall Art Canvas Print, Framed", 16, ()),
    ("Mustang Horse Wall Art", 16, (20,)),
    ("Tide Pool Poster, 24x36 Ocean Photography Print", 16, ()),
    ("Genuine Leather Handbag for Women, Large Tote Shoulder Bag", 18, ()),
    ("Canvas Tote Bag with Zipper and Inner Pocket", 18, ()),
    ("Compatible Ink Cartridge Replacement for HP 564XL", 2, (9,)),
    ("Black Toner Cartridge for Brother TN-660, High Yield", 2, (9,)),
    ("AutoPro Floor Mats for Toyota Camry 2018-2023, All Weather", 12, ()),
    ("AutoPro Floor Mats Toyota Camry 2018-2023", 12, ()),
    ("PowerCell Laptop Battery Dell Latitude E6420", 9, ()),
    ("Mini Projector 1080P Full HD, Portable Movie Projector", 9, ()),
    ("Ice Pop Molds Silicone, 6 Cavity Popsicle Maker", 21, ()),
    ("Polarized Sunglasses for Men and Women, UV400 Protection", 9, ()),
    ("Apple Watch Band 41mm, Silicone Sport Strap", 14, ()),
    ("Leather Dog Collar with Name Plate, Adjustable", 18, ()),
    ("Paint Swatch Fan Deck, 1000 Colors", 16, ()),
    ("Universal Laptop Stand, Adjustable Aluminum Riser", 9, (20,)),
    ("Dove Gray Blackout Curtains 84 inch, 2 Panels", 24, ()),
    ("Coach Leather Wallet Card Holder", 18, ()),
    ("Smartcraft Wooden Shelf, Floating Wall Mounted", 20, ()),
    ("Tic Tac Toe Wooden Board Game for Kids", 28, ()),
    ("Car Phone Holder Vent Mount, 360 Rotation", 9, (12,)),
    ("Wireless Earbuds Bluetooth 5.3 Headphones with Charging Case", 9, ()),
    ("Men's Running Shoes, Lightweight Breathable Sneakers", 25, ()),
    ("Women's High Waisted Yoga Pants with Pockets", 25, ()),
    ("Kids Baseball Cap Adjustable, Cotton", 25, ()),
    ("Rose Gold Stud Earrings for Women, Hypoallergenic", 14, ()),
    ("Men's Automatic Wrist Watch, Stainless Steel Band", 14, ()),
    ("Cast Iron Skillet 12 Inch, Pre-Seasoned", 21, ()),
    ("Ceramic Coffee Mug 11 oz, Funny Gift for Dad", 21, ()),
    ("Memory Foam Pillow for Sleeping, Queen Size", 20, ()),
    ("Fleece Throw Blanket for Couch, Soft Cozy", 24, ()),
    ("Non Slip Area Rug 5x7 for Living Room", 27, ()),
    ("LED Desk Lamp with USB Charging Port", 11, ()),
    ("Cordless Drill Driver Kit, 20V Lithium Ion", 7, ()),
    ("Stainless Steel Kitchen Knife Set with Block", 8, ()),
    ("Acoustic Guitar Beginner Kit, Full Size", 15, ()),
    ("Spiral Notebook College Ruled, 5 Pack", 16, ()),
    ("Vitamin D3 5000 IU Softgels, Immune Support Supplement", 5, ()),
    ("Hydrating Face Moisturizer with Hyaluronic Acid, 1.7 oz", 3, ()),
    ("Scented Soy Candle, Lavender, 8 oz Jar", 4, ()),
    ("Dog Chew Toy for Aggressive Chewers", 28, ()),
    ("Cat Tree Tower with Scratching Posts", 20, ()),
    ("Kids Bike Helmet, Adjustable, Ages 5-8", 9, ()),
    ("Steering Wheel Cover for Women, Leather", 12, ()),
    ("Car Seat Covers Full Set, Universal Fit", 12, ()),
    ("Replacement Wiper Blades 24 + 18 inch", 12, ()),
    ("Ukulele Strings Set, Nylon", 15, ()),
    ("1000 Piece Jigsaw Puzzle for Adults, Landscape", 28, ()),
    ("Plush Unicorn Stuffed Animal, 14 inch", 28, ()),
    ("Ladies Canvas Backpack for School and Travel", 18, ()),
    ("Stainless Steel Water Bottle 32 oz, Vacuum Insulated", 21, ()),
    ("Blue Light Blocking Glasses, Computer Eyewear", 9, ()),
    ("USB C Charger, 20W Fast Wall Charger", 9, ()),
    ("Christmas Tree Ornaments Set, Glass Ball Decorations", 28, ()),
    ("Wall Clock Silent Non-Ticking, 12 inch", 14, ()),
    ("Bath Towel Set 6 Piece, Cotton", 24, ()),
    ("Kitchen Scale Digital, Food Scale Grams and Ounces", 9, ()),
    ("Laundry Detergent Pods, 42 Count", 3, ()),
    ("Set of 4 Coffee Mugs, Stoneware", 21, ()),
    ("For iPhone 12 Case, Clear Slim Cover", 9, ()),
    # other marketplace languages
    ("Funda de silicona para iPhone 13, transparente", 9, ()),
    ("Collier pendentif en argent pour femme", 14, ()),
    ("Herren Laufschuhe Sportschuhe Atmungsaktiv", 25, ()),
    ("Camiseta de algodón para hombre", 25, ()),
    ("Mochila escolar impermeable para niños", 18, ()),
    ("Kissenbezug 40x40 Samt 2er Set", 24, ()),
    # scripts without spaces between words: the lexicon's nouns are found inside the run of characters
    ("女士运动鞋透气跑步鞋", 25, ()),
    ("平板电脑保护套 10寸", 9, ()),
    ("メンズスニーカー 軽量", 25, ()),
    ("Ноутбук 15.6 дюймов для работы", 9, ()),
    ("여성 겨울 패딩 롱", 25, ()),
    ("保温杯不锈钢 500ml", 21, ()),
]


@pytest.mark.parametrize(("title", "top", "also"), KNOWN, ids=[k[0][:40] for k in KNOWN])
def test_known_titles(title, top, also):
    (classes,) = infer_classes([title])
    assert classes, f"nothing inferred for {title!r} (head {head_noun(title)!r})"
    assert max(classes, key=classes.get) == top, (title, head_noun(title), classes)
    for cls in also:
        assert cls in classes, (title, classes)
    assert all(0.0 < w <= 1.0 for w in classes.values())


def test_known_table_is_large_enough():
    assert len(KNOWN) >= 60


@pytest.mark.parametrize(
    ("title", "head"),
    [
        ("Shark Tooth Pendant Necklace for Men", "pendant necklace"),
        ("Phone Mount for Car Dashboard", "phone mount"),
        ("Replacement Filter Compatible with Brita Pitchers", "replacement filter"),
        ("AutoPro Floor Mats Toyota Camry 2018-2023", "floor mat"),
        ("Set of 4 Coffee Mugs", "coffee mug"),
        ("Compatible Toner Cartridge for Brother", "toner cartridge"),
        ("Funda de silicona para iPhone", "funda"),
        ("Transcend 16GB Compact Flash Card", "flash card"),
        ("三星平板电脑10寸", "平板电脑"),
        ("包邮新款", ""),
        ("", ""),
        ("@@@ ---", ""),
    ],
)
def test_head_noun(title, head):
    assert head_noun(title) == head


def test_secondary_head_counts_less():
    """A head found only after 'for' (what the product fits) is less certain than the product's own noun."""
    own = infer_classes(["Apple iPhone 14, 128 GB"])[0][9]
    fits = infer_classes(["Accessory for iPhone 14"])[0][9]
    assert fits < own


def test_nice_head_used_when_no_hand_noun():
    """A goods noun only in the Nice list still gives its class (horseshoes are class 6 or 28 ... but a
    'sextant' is only a class-9 term)."""
    (classes,) = infer_classes(["Brass Nautical Sextant"])
    assert 9 in classes and classes[9] < 0.9


def test_categories_add_evidence_and_fill_unknown_titles():
    with_cat, no_cat, only_cat = infer_classes(
        ["Trail Runner X2", "Trail Runner X2", "Zorblax 3000"], ["Shoes > Running", "", "CELLULAR_PHONE_CASE"]
    )
    assert 25 in with_cat and with_cat[25] >= 0.5
    assert 25 not in no_cat
    assert 9 in only_cat


def test_categories_length_must_match():
    with pytest.raises(ValueError, match="categories"):
        infer_classes(["a", "b"], ["x"])


@pytest.mark.parametrize("junk", ["", "   ", "!!!", "12345 67890", "\x00\x01", "🙂🙂", "x" * 5000, None, float("nan")])
def test_garbage_input_gives_a_dict(junk):
    (classes,) = infer_classes([junk])
    assert isinstance(classes, dict)
    assert all(isinstance(c, int) and 1 <= c <= 45 for c in classes)


def test_empty_and_unknown_give_empty():
    assert infer_classes([]) == []
    assert infer_classes(["", "zzqx vvbn"]) == [{}, {}]


def test_related_classes_symmetric_and_complete():
    assert set(RELATED_CLASSES) == set(range(1, 46))
    for cls, related in RELATED_CLASSES.items():
        assert cls not in related
        for other in related:
            assert cls in RELATED_CLASSES[other], (cls, other)
    assert 18 in RELATED_CLASSES[25] and 14 in RELATED_CLASSES[25]
    assert 28 in RELATED_CLASSES[9] and 5 in RELATED_CLASSES[3]
    assert 25 not in RELATED_CLASSES[3]


def test_relatedness_values():
    assert relatedness({14: 0.9}, [14]) == 1.0
    assert relatedness({14: 0.9}, [25]) == 0.5
    assert relatedness({14: 0.9}, [3, 30]) == 0.0
    assert math.isnan(relatedness({}, [14]))
    assert math.isnan(relatedness({14: 0.9}, []))
    assert math.isnan(relatedness({14: 0.0}, [14]))
    mixed = relatedness({9: 0.9, 12: 0.54}, [12])
    assert mixed == pytest.approx((0.9 * 0.5 + 0.54 * 1.0) / (0.9 + 0.54))


def test_relatedness_on_issue_examples():
    """Goods of the issue's false alarms are unrelated to the mark's goods; Coach on a wallet is the same."""
    swatch, jaguar, tide, coach = infer_classes(
        ["Paint Swatch Fan Deck", "Jaguar Plush Toy", "Tide Pool Poster", "Coach Leather Wallet Card Holder"]
    )
    assert relatedness(swatch, [14]) == 0.0  # SWATCH: watches
    # JAGUAR: cars, watches, clothing; a plush toy is only related through toy vehicles (12 ~ 28)
    assert relatedness(jaguar, [12, 14, 25]) == 0.5
    assert relatedness(jaguar, [14, 25]) == 0.0
    assert relatedness(tide, [3]) == 0.0  # TIDE: detergent
    assert relatedness(coach, [18]) == 1.0  # COACH: leather goods



def test_shipped_lexicon():
    table = default_table()
    assert len(table) > 7000
    hand = hand_table()
    assert len(hand) >= 300
    for entry in table.values():
        assert entry.classes and all(1 <= c <= 45 and 0 < w <= 1 for c, w in entry.classes.items())
    assert table["necklace"].classes == {14: 0.9} and table["necklace"].hand
    header = (Path(__file__).resolve().parents[1] / "scanner/goods/data/nice_goods.tsv").read_text().splitlines()[0:3]
    assert any("CC0" in line for line in header)


def test_singular():
    assert [singular(w) for w in ["batteries", "watches", "knives", "shoes", "glasses", "mice", "toys", "gps"]] == [
        "battery", "watch", "knife", "shoe", "glasses", "mouse", "toy", "gps"]


def _import_training(name):
    sys.path.insert(0, str(TRAINING))
    try:
        return __import__(name)
    finally:
        sys.path.remove(str(TRAINING))


def test_term_keys():
    build = _import_training("build_lexicon")
    assert build.term_keys("figurines [statuettes] of wood, wax, plaster or plastic") == ["figurine"]
    assert build.term_keys("toner cartridges, filled, for printers and photocopiers") == [
        "cartridge", "toner cartridge"]
    assert build.term_keys("necklaces [jewellery, jewelry (Am.)]") == ["necklace"]


@pytest.mark.shared
def test_shipped_lexicon_rebuilds_from_the_nice_list(shared_data, tmp_path):
    build = _import_training("build_lexicon")
    out = tmp_path / "nice_goods.tsv"
    assert build.main(["--nice", str(shared_data / "nice" / "nice-classification-10-2015.json"), "--out", str(out)]) == 0
    shipped = Path(__file__).resolve().parents[1] / "scanner" / "goods" / "data"
    assert out.read_text() == (shipped / "nice_goods.tsv").read_text()
    assert (tmp_path / "nice_words.tsv").read_text() == (shipped / "nice_words.tsv").read_text()


@pytest.mark.shared
def test_real_titles_accuracy_floor(shared_data):
    """The hand-labelled real titles (training/goods/title_labels.csv): floors below the measured figures
    (docs/goods.md)."""
    evaluate = _import_training("evaluate")
    frame = evaluate.load_labelled(shared_data)
    assert len(frame) >= 300
    scores = evaluate.score(frame)
    assert scores["top1"] >= 0.78, scores
    assert scores["any_overlap"] >= 0.82, scores
    assert scores["coverage"] >= 0.88, scores
    final = evaluate.score(frame[frame["split"] == "final"])
    assert final["top1"] >= 0.72, final


@pytest.mark.shared
def test_nice_held_out_floor(shared_data):
    evaluate_nice = _import_training("evaluate_nice")
    goods = evaluate_nice.load_goods(shared_data / "nice" / "nice-classification-10-2015.json")
    train, test = evaluate_nice.split(goods, 0.2, 15)
    per_class, words = evaluate_nice.count_words(train)
    model = evaluate_nice.WordModel(per_class, words)
    scores = evaluate_nice.accuracy(evaluate_nice.nice_entries(evaluate_nice.count_keys(train)), test, model, None)
    assert scores["top1"] >= 0.38, scores
    assert scores["top3"] >= 0.45, scores


def test_may_end_goods_term_never_refuses_a_goods_term() -> None:
    """The quick test before reading the words around a mark: every phrase that is a goods term ends in a
    word it lets through (plural and singular, any case); words that end no lexicon key are refused."""
    keys = list(default_table())[::50]
    for key in keys:
        words = key.split(" ")
        for last in (words[-1], words[-1] + "s", words[-1].upper()):
            phrase = [*words[:-1], last]
            if is_goods_term(phrase):
                assert may_end_goods_term(last), phrase
    assert is_goods_term(["polo", "shirts"]) and may_end_goods_term("Shirts")
    assert not may_end_goods_term("xqzvv") and not may_end_goods_term("")
