"""Entry point looked up by ``buurtkaart.ui.external`` for the Import/Export page."""

from __future__ import annotations

from buurtkaart.exchange.ui import render, render_import_export_page

__all__ = ["render", "render_import_export_page"]
