"""Import/Export (filled by the exchange work)."""

from buurtkaart.ui.external import page

page("import_export")
