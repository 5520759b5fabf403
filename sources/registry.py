"""The source registry: which adapters exist and which one reads a given file (by content, not name)."""

from __future__ import annotations

from pathlib import Path

from sources.adapters.base import Adapter
from sources.adapters.fingertips_csv import FingertipsCsv
from sources.adapters.returns_template import ReturnsTemplate
from sources.files import FileRejected, probe

ADAPTERS: tuple[Adapter, ...] = (FingertipsCsv(), ReturnsTemplate())
ADAPTERS_BY_ID: dict[str, Adapter] = {a.id: a for a in ADAPTERS}
INPUT_SUFFIXES = frozenset({".csv", ".txt", ".xlsx", ".xlsm"})


def detect_adapter(path: Path) -> Adapter:
    """The adapter whose sniff accepts this file; otherwise a FileRejected listing what was expected."""
    seen = probe(path)
    matches = [a for a in ADAPTERS if a.sniff(seen)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        expected = "; ".join(f"{a.title}: {a.expects}" for a in ADAPTERS)
        raise FileRejected(f"{path.name}: matches no known source format. Expected one of: {expected}")
    names = ", ".join(a.title for a in matches)
    raise FileRejected(f"{path.name}: matches several source formats ({names}); cannot choose")
