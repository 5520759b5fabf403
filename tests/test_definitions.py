"""The code location loads (every asset, check, job, schedule, sensor), and a snapshot of its graph so that
an unintended change shows in review.

After an intended change (a new adapter adds a source asset), refresh the snapshot with
``UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_definitions.py`` and commit the diff.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import dagster as dg

from pipelines.definitions import defs
from sources.registry import ADAPTERS

SNAPSHOT = Path(__file__).parent / "snapshots" / "definitions.json"
PROJECT_ROOT = Path(__file__).resolve().parents[1]


def graph_snapshot() -> dict:
    repo = defs.get_repository_def()
    graph = repo.asset_graph
    assets = {}
    for key in sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string()):
        node = graph.get(key)
        assets[key.to_user_string()] = {
            "group": node.group_name,
            "deps": sorted(k.to_user_string() for k in node.parent_keys),
            "kinds": sorted(node.kinds),
            "owners": list(node.owners),
            "tags": sorted(t for t in node.tags if not t.startswith("dagster/")),
            "pools": sorted(node.pools or []),
            "partitioned": node.partitions_def is not None,
            "checks": sorted(k.name for k in node.check_keys),
        }
    jobs = {job.name: sorted(k.to_user_string() for k in job.asset_layer.selected_asset_keys)
            for job in repo.get_all_jobs() if not job.name.startswith("__")}
    schedules = {s.name: {"job": s.job_name, "cron": s.cron_schedule, "timezone": s.execution_timezone,
                          "default": s.default_status.value} for s in repo.schedule_defs}
    sensors = {s.name: {"jobs": sorted(j.name for j in s.jobs) if s.has_jobs else [],
                        "default": s.default_status.value} for s in repo.sensor_defs}
    return {"assets": assets, "jobs": jobs, "schedules": schedules, "sensors": sensors,
            "resources": sorted(repo.get_top_level_resources()), "executor": repo.get_all_jobs()[0].executor_def.name}


def test_definitions_load():
    dg.Definitions.validate_loadable(defs)
    repo = defs.get_repository_def()
    for job in repo.get_all_jobs():  # every job resolves against the assets and their checks
        assert job.executor_def.name == "in_process"
    assert {s.name for s in repo.schedule_defs} == {"quarterly_scrutiny_schedule", "weekly_refresh_schedule"}
    assert {s.name for s in repo.sensor_defs} == {"landing_sensor", "run_failure_alert"}


def test_one_source_asset_per_registered_adapter():
    keys = {k.to_user_string() for k in defs.get_repository_def().asset_graph.get_all_asset_keys()}
    assert {f"source_{a.id}" for a in ADAPTERS} <= keys


def test_graph_matches_the_reviewed_snapshot():
    current = graph_snapshot()
    if os.environ.get("UPDATE_SNAPSHOTS"):
        SNAPSHOT.write_text(json.dumps(current, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert current == expected, ("the Dagster graph changed: if intended, run UPDATE_SNAPSHOTS=1 .venv/bin/python "
                                 "-m pytest tests/test_definitions.py and commit tests/snapshots/definitions.json")


def test_dagster_finds_this_code_location_from_the_project_root():
    """What `dagster dev` does first, from the pyproject [tool.dg.project] declaration: nothing else to configure."""
    done = subprocess.run([str(Path(sys.executable).parent / "dagster"), "definitions", "validate"], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=120,
                          env={k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Validation successful for code location leics_outcomes" in done.stderr + done.stdout
