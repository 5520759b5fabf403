"""Fetch Fingertips indicators by id over HTTP, as the same CSV export the fingertips_csv adapter reads.

Why plain HTTP: the Fingertips API's ``all_data/csv/by_indicator_id`` endpoint returns exactly the export
layout (METHODS.md section 9), so a fetched file is validated and loaded like a downloaded one: it is
written into the landing folder, never loaded directly. Without a network the message says so and what to
do instead (download the CSV from the Fingertips site into the landing folder).
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path

from sources.adapters.fingertips_csv import FingertipsCsv
from sources.files import FileRejected, probe

API_URL = "https://fingertips.phe.org.uk/api/all_data/csv/by_indicator_id"
UPPER_TIER_AREA_TYPE = 502  # Counties & UAs (from Apr 2023)
ENGLAND_AREA_TYPE = 15


class FetchError(RuntimeError):
    """The indicators could not be fetched; the message says why and what to do instead."""


def indicator_url(indicator_ids: Sequence[str], base_url: str = API_URL,
                  child_area_type_id: int = UPPER_TIER_AREA_TYPE,
                  parent_area_type_id: int = ENGLAND_AREA_TYPE) -> str:
    ids = [str(i).strip() for i in indicator_ids]
    if not ids or not all(i.isdigit() for i in ids):
        raise FetchError(f"Fingertips indicator ids are numbers, e.g. 90284; got {list(indicator_ids)}")
    query = urllib.parse.urlencode({"indicator_ids": ",".join(ids), "child_area_type_id": child_area_type_id,
                                    "parent_area_type_id": parent_area_type_id})
    return f"{base_url}?{query}"


def fetch_indicators(indicator_ids: Sequence[str], landing: Path, *, base_url: str = API_URL,
                     timeout: float = 60.0,
                     opener: Callable[..., object] = urllib.request.urlopen) -> Path:
    """Download the CSV for ``indicator_ids`` (upper-tier areas and England) into ``landing``."""
    url = indicator_url(indicator_ids, base_url)
    try:
        with opener(url, timeout=timeout) as response:  # type: ignore[attr-defined]
            body = response.read()
    except urllib.error.HTTPError as exc:
        raise FetchError(f"Fingertips answered {exc.code} {exc.reason} for {url}") from None
    except (TimeoutError, urllib.error.URLError, ConnectionError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FetchError(f"cannot reach Fingertips at {base_url} ({reason}). Offline? Download the indicator's "
                         "CSV from the Fingertips website and put it in the landing folder instead.") from None
    landing.mkdir(parents=True, exist_ok=True)
    path = landing / f"fingertips_api_{'_'.join(str(i).strip() for i in indicator_ids)}.csv"
    partial = landing / f".{path.name}"  # hidden while incomplete: the landing folder ignores dot files
    partial.write_bytes(body)
    try:
        if not FingertipsCsv().sniff(probe(partial)):
            raise FetchError(f"Fingertips returned something that is not its CSV export for {url} "
                             f"(first bytes: {body[:80]!r})")
    except (FetchError, FileRejected):
        partial.unlink(missing_ok=True)
        raise
    partial.replace(path)
    return path
