"""Threads inside one process: how many it may use, and a map over frames that uses them.

OpenCV, NumPy and faiss release the GIL in their kernels, so a thread pool over a shot's frames keeps
several cores busy. A process started as one of several workers must not take every core: its budget
is capped by the CPUs it may run on, by OpenCV's thread count and by ``OMP_NUM_THREADS``, which a
pool sets to each worker's share.
"""
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, List, Sequence, TypeVar, Union

import cv2

from .pool import available_cores

T = TypeVar('T')


def thread_budget() -> int:
    """Threads this process may use: the CPUs it may run on, capped by ``cv2.getNumThreads()`` and by
    ``OMP_NUM_THREADS`` where set (at least 1)."""
    budget = available_cores()
    if cv2.getNumThreads() > 0:
        budget = min(budget, cv2.getNumThreads())
    omp = os.environ.get('OMP_NUM_THREADS', '').strip()
    if omp.isdigit() and int(omp) > 0:
        budget = min(budget, int(omp))
    return max(1, budget)


def resolve_threads(threads: Union[int, str]) -> int:
    """``'auto'`` -> :func:`thread_budget`; a positive int as it is (an error otherwise)."""
    if threads == 'auto':
        return thread_budget()
    if isinstance(threads, bool) or not isinstance(threads, int) or threads < 1:
        raise ValueError(f"threads must be 'auto' or a positive int, got {threads!r}")
    return threads


def thread_map(func: Callable[..., T], items: Sequence, threads: int) -> List[T]:
    """``[func(item) for item in items]``, on ``threads`` threads when there are more than one; the
    results in the items' order, and the first exception raised again."""
    if threads <= 1 or len(items) <= 1:
        return [func(item) for item in items]
    with ThreadPoolExecutor(min(threads, len(items))) as pool:
        return list(pool.map(func, items))
