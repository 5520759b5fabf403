"""What a warehouse file says, comparable across runs: every analyst view's rows, without the columns
that legitimately differ between two runs over the same files (ids handed out in load order, paths of the
landing folder, and every timestamp)."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

from warehouse.connection import connect_read_only
from warehouse.dictionary import analyst_views

VOLATILE_COLUMNS = frozenset({"load_id", "revision_id", "reinstates_revision", "superseded_by_load",
                              "source_path"})
VOLATILE_TYPES = ("TIMESTAMP", "DATE_TIME")
COLUMNS_SQL = """SELECT column_name, data_type FROM duckdb_columns()
WHERE database_name = current_database() AND schema_name = 'main' AND table_name = $view ORDER BY column_index"""


def _rounded(value: object) -> object:
    """A sort key: floats to 6 significant digits (so rows with float noise sort together)."""
    if isinstance(value, float):
        return float(f"{value:.6g}")
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def same_value(a: object, b: object) -> bool:
    """Equal, with floats equal to 1e-9 relative: parallel aggregation (sums, means) may change the last bits
    between two runs over the same data, and that is not a difference in content."""
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) or (math.isnan(a) and math.isnan(b))
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def same_row(a: tuple, b: tuple) -> bool:
    return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b, strict=True))


def view_contents(published: Path, views: list[str] | None = None) -> dict[str, list[tuple]]:
    """Each analyst view's rows (sorted), without volatile columns."""
    out: dict[str, list[tuple]] = {}
    with connect_read_only(published) as con:
        for view in views or analyst_views(con):
            columns = [name for name, data_type in con.execute(COLUMNS_SQL, {"view": view}).fetchall()
                       if name not in VOLATILE_COLUMNS and not data_type.startswith(VOLATILE_TYPES)]
            quoted = ", ".join(f'"{c}"' for c in columns)
            rows = con.execute(f'SELECT {quoted} FROM "{view}"').fetchall()  # names read from the file itself
            out[view] = sorted(rows, key=lambda row: repr(tuple(_rounded(v) for v in row)))
    return out


def same_contents(left: dict[str, list[tuple]], right: dict[str, list[tuple]]) -> bool:
    return not differences(left, right)


def _unmatched(rows: list[tuple], others: list[tuple]) -> list[tuple]:
    """Rows of ``rows`` with no counterpart in ``others`` (a multiset match on the rounded sort key)."""
    remaining = Counter(repr(tuple(_rounded(v) for v in row)) for row in others)
    out = []
    for row in rows:
        key = repr(tuple(_rounded(v) for v in row))
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            out.append(row)
    return out


def differences(left: dict[str, list[tuple]], right: dict[str, list[tuple]], limit: int = 3) -> list[str]:
    """Readable differences between two ``view_contents`` results (empty when the same, floats to 1e-9).

    Rows are matched by their rounded key first (linear), then the few left over pairwise, so that a view
    that differs a lot (the snapshot before a run against the one after) is described in seconds."""
    problems = []
    for view in sorted(set(left) | set(right)):
        a, b = left.get(view), right.get(view)
        if a is None or b is None:
            problems.append(f"{view}: only in {'right' if a is None else 'left'}")
            continue
        if len(a) == len(b) and all(same_row(x, y) for x, y in zip(a, b, strict=True)):
            continue
        only_a, only_b = _unmatched(a, b), _unmatched(b, a)
        if len(only_a) * len(only_b) <= 1_000_000:  # float noise across a rounding boundary: pair it off
            only_a, only_b = ([r for r in only_a if not any(same_row(r, x) for x in only_b)],
                              [r for r in only_b if not any(same_row(r, x) for x in only_a)])
        if not only_a and not only_b and len(a) == len(b):
            continue
        problems.append(f"{view}: {len(a)} vs {len(b)} rows; {len(only_a)} only left, e.g. {only_a[:limit]}; "
                        f"{len(only_b)} only right, e.g. {only_b[:limit]}")
    return problems
