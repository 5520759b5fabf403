"""The committed reliability table (docs/reliability.md) is current: written by a full run (`make test-all`),
it lists every reliability test that exists now, under the section its marker names, and each one passed.

A reliability test added, renamed or moved without running `make test-all` fails here, in the default suite.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.harness.processes import PROJECT_ROOT
from tests.harness.proof import GENERATED, PROOF_ENV, TITLE, collected_reliability_tests, parse

TABLE = PROJECT_ROOT / "docs" / "reliability.md"


def test_the_committed_table_is_the_latest_full_run_of_every_reliability_test(request):
    if os.environ.get(PROOF_ENV) and Path(os.environ[PROOF_ENV]).resolve() == TABLE.resolve():
        pytest.skip("this run (make test-all) writes docs/reliability.md itself")
    collected = collected_reliability_tests(request.session)
    if not collected:
        pytest.skip("no reliability test collected in this session: run it with the reliability test modules")
    text = TABLE.read_text(encoding="utf-8")
    assert text.startswith(TITLE) and GENERATED in text
    assert "over every test, slow ones included (`make test-all`)" in text, "the table is not from a full run"
    table = parse(text)
    modules = {nodeid.split("::")[0] for nodeid in collected}
    listed = {nodeid: row for nodeid, row in table.items() if nodeid.split("::")[0] in modules}
    assert sorted(set(collected) - set(listed)) == [], "reliability tests missing from docs/reliability.md"
    assert sorted(set(listed) - set(collected)) == [], "docs/reliability.md lists tests that no longer exist"
    assert {n: s for n, (s, _) in listed.items()} == collected, "a test is under another section than its marker"
    assert [n for n, (_, result) in table.items() if result != "passed"] == []
