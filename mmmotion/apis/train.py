"""One way to run a training: :func:`train_run` trains a config with options under a run record
(:mod:`mmmotion.engine.runs`), in this process or launched with ``tools/dist_train.sh`` / ``tools/slurm_train.sh``,
in a work dir keyed by the run's identity (or one given), and reuses a finished run of the same identity.
``tools/train.py``, :func:`~mmmotion.apis.pretrain_motionmask`, the toy benchmark and the studies all train
through it (``tools/train.py`` through :func:`train_recorded`)."""
import argparse
import gc
import os
import os.path as osp
import shlex
import subprocess
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from mmmotion.engine.runs import (keyed_work_dir, machine_load, make_record, now, read_record, same_identity,
                                  write_record)
from mmmotion.utils import package_path

LAUNCHERS = ('local', 'dist', 'slurm')


def train_recorded(cfg, record: dict, validate: bool = False):
    """Train ``cfg`` (a merged mmengine ``Config`` whose ``work_dir`` is set) with the mmengine Runner, writing
    ``record`` (:func:`mmmotion.engine.runs.make_record`) to the work dir when the run starts
    (``finished`` None) and again when it ends (finish time, wall time, machine load, training samples; with
    ``validate``, ``final_metrics``: one more validation of the final model); only the main process of a
    distributed run writes. Returns the runner."""
    from mmengine.registry import RUNNERS
    from mmengine.runner import Runner
    main_process = int(os.environ.get('RANK', '0')) == 0
    start = time.time()
    if main_process:
        record.update(started=now(), load_start=machine_load(), finished=None)
        write_record(cfg.work_dir, record)
    runner = Runner.from_cfg(cfg) if 'runner_type' not in cfg else RUNNERS.build(cfg)
    runner.train()
    if validate:
        metrics = runner.val_loop.run() if runner.val_loop is not None else {}
        record['final_metrics'] = {key: float(value) for key, value in dict(metrics).items()}
    if main_process:
        record.update(finished=now(), wall_time_s=round(time.time() - start, 1), load_end=machine_load(),
                      train_samples=len(runner.train_dataloader.dataset))
        write_record(cfg.work_dir, record)
    return runner


def parse_cfg_options(items: Sequence[str]) -> Dict[str, Any]:
    """``KEY=VALUE`` words parsed as ``tools/train.py --cfg-options`` parses them (mmengine's ``DictAction``), so
    that a run trained here has the config, and the identity, that the same words give on the command line."""
    from mmengine.config import DictAction
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={})
    return dict(parser.parse_args(['--cfg-options', *items]).cfg_options) if items else {}


def cli_options(options: Dict[str, Any]) -> List[str]:
    """``KEY=VALUE`` words of ``--cfg-options`` for flat options (dotted keys, scalar values)."""
    words = []
    for key, value in options.items():
        if isinstance(value, (dict, list, tuple, set)) or (isinstance(value, str) and any(c.isspace() for c in value)):
            raise ValueError(f'option {key}={value!r}: only scalars without spaces go through --cfg-options; '
                             'give one dotted key per value')
        words.append(f'{key}={value}')
    return words


@dataclass
class Launch:
    """How runs are launched: in this process (``local``), ``tools/dist_train.sh`` with ``gpus`` GPUs, or
    ``tools/slurm_train.sh`` on ``partition`` (``gpus`` tasks)."""
    launcher: str = 'local'
    gpus: int = 8
    partition: Optional[str] = None

    def __post_init__(self) -> None:
        if self.launcher not in LAUNCHERS:
            raise ValueError(f'launcher must be one of {LAUNCHERS}, got {self.launcher!r}')
        if self.launcher == 'slurm' and not self.partition:
            raise ValueError('the slurm launcher needs a partition')

    def command(self, config: str, work_dir: str, label: str, options: Dict[str, Any], resume: bool) -> List[str]:
        """The shell command of one ``dist`` or ``slurm`` run."""
        args = ['--label', label] + (['--resume'] if resume else []) + ['--cfg-options', *cli_options(options)]
        if self.launcher == 'dist':
            return ['bash', package_path('tools', 'dist_train.sh'), config, str(self.gpus), '--work-dir', work_dir,
                    *args]
        if self.launcher == 'slurm':
            job = f'{label}-{osp.basename(work_dir)}'
            return ['env', f'GPUS={self.gpus}', 'bash', package_path('tools', 'slurm_train.sh'), self.partition, job,
                    config, work_dir, *args]
        raise ValueError('local runs are trained in this process, not launched')


