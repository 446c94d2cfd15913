"""Running one function over many items in parallel, the one pool helper of mmmotion.

Results are handed over as soon as each item finishes; an item whose worker process died (killed for
memory, a crash in native code) is reported instead of stopping the run, and a pool broken by such a
death is replaced for the items not yet run. The same windowing drives Ray tasks
(:func:`run_windowed` with Ray's submit and wait).

Each worker gets its share of the cores for the libraries' own thread pools (OpenCV, OpenBLAS,
OpenMP as in faiss, torch): ``workers`` processes that each start one thread per core would run
``workers x cores`` threads on ``cores`` cores, all competing for them.
"""
import contextlib
import ctypes
import glob
import os
import os.path as osp
import sys
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from multiprocessing import get_context
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional

# Read once, when each library starts its thread pool: they must be in a worker's environment before it
# imports NumPy, faiss or OpenCV (a spawned worker imports them while unpickling its function).
THREAD_ENV_VARS = ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS', 'BLIS_NUM_THREADS',
                   'VECLIB_MAXIMUM_THREADS', 'NUMEXPR_NUM_THREADS', 'OPENCV_FOR_THREADS_NUM')


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity where the OS has one, else all)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


def threads_per_worker(workers: int, cores: Optional[int] = None) -> int:
    """Library threads for each of ``workers`` parallel processes: the cores shared out, at least one."""
    return max(1, (cores or available_cores()) // max(1, workers))


def thread_env(threads: int) -> Dict[str, str]:
    """The environment variables that cap the thread pools of a process started with them."""
    return {name: str(int(threads)) for name in THREAD_ENV_VARS}


@contextlib.contextmanager
def environment(env: Dict[str, str]) -> Iterator[None]:
    """``os.environ`` updated with ``env`` inside the block (for the processes started there), restored after."""
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def limit_threads(threads: int) -> None:
    """Cap the thread pools that can change in a running process: OpenCV's, OpenMP's (faiss) and torch's
    (where loaded). OpenBLAS reads its count only at start-up: use :func:`thread_env` for new processes."""
    import cv2
    cv2.setNumThreads(int(threads))
    if 'faiss' in sys.modules:
        sys.modules['faiss'].omp_set_num_threads(int(threads))
    if 'torch' in sys.modules:
        sys.modules['torch'].set_num_threads(int(threads))


def _openblas_threads() -> Optional[int]:
    """Threads of NumPy's bundled OpenBLAS (None where NumPy uses another BLAS)."""
    import numpy
    for lib in glob.glob(osp.join(osp.dirname(osp.dirname(numpy.__file__)), 'numpy.libs', 'libopenblas*.so*')):
        handle = ctypes.CDLL(lib)
        for name in ('openblas_get_num_threads64_', 'openblas_get_num_threads'):
            if hasattr(handle, name):
                return int(getattr(handle, name)())
    return None


def thread_counts() -> Dict[str, Optional[int]]:
    """This process's library thread counts: OpenCV, OpenMP (faiss's runtime), NumPy's OpenBLAS, torch
    (None for a library not loaded), and the threads the process runs now."""
    import cv2
    counts: Dict[str, Optional[int]] = dict(opencv=cv2.getNumThreads(), openmp=None, openblas=_openblas_threads(),
                                            torch=None)
    if 'faiss' in sys.modules:
        counts['openmp'] = int(sys.modules['faiss'].omp_get_max_threads())
    if 'torch' in sys.modules:
        counts['torch'] = int(sys.modules['torch'].get_num_threads())
    try:
        counts['process'] = len(os.listdir('/proc/self/task'))
    except OSError:  # pragma: no cover - no procfs
        counts['process'] = None
    return counts


def _init_worker(threads: int, initializer: Optional[Callable[[], None]]) -> None:
    limit_threads(threads)
    if initializer is not None:
        initializer()


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
              initializer: Optional[Callable[[], None]] = None, threads: Optional[int] = None) -> None:
    """``on_result(item, func(item))`` for every item: in this process when ``workers <= 1``, else in a pool
    of ``workers`` spawned processes (each started with ``initializer``), at most ``workers`` items in
    flight. An item whose worker died goes to ``on_lost(item, error)`` (by default the error is raised).
    ``func`` and the items must pickle for a pool.

    Each pool worker runs its libraries with ``threads`` threads (default: the cores shared out,
    :func:`threads_per_worker`), set through its environment (:func:`thread_env`) and again once started
    (:func:`limit_threads`). In this process, ``threads`` (when given) caps OpenCV, OpenMP and torch for
    the run and is restored after."""
    on_lost = on_lost or _raise
    items = list(items)
    if workers <= 1:
        with _limited(threads):
            for item in items:
                on_result(item, func(item))
        return
    threads = threads or threads_per_worker(workers)
    while items:
        with environment(thread_env(threads)):  # inherited by the workers the pool spawns on submit
            pool = ProcessPoolExecutor(workers, mp_context=get_context('spawn'),
                                       initializer=_init_worker, initargs=(threads, initializer))
            try:
                items = run_windowed(lambda item: pool.submit(func, item), lambda future: future.result(),
                                     lambda futures: wait(futures, return_when=FIRST_COMPLETED)[0], items,
                                     workers, on_result, on_lost)  # a broken pool loses its window
            except BaseException:  # interrupted: do not wait for the items in flight
                pool.shutdown(wait=False, cancel_futures=True)
                raise
        pool.shutdown()


@contextlib.contextmanager
def _limited(threads: Optional[int]) -> Iterator[None]:
    """This process's OpenCV, OpenMP and torch thread counts set to ``threads`` inside the block (unchanged
    when None), restored after."""
    if threads is None:
        yield
        return
    old = thread_counts()
    limit_threads(threads)
    try:
        yield
    finally:
        import cv2
        cv2.setNumThreads(old['opencv'])
        if old['openmp'] is not None:
            sys.modules['faiss'].omp_set_num_threads(old['openmp'])
        if old['torch'] is not None:
            sys.modules['torch'].set_num_threads(old['torch'])
