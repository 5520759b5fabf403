"""Alerts: the notifier (alerts log, command, webhook on 127.0.0.1), the rejection alert from a source asset
and the run-failure sensor, with a stub notifier; failure messages that say what to do; lock retries."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import dagster as dg
import pytest

import pipelines.intake
from pipelines.alerts import AlertNotDelivered, Notifier
from pipelines.assets import LANDING_ASSETS
from pipelines.resources import PipelineSettings, WarehouseResource
from pipelines.sensors import run_failure_alert_sensor

HEADER = "indicator_id,area_code,period,value\n"


class StubNotifier(Notifier):
    """Records each alert as a JSON line instead of delivering it."""

    record: str

    def notify(self, subject: str, message: str) -> None:
        with open(self.record, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"subject": subject, "message": message}) + "\n")


def _sent(stub: StubNotifier) -> list[dict]:
    path = Path(stub.record)
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def _resources(landing: Path, root: Path, notifier: Notifier) -> dict:
    return {"settings": PipelineSettings(landing_dir=str(landing)),
            "warehouse": WarehouseResource(warehouse_path=str(root / "wh" / "outcomes.duckdb")),
            "notifier": notifier}


def test_alert_goes_to_the_alerts_log_by_default(tmp_path):
    log = tmp_path / "logs" / "alerts.log"
    Notifier(alerts_log=str(log)).notify("Subject", "line one\nline two")
    fields = log.read_text(encoding="utf-8").rstrip("\n").split("\t")
    assert fields[1:] == ["Subject", "line one | line two"]


def test_alert_command_gets_the_message_on_stdin(tmp_path):
    out = tmp_path / "delivered.txt"
    script = tmp_path / "deliver.py"
    script.write_text("import os, sys\nopen(sys.argv[1], 'w').write(os.environ['OUTCOMES_ALERT_SUBJECT'] + '|' + "
                      "sys.stdin.read())\n", encoding="utf-8")
    notifier = Notifier(alerts_log=str(tmp_path / "a.log"), command=f"{sys.executable} {script} {out}")
    notifier.notify("Files rejected", "roads.csv: value is not a number")
    assert out.read_text(encoding="utf-8") == "Files rejected|roads.csv: value is not a number"


def test_failed_command_is_logged_and_reported(tmp_path):
    notifier = Notifier(alerts_log=str(tmp_path / "a.log"), command=f"{sys.executable} -c 'raise SystemExit(3)'")
    with pytest.raises(AlertNotDelivered, match="exited 3"):
        notifier.notify("Subject", "body")
    lines = (tmp_path / "a.log").read_text(encoding="utf-8").splitlines()
    assert "\tSubject\tbody" in lines[0] and "ALERT NOT DELIVERED" in lines[1]


def test_webhook_receives_json(tmp_path):
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    server.timeout = 5
    thread = threading.Thread(target=server.handle_request, daemon=True)  # exactly one request
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/hook"
        Notifier(alerts_log=str(tmp_path / "a.log"), webhook_url=url).notify("Run failed", "step x: boom")
    finally:
        thread.join(timeout=10)
        server.server_close()
    assert received == [{"text": "Run failed\nstep x: boom", "subject": "Run failed"}]


def test_webhook_that_is_not_http_is_refused(tmp_path):
    with pytest.raises(AlertNotDelivered, match="https://"):
        Notifier(alerts_log=str(tmp_path / "a.log"), webhook_url="file:///etc/passwd").notify("s", "m")


def test_rejection_alert_names_file_reason_and_report(tmp_path):
    landing = tmp_path / "landing"
    landing.mkdir()
    (landing / "roads.csv").write_text(HEADER + "se_principal_roads_maintenance,E10000018,2023/24,four\n"
                                                "se_principal_roads_maintenance,E10000018,2022/23,4\n")
    (landing / "clean.csv").write_text(HEADER + "se_principal_roads_maintenance,E10000018,2021/22,5\n")
    stub = StubNotifier(record=str(tmp_path / "sent.jsonl"))
    assert dg.materialize(LANDING_ASSETS, resources=_resources(landing, tmp_path, stub)).success
    [alert] = _sent(stub)
    assert alert["subject"] == "Outcomes pipeline: 1 landing file(s) rejected (source_returns)"
    report = (landing / "rejected" / "roads.csv.rejection-report.txt").resolve()
    assert f"rejection report: {report}" in alert["message"]
    assert "roads.csv: 1 of 2 rows rejected (1 x value is not a number); 1 rows loaded" in alert["message"]
    assert "clean.csv" not in alert["message"] and report.is_file()


def test_no_alert_when_nothing_is_rejected(tmp_path):
    landing = tmp_path / "landing"
    landing.mkdir()
    (landing / "clean.csv").write_text(HEADER + "se_principal_roads_maintenance,E10000018,2021/22,5\n")
    stub = StubNotifier(record=str(tmp_path / "sent.jsonl"))
    assert dg.materialize(LANDING_ASSETS, resources=_resources(landing, tmp_path, stub)).success
    assert _sent(stub) == []


def test_failed_run_message_says_which_file_and_what_to_do_and_the_sensor_sends_it(tmp_path, monkeypatch, sample_dir):
    landing = tmp_path / "landing"
    landing.mkdir()
    (landing / "a_bad.csv").write_text(HEADER + "se_principal_roads_maintenance,E10000018,2021/22,five\n"
                                                "se_principal_roads_maintenance,E10000018,2022/23,5\n")
    (landing / "b_roads.csv").write_text(HEADER + "se_principal_roads_maintenance,E10000018,2021/22,5\n")
    fingertips = (sample_dir / "SAMPLE_fingertips_20602.csv").read_text(encoding="utf-8").splitlines()
    fields = fingertips[1].split(",")
    fields[12] = "n/a!"  # a bad value in another source, whose asset finishes before the run fails
    fingertips[1] = ",".join(fields)
    (landing / "SAMPLE_fingertips_20602.csv").write_text("\n".join(fingertips) + "\n", encoding="utf-8")
    real_ingest_each = pipelines.intake.ingest_each

    def disk_full_at_b(con, paths, *args, **kwargs):
        names = [p.name for p in paths]
        stop = names.index("b_roads.csv") if "b_roads.csv" in names else len(paths)
        yield from real_ingest_each(con, paths[:stop], *args, **kwargs)
        if stop < len(paths):
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(pipelines.intake, "ingest_each", disk_full_at_b)
    stub = StubNotifier(record=str(tmp_path / "sent.jsonl"))
    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize(LANDING_ASSETS, resources=_resources(landing, tmp_path, stub), instance=instance,
                            raise_on_error=False)
    assert not result.success
    assert (landing / "b_roads.csv").is_file()  # not loaded, so not moved
    sent_by_assets = len(_sent(stub))  # rejection alerts from the assets that finished
    context = dg.build_run_status_sensor_context(
        sensor_name="run_failure_alert", dagster_instance=instance, dagster_run=result.dagster_run,
        dagster_event=result.get_run_failure_event(), resources={"notifier": stub}).for_run_failure()
    run_failure_alert_sensor(context)
    alert = _sent(stub)[sent_by_assets]
    assert alert["subject"].startswith("Outcomes pipeline: run of ") and alert["subject"].endswith(" failed")
    message = alert["message"]
    assert result.dagster_run.run_id in message
    assert "step source_returns: Stopped at landing file b_roads.csv: OSError: [Errno 28] No space left on device" \
        in message
    assert f"it is still in {landing}" in message and "What to do" in message
    assert f"a_bad.csv: rejection report {(landing / 'rejected' / 'a_bad.csv.rejection-report.txt').resolve()}" \
        in message  # rejected by the failing step before it stopped
    assert f"rejection report: {landing / 'rejected' / 'SAMPLE_fingertips_20602.csv.rejection-report.txt'}" \
        in message  # rejected by another step of the same run


def test_a_locked_working_database_is_retried_not_failed(tmp_path):
    warehouse = WarehouseResource(warehouse_path=str(tmp_path / "outcomes.duckdb"))
    warehouse.paths.ensure()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True);"
                               " time.sleep(60)", str(warehouse.paths.working)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(dg.RetryRequested), warehouse.working():
            pass
    finally:
        holder.kill()
        holder.wait(timeout=10)
