"""Benchmarks of the project, outside the packages. One entry point: ``python -m bench NAME [options]``."""
