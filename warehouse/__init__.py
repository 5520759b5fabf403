"""DuckDB warehouse: schema, loading with revision history, methods as SQL, publishing, read-only queries."""
