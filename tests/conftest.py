"""Shared fixtures. Tests own their temporary folders and databases; none depends on another's state."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from indicators.areas import AreaRegister, ComparatorGroups
from indicators.catalogue import Catalogue, load_catalogue
from indicators.settings import Settings
from sources.sample import write_sample
from sources.validate import ValidationContext

pytest_plugins = ["tests.harness.proof"]  # the reliability proof table (docs/reliability.md)

PROJECT_ROOT = Path(__file__).resolve().parents[1]
REAL_DATA = Path(os.environ.get("OUTCOMES_REAL_DATA", PROJECT_ROOT.parent / "shared" / "data" / "real"))


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue(include_env=False)


@pytest.fixture(scope="session")
def areas() -> AreaRegister:
    return AreaRegister.load()


@pytest.fixture(scope="session")
def groups() -> ComparatorGroups:
    return ComparatorGroups.load()


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def context(catalogue, areas) -> ValidationContext:
    return ValidationContext(catalogue, areas)


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory, catalogue, areas, groups, settings) -> Path:
    """The SAMPLE DATA landing files, generated once per test session (read-only for tests)."""
    directory = tmp_path_factory.mktemp("sample-landing")
    write_sample(directory, catalogue, areas, groups, settings)
    return directory


@pytest.fixture
def landing(sample_dir, tmp_path) -> Path:
    """A landing folder holding a copy of the SAMPLE DATA, for one test: runs move files out of it."""
    target = tmp_path / "landing"
    shutil.copytree(sample_dir, target)
    return target


@pytest.fixture(scope="session")
def real_data() -> Path:
    if not REAL_DATA.is_dir():
        pytest.skip(f"real published data not found at {REAL_DATA} (set OUTCOMES_REAL_DATA to its folder)")
    return REAL_DATA


@pytest.fixture(scope="session")
def clean_run(sample_dir, tmp_path_factory) -> dict:
    """Every analyst view (tests/harness/contents.py) after one clean run over all the SAMPLE DATA files: what
    every rerun after a fault must equal (tests/test_concurrency.py, tests/test_faults.py)."""
    from tests.harness.contents import view_contents
    from tests.harness.files import landing_with
    from tests.harness.pipeline import materialize_run

    root = tmp_path_factory.mktemp("clean")
    landing_with(sample_dir, root / "landing")  # a run moves its landing files: never run on sample_dir
    assert materialize_run(root / "landing", root / "outcomes.duckdb").success
    return view_contents(root / "outcomes.duckdb")
