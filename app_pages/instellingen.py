"""Instellingen: organisation setup and the app's settings."""

from buurtkaart.ui import setup
from buurtkaart.ui.app import frame

setup.render(frame().lang)
