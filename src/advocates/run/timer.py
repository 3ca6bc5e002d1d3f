"""Wall time and peak memory of each step of a run (``run.json``'s ``timings_seconds``).

A *step* is a part of the work (``read``, ``graph``, ``metrics``, ``write``...), not a 5A
stage of an account (:mod:`advocates.analysis.stages`).

>>> timer = Timer(None)
>>> with timer.step("read"):
...     pass
>>> list(timer.timings)
['read']
"""

from __future__ import annotations

import time
from collections.abc import Callable

from advocates.run.memory import peak_rss

__all__ = ["Timer"]


class Timer:
    """Wall time of each step and the peak resident memory (MB) reached by its end, for
    ``run.json`` (the peak is never reset, so ``/usr/bin/time`` still sees the true one)."""

    def __init__(self, progress: Callable[[str], None] | None) -> None:
        self.timings: dict[str, float] = {}
        self.peak_mb: dict[str, float] = {}
        self.progress = progress

    def step(self, name: str, label: str | None = None) -> Timer:
        """Time ``name`` (a step entered again adds to its time); ``label`` is shown."""
        self._name = name
        if self.progress:
            self.progress(label or name)
        self._t0 = time.perf_counter()
        return self

    def substep(self, step: str) -> Callable[[str], None] | None:
        """A progress callback naming the parts of ``step`` (``metrics: pagerank``)."""
        progress = self.progress
        if progress is None:
            return None
        return lambda part: progress(f"{step}: {part}")

    def __enter__(self) -> Timer:
        return self

    def __exit__(self, *exc: object) -> None:
        elapsed = time.perf_counter() - self._t0
        self.timings[self._name] = round(self.timings.get(self._name, 0.0) + elapsed, 4)
        peak = peak_rss()
        if peak:
            self.peak_mb[self._name] = round(peak / 2**20, 1)
