"""Work that runs on while this process does something else: :class:`Pending` values;
tasks in forked worker processes (:func:`fork_map`, :func:`fork_start`) and in a thread
(:func:`thread_start`).

A run starts betweenness (a compiled kernel that holds the CPU) in workers and Louvain in a
forked child, builds the brand signals meanwhile, then waits for both; an error or Ctrl-C in
between cancels the pending values, which stops the workers. The pages are drawn in a thread
(polars cannot run in a child forked after the parent used it) while the tables are written.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import warnings
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")
U = TypeVar("U")

__all__ = ["Pending", "can_fork", "fork_call", "fork_map", "fork_start", "thread_start"]


class Pending(Generic[T]):
    """A value being computed elsewhere: call it to wait for the value (once); ``cancel``
    stops the work instead.

    >>> p = Pending(lambda: 2).then(lambda v: v + 1)
    >>> p()
    3
    """

    def __init__(self, get: Callable[[], T], cancel: Callable[[], None] | None = None) -> None:
        self._get = get
        self._cancel = cancel

    def __call__(self) -> T:
        return self._get()

    def cancel(self) -> None:
        """Stop the work (worker processes are terminated); the value is not wanted."""
        if self._cancel is not None:
            self._cancel()

    def then(self, f: Callable[[T], U]) -> Pending[U]:
        """The pending value passed through ``f``."""
        return Pending(lambda: f(self()), self._cancel)


def can_fork() -> bool:
    """Whether worker processes can be forked here (not on Windows, for one)."""
    return "fork" in multiprocessing.get_all_start_methods()


_TASK: Callable[[int], object] | None = None  # what forked workers run (set around the fork)


def _run_task(i: int) -> object:
    assert _TASK is not None
    return _TASK(i)


def fork_map(
    task: Callable[[int], T], count: int, *, workers: int | None = None, parallel: bool = True
) -> Pending[list[T]]:
    """``[task(0), ..., task(count - 1)]``, pending, computed in forked worker processes.

    Workers (``workers``, default one per core, at most ``count``) are forked once and
    share this process's memory, so ``task`` may close over a large graph: only the task
    index and the result cross between processes. Without ``parallel``, with one worker, or
    where ``fork`` does not exist, the tasks run here before this returns. Results come in
    task order either way.

    >>> fork_map(lambda i: i * i, 3, parallel=False)()
    [0, 1, 4]
    """
    global _TASK
    workers = min(workers or os.cpu_count() or 1, count)
    if not (parallel and workers > 1 and can_fork()):
        results = [task(i) for i in range(count)]
        return Pending(lambda: results)
    _TASK = task
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # fork in a threaded process
            pool = multiprocessing.get_context("fork").Pool(workers)  # workers copy _TASK now
    finally:
        _TASK = None
    job = pool.map_async(_run_task, range(count), chunksize=1)
    pool.close()

    def stop() -> None:
        pool.terminate()
        pool.join()

    def finish() -> list[T]:
        try:
            return job.get()  # type: ignore[return-value]
        finally:
            stop()

    return Pending(finish, stop)


def fork_call(task: Callable[[], T]) -> T:
    """``task()`` computed in a forked child process (:func:`fork_start`), waited for.

    >>> fork_call(lambda: 6 * 7)
    42
    """
    return fork_start(task)()


def fork_start(task: Callable[[], T]) -> Pending[T]:
    """``task()``, pending, computed in a forked child process, so that whatever memory it
    allocates (and every library it imports) goes when the child ends; computed here, before
    this returns, where ``fork`` does not exist. The child shares this process's memory, so
    ``task`` may close over large arrays; only its result (pickled) comes back. Waiting for
    the value raises an error in the child as a ``RuntimeError`` naming it; ``cancel`` ends
    the child.

    >>> pending = fork_start(lambda: sum(range(10)))
    >>> pending()
    45
    """
    if not can_fork():
        result = task()
        return Pending(lambda: result)
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)

    def child() -> None:
        try:
            send.send((True, task()))
        except BaseException as e:  # reported to the parent, which raises
            send.send((False, f"{type(e).__name__}: {e}"))

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork in a threaded process
        proc = ctx.Process(target=child, daemon=True)
        proc.start()
    send.close()

    def end() -> None:
        receive.close()
        proc.join(timeout=5)
        if proc.is_alive():
            proc.terminate()
            proc.join()

    def finish() -> T:
        try:
            ok, value = receive.recv()
        except EOFError:
            raise RuntimeError(
                f"the worker process ended without a result ({proc.exitcode})"
            ) from None
        finally:
            end()
        if not ok:
            raise RuntimeError(f"the worker process failed: {value}")
        return value  # type: ignore[no-any-return]

    def cancel() -> None:
        if proc.is_alive():
            proc.terminate()
        end()

    return Pending(finish, cancel)


def thread_start(task: Callable[[], T]) -> Pending[T]:
    """``task()`` computed in a thread while this one goes on; the :class:`Pending` value
    waits for it and raises here what it raised. The thread is a daemon: if this one stops
    waiting (an error, Ctrl-C), it ends with the process. ``task`` must write no file, so
    that nothing is written after the run has been stopped.

    >>> thread_start(lambda: 6 * 7)()
    42
    >>> thread_start(lambda: 1 / 0)()
    Traceback (most recent call last):
    ZeroDivisionError: division by zero
    """
    result: list[Any] = []

    def work() -> None:
        try:
            result.append((True, task()))
        except BaseException as e:  # raised again by the caller
            result.append((False, e))

    thread = threading.Thread(target=work, name="advocates-meanwhile", daemon=True)
    thread.start()

    def get() -> T:
        thread.join()
        ok, value = result[0]
        if not ok:
            raise value
        return value  # type: ignore[no-any-return]

    return Pending(get)
