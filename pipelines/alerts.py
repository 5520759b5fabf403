"""Telling the BI team: a notifier resource (alerts log, plus a command or a webhook from settings).

Every alert is first appended as one line to the alerts log, so nothing is lost when delivery fails;
then, if configured, it is delivered to a command (message on standard input, subject in the
``OUTCOMES_ALERT_SUBJECT`` environment variable; never through a shell) or POSTed as JSON
(``{"text": ...}``, which Teams and Slack incoming webhooks accept) to a webhook URL.

Environment variables (all optional):
  OUTCOMES_ALERTS_LOG      the alerts log                      (default: build/alerts.log)
  OUTCOMES_ALERT_COMMAND   a command to run for each alert     (e.g. "/usr/local/bin/notify-bi")
  OUTCOMES_ALERT_WEBHOOK   an http(s) URL to POST each alert to
"""

import json
import os
import shlex
import subprocess
import urllib.request
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import dagster as dg

DEFAULT_ALERTS_LOG = "build/alerts.log"
DELIVERY_TIMEOUT_SECONDS = 30
FAILURE_PREFIX = "dagster._core.definitions.events.Failure: "  # how Dagster prefixes a dg.Failure's description


class AlertNotDelivered(RuntimeError):
    """The alert is in the alerts log but the command or webhook did not take it."""


class Notifier(dg.ConfigurableResource):
    """Where alerts go. The alerts log always gets a line; a command or webhook gets the full message."""

    alerts_log: str = DEFAULT_ALERTS_LOG
    command: str = ""
    webhook_url: str = ""

    @classmethod
    def from_env(cls) -> "Notifier":
        return cls(alerts_log=os.environ.get("OUTCOMES_ALERTS_LOG", DEFAULT_ALERTS_LOG),
                   command=os.environ.get("OUTCOMES_ALERT_COMMAND", ""),
                   webhook_url=os.environ.get("OUTCOMES_ALERT_WEBHOOK", ""))

    def notify(self, subject: str, message: str) -> None:
        """Log, then deliver. Raises AlertNotDelivered (after logging why) when delivery fails."""
        self._log(subject, message)
        try:
            if self.command:
                self._run_command(subject, message)
            if self.webhook_url:
                self._post(subject, message)
        except (OSError, subprocess.SubprocessError, AlertNotDelivered) as exc:
            self._log("ALERT NOT DELIVERED", f"{subject}: {exc}")
            raise AlertNotDelivered(f"alert {subject!r} is in {self.alerts_log} but was not delivered: {exc}") \
                from exc

    def _log(self, subject: str, message: str) -> None:
        path = Path(self.alerts_log)
        path.parent.mkdir(parents=True, exist_ok=True)
        one_line = " | ".join(part.strip() for part in message.splitlines() if part.strip())
        with path.open("a", encoding="utf-8") as fh:
            fh.write(f"{datetime.now():%Y-%m-%d %H:%M:%S}\t{subject}\t{one_line}\n")

    def _run_command(self, subject: str, message: str) -> None:
        done = subprocess.run(shlex.split(self.command), input=message, text=True, capture_output=True,
                              timeout=DELIVERY_TIMEOUT_SECONDS, check=False,
                              env={**os.environ, "OUTCOMES_ALERT_SUBJECT": subject})
        if done.returncode != 0:
            raise AlertNotDelivered(f"command exited {done.returncode}: {done.stderr.strip()[:200]}")

    def _post(self, subject: str, message: str) -> None:
        if not self.webhook_url.startswith(("https://", "http://")):
            raise AlertNotDelivered(f"webhook URL must start with https:// or http://: {self.webhook_url!r}")
        body = json.dumps({"text": f"{subject}\n{message}", "subject": subject}).encode()
        request = urllib.request.Request(self.webhook_url, data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=DELIVERY_TIMEOUT_SECONDS) as response:
            if response.status >= 300:
                raise AlertNotDelivered(f"webhook answered HTTP {response.status}")


def rejection_alert(source: str, rejected: list[tuple[str, str, Path | None]]) -> tuple[str, str]:
    """Subject and message for files that need the BI team: (file name, what was wrong, report path)."""
    subject = f"Outcomes pipeline: {len(rejected)} landing file(s) rejected ({source})"
    lines = [f"- {name}: {what}" + (f"\n  rejection report: {report}" if report else "")
             for name, what, report in rejected]
    lines.append("What to do: read each rejection report (it lists every rejected row with its column, value and "
                 "reason), correct the file and drop the corrected file into the landing folder again.")
    return subject, "\n".join(lines)


def run_failure_alert(job_name: str, run_id: str, failures: list[tuple[str, str]],
                      rejection_reports: Sequence[str] = ()) -> tuple[str, str]:
    """Subject and message for a failed run: (step, error message) for each failed step, and the rejection
    reports that steps finished before the failure wrote."""
    subject = f"Outcomes pipeline: run of {job_name} failed"
    lines = [f"Run {run_id} of job {job_name} failed; the steps after the failed one did not run."]
    steps = [f"- step {step}: {message.strip().removeprefix(FAILURE_PREFIX)}" for step, message in failures]
    lines += steps or ["- (no step failed: the run itself could not start)"]
    if rejection_reports:
        lines.append("Files rejected earlier in this run (correct them and drop them into the landing folder again):")
        lines += [f"  rejection report: {report}" for report in rejection_reports]
    lines.append(f"What to do: follow the step's message above; the run's logs are in the Dagster UI (Runs -> "
                 f"{run_id[:8]}). Landing files that were not loaded are still in the landing folder.")
    return subject, "\n".join(lines)
