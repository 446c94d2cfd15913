"""A small-scale version of the transfer experiment, on data mmmotion generates, runnable on a CPU.

MotionMask pretraining on uNLC masks of synthetic videos, then the toy detection / segmentation /
VOC07 benchmarks fine-tuned from that backbone and from random init, for some frozen settings and
seeds. Every run is an ordinary ``tools/train.py`` run of a toy benchmark config in its keyed work dir
(``<out>/runs/<benchmark>/<label>/<config>/seed<k>-<hash>``, with its run record), read back by
:mod:`mmmotion.evaluation.transfer_results`. Finished runs of the same config and checkpoint are not
redone, so an interrupted experiment resumes.
"""
import os
import os.path as osp
import subprocess
import sys
import time
from typing import Dict, List, Optional, Sequence

from mmengine.config import Config

from mmmotion.evaluation.run_record import frozen_tag
from mmmotion.evaluation.transfer_results import read_work_dir
from mmmotion.utils import package_path

TOY_CONFIG_DIRS = {  # under the package's configs
    'det': 'benchmarks/mmdetection/toy',
    'seg': 'benchmarks/mmsegmentation/toy',
    'voc07': 'benchmarks/classification/voc07_toy',
}
# which modules take the checkpoint: Fast R-CNN's fc6/fc7 sit in its RoI head
INIT_MODULES = {
    'det': ('model.backbone', 'model.roi_head.bbox_head'),
    'seg': ('model.backbone', ),
    'voc07': ('model.backbone', ),
}
# the dataset root each toolbox's toy config expects: mmdet's VOCDataset takes the VOCdevkit folder
DATA_ROOT_SUBDIR = {'det': '', 'seg': 'VOC2007', 'voc07': 'VOC2007'}
TOY_SPLITS = {'train': 80, 'val': 40, 'test': 60}


def prepare_toy_voc(out_dir: str, splits: Optional[Dict[str, int]] = None, seed: int = 2017,
                    workers: int = 2) -> str:
    """Generate the toy VOC (once per split sizes and seed) with selective-search proposals for trainval and
    test, in ``<out_dir>/toy_voc_<train>-<val>-<test>-seed<seed>``; returns that root."""
    from mmmotion.proposals import compute_proposals
    from mmmotion.testing.toy_voc import make_toy_voc
    splits = dict(splits or TOY_SPLITS)
    root = osp.join(out_dir, f'toy_voc_{splits["train"]}-{splits["val"]}-{splits["test"]}-seed{seed}')
    year_root = osp.join(root, 'VOC2007')
    done = osp.join(root, '.complete')
    if not osp.isfile(done):
        make_toy_voc(root, splits=splits, seed=seed)
        open(done, 'w').close()
    for split in ('trainval', 'test'):
        out_file = osp.join(year_root, 'proposals', f'{split}.pkl')
        if not osp.isfile(out_file):
            compute_proposals(year_root, split=split, out_file=out_file, workers=workers)
    return root


PRETRAINING_RECORD = 'pretraining.json'


