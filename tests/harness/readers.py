"""Analysts in other processes: each opens the published warehouse with the recommended read-only
connection (warehouse.connection.connect_read_only) and queries it in a loop, writing one JSON line per
query: what snapshot it saw (snapshot_info.published_at) and a few totals computed in that one query, or
the error. ``hold`` keeps one connection for the whole life of the reader (an analyst's open session);
``reconnect`` opens a new connection for every query (a dashboard refreshing). A reader stops when its
stop file appears or at its bound on queries or seconds, so a test can never hang on one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from tests.harness.processes import child_env

# One statement, so one transaction: its answers all come from one snapshot.
SNAPSHOT_QUERY = """SELECT (SELECT max(published_at) FROM snapshot_info)::VARCHAR AS published_at,
    (SELECT count(*) FROM observations) AS observations,
    (SELECT count(*) FROM observation_history) AS revisions,
    (SELECT count(*) FROM loads) AS loads,
    (SELECT count(*) FROM outcome_board WHERE status = 'data') AS board_with_data,
    (SELECT round(sum(value), 6) FROM observations) AS value_sum"""
ANSWER_FIELDS = ("published_at", "observations", "revisions", "loads", "board_with_data", "value_sum")


@dataclass
class ReaderProcess:
    published: Path
    workdir: Path
    mode: str = "hold"  # or "reconnect"
    interval: float = 0.05
    max_queries: int = 100_000
    max_seconds: float = 300.0
    process: subprocess.Popen | None = field(default=None, init=False)
    _stderr: IO[bytes] | None = field(default=None, init=False, repr=False)

    @property
    def log(self) -> Path:
        return self.workdir / "reader.jsonl"

    @property
    def stop_file(self) -> Path:
        return self.workdir / "stop"

    def start(self) -> ReaderProcess:
        self.workdir.mkdir(parents=True, exist_ok=True)
        for path in (self.log, self.stop_file):
            path.unlink(missing_ok=True)
        self._stderr = (self.workdir / "reader.err").open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.harness.readers", str(self.published), str(self.log), str(self.stop_file),
             self.mode, str(self.interval), str(self.max_queries), str(self.max_seconds)],
            cwd=self.workdir, env=child_env(), stdout=subprocess.DEVNULL, stderr=self._stderr)
        return self

    def records(self) -> list[dict]:
        if not self.log.exists():
            return []
        lines = self.log.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.endswith("}")]

    def wait_until(self, n_queries: int, timeout: float = 60.0) -> None:
        """Until the reader has answered ``n_queries`` queries (its connection is then open and used)."""
        deadline = time.monotonic() + timeout
        while len(self.records()) < n_queries:
            assert self.process is not None
            if self.process.poll() is not None:
                raise AssertionError(f"reader exited ({self.process.returncode}): "
                                     f"{(self.workdir / 'reader.err').read_text()[-2000:]}")
            if time.monotonic() > deadline:
                raise AssertionError(f"reader answered {len(self.records())} of {n_queries} queries in {timeout} s")
            time.sleep(0.02)

    def stop(self, timeout: float = 30.0) -> list[dict]:
        assert self.process is not None
        self.stop_file.touch()
        self.process.wait(timeout=timeout)
        if self._stderr:
            self._stderr.close()
        return self.records()


def snapshot_answer(con) -> dict:
    """SNAPSHOT_QUERY's answer on ``con``, as the readers record it."""
    row = con.execute(SNAPSHOT_QUERY).fetchall()[0]
    return dict(zip(ANSWER_FIELDS, row, strict=True))


def _loop(published: Path, log: Path, stop_file: Path, mode: str, interval: float, max_queries: int,
          max_seconds: float) -> None:
    from warehouse.connection import connect_read_only

    deadline = time.monotonic() + max_seconds
    held = connect_read_only(published) if mode == "hold" else None
    con = held.__enter__() if held else None
    try:
        with log.open("a", encoding="utf-8") as out:
            for n in range(max_queries):
                if stop_file.exists() or time.monotonic() > deadline:
                    break
                record: dict = {"n": n, "t": time.time(), "pid": os.getpid()}
                try:
                    if con is not None:
                        record.update(snapshot_answer(con))
                    else:
                        with connect_read_only(published) as fresh:
                            record.update(snapshot_answer(fresh))
                    record["ok"] = True
                except Exception as exc:  # recorded, not raised: the test counts every error
                    record.update(ok=False, error=f"{type(exc).__name__}: {exc}")
                out.write(json.dumps(record, default=str) + "\n")
                out.flush()
                time.sleep(interval)
    finally:
        if held:
            held.__exit__(None, None, None)


if __name__ == "__main__":
    published, log, stop_file, mode, interval, max_queries, max_seconds = sys.argv[1:8]
    _loop(Path(published), Path(log), Path(stop_file), mode, float(interval), int(max_queries), float(max_seconds))
