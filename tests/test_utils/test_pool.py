"""The pool gives each worker its share of the cores for the libraries' thread pools (no oversubscription),
and leaves this process as it was."""
import os

import cv2
import pytest

from mmmotion.utils.pool import (THREAD_ENV_VARS, available_cores, run_tasks, thread_counts, thread_env,
                                 threads_per_worker)


def worker_threads(item):
    """In a worker: its library thread counts once faiss (OpenMP) and NumPy's OpenBLAS are loaded, and the
    thread variables of its environment."""
    import faiss  # noqa: F401  (starts OpenMP, which reads OMP_NUM_THREADS now)
    import numpy as np
    np.ones((64, 64)) @ np.ones((64, 64))  # OpenBLAS at work
    return dict(thread_counts(), env={k: os.environ.get(k) for k in THREAD_ENV_VARS}, pid=os.getpid())


def _run(workers, threads=None):
    results = []
    run_tasks(worker_threads, range(2 * workers), workers, lambda item, res: results.append(res), threads=threads)
    return results


def test_threads_per_worker_shares_out_the_cores():
    assert threads_per_worker(2, cores=2) == 1
    assert threads_per_worker(2, cores=16) == 8
    assert threads_per_worker(3, cores=16) == 5
    assert threads_per_worker(4, cores=2) == 1  # never zero
    assert threads_per_worker(1) == available_cores()
    assert thread_env(3) == {k: '3' for k in THREAD_ENV_VARS}


@pytest.mark.parametrize('threads', [None, 1, 2])
def test_pool_workers_run_their_share_of_threads(threads):
    env_before = {k: os.environ.get(k) for k in THREAD_ENV_VARS}
    cv2_before = cv2.getNumThreads()
    results = _run(2, threads)
    expected = threads or threads_per_worker(2)
    # worker processes, not this one (which of the two takes how many items depends on start-up times)
    assert 1 <= len({r['pid'] for r in results}) <= 2 and os.getpid() not in {r['pid'] for r in results}
    for r in results:
        # OpenBLAS never starts more threads than there are cores
        assert (r['opencv'], r['openmp'], r['openblas']) == (expected, expected, min(expected, available_cores())), r
        assert r['env'] == {k: str(expected) for k in THREAD_ENV_VARS}
    # this process is left as it was
    assert {k: os.environ.get(k) for k in THREAD_ENV_VARS} == env_before
    assert cv2.getNumThreads() == cv2_before


def test_in_process_threads_are_capped_for_the_run_and_restored():
    before = thread_counts()
    seen = []
    run_tasks(lambda item: thread_counts()['opencv'], [0], 1, lambda item, res: seen.append(res), threads=1)
    assert seen == [1]
    assert thread_counts()['opencv'] == before['opencv']
