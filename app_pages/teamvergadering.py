"""Teamvergadering: the team meeting (filled by the meeting work)."""

from buurtkaart.ui.external import page

page("teamvergadering")
