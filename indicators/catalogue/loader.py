"""Load and validate the catalogue: packaged YAML files plus optional local layers.

Why layers: a council adds or overrides local indicators in its own file or folder without editing the
packaged catalogue (CLI ``--catalogue`` / environment ``OUTCOMES_CATALOGUE``, ``os.pathsep``-separated).
An indicator in a later layer with the same id replaces the earlier one; an outcome file with a new
outcome id adds an outcome.

Every problem is a :class:`CatalogueError` naming the file, the indicator and the field.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from indicators.catalogue.model import Indicator, Outcome, OutcomeFile

PACKAGED_DIR = Path(__file__).resolve().parent
CATALOGUE_ENV = "OUTCOMES_CATALOGUE"


class CatalogueError(ValueError):
    """A catalogue file that cannot be used as it stands; the message names file, indicator and field."""


@dataclass(frozen=True)
class Catalogue:
    outcomes: dict[str, Outcome]
    sub_outcomes: dict[str, str]
    indicators: dict[str, Indicator]
    files: tuple[Path, ...] = field(default_factory=tuple)

    def __iter__(self):
        return iter(self.indicators.values())

    def __len__(self) -> int:
        return len(self.indicators)

    def get(self, indicator_id: str) -> Indicator | None:
        return self.indicators.get(indicator_id)

    def for_source(self, source_id: str) -> list[Indicator]:
        return [i for i in self.indicators.values() if i.source.source == source_id]


class _SafeLineLoader(yaml.SafeLoader):
    """Safe loading only (no Python object tags), keeping each mapping's line for messages."""


def _construct_mapping(loader: _SafeLineLoader, node: yaml.MappingNode) -> dict:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_SafeLineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _strip_lines(value):
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


def _read_yaml(path: Path) -> dict:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_SafeLineLoader)
    except yaml.YAMLError as exc:
        raise CatalogueError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise CatalogueError(f"{path}: expected a mapping with 'outcome' and 'indicators'")
    return data


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(file)"
        parts.append(f"field '{loc}': {err['msg']}")
    return "; ".join(parts)


def _catalogue_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.glob("*.yaml") if not p.name.startswith("_"))
    if path.is_file():
        return [path]
    raise CatalogueError(f"{path}: catalogue layer not found")


def layer_paths_from_env() -> list[Path]:
    raw = os.environ.get(CATALOGUE_ENV, "")
    return [Path(p) for p in raw.split(os.pathsep) if p.strip()]


def load_catalogue(layers: Sequence[Path | str] | None = None, *, include_env: bool = True) -> Catalogue:
    """Load the packaged catalogue, then each layer in order (later layers override by indicator id)."""
    extra = [Path(p) for p in (layers or [])]
    if include_env:
        extra = layer_paths_from_env() + extra
    files = _catalogue_files(PACKAGED_DIR) + [f for layer in extra for f in _catalogue_files(layer)]
    return build_catalogue(files)


def build_catalogue(files: Iterable[Path]) -> Catalogue:
    outcomes: dict[str, Outcome] = {}
    sub_outcomes: dict[str, str] = {}
    indicators: dict[str, Indicator] = {}
    origin: dict[str, Path] = {}
    paths = list(files)
    for path in paths:
        raw = _read_yaml(path)
        try:
            header = OutcomeFile.model_validate(
                {k: _strip_lines(v) for k, v in raw.items() if k != "__line__" and k != "indicators"}
                | {"indicators": []}
            )
        except ValidationError as exc:
            raise CatalogueError(f"{path}: {_describe(exc)}") from None
        outcome = header.outcome
        outcomes[outcome.id] = outcome
        sub_outcomes.update(header.sub_outcomes)
        seen_in_file: set[str] = set()
        entries = raw.get("indicators")
        if not isinstance(entries, list):
            raise CatalogueError(f"{path}: 'indicators' must be a list")
        for entry in entries:
            line = entry.get("__line__", "?") if isinstance(entry, dict) else "?"
            if not isinstance(entry, dict):
                raise CatalogueError(f"{path}, line {line}: each indicator must be a mapping")
            ident = entry.get("id", "<no id>")
            if ident in seen_in_file:
                raise CatalogueError(f"{path}, line {line}, indicator '{ident}': duplicate id in this file")
            seen_in_file.add(ident)
            body = _strip_lines(entry)
            body.setdefault("outcome", outcome.id)
            try:
                indicator = Indicator.model_validate(body)
            except ValidationError as exc:
                raise CatalogueError(f"{path}, line {line}, indicator '{ident}': {_describe(exc)}") from None
            if indicator.outcome != outcome.id:
                raise CatalogueError(
                    f"{path}, line {line}, indicator '{ident}': field 'outcome' is '{indicator.outcome}' "
                    f"but the file is outcome '{outcome.id}'"
                )
            indicators[indicator.id] = indicator
            origin[indicator.id] = path
    _check_selectors(indicators, origin)
    _check_references(indicators, origin, outcomes, sub_outcomes)
    return Catalogue(outcomes, sub_outcomes, indicators, tuple(paths))


def _check_selectors(indicators: dict[str, Indicator], origin: dict[str, Path]) -> None:
    """Each source value feeds one indicator: two indicators with the same selector is an error."""
    taken: dict[tuple[str, ...], str] = {}
    for ind in indicators.values():
        key = ind.source.key()
        if key in taken:
            other = taken[key]
            raise CatalogueError(
                f"{origin[ind.id]}, indicator '{ind.id}': field 'source' selects the same values of "
                f"source '{ind.source.source}' as indicator '{other}' ({origin[other]})"
            )
        taken[key] = ind.id


def _check_references(indicators: dict[str, Indicator], origin: dict[str, Path],
                      outcomes: dict[str, Outcome], sub_outcomes: dict[str, str]) -> None:
    for ind in indicators.values():
        if ind.sub_outcome is not None and sub_outcomes and ind.sub_outcome not in sub_outcomes:
            raise CatalogueError(
                f"{origin[ind.id]}, indicator '{ind.id}': field 'sub_outcome' {ind.sub_outcome!r} "
                "is not a sub-outcome of the plan"
            )
        for other in ind.also_reported_in:
            if other not in outcomes:
                raise CatalogueError(
                    f"{origin[ind.id]}, indicator '{ind.id}': field 'also_reported_in' names unknown "
                    f"outcome '{other}'"
                )