def prepared_run(config: str, options: Dict[str, Any], label: str, work_root: Optional[str] = None,
                 work_dir: Optional[str] = None) -> Tuple[Any, dict, str]:
    """(merged config, run record, work dir) of one run, as ``tools/train.py`` computes them: the work dir is
    ``work_dir`` when given, else keyed by the run's identity under ``work_root`` (``--work-root``)."""
    from mmengine.config import Config

    from mmmotion.utils import prepare_config, register_all_modules
    if (work_root is None) == (work_dir is None):
        raise ValueError('give work_root (a keyed work dir) or work_dir, not both')
    if not osp.isfile(config):
        raise FileNotFoundError(f'config not found: {config}')
    register_all_modules(init_default_scope=False)
    cfg = Config.fromfile(config)
    cfg.merge_from_dict(dict(options))
    cfg.launcher = 'none'
    cfg = prepare_config(cfg)
    record = make_record(cfg, config, label)
    cfg.work_dir = work_dir if work_dir is not None else keyed_work_dir(work_root, record)
    return cfg, record, cfg.work_dir


def train_run(config: str, options: Dict[str, Any], label: str, work_root: Optional[str] = None,
              launch: Launch = Launch(), log: Callable[[str], None] = print, work_dir: Optional[str] = None,
              validate: bool = False) -> str:
    """Train one run of ``config`` with ``options`` (dotted keys, as ``--cfg-options``) labelled ``label``,
    unless its work dir holds a finished run of the same identity; resume an unfinished one. The work dir is
    keyed by the identity under ``work_root``, or ``work_dir`` (where a run of another identity is replaced).
    ``validate`` (local runs) records a validation of the final model as the record's ``final_metrics``.
    Returns the work dir; raises, naming it, when the run did not finish."""
    cfg, record, work_dir = prepared_run(config, options, label, work_root, work_dir)
    old = read_record(work_dir)
    if old is not None and not same_identity(old, record):
        log(f'{work_dir} holds a run of another identity ({old.get("config")}, label {old.get("label")}); '
            'training anew')
        old = None
    if old and old.get('finished') and (not validate or 'final_metrics' in old):
        log(f'reusing {work_dir}')
        return work_dir
    resume = old is not None and not old.get('finished')
    log(f'{"resuming" if resume else "training"} {label}: {osp.basename(config)} -> {work_dir}')
    if launch.launcher == 'local':
        cfg.resume, cfg.load_from = resume, None
        if cfg.get('visualizer'):  # a named visualizer is a process-wide instance: a new one for every run
            cfg.visualizer['name'] = f'visualizer-{osp.basename(work_dir)}-{time.time_ns()}'
        train_recorded(cfg, record, validate=validate)
        gc.collect()  # the runner's cycles, and with them its persistent dataloader workers, end here
    else:
        if validate:
            raise ValueError(f'{label}: a final validation is recorded for local runs only')
        command = launch.command(config, work_dir, label, options, resume)
        log('    ' + ' '.join(shlex.quote(word) for word in command))
        done = subprocess.run(command)
        if done.returncode != 0:
            raise RuntimeError(f'{label}: the run in {work_dir} failed (exit code {done.returncode})')
    finished = read_record(work_dir)
    if not (finished and finished.get('finished')):
        raise RuntimeError(f'{label}: the run in {work_dir} did not finish (its run record says so)')
    return work_dir


def latest_checkpoint(work_dir: str) -> str:
    """The checkpoint mmengine saved last in ``work_dir`` (its ``last_checkpoint`` file)."""
    pointer = osp.join(work_dir, 'last_checkpoint')
    if not osp.isfile(pointer):
        raise FileNotFoundError(f'{work_dir}: no last_checkpoint file; did the run save a checkpoint at its end?')
    with open(pointer) as f:
        path = f.read().strip()
    path = path if osp.isabs(path) or osp.isfile(path) else osp.join(work_dir, osp.basename(path))
    if not osp.isfile(path):
        raise FileNotFoundError(f'{pointer} names {path}, which does not exist')
    return path


def prune_checkpoints(work_dir: str, keep: Sequence[str] = ()) -> List[str]:
    """Delete the training checkpoints (``*.pth``) of a finished run, and its ``last_checkpoint`` pointer, except
    the files in ``keep``: a study needs only their results (a miniature's runs would otherwise fill a disk
    with hundreds of MB each). Returns the deleted files."""
    keep = {osp.abspath(k) for k in keep}
    deleted = [osp.join(work_dir, name) for name in sorted(os.listdir(work_dir))
               if name.endswith('.pth') and osp.abspath(osp.join(work_dir, name)) not in keep]
    pointer = osp.join(work_dir, 'last_checkpoint')
    for path in deleted + ([pointer] if osp.isfile(pointer) else []):
        os.remove(path)
    return deleted
