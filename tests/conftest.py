"""Shared pytest configuration. Fixtures live in the ``fixtures_*`` plugins."""

pytest_plugins = ["fixtures_data", "fixtures_store", "fixtures_app"]
