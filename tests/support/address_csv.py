"""A CSV of real Brussels addresses (no coordinates), built from the 2013 extract.

Used by the address-import tests (store, CLI, app). Nothing of it is committed:
the named places with a full address are read from the shared extract at test
time; a few hand rows add a range, an interpolated and an estimated number, a
street-only and a square answer, and two misses (an invented street, an
ambiguous one).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import osmium

#: (name, address, precision expected; "" = a miss with that reason in ``reason``)
HAND_ROWS = [
    ("Vzw Montoyer", "Rue Montoyer 17", "housenumber", ""),  # tagged 17-19
    ("Buurthuis Gray", "Rue Gray 35, Etterbeek", "interpolated", ""),
    ("Huiswerkklas Veld", "Rue des Champs 97, Etterbeek", "estimated", ""),
    ("Jeugdhuis Gent", "Chaussée de Gand 20, Molenbeek", "street", ""),
    ("Markt Gemeenteplein", "Gemeenteplein, Molenbeek", "area", ""),
    ("Vzw Nergens", "Rue Imaginaire du Zzyzx 12", "", "not_found"),
    ("Kerkkoor", "Kerkstraat 5", "", "ambiguous"),
]


@dataclass(frozen=True)
class Row:
    """One CSV row and what the import should make of it."""

    name: str
    address: str
    precision: str
    reason: str = ""
    lat: float | None = None  # the tagged point, for rows read from the extract
    lon: float | None = None


def extract_rows(pbf: Path, n: int = 6) -> list[Row]:
    """The first ``n`` named amenity/shop/office nodes (by id) with a full Brussels address."""
    found = []
    for obj in osmium.FileProcessor(str(pbf), osmium.osm.NODE):
        tags = obj.tags
        number, postcode = tags.get("addr:housenumber", ""), tags.get("addr:postcode", "")
        kind = tags.get("amenity") or tags.get("shop") or tags.get("office")
        if (kind and "name" in tags and "addr:street" in tags and number.isdigit()
                and postcode[:2] in ("10", "11", "12")):
            street = tags["addr:street"].split(" - ")[0]
            found.append(Row(tags["name"], f"{street} {number}, {postcode}", "housenumber",
                             lat=obj.location.lat, lon=obj.location.lon))
    assert len(found) >= n, f"{pbf} has only {len(found)} named addresses"
    return found[:n]


def address_rows(pbf: Path) -> list[Row]:
    """All rows of the test CSV: real named places first, then the hand rows."""
    return extract_rows(pbf) + [Row(*r) for r in HAND_ROWS]


def address_csv(rows: list[Row]) -> bytes:
    """The CSV (``;``, Belgian Excel style) with columns naam, adres, opmerking."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(["naam", "adres", "opmerking"])
    for i, row in enumerate(rows, start=1):
        writer.writerow([row.name, row.address, f"rij {i}"])
    return out.getvalue().encode("utf-8")
