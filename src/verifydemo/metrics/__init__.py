"""Error rates and how they are measured: score sets, intervals, pair matrices, groups."""
