"""Where the videos of a shard are processed: in this process, a process pool, or Ray tasks.

Every runner calls ``on_result(entry, record)`` for each finished video and ``on_lost(entry, error)``
for a video whose worker died; which runner ran a video never changes its record.
"""
import functools
import os
from typing import Any, Dict, Optional

from mmmotion.utils.pool import run_tasks, run_windowed
from .inputs import VideoEntry
from .process import process_video


def _process(entry: VideoEntry, out_dir: str, gen_cfg, seg) -> Dict[str, Any]:
    return process_video(entry, out_dir, gen_cfg, seg)


def run_local(todo, out_dir, gen_cfg, seg, on_result, on_lost, workers: int = 1) -> None:
    """Videos in this process (``workers <= 1``) or in a pool of ``workers`` processes
    (:func:`mmmotion.utils.pool.run_tasks`: a pool broken by a dying worker is replaced)."""
    run_tasks(functools.partial(_process, out_dir=out_dir, gen_cfg=gen_cfg, seg=seg), todo, workers, on_result,
              on_lost)


def _ray_process(entry, out_dir, gen_cfg, seg):
    return process_video(entry, out_dir, gen_cfg, seg)


def run_ray(todo, out_dir, gen_cfg, seg, on_result, on_lost, workers: int,
            ray_address: Optional[str]) -> None:
    """Each video a Ray task (retried on another worker if its worker dies)."""
    import ray
    started = False
    ray_address = ray_address or os.environ.get('RAY_ADDRESS')
    if not ray.is_initialized():
        if ray_address:
            ray.init(address=ray_address)
        else:
            ray.init(num_cpus=workers, include_dashboard=False)
        started = True
    try:
        task = ray.remote(num_cpus=1, max_retries=2)(_ray_process)
        seg_ref = ray.put(seg)
        cfg_ref = ray.put(gen_cfg)
        window = 2 * max(1, int(ray.cluster_resources().get('CPU', workers)))
        run_windowed(lambda e: task.remote(e, out_dir, cfg_ref, seg_ref), ray.get,
                     lambda refs: ray.wait(refs, num_returns=1)[0], todo, window, on_result,
                     on_lost)
    finally:
        if started:
            ray.shutdown()
