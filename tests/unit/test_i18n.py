"""The one text catalog: complete in nl/fr/en, no missing or unused key, plurals, numbers, dates.

The scan reads every module of the package for literal keys (``t("nav.kaart", ...)``,
``tn(...)``, ``texts(...)``, ``counted(...)``) and for keys built at run time
(``t("field." + name, ...)``, ``t(f"since.section.{s}", ...)``). Every prefix of a
built key must be declared in :data:`FAMILIES` below with the members the code can
produce, so the test knows which catalog keys are used.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from pathlib import Path

import pytest

from buurtkaart import settings
from buurtkaart.app import agenda, common, editform, frame, panels, walking
from buurtkaart.app.screens import actoren, instellingen, teamvergadering
from buurtkaart.core import vocab
from buurtkaart.core.categories import categories
from buurtkaart.exchange import profiles
from buurtkaart.exchange.mapping import MAPPABLE
from buurtkaart.i18n import (
    CATALOG_DIR,
    CATALOG_FILES,
    LANGS,
    VOCAB,
    catalog,
    cell,
    format_date,
    format_number,
    label,
    t,
    tn,
)
from buurtkaart.insights.charts import COVERAGE_MEASURES
from buurtkaart.meeting import recurrence, sentences, signals, since
from buurtkaart.views import filters as logic
from buurtkaart.views import follow_up, mapimage, mapview

ROOT = settings.PACKAGE_DIR
SOURCES = sorted(ROOT.rglob("*.py"))
_CALL = r"(?<![\w.])(?:t|tn|texts|counted)\(\s*"
KEY_CALL = re.compile(_CALL + r"""(["'])([a-z_][a-z0-9_.]*)\1(?!\s*\+)""")
PREFIX_CALL = re.compile(_CALL + r"""(["'])([a-z_][a-z0-9_.]*)\1\s*\+""")
FSTRING_CALL = re.compile(_CALL + r"""f(["'])([a-z_][a-z0-9_.]*)\{""")

#: Keys built at run time: prefix -> the members the code can append.
FAMILIES: dict[str, set[str]] = {
    "field.": {*logic.EDITABLE_FIELDS, *panels.DETAIL_FIELDS, *actoren.TABLE_FIELDS},
    "nav.": {key.split(".", 1)[1] for _, key, _, _ in frame.PAGES},
    "map.basemap_": {"osm", "offline"},
    "setup.area_": {"circle", "walk", "boundary"},
    "walk.speed_": set(walking.SPEEDS),
    "meeting.rep_": set(agenda.REPEAT_KINDS),
    "meeting.": set(teamvergadering.TABS),
    "exchange.field.": set(MAPPABLE),
    "exchange.profile.": set(profiles.PROFILES),
    "exchange.import.": {"merge", "skip"},
    "exchange.import.layer_": {"tag", "category"},
    "chart.": set(COVERAGE_MEASURES),
    "chart.group_": {"institutions", "commerce"},
    "rec.nth.": {str(n) for n in recurrence.NTHS if n > 0},
    "weekday.": {d.lower() for d in recurrence.WEEKDAYS},
    "since.section.": set(since.SECTIONS),
    "followup.": set(follow_up.REASON_KINDS),
    "since.field.": {*since.ACTOR_FIELDS, "type", "category"},
    "osm_signal.new.": {*signals.NOUN_PREFIXES, "place"},
    "osm_signal.noun.": set(signals.NOUN_PREFIXES),
    "osm_signal.field_": {"name", "category"},
    "insights.island.verdict_": {"island", "partly", "rooted"},
    "factor.": {f"{d}.{f}" for d, fs in vocab.FACTORS.items() for f in fs},
    "category.": set(categories()),
    "mapjs.": set(mapview.MAP_TEXTS),
    "pdfmap.": set(mapimage.LEGEND_KEYS),
    "diff.key.": {*sentences.INFO_KEYS, "address", "details"},
    "diff.basis.": {"header", "data"},
    "geocode.": {k.removeprefix("geocode.") for k in (*instellingen.PRECISION_KEYS.values(),
                                                      *instellingen.GEOCODE_ERROR_KEYS.values(),
                                                      "geocode.not_found_none")},
    # sentences.kind_label looks up any OSM kind value that has a word in the catalog
    "diff.value.": {k.removeprefix("diff.value.") for k in catalog()
                    if k.startswith("diff.value.")},
}


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _scan() -> tuple[set[str], set[str]]:
    keys, prefixes = set(), set()
    for path in SOURCES:
        source = path.read_text(encoding="utf-8")
        keys.update(m[1] for m in KEY_CALL.findall(source))
        prefixes.update(m[1] for m in PREFIX_CALL.findall(source))
        prefixes.update(m[1] for m in FSTRING_CALL.findall(source))
    return keys, prefixes


def _used_keys() -> set[str]:
    keys, _ = _scan()
    used = set(keys)
    used |= {prefix + member for prefix, members in FAMILIES.items() for member in members}
    used |= {f"{kind}.{key}" for kind, keys_ in VOCAB.items() for key in keys_}
    return used


def _is_used(key: str, used: set[str]) -> bool:
    base, _, form = key.rpartition(".")
    return key in used or (form in ("one", "other") and base in used)


def test_every_key_has_all_three_languages() -> None:
    for key, texts in catalog().items():
        assert set(texts) == set(LANGS), f"{key}: languages {sorted(texts)}"
        for lang in LANGS:
            assert texts[lang].strip(), f"{key}: empty {lang}"


def test_placeholders_agree_between_languages() -> None:
    for key, texts in catalog().items():
        names = {lang: _placeholders(texts[lang]) for lang in LANGS}
        assert names["fr"] == names["nl"] == names["en"], f"{key}: {names}"


def test_plural_keys_come_in_pairs() -> None:
    keys = set(catalog())
    for key in keys:
        base, _, form = key.rpartition(".")
        if form in ("one", "other") and base not in VOCAB:  # channel.other is a word
            other = "other" if form == "one" else "one"
            assert f"{base}.{other}" in keys, f"{key} has no {other} form"


def test_every_literal_key_in_the_source_exists() -> None:
    keys, _ = _scan()
    assert len(keys) > 250, "the scan found suspiciously few keys"
    missing = sorted(k for k in keys
                     if k not in catalog() and f"{k}.one" not in catalog())
    assert not missing, f"keys used in the package but missing in the catalog: {missing}"


def test_every_dynamic_key_family_is_declared_and_complete() -> None:
    _, prefixes = _scan()
    assert prefixes <= set(FAMILIES), f"undeclared dynamic prefixes: {prefixes - set(FAMILIES)}"
    for prefix, members in FAMILIES.items():
        assert members, prefix
        missing = sorted(prefix + m for m in members if prefix + m not in catalog())
        assert not missing, missing


def test_no_key_is_unused() -> None:
    used = _used_keys()
    unused = sorted(k for k in catalog() if not _is_used(k, used))
    assert not unused, f"catalog keys that no code uses: {unused}"


def test_every_vocabulary_key_has_a_label() -> None:
    for kind, keys in VOCAB.items():
        for key in keys:
            assert f"{kind}.{key}" in catalog(), f"{kind}.{key}"


def test_no_other_lookup_function_or_table_is_left() -> None:
    pattern = re.compile(r"def (tr|tx|_t|tri|msg)\(|: dict\[str, tuple\[str, str, str\]\]"
                         r"|\{\"nl\": \"")
    offenders = [str(p.relative_to(ROOT)) for p in SOURCES  # i18n: LANG_NAMES, separators
                 if p.parent.name != "i18n" and pattern.search(p.read_text(encoding="utf-8"))]
    assert not offenders, offenders


def test_dutch_text_is_not_english() -> None:
    english_only = re.compile(r"\b(the|and|with|choose|please)\b", re.IGNORECASE)
    leaks = [k for k, v in catalog().items() if v["nl"] == v["en"] and english_only.search(v["nl"])]
    assert not leaks, f"untranslated Dutch texts {leaks}"


def test_catalog_files_are_in_the_package_and_one_line_per_key() -> None:
    for name in CATALOG_FILES:
        path = CATALOG_DIR / name
        assert Path(path).is_relative_to(settings.PACKAGE_DIR)
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                assert re.fullmatch(r'"[a-z0-9_.]+" = \{ nl = ".*", fr = ".*", en = ".*" \}',
                                    line), line
    assert "catalog.toml" in CATALOG_FILES and "vocab.toml" in CATALOG_FILES
    assert editform.EDITABLE_FIELDS == logic.EDITABLE_FIELDS


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


@pytest.mark.parametrize(("lang", "n", "expected"), [
    ("nl", 1, "1 actor"), ("nl", 3, "3 actoren"), ("nl", 0, "0 actoren"),
    ("fr", 1, "1 acteur"), ("fr", 0, "0 acteur"), ("fr", 2, "2 acteurs"),
    ("en", 1, "1 actor"), ("en", 2, "2 actors"), ("nl", 1234, "1.234 actoren")])
def test_plural_forms(lang: str, n: int, expected: str) -> None:
    assert tn("count.actors", lang, n) == expected


def test_one_actor_is_not_plural_on_the_map_caption() -> None:
    text = t("map.counts", "nl", org="Buurtwerk", actors=tn("count.actors", "nl", 1),
             places=tn("count.candidates", "nl", 1))
    assert text == "Buurtwerk: 1 actor en 1 kandidaat-plaats op de kaart."


@pytest.mark.parametrize(("lang", "expected"), [
    ("nl", "1.234,5"), ("fr", "1\u202f234,5"), ("en", "1,234.5")])
def test_belgian_numbers(lang: str, expected: str) -> None:
    assert format_number(1234.5, lang) == expected
    assert format_number(100.0, lang) == "100"
    assert format_number(4.5, lang, decimals=2).endswith("50")


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


def test_empty_cells_never_show_none() -> None:
    assert cell(None) == cell("") == cell([]) == "—"
    assert cell(dt.date(2026, 12, 1)) == "01/12/2026"
    assert label("status", None, "nl") == ""
    assert common.value_label("status", None, "nl") == "—"


def test_vocabulary_labels_are_the_methods_words() -> None:
    assert common.value_label("roles", ["sleutelfiguur", "brugfiguur"], "nl") == (
        "Sleutelfiguur, Brugfiguur")
    assert common.value_label("roles", ["sleutelfiguur"], "fr") == "Personne-clé"
    assert common.value_label("leaning", "opponent", "en") == "Possible opponent"
    assert label("dimension", "beleid", "nl") == "Beleid"
    assert t("factor.omgeving.figuren", "nl") == "Pleitbezorgers, brug- en sleutelfiguren"


def test_deadline_reads_as_natural_dutch() -> None:
    assert t("pdf.due", "nl", d="01/12/2026") == "uiterlijk op 01/12/2026"
    assert t("meeting.due", "nl") == "Uiterlijk op"


def test_markdown_escape_neutralises_links_and_html() -> None:
    raw = "[klik](http://x) <img src=x onerror=alert(1)> **vet** _x_ `c`"
    text = common.md_escape(raw)
    for i, char in enumerate(text):
        if char in "[]()<>*_`":
            assert text[i - 1] == "\\", f"unescaped {char!r} at {i} in {text!r}"
    assert text.replace("\\", "") == raw
