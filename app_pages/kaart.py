"""Kaart: the map of the buurt with candidates, actors and relations."""

from buurtkaart.ui import kaart
from buurtkaart.ui.app import frame

_f = frame()
kaart.render(_f.map, _f.filters, _f.lang)
