"""Quarterly scrutiny reports and the Annual Performance and Benchmarking Report: a workbook (openpyxl, native
charts) and a self-contained HTML page (inline SVG charts), read-only from the published warehouse or a
signed-off quarter's frozen snapshot."""
