"""One entry point for every benchmark: ``python -m bench`` lists them, ``python -m bench NAME ...`` runs one.

A benchmark is a module in this folder with a ``main(argv: list[str]) -> int`` function and a docstring
whose first line says what it measures. Benchmarks print figures; they are never timed unit tests.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def available() -> dict[str, str]:
    found = {}
    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"bench.{info.name}")
        if hasattr(module, "main"):
            found[info.name] = (module.__doc__ or "").strip().splitlines()[0] if module.__doc__ else ""
    return found


def main(argv: list[str]) -> int:
    benches = available()
    if not argv or argv[0] in ("-h", "--help"):
        print("usage: python -m bench NAME [options]\n\nbenchmarks:")
        for name, doc in sorted(benches.items()):
            print(f"  {name:20s} {doc}")
        return 0
    name, rest = argv[0], argv[1:]
    if name not in benches:
        print(f"unknown benchmark {name!r}; known: {', '.join(sorted(benches))}", file=sys.stderr)
        return 2
    return importlib.import_module(f"bench.{name}").main(rest)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
