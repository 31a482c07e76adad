"""buurtkaart: a neighbourhood stakeholder map for social organisations.

Data flows one way: sources (all I/O) -> core and domain (pure) -> store (one
write path, events) -> views (map, exports, analysis) -> app (UI). The layers
and who may import whom: docs/ARCHITECTURE.md (enforced by tests/unit/test_layers.py).
"""

__version__ = "0.1.0"

ATTRIBUTION = "© OpenStreetMap contributors"
LICENCE = "ODbL-1.0"
