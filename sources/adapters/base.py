"""What every adapter provides. Adapters read; they never validate or decide scope (sources.validate does)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pandas as pd

from indicators.periods import Convention
from sources.files import Probe


class Adapter(Protocol):
    id: str
    title: str
    expects: str  # shown when a file matches no adapter
    period_convention: Convention | None

    def sniff(self, probe: Probe) -> bool: ...

    def read(self, path: Path) -> pd.DataFrame:
        """Raw frame: text cells in sources.canonical raw columns, selector columns, ``source_row``."""
        ...


@dataclass(frozen=True)
class HeaderMap:
    """Normalised header spelling -> raw column name, for sources whose header spellings vary."""

    mapping: dict[str, str]
    required: frozenset[str]

    def missing(self, header: tuple[str, ...]) -> list[str]:
        return sorted(self.required - set(header))
