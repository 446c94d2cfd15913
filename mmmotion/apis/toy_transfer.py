"""The paper's transfer claim in miniature, on data mmmotion generates, runnable on a CPU.

MotionMask pretraining on uNLC masks of synthetic videos, then the toy detection / segmentation /
VOC07 benchmarks fine-tuned from that backbone and from random init, for some frozen settings and
seeds. Every run is an ordinary ``tools/train.py`` run of a toy benchmark config in its own work dir
(``<out>/runs/<label>/<config>/seed<k>``), read back by :mod:`mmmotion.evaluation.transfer_results`.
Finished runs are not redone, so an interrupted experiment resumes.
"""
import os
import os.path as osp
import subprocess
import sys
import time
from typing import Dict, List, Optional, Sequence

from mmengine.config import Config

from mmmotion.evaluation.transfer_results import frozen_tag, read_work_dir

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOY_CONFIG_DIRS = {
    'det': 'configs/benchmarks/mmdetection/toy',
    'seg': 'configs/benchmarks/mmsegmentation/toy',
    'voc07': 'configs/benchmarks/classification/voc07_toy',
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
    """Generate the toy VOC (once) with selective-search proposals for trainval and test; returns its root."""
    from mmmotion.apis.proposals import compute_proposals
    from mmmotion.datasets.toy_voc import make_toy_voc
    root = osp.join(out_dir, 'toy_voc')
    year_root = osp.join(root, 'VOC2007')
    done = osp.join(root, '.complete')
    if not osp.isfile(done):
        make_toy_voc(root, splits=splits or TOY_SPLITS, seed=seed)
        open(done, 'w').close()
    for split in ('trainval', 'test'):
        out_file = osp.join(year_root, 'proposals', f'{split}.pkl')
        if not osp.isfile(out_file):
            compute_proposals(year_root, split=split, out_file=out_file, workers=workers)
    return root


def pretrain_toy_motionmask(out_dir: str, iters: int = 600, n_clips: int = 24, n_frames: int = 10,
                            seed: int = 0) -> str:
    """uNLC on synthetic clips -> MotionMask pretraining (tiny BN AlexNet config) -> exported backbone;
    returns the backbone path (reused when it exists)."""
    from mmmotion.apis.motionmask import make_synthetic_motionmask_data, pretrain_motionmask
    backbone = osp.join(out_dir, 'motionmask', 'work', 'backbone.pth')
    if osp.isfile(backbone):
        return backbone
    data = make_synthetic_motionmask_data(osp.join(out_dir, 'motionmask'), n_clips=n_clips, n_frames=n_frames,
                                          seed=seed)
    options = {'train_cfg.max_iters': iters, 'train_cfg.val_interval': iters,
               'default_hooks.checkpoint.interval': iters, 'custom_hooks.1.interval': max(iters // 4, 1),
               'randomness.seed': seed}
    start = time.time()
    result = pretrain_motionmask(data['data_root'], osp.join(out_dir, 'motionmask', 'work'), cfg_options=options)
    with open(osp.join(out_dir, 'motionmask', 'work', 'wall_time_s.txt'), 'w') as f:
        f.write(f'{time.time() - start:.0f}\n')
    return result['backbone']


def toy_config(task: str, frozen: str) -> str:
    """The toy benchmark config of ``task`` whose frozen setting is ``frozen`` ('all', 'c1' ... 'c5')."""
    if task not in TOY_CONFIG_DIRS:
        raise KeyError(f'unknown task {task!r}; one of {sorted(TOY_CONFIG_DIRS)}')
    folder = osp.join(REPO_ROOT, TOY_CONFIG_DIRS[task])
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

    Args:
        checkpoints: label -> AlexNet checkpoint, None for random init (e.g. ``{'random': None, ...}``).
        frozen: a setting missing from a task's toy configs is an error.
        extra_options: more ``--cfg-options`` for every run (e.g. a shorter schedule).
    """
    rows = []
    for task in tasks:
        for setting in frozen:
            config = toy_config(task, setting)
            name = osp.splitext(osp.basename(config))[0]
            for label, checkpoint in checkpoints.items():
                for seed in seeds:
                    work_dir = osp.join(out_dir, 'runs', label, name, f'seed{seed}')
                    found = read_work_dir(work_dir, label) if osp.isdir(work_dir) else []
                    if not found:
                        start = time.time()
                        options = transfer_options(task, data_root, seed, checkpoint) + list(extra_options)
                        cmd = [sys.executable, osp.join(REPO_ROOT, 'tools', 'train.py'), config,
                               '--work-dir', work_dir, '--cfg-options', *options]
                        os.makedirs(work_dir, exist_ok=True)
                        with open(osp.join(work_dir, 'stdout.log'), 'w') as logfile:
                            proc = subprocess.run(cmd, cwd=REPO_ROOT, stdout=logfile, stderr=subprocess.STDOUT)
                        if proc.returncode != 0:
                            raise RuntimeError(f'{task} {setting} {label} seed {seed} failed; see '
                                               f'{osp.join(work_dir, "stdout.log")}')
                        found = read_work_dir(work_dir, label)
                        with open(osp.join(work_dir, 'wall_time_s.txt'), 'w') as f:
                            f.write(f'{time.time() - start:.0f}\n')
                    for row in found:
                        log(f'{task:5s} {setting:4s} {label:12s} seed {seed}: {row["metric"]} {row["value"]}')
                    rows.extend(found)
    return rows
