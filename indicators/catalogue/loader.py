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

from indicators.catalogue.model import Indicator, Outcome, OutcomeFile, SourceSelector
from indicators.periods import PeriodError, convention_of, parse_period
from indicators.safe_yaml import SafeLoader, load_yaml

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
        """Indicators whose source of record is ``source_id``."""
        return [i for i in self.indicators.values() if i.source.source == source_id]

    def also_published_by(self, source_id: str) -> list[tuple[Indicator, SourceSelector]]:
        """Indicators that ``source_id`` also publishes although it is not their source of record."""
        return [(i, s) for i in self.indicators.values() for s in i.other_sources if s.source == source_id]


class _SafeLineLoader(SafeLoader):
    """Safe loading only (no Python object tags; aliases are refused by load_yaml), keeping each mapping's
    line for messages."""


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
        data = load_yaml(path.read_text(encoding="utf-8"), _SafeLineLoader)
    except yaml.YAMLError as exc:
        raise CatalogueError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise CatalogueError(f"{path}: expected a mapping with 'outcome' and 'indicators'")
    return data


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(file)"
        if err["type"] == "extra_forbidden":
            parts.append(f"unknown field '{loc}' (misspelt, or not part of the catalogue model)")
        elif err["type"] == "missing":
            parts.append(f"missing required field '{loc}'")
        else:
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
    return build_catalogue([_catalogue_files(PACKAGED_DIR), *(_catalogue_files(layer) for layer in extra)])


def build_catalogue(layers: Iterable[Iterable[Path]]) -> Catalogue:
    """Build the catalogue from layers of files. Within a layer an id may appear once; a later layer
    replaces an earlier layer's indicator with the same id (that is how a council overrides one)."""
    outcomes: dict[str, Outcome] = {}
    sub_outcomes: dict[str, str] = {}
    indicators: dict[str, Indicator] = {}
    origin: dict[str, tuple[Path, int]] = {}
    paths: list[Path] = []
    for layer in layers:
        in_layer: dict[str, Path] = {}
        for path in layer:
            paths.append(path)
            header, entries = _read_file(path)
            if header.outcome is not None:
                outcomes[header.outcome.id] = header.outcome
            sub_outcomes.update(header.sub_outcomes)
            for entry in entries:
                indicator, line = _read_indicator(path, entry, header.outcome)
                if indicator.id in in_layer:
                    raise CatalogueError(f"{path}, line {line}, indicator '{indicator.id}': field 'id': duplicate id "
                                         f"(already defined in {in_layer[indicator.id]})")
                in_layer[indicator.id] = path
                indicators[indicator.id] = indicator
                origin[indicator.id] = (path, line)
    _check_references(indicators, origin, outcomes, sub_outcomes)
    _check_periods(indicators, origin)
    _check_selectors(indicators, origin)
    return Catalogue(outcomes, sub_outcomes, indicators, tuple(paths))


def _read_file(path: Path) -> tuple[OutcomeFile, list]:
    raw = _read_yaml(path)
    try:
        header = OutcomeFile.model_validate(
            {k: _strip_lines(v) for k, v in raw.items() if k not in ("__line__", "indicators")} | {"indicators": []})
    except ValidationError as exc:
        raise CatalogueError(f"{path}: {_describe(exc)}") from None
    entries = raw.get("indicators")
    if not isinstance(entries, list):
        raise CatalogueError(f"{path}: 'indicators' must be a list")
    return header, entries


def _read_indicator(path: Path, entry: object, outcome: Outcome | None) -> tuple[Indicator, int | str]:
    line = entry.get("__line__", "?") if isinstance(entry, dict) else "?"
    if not isinstance(entry, dict):
        raise CatalogueError(f"{path}, line {line}: each indicator must be a mapping of fields")
    ident = entry.get("id", "<no id>")
    body = _strip_lines(entry)
    if outcome is not None:
        body.setdefault("outcome", outcome.id)
    try:
        indicator = Indicator.model_validate(body)
    except ValidationError as exc:
        raise CatalogueError(f"{path}, line {line}, indicator '{ident}': {_describe(exc)}") from None
    if outcome is not None and indicator.outcome != outcome.id:
        raise CatalogueError(
            f"{path}, line {line}, indicator '{ident}': field 'outcome' is '{indicator.outcome}' "
            f"but the file is outcome '{outcome.id}'")
    return indicator, line


def _where(origin: dict[str, tuple[Path, int]], ident: str) -> str:
    path, line = origin[ident]
    return f"{path}, line {line}, indicator '{ident}'"


def _check_selectors(indicators: dict[str, Indicator], origin: dict[str, tuple[Path, int]]) -> None:
    """Each source value feeds one indicator: two indicators with the same selector is an error, and so is
    one indicator's source of record listed as another's 'other_sources' (both cannot be true)."""
    record: dict[tuple[str, ...], str] = {}
    for ind in indicators.values():
        key = ind.source.key()
        if key in record:
            other = record[key]
            raise CatalogueError(
                f"{_where(origin, ind.id)}: field 'source' selects the same values of source "
                f"'{ind.source.source}' ({ind.source.describe()}) as indicator '{other}' ({_where(origin, other)})")
        record[key] = ind.id
    for ind in indicators.values():
        for n, other in enumerate(ind.other_sources):
            owner = record.get(other.key())
            if owner is not None:
                raise CatalogueError(
                    f"{_where(origin, ind.id)}: field 'other_sources.{n}' ({other.describe()}) is the source of "
                    f"record of indicator '{owner}'")


def _check_periods(indicators: dict[str, Indicator], origin: dict[str, tuple[Path, int]]) -> None:
    """Periods written in the catalogue (targets, break notes) must be readable with the indicator's
    period convention, so a typo is caught here rather than silently never matching."""
    for ind in indicators.values():
        convention = convention_of(ind.period_convention)
        fields: list[tuple[str, str]] = [(f"break_notes.{n}.period", b.period) for n, b in enumerate(ind.break_notes)]
        if ind.target is not None:
            t = ind.target
            fields += [("target.period", t.period)] if t.period else []
            fields += [("target.baseline.period", t.baseline.period)] if t.baseline else []
            fields += [(f"target.milestones.{n}.period", m.period) for n, m in enumerate(t.milestones)]
            fields += [("target.cumulative_from", t.cumulative_from)] if t.cumulative_from else []
        for name, text in fields:
            try:
                parse_period(text, convention)
            except PeriodError as exc:
                raise CatalogueError(f"{_where(origin, ind.id)}: field '{name}': {exc}") from None


def _check_references(indicators: dict[str, Indicator], origin: dict[str, tuple[Path, int]],
                      outcomes: dict[str, Outcome], sub_outcomes: dict[str, str]) -> None:
    for ind in indicators.values():
        if ind.outcome not in outcomes:
            raise CatalogueError(f"{_where(origin, ind.id)}: field 'outcome' names unknown outcome "
                                 f"'{ind.outcome}' (known: {sorted(outcomes)})")
        if ind.sub_outcome is not None and sub_outcomes and ind.sub_outcome not in sub_outcomes:
            raise CatalogueError(
                f"{_where(origin, ind.id)}: field 'sub_outcome' {ind.sub_outcome!r} is not a sub-outcome of the plan")
        for other in ind.also_reported_in:
            if other not in outcomes:
                raise CatalogueError(
                    f"{_where(origin, ind.id)}: field 'also_reported_in' names unknown outcome '{other}'")
