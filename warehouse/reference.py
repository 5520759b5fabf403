"""Reference tables (catalogue, areas, comparator groups, labels, settings) rewritten on every run.

They are small and derived entirely from versioned project data, so replacing them is both simplest and
right: the warehouse always describes the catalogue the figures were computed with.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from indicators.areas import AreaRegister, ComparatorGroups
from indicators.catalogue import Catalogue, Indicator
from indicators.methods.labels import label_rows
from indicators.periods import convention_of, parse_period
from indicators.settings import Settings
from warehouse.schema import ensure_schema
from warehouse.sqlfiles import transaction


def _indicator_frame(catalogue: Catalogue) -> pd.DataFrame:
    rows = []
    for i in catalogue:
        outcome = catalogue.outcomes[i.outcome]
        sel = i.source
        selector = ", ".join(f"{k}={v}" for k, v in sel.model_dump(exclude_none=True).items()
                             if k != "source" and v)
        rows.append({
            "indicator_id": i.id, "name": i.name, "outcome_id": i.outcome, "outcome_name": outcome.name,
            "sub_outcome": i.sub_outcome, "sub_outcome_name": catalogue.sub_outcomes.get(i.sub_outcome or ""),
            "success_measure": i.success_measure, "polarity": i.polarity.value,
            "value_type": i.value_type.value, "unit": i.unit, "multiplier": float(i.multiplier),
            "decimals": i.decimals, "frequency": i.frequency.value, "period_convention": i.period_convention,
            "publication_lag_months": i.publication_lag_months, "source_id": sel.source,
            "source_selector": selector, "headline_sex": i.headline_breakdown.sex,
            "headline_age": i.headline_breakdown.age,
            "headline_category_type": i.headline_breakdown.category_type,
            "headline_category": i.headline_breakdown.category, "comparator_group": i.comparator_group,
            "statutory": i.statutory, "lead_board": i.lead_board,
            "target_description": i.target.description if i.target else None,
            "also_reported_in": list(i.also_reported_in),
            "cumulative_from": i.cumulative_from,
            "cumulative_from_start": _start(i, i.cumulative_from),
        })
    return pd.DataFrame(rows)


def _start(indicator: Indicator, period: str | None) -> date | None:
    """Start date of a period the catalogue names, read with the indicator's period convention."""
    return parse_period(period, convention_of(indicator.period_convention)).start if period else None


def _targets(catalogue: Catalogue) -> tuple[pd.DataFrame, pd.DataFrame]:
    """ref.target (one row per indicator with a target) and ref.target_point (baseline = seq 0, then
    milestones in date order), periods resolved to start dates so SQL interpolates on dates."""
    targets, points = [], []
    for i in catalogue:
        t = i.target
        if t is None:
            continue
        targets.append({
            "indicator_id": i.id, "kind": t.kind, "direction": t.direction, "description": t.description,
            "value": t.value, "value_period": t.period, "value_start": _start(i, t.period),
            "baseline_relative": t.baseline_relative, "tolerance_pct": t.tolerance_pct,
            "tolerance_abs": t.tolerance_abs, "area_code": t.area,
        })
        milestones = sorted(t.milestones, key=lambda m: _start(i, m.period))
        for seq, m in enumerate([t.baseline, *milestones] if t.baseline else []):
            points.append({"indicator_id": i.id, "seq": seq, "period": m.period,
                           "period_start": _start(i, m.period), "value": m.value})
    target_columns = ["indicator_id", "kind", "direction", "description", "value", "value_period", "value_start",
                      "baseline_relative", "tolerance_pct", "tolerance_abs", "area_code"]
    point_columns = ["indicator_id", "seq", "period", "period_start", "value"]
    return pd.DataFrame(targets, columns=target_columns), pd.DataFrame(points, columns=point_columns)


def _break_notes(catalogue: Catalogue) -> pd.DataFrame:
    rows = []
    for i in catalogue:
        convention = convention_of(i.period_convention)
        for note in i.break_notes:
            rows.append({"indicator_id": i.id, "period": note.period,
                         "period_start": parse_period(note.period, convention).start, "note": note.note})
    return pd.DataFrame(rows, columns=["indicator_id", "period", "period_start", "note"])


def write_reference(con: duckdb.DuckDBPyConnection, catalogue: Catalogue, areas: AreaRegister,
                    groups: ComparatorGroups, settings: Settings) -> None:
    ensure_schema(con)
    targets, target_points = _targets(catalogue)
    frames = {
        "ref.indicator": _indicator_frame(catalogue),
        "ref.break_note": _break_notes(catalogue),
        "ref.area": pd.DataFrame([(a.code, a.name, a.type, a.valid_from, a.valid_to) for a in areas],
                                 columns=["area_code", "area_name", "area_type", "valid_from", "valid_to"]),
        "ref.aggregate_component": pd.DataFrame([(a.code, c) for a in areas.aggregates() for c in a.components],
                                                columns=["area_code", "component_code"]),
        "ref.comparator_group": pd.DataFrame(
            [(m.group_id, m.group_name, m.area_code, m.valid_from, m.valid_to) for m in groups.memberships],
            columns=["group_id", "group_name", "area_code", "valid_from", "valid_to"]),
        "ref.label": pd.DataFrame(label_rows(), columns=["kind", "polarity", "key", "label"]),
        "ref.target": targets,
        "ref.target_point": target_points,
        "ref.setting": pd.DataFrame([(k, str(v)) for k, v in vars(settings).items()], columns=["key", "value"]),
    }
    with transaction(con):
        for table, frame in frames.items():
            con.execute(f"DELETE FROM {table}")  # table names are constants above, never user text
            if len(frame):
                # every row decides a text column's type (DuckDB samples 1,000 by default: a column empty in
                # the first thousand indicators of a national catalogue would be typed NULL)
                con.execute(f"SET pandas_analyze_sample = {max(len(frame), 1000)}")
                con.register("_ref_frame", frame)
                columns = ", ".join(frame.columns)
                con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM _ref_frame")
                con.unregister("_ref_frame")
