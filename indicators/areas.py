"""Areas and comparator groups, both with validity dates.

Why validity dates: county councils have been abolished and replaced (Dorset 2019, Buckinghamshire 2020,
Northamptonshire 2021, Cumbria, North Yorkshire and Somerset 2023). A comparator group is only right for a
period when it holds the councils that existed then: 27 county councils up to 2018/19, 21 from 2023/24.
Membership is data (``reference/*.csv``, written from the published codes by ``tools/make_areas.py``), never
code. Nearest-neighbour groups come from a publisher's file (Oflog's ``NN.json``) and take each member's
validity dates from the register, so an abolished council in a list only counts in periods it existed.

Some sources name councils instead of coding them (DEFRA waste tables, some SDG files): :meth:`AreaRegister.
match_name` matches a name tolerantly ("County Council", "&"/"and", case, punctuation) and refuses to guess
between two councils that both fit.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"

UPPER_TIER_TYPES = frozenset({"county", "unitary", "metropolitan_district", "london_borough"})
BENCHMARK_TYPES = frozenset({"country", "region"})
AREA_TYPES = UPPER_TIER_TYPES | BENCHMARK_TYPES | {"aggregate"}
ENGLAND = "E92000001"
NEAREST_NEIGHBOURS_GROUP = "oflog_nearest_neighbours"


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    type: str
    valid_from: date | None
    valid_to: date | None
    successors: tuple[str, ...] = ()
    components: tuple[str, ...] = ()
    region_code: str = ""
    mysociety_code: str = ""
    alt_names: tuple[str, ...] = ()

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


@dataclass(frozen=True)
class NameMatch:
    """The result of matching an area name: a code, or why there is none (candidates when ambiguous)."""

    code: str | None
    candidates: tuple[str, ...] = ()

    @property
    def ambiguous(self) -> bool:
        return self.code is None and len(self.candidates) > 1


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _codes(text: str | None) -> tuple[str, ...]:
    return tuple(c for c in (text or "").split(";") if c)


_PUNCTUATION = re.compile(r"[^a-z0-9 ]+")
# Words that say what kind of council a name refers to, not which one ("Barnsley MBC", "Dorset County Council").
_FILLER = frozenset({"council", "county", "city", "borough", "metropolitan", "district", "mbc", "mdc", "lb",
                     "cc", "ua", "of", "the", "royal", "corporation"})


def name_key(name: str) -> str:
    """Case, punctuation and "&" / "and" differences removed: ``St. Helens`` = ``st helens``."""
    text = name.lower().replace("&", " and ")
    return " ".join(_PUNCTUATION.sub(" ", text).split())


def loose_name_key(name: str) -> str:
    """:func:`name_key` without the words for a kind of council: ``Leicestershire County Council`` =
    ``leicestershire``."""
    return " ".join(w for w in name_key(name).split() if w not in _FILLER)


class AreaRegister:
    """Every area the pipeline knows, keyed by GSS code (aggregate areas have local codes)."""

    def __init__(self, areas: Iterable[Area]):
        self._areas = {a.code: a for a in areas}
        self._by_mysociety = {a.mysociety_code: a.code for a in self._areas.values() if a.mysociety_code}
        self._exact: dict[str, set[str]] = {}
        self._loose: dict[str, set[str]] = {}
        for area in self._areas.values():
            for name in (area.name, *area.alt_names):
                self._exact.setdefault(name_key(name), set()).add(area.code)
                if loose := loose_name_key(name):
                    self._loose.setdefault(loose, set()).add(area.code)

    @classmethod
    def load(cls, path: Path | None = None) -> AreaRegister:
        path = path or REFERENCE_DIR / "areas.csv"
        with path.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        areas = []
        for line, r in enumerate(rows, start=2):
            if r["area_type"] not in AREA_TYPES:
                raise ValueError(f"{path}, line {line}: area type {r['area_type']!r} is not one of "
                                 f"{sorted(AREA_TYPES)}")
            areas.append(Area(
                r["area_code"], r["area_name"], r["area_type"], _date(r["valid_from"]), _date(r["valid_to"]),
                _codes(r.get("successors")), _codes(r.get("components")), r.get("region_code") or "",
                r.get("mysociety_code") or "", _codes(r.get("alt_names")),
            ))
        return cls(areas)

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

    def upper_tier(self, on: date | None = None) -> list[Area]:
        """Upper-tier councils (valid on ``on`` when given), in code order."""
        return sorted((a for a in self._areas.values()
                       if a.type in UPPER_TIER_TYPES and (on is None or a.valid_on(on))), key=lambda a: a.code)

    def by_mysociety_code(self, code: str) -> str | None:
        """The GSS code of the council mySociety calls ``code`` (three letters, e.g. ``LEC``)."""
        return self._by_mysociety.get(code.strip().upper())

    def match_name(self, name: str, on: date | None = None) -> NameMatch:
        """The one area called ``name`` (valid on ``on`` when several share it), or why there is none.

        An exact match (case, punctuation and "&"/"and" aside) is tried first, so "City of London" is not
        the London region; then the name without words for a kind of council ("County Council", "MBC",
        "City of"). Councils that did not exist on ``on`` are dropped; two or more left is ambiguous.
        """
        for index, key in ((self._exact, name_key(name)), (self._loose, loose_name_key(name))):
            codes = index.get(key) if key else None
            if not codes:
                continue
            if len(codes) > 1 and on is not None:
                current = {c for c in codes if self._areas[c].valid_on(on)}
                codes = current or codes
            if len(codes) == 1:
                return NameMatch(next(iter(codes)))
            return NameMatch(None, tuple(sorted(codes)))
        return NameMatch(None)


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

    def with_memberships(self, extra: Iterable[Membership]) -> ComparatorGroups:
        """These groups plus ``extra`` (a group id already present is replaced, not merged)."""
        extra = list(extra)
        replaced = {m.group_id for m in extra}
        return ComparatorGroups([m for m in self.memberships if m.group_id not in replaced] + extra)

    def group_ids(self) -> list[str]:
        return sorted({m.group_id for m in self.memberships})

    def group_name(self, group_id: str) -> str:
        return next((m.group_name for m in self.memberships if m.group_id == group_id), group_id)

    def members(self, group_id: str, on: date) -> list[str]:
        """Areas in ``group_id`` on the day ``on`` (a period is judged at its end date)."""
        return sorted(m.area_code for m in self.memberships if m.group_id == group_id and m.valid_on(on))


def load_nearest_neighbours(path: Path, home_area: str, areas: AreaRegister,
                            group_id: str = NEAREST_NEIGHBOURS_GROUP) -> list[Membership]:
    """The home area's nearest-neighbour group from a JSON file mapping each council to its neighbours
    (Oflog's ``NN.json``).

    Lists may include the council itself and councils since abolished: each member keeps the validity
    dates the register gives it, so membership still applies per period. A code the register does not
    know is an error naming the file and the code (a comparator group must not silently shrink).
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path}: cannot read the nearest-neighbours file ({exc})") from None
    if not isinstance(data, dict) or home_area not in data:
        raise ValueError(f"{path}: no nearest-neighbour list for {home_area}")
    codes = data[home_area]
    if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
        raise ValueError(f"{path}: the list for {home_area} is not a list of area codes")
    unknown = [c for c in codes if c not in areas]
    if unknown:
        raise ValueError(f"{path}: the list for {home_area} names areas the register does not know: {unknown}")
    name = f"Nearest neighbours of {areas.name(home_area)} ({Path(path).name})"
    members = []
    for code in dict.fromkeys([*codes, home_area]):  # the home area is ranked within its group
        area = areas.get(code)
        members.append(Membership(group_id, name, code, area.valid_from, area.valid_to))
    return members
