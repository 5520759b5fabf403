"""The source registry: which adapters exist and which one reads a given file (by content, not name).

An adapter's id is the ``source`` of the catalogue selectors it feeds. The Dagster asset factory builds
one asset per adapter here, so a new adapter needs no wiring.
"""

from __future__ import annotations

from pathlib import Path

from sources.adapters.base import Adapter
from sources.adapters.defra_waste import DefraWaste
from sources.adapters.desnz_emissions import DesnzEmissions
from sources.adapters.dfe_neet import DfeNeet
from sources.adapters.eyfsp_sdg import EyfspSdg
from sources.adapters.fingertips_csv import FingertipsCsv
from sources.adapters.fingertips_tidy import FingertipsTidy
from sources.adapters.oflog_asc import OflogAdultSocialCare
from sources.adapters.ons_els import OnsExploreLocalStatistics
from sources.adapters.returns_template import ReturnsTemplate
from sources.adapters.wide_years import WideYearsTable
from sources.files import FileRejected, probe

ADAPTERS: tuple[Adapter, ...] = (
    FingertipsCsv(), FingertipsTidy(), OnsExploreLocalStatistics(), DfeNeet(), OflogAdultSocialCare(),
    DesnzEmissions(), DefraWaste(), EyfspSdg(), ReturnsTemplate(), WideYearsTable(),
)
ADAPTERS_BY_ID: dict[str, Adapter] = {a.id: a for a in ADAPTERS}
INPUT_SUFFIXES = frozenset({".csv", ".txt", ".xlsx", ".xlsm"})


def detect_adapter(path: Path) -> Adapter:
    """The adapter whose sniff accepts this file; otherwise a FileRejected listing what was expected."""
    seen = probe(path)
    matches = [a for a in ADAPTERS if a.sniff(seen)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        if seen.kind == "csv" and not seen.header:
            raise FileRejected(f"{path.name}: the file is empty")
        expected = "\n".join(f"  - {a.title}: {a.expects}" for a in ADAPTERS)
        raw_header = [h for h in seen.head.get("", [[]])[0] if h]
        found = f"header row {raw_header}" if seen.kind == "csv" else (
            f"sheets {list(seen.sheets)}" if seen.kind == "xlsx" else f"a {path.suffix or 'suffix-less'} file")
        raise FileRejected(f"{path.name}: matches no known source format (found {found}). Expected one of:\n"
                           f"{expected}")
    names = ", ".join(a.title for a in matches)
    raise FileRejected(f"{path.name}: matches several source formats ({names}); cannot choose")
