"""The settings a council edits to adopt the system: home area and default comparator group.

One TOML file (``outcomes.toml`` at the project root, or the path in ``OUTCOMES_SETTINGS``). Everything
else (the catalogue, areas, groups) is shared data; only this file says whose plan it is.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

SETTINGS_ENV = "OUTCOMES_SETTINGS"
DEFAULT_FILE = "outcomes.toml"


@dataclass(frozen=True)
class Settings:
    home_area: str = "E10000018"
    home_area_name: str = "Leicestershire"
    comparator_group: str = "county_councils"
    council_name: str = "Leicestershire County Council"
    plan_name: str = "Strategic Plan 2022-26"


def load_settings(path: Path | str | None = None) -> Settings:
    """Read settings from ``path``, else ``$OUTCOMES_SETTINGS``, else ``./outcomes.toml``, else defaults."""
    candidate = Path(path) if path else Path(os.environ.get(SETTINGS_ENV, DEFAULT_FILE))
    if not candidate.is_file():
        if path or os.environ.get(SETTINGS_ENV):
            raise FileNotFoundError(f"settings file not found: {candidate}")
        return Settings()
    with candidate.open("rb") as fh:
        data = tomllib.load(fh)
    known = set(Settings.__dataclass_fields__)
    unknown = set(data) - known
    if unknown:
        raise ValueError(f"{candidate}: unknown settings {sorted(unknown)}; known: {sorted(known)}")
    return Settings(**data)
