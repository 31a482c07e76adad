"""Address -> point: offline on an OSM extract's index, or online with Nominatim.

The pure parts (normalising, parsing, the index and its lookup) are in
:mod:`buurtkaart.core.address`; building the index and asking Nominatim are
sources (:mod:`buurtkaart.sources.addresses`, :mod:`buurtkaart.sources._nominatim`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from buurtkaart._errors import GeocodeError, InputError
from buurtkaart.core.address import PRECISIONS, GeocodeResult, geocode_offline, parse_address
from buurtkaart.sources._nominatim import nominatim_search
from buurtkaart.sources.addresses import load_index

__all__ = ["PRECISIONS", "BatchRow", "GeocodeResult", "geocode", "geocode_batch"]


def geocode(address: str, osm_file: str | Path | None = None) -> GeocodeResult:
    """Geocode an address offline on ``osm_file``, or online with Nominatim.

    Parameters
    ----------
    address : str
        E.g. ``"Chaussée de Gand 123, 1080 Molenbeek"``.
    osm_file : str or Path, optional
        OSM extract for the offline index; None = Nominatim (rate-limited, cached).

    Returns
    -------
    GeocodeResult
        With its ``precision``: ``housenumber``, ``interpolated``, ``estimated``,
        ``street`` or ``area`` offline (``place`` for Nominatim's coarse answers).
    """
    if osm_file is not None:
        return geocode_offline(address, load_index(osm_file))
    parse_address(address)  # rejects empty input before any request
    return nominatim_search(address)


@dataclass(frozen=True)
class BatchRow:
    """One input of a batch: the answer, or the reason of the miss."""

    query: str
    result: GeocodeResult | None
    reason: str = ""  # "ambiguous: …", "not_found: …", "empty: …" for a miss


def geocode_batch(addresses: Iterable[str], osm_file: str | Path | None = None) -> list[BatchRow]:
    """Geocode each address; a miss gives a row with its reason instead of an error.

    An unreachable online source still raises (the whole batch would miss).
    """
    index = load_index(osm_file) if osm_file is not None else None
    rows = []
    for address in addresses:
        try:
            hit = (geocode_offline(address, index) if index is not None
                   else geocode(address))
        except GeocodeError as err:
            rows.append(BatchRow(address, None, f"{err.reason}: {err}"))
        except InputError as err:
            rows.append(BatchRow(address, None, f"empty: {err}"))
        else:
            rows.append(BatchRow(address, hit))
    return rows
