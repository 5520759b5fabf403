"""Dagster wiring only: assets, checks, schedules, sensors, resources and the CLI. No domain logic here."""
