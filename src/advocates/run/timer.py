"""Wall time and peak memory of each step of a run (``run.json``'s ``timings_seconds``)."""

from __future__ import annotations

import time
from collections.abc import Callable

from advocates.run.memory import peak_rss

__all__ = ["Timer"]


class Timer:
    """Wall time of each stage and the peak resident memory (MB) reached by its end, for
    ``run.json`` (the peak is never reset, so ``/usr/bin/time`` still sees the true one)."""

    def __init__(self, progress: Callable[[str], None] | None) -> None:
        self.timings: dict[str, float] = {}
        self.peak_mb: dict[str, float] = {}
        self.progress = progress

    def stage(self, name: str, label: str | None = None) -> Timer:
        """Time ``name`` (a stage entered again adds to its time); ``label`` is shown."""
        self._name = name
        if self.progress:
            self.progress(label or name)
        self._t0 = time.perf_counter()
        return self

    def substep(self, stage: str) -> Callable[[str], None] | None:
        """A progress callback naming the steps inside ``stage`` (``metrics: pagerank``)."""
        progress = self.progress
        if progress is None:
            return None
        return lambda step: progress(f"{stage}: {step}")

    def __enter__(self) -> Timer:
        return self

    def __exit__(self, *exc: object) -> None:
        elapsed = time.perf_counter() - self._t0
        self.timings[self._name] = round(self.timings.get(self._name, 0.0) + elapsed, 4)
        peak = peak_rss()
        if peak:
            self.peak_mb[self._name] = round(peak / 2**20, 1)