def pretrain_toy_motionmask(out_dir: str, iters: int = 600, n_clips: int = 24, n_frames: int = 10,
                            seed: int = 0) -> dict:
    """uNLC on synthetic clips -> MotionMask pretraining (tiny BN AlexNet config) -> exported backbone.

    The work goes to ``<out_dir>/motionmask/<n_clips>clips-<n_frames>f-<iters>it-seed<seed>``, so other
    settings never reuse it; a finished one is reused. Returns its ``pretraining.json`` record: the
    settings, ``backbone`` (path) and ``backbone_sha256``, wall time, machine load at start and end, commit
    and versions, and the held-out mask IoU.
    """
    from mmmotion.apis.motionmask import pretrain_motionmask
    from mmmotion.testing.motionmask_data import make_synthetic_motionmask_data
    from mmmotion.evaluation.run_record import code_version, file_sha256, machine_load, now, stack_versions
    from mmmotion.utils.fileio import atomic_write_json, read_json
    folder = osp.join(out_dir, 'motionmask', f'{n_clips}clips-{n_frames}f-{iters}it-seed{seed}')
    record_file = osp.join(folder, PRETRAINING_RECORD)
    if osp.isfile(record_file):
        record = read_json(record_file)
        if osp.isfile(record['backbone']) and file_sha256(record['backbone']) == record['backbone_sha256']:
            return dict(record, reused=True)
    record = dict(n_clips=n_clips, n_frames=n_frames, iters=iters, seed=seed, started=now(),
                  load_start=machine_load(), commit=code_version(), versions=stack_versions())
    start = time.time()
    data = make_synthetic_motionmask_data(osp.join(folder, 'data'), n_clips=n_clips, n_frames=n_frames, seed=seed)
    options = {'train_cfg.max_iters': iters, 'train_cfg.val_interval': iters,
               'default_hooks.checkpoint.interval': iters, 'custom_hooks.1.interval': max(iters // 4, 1),
               'randomness.seed': seed}
    result = pretrain_motionmask(data['data_root'], osp.join(folder, 'work'), cfg_options=options)
    record.update(num_images=data.get('num_images'), backbone=result['backbone'],
                  backbone_sha256=file_sha256(result['backbone']),
                  mask_metrics={k: float(v) for k, v in result['metrics'].items() if k.startswith('mask/')},
                  finished=now(), wall_time_s=round(time.time() - start, 1), load_end=machine_load())
    atomic_write_json(record_file, record, indent=1)
    return dict(record, reused=False)


def toy_config(task: str, frozen: str) -> str:
    """The toy benchmark config of ``task`` whose frozen setting is ``frozen`` ('all', 'c1' ... 'c5')."""
    if task not in TOY_CONFIG_DIRS:
        raise KeyError(f'unknown task {task!r}; one of {sorted(TOY_CONFIG_DIRS)}')
    folder = package_path('configs', TOY_CONFIG_DIRS[task])
    for name in sorted(os.listdir(folder)):
        if name.endswith('.py') and frozen_tag(Config.fromfile(osp.join(folder, name)).to_dict()) == frozen:
            return osp.join(folder, name)
    raise FileNotFoundError(f'no config in {folder} has the frozen setting {frozen!r}')


def transfer_options(task: str, data_root: str, seed: int, checkpoint: Optional[str]) -> List[str]:
    """``--cfg-options`` of one toy run: data root, seed and (unless random init) the checkpoint."""
    root = osp.join(data_root, DATA_ROOT_SUBDIR[task])
    root = root if root.endswith('/') else root + '/'
    options = [f'{loader}.dataset.data_root={root}'
               for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader')]
    options.append(f'randomness.seed={seed}')
    if checkpoint:
        for module in INIT_MODULES[task]:
            options += [f'{module}.init_cfg.type=Pretrained', f'{module}.init_cfg.checkpoint={checkpoint}']
    return options


def run_toy_transfer(out_dir: str, data_root: str, checkpoints: Dict[str, Optional[str]],
                     tasks: Sequence[str] = ('det', 'seg', 'voc07'), frozen: Sequence[str] = ('all', 'c5'),
                     seeds: Sequence[int] = (0, 1, 2), extra_options: Sequence[str] = (),
                     log=print) -> List[dict]:
    """Fine-tune every (task, frozen, checkpoint, seed) not yet done; return the rows of all of them.

    Each run is ``tools/train.py --work-root <out_dir>/runs --label LABEL``: its work dir is keyed by the
    benchmark, label, seeds and the hashes of its config and checkpoint file
    (:func:`mmmotion.evaluation.run_record.keyed_work_dir`), so a finished run is reused only for the
    same config and the same checkpoint bytes.

    Args:
        checkpoints: label -> AlexNet checkpoint, None for random init (e.g. ``{'random': None, ...}``).
        frozen: a setting missing from a task's toy configs is an error.
        extra_options: more ``--cfg-options`` for every run (e.g. a shorter schedule).
    """
    from mmmotion.evaluation.run_record import read_record
    rows = []
    train = [sys.executable, package_path('tools', 'train.py')]
    for task in tasks:
        for setting in frozen:
            config = toy_config(task, setting)
            for label, checkpoint in checkpoints.items():
                for seed in seeds:
                    options = transfer_options(task, data_root, seed, checkpoint) + list(extra_options)
                    identity = ['--label', label, '--cfg-options', *options]
                    where = subprocess.run([*train, config, '--work-root', osp.join(out_dir, 'runs'),
                                            '--print-work-dir', *identity], capture_output=True, text=True)
                    if where.returncode != 0:
                        raise RuntimeError(f'{task} {setting} {label} seed {seed}: {where.stderr[-2000:]}')
                    work_dir = where.stdout.strip().splitlines()[-1]
                    record = read_record(work_dir)
                    found = read_work_dir(work_dir) if record and record.get('finished') else []
                    if found:
                        log(f'{task:5s} {setting:4s} {label:12s} seed {seed}: reusing {work_dir}')
                    else:
                        os.makedirs(work_dir, exist_ok=True)
                        with open(osp.join(work_dir, 'stdout.log'), 'w') as logfile:
                            proc = subprocess.run([*train, config, '--work-dir', work_dir, *identity],
                                                  stdout=logfile, stderr=subprocess.STDOUT)
                        if proc.returncode != 0:
                            raise RuntimeError(f'{task} {setting} {label} seed {seed} failed; see '
                                               f'{osp.join(work_dir, "stdout.log")}')
                        found = read_work_dir(work_dir)
                    for row in found:
                        log(f'{task:5s} {setting:4s} {label:12s} seed {seed}: {row["metric"]} {row["value"]}')
                    rows.extend(found)
    return rows
