"""Child-process entry point of tests.harness.pipeline: install the breakpoint, then run the CLI.

python -m tests.harness.run_pipeline --marker FILE [--breakpoint JSON] -- run --landing ... --warehouse ...
"""

from __future__ import annotations

import argparse
import functools
import importlib
import json
import os
import sys
import time
from pathlib import Path

PARK_SECONDS = 3600  # parked until the parent kills us


def install(breakpoint: dict, marker: Path) -> None:
    module_name, attribute = breakpoint["target"].split(":")
    module = importlib.import_module(module_name)
    original = getattr(module, attribute)
    calls = 0

    def park() -> None:
        temporary = marker.with_name(marker.name + ".tmp")
        temporary.write_text(f"{breakpoint['target']} call {calls} pid {os.getpid()}\n")
        os.replace(temporary, marker)
        time.sleep(PARK_SECONDS)

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        nonlocal calls
        matches = breakpoint.get("match") is None or breakpoint["match"] in args
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


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--marker", required=True)
    parser.add_argument("--breakpoint")
    parser.add_argument("cli", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    if args.breakpoint:
        install(json.loads(args.breakpoint), Path(args.marker))
    from pipelines.cli import main as cli_main

    cli_args = args.cli[1:] if args.cli[:1] == ["--"] else args.cli
    return cli_main(cli_args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
