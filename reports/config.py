"""Report configuration (reports/scrutiny.yaml): committees and what they scrutinise, the plan period,
sources and licences.

Why configuration: which committee scrutinises which outcome changes with the council's constitution,
not with the code. A misspelt key is an error naming the file (``extra="forbid"``), and a committee or
outcome that does not exist is an error listing the ones that do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from indicators.safe_yaml import load_yaml

DEFAULT_CONFIG = Path(__file__).resolve().parent / "scrutiny.yaml"


class ReportConfigError(ValueError):
    """The report configuration or a selection in it cannot be used; the message says why."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PlanPeriod(_Strict):
    name: str
    start: date


class Committee(_Strict):
    name: str
    outcomes: list[str] = Field(default_factory=list)
    sub_outcomes: list[str] = Field(default_factory=list)


class SourceLicence(_Strict):
    name: str  # short, for table columns
    publisher: str
    licence: str


class ReportConfig(_Strict):
    plan: PlanPeriod
    committees: dict[str, Committee]
    sources: dict[str, SourceLicence] = Field(default_factory=dict)


@dataclass(frozen=True)
class Selection:
    """Which indicators a report shows: whole outcomes and sub-outcomes of other outcomes.

    ``key`` names the output files (empty for the whole plan); ``name`` is shown on every page.
    """

    key: str
    name: str
    outcomes: tuple[str, ...] = ()
    sub_outcomes: tuple[str, ...] = ()

    @property
    def everything(self) -> bool:
        return not self.outcomes and not self.sub_outcomes


ALL_OUTCOMES = Selection(key="", name="All outcomes")


def load_config(path: Path | None = None) -> ReportConfig:
    """Read and validate the report configuration (the packaged scrutiny.yaml by default)."""
    source = Path(path) if path else DEFAULT_CONFIG
    try:
        raw = load_yaml(source.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ReportConfigError(f"cannot read report configuration {source}: {exc}") from None
    except yaml.YAMLError as exc:
        raise ReportConfigError(f"{source}: not valid YAML: {exc}") from None
    try:
        return ReportConfig.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise ReportConfigError(f"{source}: {problems}") from None


def committee_selection(config: ReportConfig, committee_id: str) -> Selection:
    committee = config.committees.get(committee_id)
    if committee is None:
        known = ", ".join(sorted(config.committees))
        raise ReportConfigError(f"no committee {committee_id!r} in the report configuration; known: {known}")
    return Selection(key=committee_id, name=committee.name, outcomes=tuple(committee.outcomes),
                     sub_outcomes=tuple(committee.sub_outcomes))


def outcome_selection(outcome_ids: list[str]) -> Selection:
    return Selection(key="_".join(outcome_ids), name="",
                     outcomes=tuple(outcome_ids))
