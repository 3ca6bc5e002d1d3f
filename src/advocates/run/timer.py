"""Wall time, CPU time and peak memory of each step of a run (``run.json``'s
``timings_seconds``, ``cpu_seconds`` and ``peak_memory_mb``).

A *step* is a part of the work (``read``, ``graph``, ``metrics``, ``write``...), not a 5A
stage of an account (:mod:`advocates.analysis.stages`).

>>> timer = Timer(None)
>>> with timer.step("read"):
...     pass
>>> list(timer.timings)
['read']
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from advocates.run.memory import peak_rss

__all__ = ["Timer", "cpu_seconds"]


def cpu_seconds() -> float:
    """User + system CPU seconds of this process (every thread) and of its children that
    have ended (forked workers count once they are joined).

    >>> cpu_seconds() > 0
    True
    """
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


class Timer:
    """Wall time and CPU time of each step and the peak resident memory (MB) reached by its
    end, for ``run.json`` (the peak is never reset, so ``/usr/bin/time`` still sees the true
    one). CPU time is what a machine shared with other jobs does not inflate."""

    def __init__(self, progress: Callable[[str], None] | None) -> None:
        self.timings: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self.peak_mb: dict[str, float] = {}
        self.progress = progress

    def step(self, name: str, label: str | None = None) -> Timer:
        """Time ``name`` (a step entered again adds to its time); ``label`` is shown."""
        self._name = name
        if self.progress:
            self.progress(label or name)
        self._t0 = time.perf_counter()
        self._c0 = cpu_seconds()
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
        cpu = cpu_seconds() - self._c0
        self.cpu[self._name] = round(self.cpu.get(self._name, 0.0) + cpu, 3)
        peak = peak_rss()
        if peak:
            self.peak_mb[self._name] = round(peak / 2**20, 1)
