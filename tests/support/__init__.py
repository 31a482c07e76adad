"""Shared test support: fixtures (pytest plugins), loopback services, sample data."""
