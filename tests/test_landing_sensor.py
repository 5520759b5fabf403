"""The landing sensor through build_sensor_context: new, growing, unchanged, rejected-then-fixed and
duplicate files; and the run it requests judges only the files it named."""

from __future__ import annotations

import os
import time
from pathlib import Path

import dagster as dg
import pytest

from pipelines.alerts import Notifier
from pipelines.assets import ALL_ASSETS
from pipelines.intake import select_files
from pipelines.landing_watch import SETTLE_SECONDS, LandingCursor
from pipelines.resources import PipelineSettings, WarehouseResource
from pipelines.sensors import landing_sensor
from sources.filing import PROCESSED_DIR, REJECTED_DIR
from sources.landing import LandingFile

GOOD = "indicator_id,area_code,period,value\nse_principal_roads_maintenance,E10000018,2023/24,4\n"
BAD = "indicator_id,area_code,period,value\nse_principal_roads_maintenance,E10000018,2023/24,four\n"


class Landing:
    """A landing folder and the sensor's state between ticks, as the daemon keeps it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.cursor: str | None = None
        self.instance = dg.DagsterInstance.ephemeral()

    def tick(self) -> dg.SensorResult:
        context = dg.build_sensor_context(instance=self.instance, cursor=self.cursor,
                                          resources={"settings": PipelineSettings(landing_dir=str(self.folder))})
        result = landing_sensor(context)
        self.cursor = result.cursor
        return result

    def write(self, name: str, text: str, age_seconds: float = 0) -> Path:
        path = self.folder / name
        path.write_text(text, encoding="utf-8")
        if age_seconds:
            when = time.time() - age_seconds
            os.utime(path, (when, when))
        return path


def _requested_files(result: dg.SensorResult) -> list[list[str]]:
    return [r.run_config["ops"]["source_returns"]["config"]["only_files"] for r in result.run_requests]


@pytest.fixture
def landing(tmp_path) -> Landing:
    folder = tmp_path / "landing"
    folder.mkdir()
    return Landing(folder)


def test_new_file_written_a_while_ago_triggers_one_run_at_once(landing):
    landing.write("roads.csv", GOOD, age_seconds=SETTLE_SECONDS + 5)
    first = landing.tick()
    assert _requested_files(first) == [["roads.csv"]]
    assert first.run_requests[0].run_key.startswith("landing-")
    assert landing.tick().run_requests == []  # unchanged: no second run


def test_new_file_just_written_waits_one_look_then_triggers(landing):
    landing.write("roads.csv", GOOD)
    first = landing.tick()
    assert first.run_requests == [] and "still being written" in first.skip_reason.skip_message
    assert _requested_files(landing.tick()) == [["roads.csv"]]


def test_growing_file_waits_until_its_size_stops_changing(landing):
    path = landing.write("big.csv", GOOD)
    assert landing.tick().run_requests == []
    with path.open("a", encoding="utf-8") as fh:  # still being copied in
        fh.write("se_principal_roads_maintenance,E10000018,2022/23,5\n")
    assert landing.tick().run_requests == []
    assert _requested_files(landing.tick()) == [["big.csv"]]


def test_growing_file_is_left_out_of_a_run_another_file_starts(landing):
    landing.write("roads.csv", GOOD, age_seconds=SETTLE_SECONDS + 5)
    landing.write("big.csv", GOOD.replace("4\n", "5\n"))  # just written
    assert _requested_files(landing.tick()) == [["roads.csv"]]
    assert _requested_files(landing.tick()) == [["big.csv"]]


def test_rejected_file_does_not_retrigger_until_it_changes(landing):
    bad = landing.write("roads.csv", BAD, age_seconds=SETTLE_SECONDS + 5)
    first = landing.tick()
    assert _requested_files(first) == [["roads.csv"]]
    assert landing.tick().run_requests == []  # still there (say the run is queued): nothing new
    # the run rejects it and moves it to rejected/; the BI team corrects it and drops it back in
    (landing.folder / REJECTED_DIR).mkdir()
    bad.rename(landing.folder / REJECTED_DIR / "roads.csv")
    assert landing.tick().run_requests == []
    fixed = landing.folder / REJECTED_DIR / "roads.csv"
    fixed.write_text(GOOD, encoding="utf-8")
    fixed.rename(landing.folder / "roads.csv")
    assert landing.tick().run_requests == []  # just written: one look to be sure it is complete
    second = landing.tick()
    assert _requested_files(second) == [["roads.csv"]]
    assert second.run_requests[0].run_key != first.run_requests[0].run_key


def test_file_rewritten_in_place_with_other_bytes_triggers_again(landing):
    path = landing.write("roads.csv", BAD, age_seconds=SETTLE_SECONDS + 5)
    assert len(landing.tick().run_requests) == 1
    path.write_text(GOOD, encoding="utf-8")
    old = time.time() - SETTLE_SECONDS - 5
    os.utime(path, (old, old - 1))
    assert _requested_files(landing.tick()) == [["roads.csv"]]


def test_duplicate_moved_in_triggers_nothing_and_rides_with_the_next_run(landing):
    landing.write("roads.csv", GOOD, age_seconds=SETTLE_SECONDS + 5)
    assert len(landing.tick().run_requests) == 1
    (landing.folder / "roads.csv").rename(landing.folder / "gone.tmp")  # filed by that run
    landing.write("roads copy.csv", GOOD, age_seconds=SETTLE_SECONDS + 5)
    result = landing.tick()
    assert result.run_requests == []
    landing.write("other.csv", GOOD.replace("4\n", "6\n"), age_seconds=SETTLE_SECONDS + 5)
    assert _requested_files(landing.tick()) == [["other.csv", "roads copy.csv"]]


def test_cursor_forgets_files_that_left_and_survives_a_round_trip(landing):
    landing.write("roads.csv", GOOD, age_seconds=SETTLE_SECONDS + 5)
    landing.tick()
    (landing.folder / "roads.csv").unlink()
    landing.tick()
    cursor = LandingCursor.from_json(landing.cursor)
    assert cursor.files == {} and len(cursor.requested) == 1
    assert LandingCursor.from_json(cursor.to_json()) == cursor


def test_requested_run_judges_only_the_named_files(landing, tmp_path):
    landing.write("roads.csv", GOOD, age_seconds=SETTLE_SECONDS + 5)
    landing.write("big.csv", GOOD.replace("4\n", "7\n"))  # still being written at the tick
    request = landing.tick().run_requests[0]
    resources = {"settings": PipelineSettings(landing_dir=str(landing.folder)),
                 "warehouse": WarehouseResource(warehouse_path=str(tmp_path / "wh" / "o.duckdb")),
                 "notifier": Notifier(alerts_log=str(tmp_path / "alerts.log"))}
    refresh = [a for a in ALL_ASSETS if a.key.to_user_string() != "scrutiny_report"]
    result = dg.materialize(refresh, resources=resources, run_config=request.run_config)
    assert result.success
    assert (landing.folder / PROCESSED_DIR / "roads.csv").is_file()
    assert (landing.folder / "big.csv").is_file()  # untouched, judged by the next run


def test_each_asset_takes_only_the_named_files_it_reads(tmp_path):
    files = [LandingFile(tmp_path / "a.csv", "returns"), LandingFile(tmp_path / "b.csv", "fingertips_csv"),
             LandingFile(tmp_path / "c.csv", "returns")]
    logged: list[str] = []
    assert select_files(files, "returns", None, logged.append) == [files[0], files[2]]
    assert select_files(files, "returns", ["c.csv", "b.csv", "gone.csv"], logged.append) == [files[2]]
    assert select_files(files, "fingertips_csv", ["c.csv", "b.csv"], logged.append) == [files[1]]
    assert logged == ["named by the sensor but no longer in the landing folder: gone.csv"]
