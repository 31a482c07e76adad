"""The text kernel on plain values: folding, comparison keys and bilingual display names."""

from __future__ import annotations

from buurtkaart.core.text import display_name, fold, name_key


def test_fold_removes_accents_case_and_extra_space() -> None:
    assert fold("  Chée  de\tGand ") == "chee de gand"
    assert fold("ÉCOLE Saint-Rémy") == "ecole saint-remy"
    assert fold("Straße") == "strasse"
    assert fold("İstanbul Market") == "istanbul market"
    assert fold(None) == fold("") == ""


def test_name_key_collapses_punctuation() -> None:
    assert name_key("  Café  Sint-Jan! ") == "cafe sint jan"
    assert name_key("Moskee Al-Amal") == name_key("moskee al amal")
    assert name_key("Sint-Jan’s") == name_key("sint jan's") == "sint jan s"
    assert name_key("Chaussée de Gand, 12") == "chaussee de gand 12"
    assert name_key("—") == name_key(None) == ""


def test_bilingual_display_names() -> None:
    names = {"nl": "Gemeenteplein", "fr": "Place Communale"}
    both = "Gemeenteplein - Place Communale"
    assert display_name(both, **names, lang="nl") == "Gemeenteplein"
    assert display_name(both, **names, lang="fr") == "Place Communale"
    assert display_name(both, **names, lang="en") == both  # no name:en: the name tag
    assert display_name(both, **names, en="Municipal Square", lang="en") == "Municipal Square"
    assert display_name(both, **names) == both  # no language preference


def test_display_name_falls_back_in_order() -> None:
    assert display_name(None, fr="Place Communale", lang="nl") == "Place Communale"
    assert display_name(None, nl="Gemeenteplein", fr="Place Communale") == "Gemeenteplein"
    assert display_name("", nl="", fr="", lang="fr", fallback="(school)") == "(school)"
    assert display_name(None) is None
    assert display_name("Bakkerij X", lang="fr", fallback="(bakery)") == "Bakkerij X"
