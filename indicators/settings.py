"""The settings a council edits to adopt the system: home area and default comparator group.

One TOML file (``outcomes.toml`` at the project root, or the path in ``OUTCOMES_SETTINGS``). Everything
else (the catalogue, areas, groups) is shared data; only this file says whose plan it is. Optionally it
names a nearest-neighbours file (Oflog's ``NN.json``): the home area's list becomes the comparator group
``oflog_nearest_neighbours`` (a relative path is read from the settings file's folder).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from indicators.areas import AreaRegister, ComparatorGroups, load_nearest_neighbours

SETTINGS_ENV = "OUTCOMES_SETTINGS"
DEFAULT_FILE = "outcomes.toml"


@dataclass(frozen=True)
class Settings:
    home_area: str = "E10000018"
    home_area_name: str = "Leicestershire"
    comparator_group: str = "county_councils"
    council_name: str = "Leicestershire County Council"
    plan_name: str = "Strategic Plan 2022-26"
    nearest_neighbours_file: str = ""


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
    not_text = sorted(k for k, v in data.items() if not isinstance(v, str))
    if not_text:  # every setting is text: a number or list would be carried on as whatever str() made of it
        raise ValueError(f"{candidate}: {', '.join(not_text)} must be text in quotes, e.g. "
                         f'{not_text[0]} = "{data[not_text[0]]}"')
    nn_file = data.get("nearest_neighbours_file")
    if nn_file and not Path(nn_file).is_absolute():
        data["nearest_neighbours_file"] = str((candidate.parent / nn_file).resolve())
    return Settings(**data)


def load_comparator_groups(settings: Settings, areas: AreaRegister,
                           path: Path | None = None) -> ComparatorGroups:
    """The packaged comparator groups plus the home area's nearest neighbours when the settings name a
    nearest-neighbours file."""
    groups = ComparatorGroups.load(path)
    if settings.nearest_neighbours_file:
        groups = groups.with_memberships(
            load_nearest_neighbours(Path(settings.nearest_neighbours_file), settings.home_area, areas))
    return groups
