"""Commands: the ``verifydemo`` CLI, the benchmark, and the live server the benchmark and the
browser tests share."""
