"""Run one function over many inputs on every CPU core, reporting progress as it goes."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")
Progress = Callable[[int, int], None]


def parallel_map(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    workers: int | None = None,
    on_progress: Progress | None = None,
    initializer: Callable[[], object] | None = None,
) -> list[Result]:
    """``[function(item) for item in items]`` in worker processes, results in input order.

    ``workers=1`` runs in this process (no pickling, easy to debug). ``on_progress(done, total)``
    is called after each item; ``initializer`` runs once in each worker (loading models, say).
    """
    workers = workers or os.cpu_count() or 1
    total = len(items)
    if workers == 1:
        if initializer:
            initializer()
        results = []
        for done, item in enumerate(items, start=1):
            results.append(function(item))
            if on_progress:
                on_progress(done, total)
        return results
    ordered: list[Result | None] = [None] * total
    with ProcessPoolExecutor(max_workers=workers, initializer=initializer) as pool:
        futures = {pool.submit(function, item): index for index, item in enumerate(items)}
        for done, future in enumerate(as_completed(futures), start=1):
            ordered[futures[future]] = future.result()
            if on_progress:
                on_progress(done, total)
    return ordered  # type: ignore[return-value]
