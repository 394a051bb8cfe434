"""Cues in the other languages of the seed marketplaces (es, pt, de, fr, it, ru, ja, ko, zh)."""

from __future__ import annotations

import pytest

from scanner.match.cues import field_cues
from scanner.text import tokenize


def cues(text: str, marks: list[str], ordinary: bool = False) -> list[tuple[str, str, str]]:
    toks = tokenize(text)
    words = [t.text for t in toks]
    spans = []
    for mk in marks:
        mt = [t.text for t in tokenize(mk)]
        for i in range(len(words) - len(mt) + 1):
            # a one-word mark may be glued to a model number ("iphone15"), as the matcher reads it
            glued = len(mt) == 1 and words[i].startswith(mt[0]) and words[i][len(mt[0]):].isdigit()
            if words[i : i + len(mt)] == mt or glued:
                spans.append((i, i + len(mt) - 1, "".join(mt), ordinary))
                break
    assert len(spans) == len(marks), f"mark not found in {text!r}"
    return [(c.nominative, c.counterfeit, c.comparison) for c in field_cues(text, tuple(toks), spans)]


@pytest.mark.parametrize(("text", "mark", "nominative"), [
    ("Funda para iPhone 15 transparente", "iPhone", "para"),
    ("Cargador compatible con Samsung Galaxy", "Samsung", "compatible con"),
    ("Filtro repuesto para Dyson V11", "Dyson", "repuesto para"),
    ("Capa compatível com iPhone 14", "iPhone", "compatível com"),
    ("Capa compativel com iPhone 14", "iPhone", "compativel com"),
    ("Película para Galaxy A54", "Galaxy", "para"),
    ("Hülle für Samsung Galaxy S24", "Samsung", "für"),
    ("Ladekabel passend für Apple iPhone", "Apple", "passend für"),
    ("Toner kompatibel mit Brother TN-2420", "Brother", "kompatibel mit"),
    ("Ersatz für Bosch Akku 18V", "Bosch", "Ersatz für"),
    ("Coque pour iPhone 13 silicone", "iPhone", "pour"),
    ("Chargeur compatible avec MacBook Air", "MacBook", "compatible avec"),
    ("Cover per Samsung Galaxy S23", "Samsung", "per"),
    ("Cinturino compatibile con Apple Watch", "Apple", "compatibile con"),
    ("Ремешок для Apple Watch 45 мм", "Apple", "для"),
    ("Чехол совместим с iPhone 15", "iPhone", "совместим с"),
    ("Фильтр подходит для Dyson V8", "Dyson", "подходит для"),
    ("Чехол для нового iPhone", "iPhone", ""),  # an unknown word between: no reference
    ("手机壳适用于iPhone15", "iPhone", "适用于"),
    ("兼容Switch手柄", "Switch", "兼容"),
])
def test_nominative_before(text, mark, nominative):
    assert cues(text, [mark])[0][0] == nominative


@pytest.mark.parametrize(("text", "mark", "nominative"), [
    ("AirPods Pro 対応 ケース", "AirPods", "対応"),
    ("iPhone15用ケース 手帳型", "iPhone", "用"),
    ("iPhone 15 Pro 専用 ガラスフィルム", "iPhone", "専用"),
    ("Canon互換インク", "Canon", "互換"),
    ("아이폰 호환 케이스", "아이폰", "호환"),
    ("아이폰용 케이스", "아이폰", "용"),
    ("갤럭시 S24 전용 필름", "갤럭시", "전용"),
    ("iPhone专用钢化膜", "iPhone", "专用"),
    ("Nike用品", "Nike", ""),  # 用品: goods, not "for"
    ("아이폰 용량 128GB", "아이폰", ""),  # 용량: capacity
    ("使用Apple", "Apple", ""),
])
def test_nominative_after_cjk(text, mark, nominative):
    assert cues(text, [mark])[0][0] == nominative


def test_glued_cue_keeps_its_original_span():
    text = "iPhone15用ケース"
    toks = tuple(tokenize(text))
    found = field_cues(text, toks, [(0, 0, "iphone", False)])
    assert found[0].nominative == "用" and found[0].side == "after"
    assert text.index(found[0].nominative) == 8


@pytest.mark.parametrize(("text", "mark", "counterfeit"), [
    ("Bolso réplica Gucci", "Gucci", "réplica"),
    ("Reloj Rolex imitación", "Rolex", "imitación"),
    ("Tênis Nike imitação primeira linha", "Nike", "imitação"),
    ("Часы Rolex копия", "Rolex", "копия"),
    ("Сумка реплика Gucci", "Gucci", "реплика"),
    ("ロレックス スーパーコピー 時計", "Rolex", "スーパーコピー"),
    ("ナイキ風スニーカー", "ナイキ", "風"),
    ("샤넬 레플리카 가방", "Chanel", "레플리카"),
    ("짝퉁 샤넬 가방", "Chanel", "짝퉁"),
    ("高仿耐克运动鞋", "耐克", "高仿"),
    ("仿Gucci包", "Gucci", "仿"),
    ("复刻Nike球鞋", "Nike", "复刻"),
])
def test_counterfeit(text, mark, counterfeit):
    text = text.replace("Chanel", "샤넬") if mark == "Chanel" else text
    mark = "샤넬" if mark == "Chanel" else mark
    mark = "ロレックス" if mark == "Rolex" and "ロレックス" in text else mark
    assert cues(text, [mark])[0][1] == counterfeit


def test_counterfeit_guards():
    assert cues("ナイキ 風呂 マット", ["ナイキ"])[0][1] == ""
    assert cues("Dyson 扇風機", ["Dyson"])[0][1] == ""  # 風 must touch the mark
    assert cues("Gucci 仿真花", ["Gucci"])[0][1] == ""


@pytest.mark.parametrize(("text", "mark", "comparison"), [
    ("Mochila tipo Nike", "Nike", "tipo"),
    ("Tapete alternativa a Lululemon", "Lululemon", "alternativa a"),
    ("Кроссовки аналог Nike", "Nike", "аналог"),
    ("耐克同款运动鞋", "耐克", "同款"),
])
def test_comparison(text, mark, comparison):
    assert cues(text, [mark])[0][2] == comparison


def test_english_fur_is_not_the_german_cue():
    assert cues("Fur Hood Canada Goose Parka", ["Canada Goose"])[0][0] == ""
    assert cues("Mantel fuer Canada Goose", ["Canada Goose"])[0][0] == "fuer"


def test_cjk_cue_after_generation_and_model_words():
    assert cues("AirPods 第3世代 対応 ケース", ["AirPods"])[0][0] == "対応"
    assert cues("갤럭시 탭 S9 호환 케이스", ["갤럭시"])[0][0] == "호환"
    assert cues("갤럭시 버즈 전용 케이스", ["갤럭시"])[0][0] == "전용"
    assert cues("AirPods ケース 手帳 対応", ["AirPods"])[0][0] == ""  # other words between: no reference


def test_german_replica_words():
    assert cues("Replik Rolex Daytona", ["Rolex"])[0][1] == "Replik"


def test_device_word_between_local_cue_and_mark():
    assert cues("Щетка для пылесоса Dyson V10", ["Dyson"])[0][0] == "для"
    assert cues("Suporte para controle PlayStation 5", ["PlayStation"])[0][0] == "para"
    assert cues("Щетка для пылесоса и кухни Dyson", ["Dyson"])[0][0] == ""  # other words: no reference
