"""Running one function over many items in parallel, the one pool helper of mmmotion.

Results are handed over as soon as each item finishes; an item whose worker process died (killed for
memory, a crash in native code) is reported instead of stopping the run, and a pool broken by such a
death is replaced for the items not yet run. The same windowing drives Ray tasks
(:func:`run_windowed` with Ray's submit and wait).
"""
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from multiprocessing import get_context
from typing import Any, Callable, Dict, Iterable, List, Optional


def run_windowed(submit: Callable, get_result: Callable, wait_any: Callable, todo: List[Any], window: int,
                 on_result: Callable[[Any, Any], None], on_lost: Callable[[Any, BaseException], None]) -> List[Any]:
    """Keep at most ``window`` items in flight and hand each result over as soon as it is ready.

    An item whose worker died (``get_result`` raises) goes to ``on_lost``. If submitting fails (a broken
    process pool), the in-flight items are drained and the items not yet run are returned.
    """
    queue = list(reversed(todo))
    pending: Dict[Any, Any] = {}
    broken = submitted = False
    while (queue and not broken) or pending:
        while queue and not broken and len(pending) < window:
            item = queue.pop()
            try:
                pending[submit(item)] = item
                submitted = True
            except Exception as e:
                broken = True
                if submitted:  # not this item's fault: it goes to the next pool
                    queue.append(item)
                else:  # a pool that cannot take even one item: give up on it
                    on_lost(item, e)
        if not pending:
            break
        for fut in wait_any(list(pending)):
            item = pending.pop(fut)
            try:
                rec = get_result(fut)
            except Exception as e:
                on_lost(item, e)
            else:
                on_result(item, rec)
    return list(reversed(queue))


def _raise(item: Any, error: BaseException) -> None:
    raise error


def run_tasks(func: Callable[[Any], Any], items: Iterable[Any], workers: int,
              on_result: Callable[[Any, Any], None], on_lost: Optional[Callable[[Any, BaseException], None]] = None,
              initializer: Optional[Callable[[], None]] = None) -> None:
    """``on_result(item, func(item))`` for every item: in this process when ``workers <= 1``, else in a pool
    of ``workers`` spawned processes (each started with ``initializer``), at most ``workers`` items in
    flight. An item whose worker died goes to ``on_lost(item, error)`` (by default the error is raised).
    ``func`` and the items must pickle for a pool."""
    on_lost = on_lost or _raise
    items = list(items)
    if workers <= 1:
        for item in items:
            on_result(item, func(item))
        return
    while items:
        pool = ProcessPoolExecutor(workers, mp_context=get_context('spawn'), initializer=initializer)
        try:
            items = run_windowed(lambda item: pool.submit(func, item), lambda future: future.result(),
                                 lambda futures: wait(futures, return_when=FIRST_COMPLETED)[0], items, workers,
                                 on_result, on_lost)  # a broken pool loses its window
        except BaseException:  # interrupted: do not wait for the items in flight
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()
