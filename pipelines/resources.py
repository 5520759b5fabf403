"""Resources: the run's settings (from environment variables with defaults) and the warehouse.

Environment variables (all optional):
  OUTCOMES_LANDING    landing folder of source files          (default: landing)
  OUTCOMES_WAREHOUSE  published, analyst-facing DuckDB file    (default: build/warehouse/outcomes.duckdb)
  OUTCOMES_REPORTS    folder for scrutiny reports              (default: reports/ beside the warehouse)
  OUTCOMES_CATALOGUE  extra catalogue files/folders, os.pathsep-separated (layered over the packaged one)
  OUTCOMES_SETTINGS   settings file naming the home area       (default: ./outcomes.toml)
  OUTCOMES_HOME_AREA  GSS code of the home area, overriding the settings file
  OUTCOMES_COMPARATOR_GROUP  default comparator group, overriding the settings file
The working database is not set separately: it lives beside the published file (warehouse.paths).
The notifier's variables are in pipelines.alerts.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from datetime import date
from functools import cached_property
from pathlib import Path

import dagster as dg
import duckdb

from indicators.areas import AreaRegister, ComparatorGroups
from indicators.catalogue import Catalogue, load_catalogue
from indicators.settings import Settings, load_comparator_groups, load_settings
from pipelines.alerts import Notifier
from sources.validate import ValidationContext
from warehouse.connection import WarehouseLocked, connect_working
from warehouse.paths import WarehousePaths

DEFAULT_LANDING = "landing"
DEFAULT_WAREHOUSE = "build/warehouse/outcomes.duckdb"
LOCK_RETRIES = 3
LOCK_RETRY_WAIT_SECONDS = 30


class PipelineSettings(dg.ConfigurableResource):
    """Where files come from and go to, and which catalogue layers and settings file apply."""

    landing_dir: str = DEFAULT_LANDING
    reports_dir: str = ""
    catalogue_layers: str = ""
    settings_file: str = ""
    home_area: str = ""
    comparator_group: str = ""
    run_date: str = ""  # ISO date freshness ("overdue") is judged against; empty = the day of the run

    @classmethod
    def from_env(cls, **overrides: str | None) -> PipelineSettings:
        """Environment variables with defaults; ``overrides`` (e.g. command-line options) win when not None."""
        values = {
            "landing_dir": os.environ.get("OUTCOMES_LANDING", DEFAULT_LANDING),
            "reports_dir": os.environ.get("OUTCOMES_REPORTS", ""),
            "catalogue_layers": os.environ.get("OUTCOMES_CATALOGUE", ""),
            "settings_file": os.environ.get("OUTCOMES_SETTINGS", ""),
            "home_area": os.environ.get("OUTCOMES_HOME_AREA", ""),
            "comparator_group": os.environ.get("OUTCOMES_COMPARATOR_GROUP", ""),
            "run_date": os.environ.get("OUTCOMES_RUN_DATE", ""),
        }
        return cls(**{**values, **{k: v for k, v in overrides.items() if v is not None}})

    @property
    def landing(self) -> Path:
        return Path(self.landing_dir)

    @property
    def judged_on(self) -> date | None:
        """The day freshness is judged against: ``run_date`` if set (reproducing a past run), else today."""
        return date.fromisoformat(self.run_date) if self.run_date else None

    def reports_for(self, paths: WarehousePaths) -> Path:
        """--reports DIR, else a reports/ folder beside the published warehouse."""
        return Path(self.reports_dir) if self.reports_dir else paths.published.parent / "reports"

    @cached_property
    def catalogue(self) -> Catalogue:
        layers = [p for p in self.catalogue_layers.split(os.pathsep) if p]
        return load_catalogue(layers, include_env=False)

    @cached_property
    def settings(self) -> Settings:
        """The settings file, with the home area and comparator group overridden where set."""
        loaded = load_settings(self.settings_file or None)
        changes = {k: v for k, v in (("home_area", self.home_area), ("comparator_group", self.comparator_group)) if v}
        return replace(loaded, **changes)

    @cached_property
    def areas(self) -> AreaRegister:
        return AreaRegister.load()

    @cached_property
    def groups(self) -> ComparatorGroups:
        """Packaged groups plus the home area's nearest neighbours when the settings name that file."""
        return load_comparator_groups(self.settings, self.areas)

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
        """The working database, read-write. If another process holds its lock, the step is retried a few
        times (that can help); nothing else is retried (a bad file stays bad: see pipelines.intake)."""
        self.paths.ensure()
        with ExitStack() as stack:
            try:
                con = stack.enter_context(connect_working(self.paths.working))
            except WarehouseLocked as exc:
                raise dg.RetryRequested(max_retries=LOCK_RETRIES, seconds_to_wait=LOCK_RETRY_WAIT_SECONDS) from exc
            yield con


def pipeline_resources(landing: Path | str, warehouse: Path | str, *, reports: Path | str | None = None,
                       notifier: Notifier | None = None, **settings: str) -> dict[str, dg.ConfigurableResource]:
    """The resources of one pipeline run, built in one place for the CLI, tests and harnesses.

    Alerts go to an alerts log beside the warehouse unless a notifier is given."""
    published = Path(warehouse)
    return {
        "settings": PipelineSettings(landing_dir=str(landing), reports_dir=str(reports or ""), **settings),
        "warehouse": WarehouseResource(warehouse_path=str(published)),
        "notifier": notifier or Notifier(alerts_log=str(published.parent / "alerts.log")),
    }
