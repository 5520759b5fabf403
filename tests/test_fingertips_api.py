"""Fetching Fingertips indicators over HTTP, tested offline against a local server replaying a response
generated here (a Fingertips CSV export written by the sample generator's Fingertips writer)."""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from pipelines.cli import main
from sources.fingertips_api import FetchError, fetch_indicators, indicator_url
from sources.landing import landing_files
from sources.sample import generate_values
from sources.sample_formats import SampleContext, write_fingertips_csv
from sources.validate import validate_file


@pytest.fixture(scope="module")
def recorded_response(tmp_path_factory, catalogue, settings, groups, areas) -> bytes:
    """What the API returns for indicator 90284: the export layout, all county councils and England."""
    directory = tmp_path_factory.mktemp("recorded")
    rows = [r for r in generate_values(catalogue, settings, groups, areas)
            if r.indicator.id == "sw_child_injury_admissions"]
    (path,) = write_fingertips_csv(rows, SampleContext(directory, areas, settings, 1))
    return path.read_bytes()


@pytest.fixture
def server(recorded_response) -> Iterator[tuple[str, list[str]]]:
    requests: list[str] = []

    class Replay(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            if urlparse(self.path).path.endswith("/broken"):
                body, kind, status = b"<html>Service unavailable</html>", "text/html", 200
            elif urlparse(self.path).path.endswith("/missing"):
                body, kind, status = b"not found", "text/plain", 404
            else:
                body, kind, status = recorded_response, "text/csv", 200
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Replay)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/api/all_data/csv/by_indicator_id", requests
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_fetch_writes_a_fingertips_export_into_the_landing_folder(server, tmp_path, context):
    url, requests = server
    path = fetch_indicators(["90284"], tmp_path, base_url=url)
    query = parse_qs(urlparse(requests[0]).query)
    assert query == {"indicator_ids": ["90284"], "child_area_type_id": ["502"], "parent_area_type_id": ["15"]}
    assert landing_files(tmp_path) == [path]  # nothing half-written left behind
    result = validate_file(path, context)
    assert result.adapter_id == "fingertips_csv" and result.rows_rejected == 0 and result.rows_accepted > 200
    assert set(result.accepted.indicator_id) == {"sw_child_injury_admissions"}


def test_fetch_command(server, tmp_path, capsys):
    url, _ = server
    assert main(["fetch-fingertips", "90284", "--landing", str(tmp_path), "--url", url]) == 0
    assert "fingertips_api_90284.csv" in capsys.readouterr().out


def test_offline_gives_a_clear_message(tmp_path):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError, match=r"cannot reach Fingertips .* Offline\? Download the indicator's CSV"):
        fetch_indicators(["90284"], tmp_path, base_url=f"http://127.0.0.1:{port}/api", timeout=2)
    assert not any(tmp_path.iterdir())


def test_unexpected_answers_are_refused(server, tmp_path):
    url, _ = server
    with pytest.raises(FetchError, match="is not its CSV export"):
        fetch_indicators(["90284"], tmp_path, base_url=url.rsplit("/", 1)[0] + "/broken")
    with pytest.raises(FetchError, match="answered 404"):
        fetch_indicators(["90284"], tmp_path, base_url=url.rsplit("/", 1)[0] + "/missing")
    assert not any(Path(tmp_path).iterdir())
    with pytest.raises(FetchError, match="indicator ids are numbers"):
        indicator_url(["hle"])
