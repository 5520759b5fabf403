"""Data out for Power BI and Excel users: every view to Parquet and CSV, and versioned Parquet snapshots
for readers on a network share or Windows."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pytest

from tests.harness.files import revised_extract, sha256
from tests.harness.pipeline import load_and_publish
from warehouse.connection import connect_read_only
from warehouse.dictionary import analyst_views
from warehouse.export import ExportError, export_snapshot, export_view
from warehouse.paths import WarehousePaths


@pytest.fixture(scope="module")
def published(sample_dir, tmp_path_factory, context, areas, groups, settings):
    paths = WarehousePaths(tmp_path_factory.mktemp("export") / "outcomes.duckdb")
    load_and_publish(paths, sorted(sample_dir.iterdir()), context, areas, groups, settings, datetime(2024, 7, 5, 9))
    return paths


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[tuple]:
    return sorted(con.execute(sql, params or []).fetchall(), key=repr)


def test_every_view_exports_to_parquet_and_csv_whole(published, tmp_path):
    with connect_read_only(published.published) as con:
        views = analyst_views(con)
        expected = {v: _rows(con, f'SELECT * FROM "{v}"') for v in views}
    reader = duckdb.connect()
    for view in views:
        parquet = tmp_path / f"{view}.parquet"
        assert export_view(published.published, view, "parquet", parquet) == len(expected[view])
        assert _rows(reader, "SELECT * FROM read_parquet(?)", [str(parquet)]) == expected[view], view
        csv = tmp_path / f"{view}.csv"
        assert export_view(published.published, view, "csv", csv) == len(expected[view])
        assert reader.execute("SELECT count(*) FROM read_csv(?)", [str(csv)]).fetchall() == [(len(expected[view]),)]
    assert {len(expected[v]) > 0 for v in ("observations", "outcome_board", "loads", "indicators")} == {True}
    assert list(tmp_path.glob(".*")) == []  # no temporary file left


@pytest.mark.parametrize("name", ["nope", 'loads" ; DROP VIEW loads; --', "core.observation", "duckdb_settings"])
def test_only_analyst_views_can_be_exported(name, published, tmp_path):
    before = sha256(published.published)
    with pytest.raises(ExportError, match="no analyst view"):
        export_view(published.published, name, "csv", tmp_path / "out.csv")
    assert sha256(published.published) == before and list(tmp_path.iterdir()) == []


def test_parquet_snapshots_are_versioned_and_never_overwritten(published, sample_dir, tmp_path,
                                                              context, areas, groups, settings):
    out = tmp_path / "snapshots"
    first = export_snapshot(published.published, out)
    assert first.name == "20240705T090000" and (out / "LATEST").read_text() == "20240705T090000\n"
    with connect_read_only(published.published) as con:
        assert sorted(p.stem for p in first.glob("*.parquet")) == sorted(analyst_views(con))
    assert "### `outcome_board`" in (first / "data_dictionary.md").read_text(encoding="utf-8")
    fingerprint = {p.name: sha256(p) for p in first.iterdir()}
    assert export_snapshot(published.published, out) == first  # the same snapshot again: nothing written

    later = WarehousePaths(tmp_path / "later" / "outcomes.duckdb")
    revised_extract(sample_dir / "SAMPLE_fingertips_90284.csv", tmp_path / "revised.csv")
    load_and_publish(later, [*sorted(sample_dir.iterdir()), tmp_path / "revised.csv"], context, areas, groups,
                     settings, datetime(2024, 10, 5, 9))
    second = export_snapshot(later.published, out)
    assert second.name == "20241005T090000" and (out / "LATEST").read_text() == "20241005T090000\n"
    assert {p.name: sha256(p) for p in first.iterdir()} == fingerprint
    assert sorted(p.name for p in out.iterdir()) == ["20240705T090000", "20241005T090000", "LATEST"]
