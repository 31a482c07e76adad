"""Export and import: profiles, GeoJSON/GeoPackage/CSV writers, importers.

Public entry points (see ``docs/geojson.md``):

- :func:`buurtkaart.exchange.service.export_map` ``(store, map_id, profile, fmt,
  relations=False, delimiter=",")`` -> bytes
- :func:`buurtkaart.exchange.service.import_file` ``(store, map_id, path, user,
  dry_run=False, fmt="auto", on_duplicate="merge")`` -> ImportReport
- the app page: :mod:`buurtkaart.app.screens.import_export`.
"""
