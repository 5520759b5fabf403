"""The quarterly scrutiny report: a workbook (openpyxl) and a self-contained HTML page, from the warehouse."""
