"""Addresses (pure): names, house numbers, parsing, the offline index and its lookup.

The offline index holds communes, streets, house numbers (single, ranges,
lists, suffixes), interpolation lines and named areas. Street names are
normalised (accents, case, punctuation, abbreviations such as ``str.``,
``av.``, ``chée``) with generic synonyms (plein/plaats/place, straat/rue,
laan/avenue, steenweg/chaussée), and bilingual names ("Chaussée de Gand -
Steenweg op Gent") are indexed under each language.
:mod:`buurtkaart.sources.addresses` builds and caches the index from an extract.
"""

from buurtkaart.core.address.lookup import MIN_SCORE, geocode_offline, resolve_communes
from buurtkaart.core.address.model import (
    NO_COMMUNE,
    PRECISIONS,
    AreaEntry,
    Commune,
    GeocodeIndex,
    GeocodeResult,
    Interpolation,
    NumberPoint,
    StreetEntry,
)
from buurtkaart.core.address.names import (
    commune_keys,
    is_square,
    name_variants,
    normalize,
    street_key,
    street_keys,
)
from buurtkaart.core.address.numbers import interpolation_step, parse_housenumbers, split_key
from buurtkaart.core.address.parse import ParsedAddress, parse_address

__all__ = [
    "MIN_SCORE", "NO_COMMUNE", "PRECISIONS", "AreaEntry", "Commune", "GeocodeIndex",
    "GeocodeResult", "Interpolation", "NumberPoint", "ParsedAddress", "StreetEntry",
    "commune_keys", "geocode_offline", "interpolation_step", "is_square", "name_variants",
    "normalize", "parse_address", "parse_housenumbers", "resolve_communes", "split_key",
    "street_key", "street_keys",
]
