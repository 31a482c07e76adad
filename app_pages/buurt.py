"""Buurt: signals and agenda (filled by the meeting work)."""

from buurtkaart.ui.external import page

page("buurt")
