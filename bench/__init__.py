"""Benchmarks of the product against plain pandas: ``python -m bench.run``."""
