"""Areas and comparator groups, both with validity dates.

Why validity dates: county councils have been abolished and replaced (Dorset 2019, Buckinghamshire 2020,
Northamptonshire 2021, Cumbria, North Yorkshire and Somerset 2023). A comparator group is only right for a
period when it holds the councils that existed then: 27 county councils up to 2018/19, 21 from 2023/24.
Membership is data (``reference/*.csv``), never code.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"

UPPER_TIER_TYPES = frozenset({"county", "unitary", "metropolitan_district", "london_borough"})
BENCHMARK_TYPES = frozenset({"country", "region"})
ENGLAND = "E92000001"


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    type: str
    valid_from: date | None
    valid_to: date | None
    successors: tuple[str, ...] = ()
    components: tuple[str, ...] = ()

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


@dataclass(frozen=True)
class Membership:
    group_id: str
    group_name: str
    area_code: str
    valid_from: date | None
    valid_to: date | None

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def _codes(text: str) -> tuple[str, ...]:
    return tuple(c for c in text.split(";") if c)


class AreaRegister:
    """Every area the pipeline knows, keyed by GSS code (aggregate areas have local codes)."""

    def __init__(self, areas: Iterable[Area]):
        self._areas = {a.code: a for a in areas}

    @classmethod
    def load(cls, path: Path | None = None) -> AreaRegister:
        path = path or REFERENCE_DIR / "areas.csv"
        with path.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        return cls(
            Area(r["area_code"], r["area_name"], r["area_type"], _date(r["valid_from"]), _date(r["valid_to"]),
                 _codes(r["successors"]), _codes(r["components"]))
            for r in rows
        )

    def __contains__(self, code: object) -> bool:
        return code in self._areas

    def __iter__(self):
        return iter(self._areas.values())

    def __len__(self) -> int:
        return len(self._areas)

    def get(self, code: str) -> Area | None:
        return self._areas.get(code)

    def name(self, code: str) -> str:
        area = self._areas.get(code)
        return area.name if area else code

    def aggregates(self) -> list[Area]:
        return [a for a in self._areas.values() if a.type == "aggregate"]


class ComparatorGroups:
    """Named sets of areas with validity dates. Membership is decided per period (at its end date)."""

    def __init__(self, memberships: Iterable[Membership]):
        self.memberships = list(memberships)

    @classmethod
    def load(cls, path: Path | None = None) -> ComparatorGroups:
        path = path or REFERENCE_DIR / "comparator_groups.csv"
        with path.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        return cls(
            Membership(r["group_id"], r["group_name"], r["area_code"], _date(r["valid_from"]),
                       _date(r["valid_to"]))
            for r in rows
        )

    def group_ids(self) -> list[str]:
        return sorted({m.group_id for m in self.memberships})

    def members(self, group_id: str, on: date) -> list[str]:
        """Areas in ``group_id`` on the day ``on`` (a period is judged at its end date)."""
        return sorted(m.area_code for m in self.memberships if m.group_id == group_id and m.valid_on(on))
