"""The statistical methods of METHODS.md: one readable Python reference per rule.

The warehouse runs the same rules as set-based DuckDB SQL over every series at once (warehouse/sql);
these functions are the reference the tests compare that SQL against, and the place an analyst reads
to see exactly what a figure means. Labels live in :mod:`indicators.methods.labels` only.
"""
