"""Analysts cannot change what they read: the published file, opened the recommended way (and by
`outcomes query`), refuses every write. read_only=True alone would still allow COPY TO and ATTACH (and
reading any file on the machine), which is why external access is disabled as well."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipelines.cli import main
from tests.harness.files import sha256
from tests.harness.pipeline import load_and_publish
from warehouse.connection import ANALYST_CONFIG, connect_read_only
from warehouse.paths import WarehousePaths

ATTEMPTS = {
    "insert": "INSERT INTO core.rejected_row VALUES (1, 'x', 1, 'value', 'x', 'planted')",
    "update": "UPDATE core.observation SET value = 0",
    "delete": "DELETE FROM core.load",
    "create": "CREATE TABLE main.planted AS SELECT 1 AS x",
    "drop": "DROP VIEW loads",
    "attach": "ATTACH '{dir}/other.duckdb' AS other",
    "copy_to": "COPY (SELECT * FROM observations) TO '{dir}/leak.csv'",
    "export_database": "EXPORT DATABASE '{dir}/dump'",
    "read_a_file": "SELECT * FROM read_csv('{dir}/secret.csv')",
    "enable_external_access": "SET enable_external_access = true",
    "install_extension": "INSTALL httpfs",
}


@pytest.fixture(scope="module")
def published(sample_dir, tmp_path_factory, context, areas, groups, settings) -> Path:
    paths = WarehousePaths(tmp_path_factory.mktemp("ro") / "outcomes.duckdb")
    load_and_publish(paths, sorted(sample_dir.iterdir())[:2], context, areas, groups, settings)
    return paths.published


def _nothing_escaped(folder: Path) -> None:
    assert sorted(p.name for p in folder.iterdir()) == ["secret.csv"]


@pytest.mark.parametrize("name", ATTEMPTS)
def test_the_analyst_connection_refuses(name, published, tmp_path):
    (tmp_path / "secret.csv").write_text("a\n1\n")
    before = sha256(published)
    with connect_read_only(published) as con:
        with pytest.raises(duckdb.Error):
            con.execute(ATTEMPTS[name].format(dir=tmp_path)).fetchall()
        assert con.execute("SELECT count(*) FROM loads").fetchall() == [(2,)]
    _nothing_escaped(tmp_path)
    assert sha256(published) == before


@pytest.mark.parametrize("name", ATTEMPTS)
def test_outcomes_query_refuses(name, published, tmp_path, capsys):
    (tmp_path / "secret.csv").write_text("a\n1\n")
    before = sha256(published)
    assert main(["query", ATTEMPTS[name].format(dir=tmp_path), "--warehouse", str(published)]) == 1
    assert capsys.readouterr().err.startswith("error: ")
    _nothing_escaped(tmp_path)
    assert sha256(published) == before


def test_read_only_alone_would_not_be_enough(published, tmp_path):
    """Why ANALYST_CONFIG exists: without it a read-only connection still writes files and attaches."""
    assert ANALYST_CONFIG == {"enable_external_access": False}
    with duckdb.connect(str(published), read_only=True) as con:
        con.execute("COPY (SELECT * FROM loads) TO $path", {"path": str(tmp_path / "leak.csv")})
    assert (tmp_path / "leak.csv").is_file()
