"""Where the videos of a shard are processed: in this process, a process pool, or Ray tasks.

Every runner calls ``on_result(entry, record, timing)`` for each finished video and
``on_lost(entry, error)`` for a video whose worker died; which runner ran a video never changes its
record. ``timing`` says where the worker's time went (:func:`timed_process`), for the run's summary.
Each worker runs its libraries (OpenCV, OpenBLAS, OpenMP) with its share of the cores, never one
thread per core in every worker.
"""
import functools
import os
import time
from typing import Any, Dict, Optional, Tuple

import numpy as np

from mmmotion.utils.pool import limit_threads, run_tasks, run_windowed, thread_counts
from .inputs import VideoEntry
from .process import Segmenter, process_video


class _TimedSegmenter:
    """A segmenter that adds up its wall and CPU time (to tell segmentation from decoding)."""

    def __init__(self, segmenter: Segmenter):
        self.segmenter = segmenter
        self.wall = self.cpu = 0.0

    def __call__(self, frames: np.ndarray):
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            return self.segmenter(frames)
        finally:
            self.wall += time.perf_counter() - t0
            self.cpu += time.process_time() - c0


def timed_process(entry: VideoEntry, out_dir: str, gen_cfg, seg: Segmenter) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """``process_video`` and where its time went: ``(record, timing)``, ``timing`` holding the worker's pid,
    the video's wall and CPU seconds (all of the process's threads), those spent in the segmenter (the rest
    is decoding twice, shot detection, resizing, the quality score and writing files) and the worker's
    library thread counts."""
    timed = _TimedSegmenter(seg)
    t0, c0 = time.perf_counter(), time.process_time()
    rec = process_video(entry, out_dir, gen_cfg, timed)
    timing = dict(pid=os.getpid(), wall_s=time.perf_counter() - t0, cpu_s=time.process_time() - c0,
                  segment_wall_s=timed.wall, segment_cpu_s=timed.cpu, threads=thread_counts())
    return rec, timing


def run_local(todo, out_dir, gen_cfg, seg, on_result, on_lost, workers: int = 1,
              threads: Optional[int] = None) -> None:
    """Videos in this process (``workers <= 1``) or in a pool of ``workers`` processes
    (:func:`mmmotion.utils.pool.run_tasks`: a pool broken by a dying worker is replaced; each worker
    runs ``threads`` library threads, by default the cores shared out)."""
    run_tasks(functools.partial(timed_process, out_dir=out_dir, gen_cfg=gen_cfg, seg=seg), todo, workers,
              lambda entry, result: on_result(entry, *result), on_lost, threads=threads)


def _ray_process(entry, out_dir, gen_cfg, seg, threads):
    # Ray starts its workers with OMP_NUM_THREADS set to the task's CPUs (unless the driver's environment
    # sets it), which OpenMP and OpenBLAS read; OpenCV, faiss and torch are capped here. A runtime_env with
    # thread_env() would do it too, but Ray then starts a worker for the first task instead of using those
    # it started with itself.
    limit_threads(threads)
    return timed_process(entry, out_dir, gen_cfg, seg)


def run_ray(todo, out_dir, gen_cfg, seg, on_result, on_lost, workers: int,
            ray_address: Optional[str], threads: Optional[int] = None) -> None:
    """Each video a Ray task of ``threads`` CPUs (default 1; retried on another worker if its worker
    dies), its worker's libraries capped at that many threads (:func:`_ray_process`)."""
    import ray
    threads = threads or 1
    started = False
    ray_address = ray_address or os.environ.get('RAY_ADDRESS')
    if not ray.is_initialized():
        if ray_address:
            ray.init(address=ray_address)
        else:
            ray.init(num_cpus=workers * threads, include_dashboard=False)
        started = True
    try:
        task = ray.remote(num_cpus=threads, max_retries=2)(_ray_process)
        seg_ref = ray.put(seg)
        cfg_ref = ray.put(gen_cfg)
        window = 2 * max(1, int(ray.cluster_resources().get('CPU', workers)) // threads)
        run_windowed(lambda e: task.remote(e, out_dir, cfg_ref, seg_ref, threads), ray.get,
                     lambda refs: ray.wait(refs, num_returns=1)[0], todo, window,
                     lambda entry, result: on_result(entry, *result), on_lost)
    finally:
        if started:
            ray.shutdown()
