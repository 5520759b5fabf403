"""What every harness child process needs: the project root on its import path (the tests package is not
installed), so ``python -m tests.harness...`` works from any working directory; and judging files in a
child process that reports how long each took and how much memory the process needed (issue 10's hostile
inputs: "refused quickly, memory bounded" is measured, not assumed).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def child_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(PROJECT_ROOT), os.environ.get("PYTHONPATH", "")])}


def validate_measured(paths: list[Path], env: dict[str, str] | None = None, timeout: float = 300.0) -> dict:
    """Judge each file with ``sources.validate.validate_file`` in one fresh child process, in order.

    Returns ``{"base_mb": resident memory after imports and the catalogue, "files": {name: {...}}}``; each
    file has its ``seconds``, ``grew_mb`` (the process's peak resident memory while judging it, over what it
    held just before: the peak is reset for each file through /proc/self/clear_refs), ``rows_read``,
    ``status`` and ``message`` (the file error, if any).
    """
    done = subprocess.run([sys.executable, "-m", "tests.harness.processes", *map(str, paths)], env={
        **child_env(), **(env or {})}, capture_output=True, text=True, timeout=timeout, cwd=PROJECT_ROOT)
    if done.returncode != 0:
        raise AssertionError(f"validation child exited {done.returncode}:\n{done.stderr[-3000:]}")
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return {"base_mb": lines[0]["base_mb"], "files": {line["name"]: line for line in lines[1:]}}


def _memory_mb() -> dict[str, float]:
    """Resident memory now (VmRSS) and its peak since the last reset (VmHWM), from /proc/self/status."""
    status = Path("/proc/self/status").read_text()
    return {key: int(re.search(rf"{key}:\s+(\d+) kB", status)[1]) / 1024 for key in ("VmRSS", "VmHWM")}


def _validate_each(paths: list[Path]) -> None:
    from indicators.areas import AreaRegister
    from indicators.catalogue import load_catalogue
    from sources.validate import ValidationContext, validate_file

    context = ValidationContext(load_catalogue(include_env=False), AreaRegister.load())
    print(json.dumps({"base_mb": _memory_mb()["VmRSS"]}), flush=True)
    for path in paths:
        Path("/proc/self/clear_refs").write_text("5")  # reset the peak to the present
        before = _memory_mb()["VmRSS"]
        started = time.perf_counter()
        result = validate_file(path, context)
        seconds = time.perf_counter() - started
        print(json.dumps({"name": path.name, "seconds": seconds, "grew_mb": _memory_mb()["VmHWM"] - before,
                          "rows_read": result.rows_read, "status": result.status,
                          "message": result.file_error or ""}), flush=True)


if __name__ == "__main__":
    _validate_each([Path(p) for p in sys.argv[1:]])
