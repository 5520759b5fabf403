"""Generated files kept in the repository are current: the data dictionary and the blank returns template."""

from __future__ import annotations

import python_calamine

from indicators.settings import Settings, load_comparator_groups
from pipelines.cli import main
from pipelines.cli.docs import render_dictionary
from sources.adapters.returns_template import SHEET, TEMPLATE_COLUMNS
from sources.templates import SHIPPED_TEMPLATE, write_returns_template
from sources.validate import validate_file
from tests.conftest import PROJECT_ROOT

DICTIONARY = PROJECT_ROOT / "docs" / "data_dictionary.md"


def test_the_data_dictionary_is_current(catalogue, areas):
    """Fails when the catalogue changed and `outcomes docs` was not run."""
    expected = render_dictionary(catalogue, load_comparator_groups(Settings(), areas))
    assert DICTIONARY.read_text(encoding="utf-8") == expected, "run `outcomes docs` and commit docs/data_dictionary.md"


def test_the_dictionary_describes_every_indicator(catalogue):
    text = DICTIONARY.read_text(encoding="utf-8")
    for indicator in catalogue:
        assert f'<a id="{indicator.id}"></a>' in text
        assert indicator.success_measure.replace("|", "\\|") in text
    assert "| `dfe_neet` | DfE NEET and not known by local authority | value cell |" in text
    assert "`fingertips_tidy indicator_name=Proportion of 16-17 year olds" in text  # other sources listed


def test_docs_command_writes_and_checks(tmp_path, capsys):
    output = tmp_path / "dictionary.md"
    assert main(["docs", "--output", str(output), "--check"]) == 1
    assert main(["docs", "--output", str(output)]) == 0
    assert main(["docs", "--output", str(output), "--check"]) == 0
    assert output.read_text(encoding="utf-8") == DICTIONARY.read_text(encoding="utf-8")


def test_the_shipped_returns_template_is_current(tmp_path, context):
    fresh = write_returns_template(tmp_path / "returns_template.xlsx")
    assert fresh.read_bytes() == SHIPPED_TEMPLATE.read_bytes(), "regenerate sources/templates/returns_template.xlsx"
    sheet = python_calamine.CalamineWorkbook.from_path(str(SHIPPED_TEMPLATE)).get_sheet_by_name(SHEET)
    assert sheet.to_python()[0] == TEMPLATE_COLUMNS
    blank = validate_file(SHIPPED_TEMPLATE, context)  # recognised, and empty
    assert blank.adapter_id == "returns" and "has a header but no data rows" in blank.file_error


def test_a_filled_template_loads(tmp_path, context):
    path = tmp_path / "returns.csv"
    assert main(["returns-template", str(path)]) == 0
    with path.open("a", encoding="utf-8") as fh:
        fh.write("cgf_council_ghg_emissions,E10000018,Leicestershire,2023/24,,,12450,,,,,,Down 8% on last year\r\n")
    result = validate_file(path, context)
    assert (result.rows_accepted, result.rows_rejected) == (1, 0)
    assert result.accepted.iloc[0]["commentary"] == "Down 8% on last year"
