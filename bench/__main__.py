"""One entry point for every benchmark: ``python -m bench`` lists them, ``python -m bench NAME ...`` runs one.

A benchmark is a module in this folder with a ``main(argv: list[str]) -> int`` function and a docstring
whose first line says what it measures. Benchmarks print figures; they are never timed unit tests.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def _names() -> list[str]:
    return sorted(info.name for info in pkgutil.iter_modules([str(Path(__file__).parent)])
                  if not info.name.startswith("_"))


def available() -> dict[str, str]:
    found = {}
    for name in _names():
        module = importlib.import_module(f"bench.{name}")
        if hasattr(module, "main"):
            found[name] = (module.__doc__ or "").strip().splitlines()[0] if module.__doc__ else ""
    return found


def main(argv: list[str]) -> int:
    """Lists the benchmarks (importing each), or runs one, importing only that one: each times its own start-up
    (its imports), which another benchmark's imports would otherwise have paid for."""
    if not argv or argv[0] in ("-h", "--help"):
        print("usage: python -m bench NAME [options]\n\nbenchmarks:")
        for name, doc in available().items():
            print(f"  {name:20s} {doc}")
        return 0
    name, rest = argv[0], argv[1:]
    if name not in _names():
        print(f"unknown benchmark {name!r}; known: {', '.join(_names())}", file=sys.stderr)
        return 2
    return importlib.import_module(f"bench.{name}").main(rest)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
