"""Analysts cannot change what they read: the published file, opened the recommended way (and by
`outcomes query`, also on a signed-off quarter and on an as-at rebuild), refuses every write. read_only=True
alone would still allow COPY TO and ATTACH (and reading any file on the machine), which is why external
access is disabled as well. The Dagster UI listens on this machine only."""

from __future__ import annotations

import ipaddress
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest

from indicators.periods import parse_fiscal_quarter
from pipelines.cli import main
from tests.harness.files import sha256
from tests.harness.pipeline import load_and_publish
from tests.harness.processes import PROJECT_ROOT
from warehouse.connection import ANALYST_CONFIG, connect_read_only
from warehouse.paths import WarehousePaths
from warehouse.quarters import publish_quarter

pytestmark = pytest.mark.reliability("Read-only access")

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
def test_the_analyst_connection_refuses(name, published, tmp_path, proof):
    """The recommended analyst connection (read_only + enable_external_access=false) refuses the statement;
    nothing in the folder changes and the published file keeps its bytes."""
    (tmp_path / "secret.csv").write_text("a\n1\n")
    before = sha256(published)
    with connect_read_only(published) as con:
        with pytest.raises(duckdb.Error) as refused:
            con.execute(ATTEMPTS[name].format(dir=tmp_path)).fetchall()
        assert con.execute("SELECT count(*) FROM loads").fetchall() == [(2,)]
    _nothing_escaped(tmp_path)
    assert sha256(published) == before
    proof.saw(f"{ATTEMPTS[name].split()[0]} ...: {type(refused.value).__name__}: {str(refused.value)[:110]}")


@pytest.mark.parametrize("name", ATTEMPTS)
def test_outcomes_query_refuses(name, published, tmp_path, capsys, proof):
    """`outcomes query` with the statement: exit 1 with DuckDB's message, nothing written anywhere."""
    (tmp_path / "secret.csv").write_text("a\n1\n")
    before = sha256(published)
    assert main(["query", ATTEMPTS[name].format(dir=tmp_path), "--warehouse", str(published)]) == 1
    message = capsys.readouterr().err
    assert message.startswith("error: ")
    _nothing_escaped(tmp_path)
    assert sha256(published) == before
    proof.saw(f"exit 1: {message.strip()[:110]}")


@pytest.mark.parametrize("source", ["--quarter", "--as-at"])
@pytest.mark.parametrize("name", ["insert", "create", "attach", "copy_to"])
def test_outcomes_query_refuses_on_a_quarter_and_as_at(name, source, published, tmp_path, capsys, proof):
    """The same on a signed-off quarter's frozen snapshot and on the warehouse rebuilt as at a date (a private
    copy the command writes itself, then reads with the analyst connection)."""
    paths = WarehousePaths(published)
    if not paths.quarter_snapshot("2024/25 Q1").exists():
        publish_quarter(paths, parse_fiscal_quarter("2024/25 Q1"))
    frozen = sha256(paths.quarter_snapshot("2024/25 Q1"))
    (tmp_path / "secret.csv").write_text("a\n1\n")
    before = sha256(published)
    value = "2024/25 Q1" if source == "--quarter" else "2100-01-01"
    assert main(["query", ATTEMPTS[name].format(dir=tmp_path), "--warehouse", str(published), source, value]) == 1
    message = capsys.readouterr().err
    assert "error: " in message
    _nothing_escaped(tmp_path)
    assert sha256(published) == before and sha256(paths.quarter_snapshot("2024/25 Q1")) == frozen
    proof.saw(f"exit 1: {message.strip().splitlines()[-1][:110]}")


def test_read_only_alone_would_not_be_enough(published, tmp_path, proof):
    """Why ANALYST_CONFIG exists: without it a read-only connection still writes files and attaches."""
    assert ANALYST_CONFIG == {"enable_external_access": False}
    with duckdb.connect(str(published), read_only=True) as con:
        con.execute("COPY (SELECT * FROM loads) TO $path", {"path": str(tmp_path / "leak.csv")})
    assert (tmp_path / "leak.csv").is_file()
    proof.saw("read_only=True without the analyst configuration: COPY TO wrote a file (so the setting matters)")


def _process_tree(root: int) -> set[int]:
    """``root`` and every process descended from it."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    tree, grew = {root}, True
    while grew:
        found = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= found
        grew = bool(found)
    return tree


def _listening_addresses(pids: set[int]) -> list[str]:
    """The local addresses of TCP sockets in LISTEN state held by ``pids`` (from /proc/net/tcp and tcp6)."""
    inodes = set()
    for pid in pids:
        try:
            links = [os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()]
        except OSError:
            continue
        inodes |= {link[8:-1] for link in links if link.startswith("socket:[")}
    found = []
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, port = fields[1].split(":")
            if fields[3] != "0A" or fields[9] not in inodes:
                continue
            raw = b"".join(bytes.fromhex(address[i:i + 8])[::-1] for i in range(0, width, 8))
            found.append(f"{ipaddress.ip_address(raw)}:{int(port, 16)}")
    return found


def test_the_dagster_ui_is_configured_for_this_machine_only(proof):
    """The webserver's default host is 127.0.0.1, `dagster dev` passes no other unless asked, and `make ui`
    names 127.0.0.1 explicitly."""
    from dagster._cli.dev import dev_command
    from dagster_webserver.cli import DEFAULT_WEBSERVER_HOST

    assert DEFAULT_WEBSERVER_HOST == "127.0.0.1"
    assert dev_command.make_context("dagster dev", [], resilient_parsing=True).params["host"] is None
    ui = next(line for line in (PROJECT_ROOT / "Makefile").read_text().splitlines() if "dagster dev" in line)
    assert "-h 127.0.0.1" in ui
    proof.saw(f"webserver default host {DEFAULT_WEBSERVER_HOST}; `dagster dev` host unset by default; "
              f"make ui: `{ui.strip().removeprefix('$(BIN)/')}`")


@pytest.mark.slow
def test_dagster_dev_listens_on_loopback_only(tmp_path, proof):
    """`dagster dev` started from the project root without a host: every socket its processes listen on
    (webserver, code server, daemon) is on the loopback interface."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path)}
    dev = subprocess.Popen([Path(sys.executable).with_name("dagster"), "dev", "-p", str(port)], cwd=PROJECT_ROOT,
                           env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert dev.poll() is None and time.monotonic() < deadline, "dagster dev did not come up"
                time.sleep(1)
        addresses = _listening_addresses(_process_tree(dev.pid))
    finally:
        os.killpg(dev.pid, signal.SIGTERM)
        try:
            dev.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(dev.pid, signal.SIGKILL)
            dev.wait(timeout=30)
    assert f"127.0.0.1:{port}" in addresses
    assert all(ipaddress.ip_address(a.rsplit(":", 1)[0]).is_loopback for a in addresses), addresses
    proof.saw(f"`dagster dev -p {port}` (no host given): listening on {sorted(addresses)}, all loopback")
