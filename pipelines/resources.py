"""Resources: the run's settings (from environment variables with defaults) and the warehouse.

Environment variables (all optional):
  OUTCOMES_LANDING    landing folder of source files          (default: landing)
  OUTCOMES_WAREHOUSE  published, analyst-facing DuckDB file    (default: build/warehouse/outcomes.duckdb)
  OUTCOMES_REPORTS    folder for scrutiny reports              (default: reports/ beside the warehouse)
  OUTCOMES_CATALOGUE  extra catalogue files/folders, os.pathsep-separated (layered over the packaged one)
  OUTCOMES_SETTINGS   settings file naming the home area       (default: ./outcomes.toml)
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

import dagster as dg
import duckdb

from indicators.areas import AreaRegister, ComparatorGroups
from indicators.catalogue import Catalogue, load_catalogue
from indicators.settings import Settings, load_settings
from sources.validate import ValidationContext
from warehouse.connection import connect_working
from warehouse.paths import WarehousePaths

DEFAULT_LANDING = "landing"
DEFAULT_WAREHOUSE = "build/warehouse/outcomes.duckdb"


class PipelineSettings(dg.ConfigurableResource):
    """Where files come from and go to, and which catalogue layers and settings file apply."""

    landing_dir: str = DEFAULT_LANDING
    reports_dir: str = ""
    catalogue_layers: str = ""
    settings_file: str = ""

    @classmethod
    def from_env(cls) -> PipelineSettings:
        return cls(
            landing_dir=os.environ.get("OUTCOMES_LANDING", DEFAULT_LANDING),
            reports_dir=os.environ.get("OUTCOMES_REPORTS", ""),
            catalogue_layers=os.environ.get("OUTCOMES_CATALOGUE", ""),
            settings_file=os.environ.get("OUTCOMES_SETTINGS", ""),
        )

    @property
    def landing(self) -> Path:
        return Path(self.landing_dir)

    def reports_for(self, paths: WarehousePaths) -> Path:
        """--reports DIR, else a reports/ folder beside the published warehouse."""
        return Path(self.reports_dir) if self.reports_dir else paths.published.parent / "reports"

    @cached_property
    def catalogue(self) -> Catalogue:
        layers = [p for p in self.catalogue_layers.split(os.pathsep) if p]
        return load_catalogue(layers, include_env=False)

    @cached_property
    def settings(self) -> Settings:
        return load_settings(self.settings_file or None)

    @cached_property
    def areas(self) -> AreaRegister:
        return AreaRegister.load()

    @cached_property
    def groups(self) -> ComparatorGroups:
        return ComparatorGroups.load()

    def validation_context(self) -> ValidationContext:
        return ValidationContext(self.catalogue, self.areas)


class WarehouseResource(dg.ConfigurableResource):
    """The pipeline's own connection manager for the working database (never the stock DuckDB resource:
    it opens read-write with long retries, and its IO manager leaves connections open on error)."""

    warehouse_path: str = DEFAULT_WAREHOUSE

    @classmethod
    def from_env(cls) -> WarehouseResource:
        return cls(warehouse_path=os.environ.get("OUTCOMES_WAREHOUSE", DEFAULT_WAREHOUSE))

    @property
    def paths(self) -> WarehousePaths:
        return WarehousePaths(Path(self.warehouse_path))

    @contextmanager
    def working(self) -> Iterator[duckdb.DuckDBPyConnection]:
        self.paths.ensure()
        with connect_working(self.paths.working) as con:
            yield con
