"""Category icons: one vendored SVG per category, with its licence; no emoji anywhere."""

from __future__ import annotations

import base64
import json
import xml.etree.ElementTree as ET

import pytest
from support.emoji import emoji_in

from buurtkaart._errors import DataFileError
from buurtkaart.core.categories import TAXONOMY_FILE, categories
from buurtkaart.views import map_layers as ml
from buurtkaart.views.icons import ICON_DIR, icon_data_uri, icon_img, icon_path, icon_svg

SVG_NS = "{http://www.w3.org/2000/svg}"


def test_every_category_has_its_own_vendored_svg() -> None:
    cats = categories()
    names = [c.icon for c in cats.values()]
    assert len(names) == len(set(names)), "one icon per category"
    for cat in cats.values():
        path = icon_path(cat.icon)
        assert path.is_file(), f"{cat.key}: {path} missing (scripts/vendor_assets.sh)"
        root = ET.fromstring(path.read_text(encoding="utf-8"))
        assert root.tag == f"{SVG_NS}svg" and root.get("viewBox") == "0 0 24 24"
        assert len(root.findall(f".//{SVG_NS}path")) + len(root.findall(f".//{SVG_NS}circle")) > 0


def test_taxonomy_icons_are_names_not_emoji() -> None:
    assert emoji_in(TAXONOMY_FILE.read_text(encoding="utf-8")) == []
    for cat in categories().values():
        assert cat.icon.replace("-", "").isalnum() and cat.icon.isascii(), cat.icon


def test_icon_licence_is_recorded() -> None:
    licence = (ICON_DIR / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License")
    meta = json.loads((ICON_DIR / "package.json").read_text(encoding="utf-8"))
    assert meta["name"] == "@tabler/icons" and meta["license"] == "MIT"


def test_icon_svg_is_inline_safe_and_coloured() -> None:
    svg = icon_svg("worship_muslim", size=12)
    root = ET.fromstring(svg)
    assert root.get("width") == "12" and root.get("height") == "12"
    assert root.get("stroke") == categories()["worship_muslim"].color
    assert "currentColor" not in svg and "class=" not in svg
    assert "<script" not in svg and "href" not in svg and "\n" not in svg
    assert ET.fromstring(icon_svg("school", color="#000000")).get("stroke") == "#000000"
    # an unknown (older) category key gets the grey dot
    assert ET.fromstring(icon_svg("no_such_category")).get("stroke") == "#737373"
    with pytest.raises(DataFileError, match="colour"):
        icon_svg("school", color="red;x:1")


def test_data_uri_and_img_decode_to_the_svg() -> None:
    uri = icon_data_uri("library", size=20)
    assert uri.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]).decode() == icon_svg("library", size=20)
    tag = icon_img("library")
    assert tag.startswith('<img src="data:image/svg+xml;base64,') and 'alt=""' in tag


def test_icon_names_are_checked() -> None:
    with pytest.raises(DataFileError, match="Tabler icon name"):
        icon_path("../../etc/passwd")


def test_map_category_styles_use_svg_icons() -> None:
    styles = ml.category_styles(["school", "horeca", "unknown_old_key"], "fr")
    for style in styles.values():
        assert style["icon"].startswith("<svg") and emoji_in(style["icon"]) == []
    assert styles["unknown_old_key"]["label"] == "unknown old key"
