"""Actoren: the actor register, links and contact log."""

from buurtkaart.ui import actoren
from buurtkaart.ui.app import frame

_f = frame()
actoren.render(_f.map, _f.filters, _f.lang)
