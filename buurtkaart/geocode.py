"""Address -> point: offline on an OSM extract's index, or online with Nominatim.

The pure parts (normalising, parsing, the index and its lookup) are in
:mod:`buurtkaart.core.address`; building the index and asking Nominatim are
sources (:mod:`buurtkaart.sources.addresses`, :mod:`buurtkaart.sources._nominatim`).
"""

from __future__ import annotations

from pathlib import Path

from buurtkaart.core.address import GeocodeResult, geocode_offline, parse_address
from buurtkaart.sources._nominatim import nominatim_search
from buurtkaart.sources.addresses import load_index


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
    """
    if osm_file is not None:
        return geocode_offline(address, load_index(osm_file))
    parse_address(address)  # rejects empty input before any request
    return nominatim_search(address)
