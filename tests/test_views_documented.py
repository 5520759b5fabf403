"""Every analyst view and every column of every view in main is documented with COMMENT ON, and the data
dictionary is written from that text (so a new column is documented in the change that adds it)."""

from __future__ import annotations

import duckdb
import pytest

from tests.harness.pipeline import load_and_publish
from warehouse.connection import connect_read_only
from warehouse.dictionary import analyst_views, documented_warehouse, views_markdown
from warehouse.paths import WarehousePaths

# ARCHITECTURE.md "The warehouse contract"; target_status comes with the methods work (issue 6).
CONTRACT = ["indicators", "areas", "comparator_groups", "observations", "observation_history",
            "quartile_positions", "trends", "benchmark_comparisons", "target_status", "freshness", "outcome_board",
            "rejected_rows", "loads", "snapshot_info"]
UNDOCUMENTED_COLUMNS = """SELECT table_name, column_name FROM duckdb_columns()
WHERE database_name = current_database() AND schema_name = 'main' AND coalesce(trim(comment), '') = ''"""
UNDOCUMENTED_VIEWS = """SELECT view_name FROM duckdb_views()
WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal
  AND coalesce(trim(comment), '') = ''"""


@pytest.fixture(scope="module")
def published(sample_dir, tmp_path_factory, context, areas, groups, settings):
    paths = WarehousePaths(tmp_path_factory.mktemp("documented") / "outcomes.duckdb")
    load_and_publish(paths, sorted(sample_dir.iterdir()), context, areas, groups, settings)
    return paths.published


def _check(con: duckdb.DuckDBPyConnection) -> None:
    assert set(CONTRACT) <= set(analyst_views(con))
    assert con.execute(UNDOCUMENTED_VIEWS).fetchall() == []
    assert con.execute(UNDOCUMENTED_COLUMNS).fetchall() == []


def test_every_view_and_column_is_documented_in_the_published_file(published):
    with connect_read_only(published) as con:
        _check(con)


def test_every_view_and_column_is_documented_without_data():
    with documented_warehouse() as con:
        _check(con)


def test_the_data_dictionary_is_the_comment_text(published):
    markdown = views_markdown()
    with connect_read_only(published) as con:
        assert views_markdown(con) == markdown  # the same whether written from data or from the schema
        views = analyst_views(con)
        for view in views:
            assert f"### `{view}`\n\n" in markdown
            for column, data_type, comment in con.execute(
                    "SELECT column_name, data_type, comment FROM duckdb_columns() WHERE database_name = "
                    "current_database() AND schema_name = 'main' AND table_name = ?", [view]).fetchall():
                assert f"| `{column}` | {data_type} | {' '.join(comment.split()).replace('|', chr(92) + '|')} |" \
                    in markdown
    assert markdown.index("### `indicators`") < markdown.index("### `observations`") < markdown.index("### `loads`")
    assert "### `observations_as_at(as_at)` (table macro)" in markdown
