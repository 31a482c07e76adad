"""buurtkaart: a neighbourhood stakeholder map for social organisations.

Data flows one way: sources (the only I/O) -> places (pure) -> store (one
write path, events) -> views (map, export, analysis) -> UI.
"""

__version__ = "0.1.0"

ATTRIBUTION = "© OpenStreetMap contributors"
LICENCE = "ODbL-1.0"
