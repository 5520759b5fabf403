"""Landing folders for reliability tests, built from the session's SAMPLE DATA files."""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path


def landing_with(sample_dir: Path, landing: Path, count: int | None = None) -> list[Path]:
    """Copy the first ``count`` sample files (all when None, in name order) into ``landing``."""
    landing.mkdir(parents=True, exist_ok=True)
    files = sorted(p for p in sample_dir.iterdir() if p.name.startswith("SAMPLE_"))[:count]
    return [Path(shutil.copy2(p, landing / p.name)) for p in files]


def revised_extract(source: Path, target: Path, every: int = 5, factor: float = 1.1) -> int:
    """A later extract of the same Fingertips indicator in which every ``every``-th value was revised
    (multiplied by ``factor``, its 95% and 99.8% limits kept around it): what a publisher's correction looks
    like, valid throughout. Returns the number of values changed."""
    with source.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    value = header.index("Value")
    limits = [(header.index(f"Lower CI {level} limit"), header.index(f"Upper CI {level} limit"))
              for level in ("95.0", "99.8") if f"Lower CI {level} limit" in header]
    changed = 0
    for i, row in enumerate(body):
        if i % every or not row[value]:
            continue
        old = float(row[value])
        row[value] = f"{old * factor:.6f}"
        for low, high in limits:
            if row[low] and row[high]:
                row[low] = f"{min(float(row[low]) * factor, old * factor):.6f}"
                row[high] = f"{max(float(row[high]) * factor, old * factor):.6f}"
        changed += 1
    with target.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([header, *body])
    return changed


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
