"""Inzichten: insights (filled by the insights work)."""

from buurtkaart.ui.external import page

page("inzichten")
