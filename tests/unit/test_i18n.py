"""The message catalog: complete in nl/fr/en, every used key exists, Belgian dates."""

from __future__ import annotations

import datetime as dt
import re
import string
from pathlib import Path

import pytest

from buurtkaart import settings
from buurtkaart.app import common, editform, frame, panels, walking
from buurtkaart.app.screens import actoren
from buurtkaart.i18n import LANGS, catalog, format_date, t
from buurtkaart.views import filters as logic

ROOT = settings.PROJECT_ROOT
SOURCES = sorted((ROOT / "buurtkaart" / "app").rglob("*.py"))
KEY_CALL = re.compile(r"""\bt\(\s*["']([a-z_]+\.[a-z_.]+)["'](?!\s*\+)""")
PREFIX_CALL = re.compile(r"""\bt\(\s*["']([a-z_]+\.[a-z_]*)["']\s*\+""")


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_has_all_three_languages() -> None:
    for key, texts in catalog().items():
        assert set(texts) == set(LANGS), f"{key}: languages {sorted(texts)}"
        for lang in LANGS:
            assert texts[lang].strip(), f"{key}: empty {lang}"


def test_placeholders_agree_between_languages() -> None:
    for key, texts in catalog().items():
        names = {lang: _placeholders(texts[lang]) for lang in LANGS}
        assert names["fr"] == names["nl"] == names["en"], f"{key}: {names}"


def _used_keys() -> tuple[set[str], set[str]]:
    keys, prefixes = set(), set()
    for path in SOURCES:
        source = path.read_text(encoding="utf-8")
        keys.update(KEY_CALL.findall(source))
        prefixes.update(PREFIX_CALL.findall(source))
    return keys, prefixes


def test_every_literal_key_in_the_source_exists() -> None:
    keys, _ = _used_keys()
    assert len(keys) > 50, "the scan found suspiciously few keys"
    missing = sorted(k for k in keys if k not in catalog())
    assert not missing, f"keys used in the app but missing in catalog.toml: {missing}"


def test_every_dynamic_key_family_is_complete() -> None:
    _, prefixes = _used_keys()
    families: dict[str, set[str]] = {
        "field.": {*logic.EDITABLE_FIELDS, *panels.DETAIL_FIELDS, *actoren.TABLE_FIELDS},
        "nav.": {key.split(".", 1)[1] for _, key, _, _ in frame.PAGES},
        "map.basemap_": {"osm", "offline"},
        "setup.area_": {"circle", "walk", "boundary"},
        "walk.speed_": set(walking.SPEEDS),
    }
    assert prefixes <= set(families), f"unchecked dynamic prefixes: {prefixes - set(families)}"
    for prefix, members in families.items():
        missing = sorted(prefix + m for m in members if prefix + m not in catalog())
        assert not missing, missing


def test_every_page_is_a_function_of_a_screens_module() -> None:
    assert [url for _, _, url, _ in frame.PAGES] == [
        "kaart", "actoren", "buurt", "teamvergadering", "inzichten", "import-export",
        "instellingen"]
    for func, _, _, _ in frame.PAGES:
        assert callable(func) and func.__name__ == "page"
        assert func.__module__.startswith("buurtkaart.app.screens."), func.__module__


@pytest.mark.parametrize(("lang", "expected"), [("nl", "Kaart"), ("fr", "Carte"),
                                                 ("en", "Map")])
def test_translate_page_title(lang: str, expected: str) -> None:
    assert t("nav.kaart", lang) == expected


def test_unknown_language_falls_back_to_dutch_and_unknown_key_to_itself() -> None:
    assert t("nav.instellingen", "de") == "Instellingen"
    assert t("no.such.key", "fr") == "no.such.key"


def test_placeholders_are_filled() -> None:
    text = t("actors.count", "en", shown=3, total=7)
    assert "3" in text and "7" in text and "{" not in text


@pytest.mark.parametrize("value", [dt.date(2026, 11, 28), "2026-11-28",
                                   dt.datetime(2026, 11, 28, 9, 5)])
def test_belgian_date_format(value: object) -> None:
    assert format_date(value, "nl").startswith("28/11/2026")  # type: ignore[arg-type]


def test_utc_times_are_shown_in_brussels_time() -> None:
    # 23:30 UTC on 28 November is 00:30 on 29 November in Brussels (CET, UTC+1).
    assert format_date("2026-11-28T23:30:00+00:00", "fr") == "29/11/2026 00:30"
    # Summer: CEST, UTC+2.
    assert format_date("2026-07-01T10:00:00+00:00", "en") == "01/07/2026 12:00"


def test_empty_and_unparseable_dates() -> None:
    assert format_date(None) == ""
    assert format_date("") == ""
    assert format_date("soon") == "soon"


def test_vocabulary_labels_are_the_methods_words() -> None:
    assert common.value_label("roles", ["sleutelfiguur", "brugfiguur"], "nl") == (
        "Sleutelfiguur, Brugfiguur")
    assert common.value_label("roles", ["sleutelfiguur"], "fr") == "Personne-clé"
    assert common.value_label("leaning", "opponent", "en") == "Possible opponent"


def test_markdown_escape_neutralises_links_and_html() -> None:
    raw = "[klik](http://x) <img src=x onerror=alert(1)> **vet** _x_ `c`"
    text = common.md_escape(raw)
    for i, char in enumerate(text):
        if char in "[]()<>*_`":
            assert text[i - 1] == "\\", f"unescaped {char!r} at {i} in {text!r}"
    assert text.replace("\\", "") == raw


def test_catalog_file_is_inside_the_package() -> None:
    from buurtkaart import i18n

    assert Path(i18n.CATALOG_FILE).is_relative_to(settings.PACKAGE_DIR)
    assert editform.EDITABLE_FIELDS == logic.EDITABLE_FIELDS
