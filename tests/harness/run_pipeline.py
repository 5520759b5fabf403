"""Child-process entry point of tests.harness.pipeline: install the breakpoint (and the stage trace), then
run the CLI.

python -m tests.harness.run_pipeline --marker FILE [--breakpoint JSON] [--trace FILE --trace-targets JSON]
    -- run --landing ... --warehouse ...

A breakpoint parks the run until the parent kills it, or until the parent creates ``MARKER.resume`` (a test
that changes something while the run is stopped, then lets it go on). The trace appends one line per call of
each traced function (``stage target thread``), so a test that kills at a random moment knows where the run
was. The thread matters: the take-in judges the next files on other threads while one file loads, so a run
parked in one thread goes on in the others; the marker names the parked thread.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import json
import os
import sys
import threading
import time
from pathlib import Path

PARK_SECONDS = 3600  # parked until the parent kills us


def _lookup(target: str) -> tuple[object, str, object]:
    module_name, attribute = target.split(":")
    module = importlib.import_module(module_name)
    return module, attribute, getattr(module, attribute)


def _matches(wanted: str | None, args: tuple) -> bool:
    """No filter, or one positional argument equal to ``wanted`` (a path matches by its file name)."""
    return wanted is None or any(a == wanted or (isinstance(a, os.PathLike) and Path(a).name == wanted)
                                 for a in args)


def install(breakpoint: dict, marker: Path) -> None:
    module, attribute, original = _lookup(breakpoint["target"])
    calls = 0
    resume = marker.with_name(marker.name + ".resume")

    def park() -> None:
        temporary = marker.with_name(marker.name + ".tmp")
        temporary.write_text(f"{breakpoint['target']} call {calls} pid {os.getpid()} thread {threading.get_ident()}\n")
        os.replace(temporary, marker)
        deadline = time.monotonic() + PARK_SECONDS
        while not resume.exists() and time.monotonic() < deadline:
            time.sleep(0.02)

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        nonlocal calls
        matches = _matches(breakpoint.get("match"), args)
        if matches:
            calls += 1
        stop = matches and calls == breakpoint["nth"]
        if stop and breakpoint["when"] == "before":
            park()
        result = original(*args, **kwargs)
        if stop:
            park()
        return result

    setattr(module, attribute, wrapper)


def trace(targets: dict[str, list[str]], log: Path) -> None:
    """Append ``stage target thread`` to ``log`` (flushed at once) on each call of each target."""
    out = log.open("a", encoding="utf-8", buffering=1)
    for stage, names in targets.items():
        for target in names:
            module, attribute, original = _lookup(target)

            def traced(*args, __original=original, __line=f"{stage} {target}", **kwargs):
                out.write(f"{__line} {threading.get_ident()}\n")
                return __original(*args, **kwargs)

            setattr(module, attribute, functools.wraps(original)(traced))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--marker", required=True)
    parser.add_argument("--breakpoint")
    parser.add_argument("--trace")
    parser.add_argument("--trace-targets")
    parser.add_argument("cli", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    if args.breakpoint:
        install(json.loads(args.breakpoint), Path(args.marker))
    if args.trace:  # outside the breakpoint, so a run parked "before" a traced call has traced it
        trace(json.loads(args.trace_targets), Path(args.trace))
    from pipelines.cli import main as cli_main

    cli_args = args.cli[1:] if args.cli[:1] == ["--"] else args.cli
    return cli_main(cli_args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
