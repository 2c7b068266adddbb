"""Run one job per input on a few threads, results as they finish, cancellable at once.

Not `ThreadPoolExecutor`: its worker threads are joined at interpreter exit, so after Ctrl-C
the process waited for every request in flight (and, before `cancel_futures`, for every queued
model). These threads are daemons and take no new input once the consumer stops.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def as_finished(items: Sequence[T], job: Callable[[T], R], workers: int) -> Iterator[tuple[int, R]]:
    """(index, job(item)) for every item, in the order they finish; a job that raises
    re-raises here. Closing the iterator (or an exception in the consumer, Ctrl-C included)
    starts no further job; jobs already running are abandoned, not waited for."""
    todo: queue.SimpleQueue[tuple[int, T]] = queue.SimpleQueue()
    for index, item in enumerate(items):
        todo.put((index, item))
    done: queue.Queue[tuple[int, R | None, BaseException | None]] = queue.Queue()
    stop = threading.Event()

    def work() -> None:
        while not stop.is_set():
            try:
                index, item = todo.get_nowait()
            except queue.Empty:
                return
            try:
                done.put((index, job(item), None))
            except BaseException as exc:  # handed to the consumer, never lost in a thread
                done.put((index, None, exc))

    for number in range(max(1, min(workers, len(items)))):
        threading.Thread(target=work, name=f"licensecmp-worker-{number}", daemon=True).start()
    try:
        for _ in range(len(items)):
            index, result, error = done.get()
            if error is not None:
                raise error
            yield index, result  # type: ignore[misc]
    finally:
        stop.set()
