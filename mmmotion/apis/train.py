"""One training run of a config with its run record (what ``tools/train.py`` does after parsing its arguments)."""
import os
import time

from mmmotion.engine.runs import machine_load, now, write_record


def train_recorded(cfg, record: dict):
    """Train ``cfg`` (a merged mmengine ``Config`` whose ``work_dir`` is set) with the mmengine Runner, writing
    ``record`` (:func:`mmmotion.engine.runs.make_record`) to the work dir when the run starts
    (``finished`` None) and again when it ends (finish time, wall time, machine load); only the main process
    of a distributed run writes. Returns the runner."""
    from mmengine.registry import RUNNERS
    from mmengine.runner import Runner
    main_process = int(os.environ.get('RANK', '0')) == 0
    start = time.time()
    if main_process:
        record.update(started=now(), load_start=machine_load(), finished=None)
        write_record(cfg.work_dir, record)
    runner = Runner.from_cfg(cfg) if 'runner_type' not in cfg else RUNNERS.build(cfg)
    runner.train()
    if main_process:
        record.update(finished=now(), wall_time_s=round(time.time() - start, 1), load_end=machine_load())
        write_record(cfg.work_dir, record)
    return runner
