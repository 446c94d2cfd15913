import os
import os.path as osp
import subprocess
import sys

import pytest

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))


@pytest.fixture(scope='session')
def toy_voc_root(tmp_path_factory) -> str:
    """A generated toy VOC2007 (boxes, segmentation, splits) with proposals for train/val/test."""
    from mmmotion.datasets.toy_voc import make_toy_voc, read_voc_boxes
    from mmmotion.datasets.proposals import jittered_box_proposals, save_proposals
    root = str(tmp_path_factory.mktemp('toy_voc'))
    year_root = make_toy_voc(root, splits={'train': 8, 'val': 4, 'test': 6}, seed=0)
    for split in ('train', 'val', 'trainval', 'test'):
        with open(osp.join(year_root, 'ImageSets', 'Main', f'{split}.txt')) as f:
            ids = f.read().split()
        proposals = {
            f'JPEGImages/{image_id}.jpg': jittered_box_proposals(
                read_voc_boxes(year_root, image_id), (192, 256), num=64, seed=index)
            for index, image_id in enumerate(ids)}
        save_proposals(proposals, osp.join(year_root, 'proposals', f'{split}.pkl'))
    return root


def run_tool(script: str, *args: str, cwd: str = REPO_ROOT, check: bool = True,
             timeout: int = 600) -> subprocess.CompletedProcess:
    """Run one of the repo's tools/ scripts in a fresh interpreter, as a user would."""
    env = dict(os.environ, PYTHONUNBUFFERED='1')
    proc = subprocess.run([sys.executable, osp.join(REPO_ROOT, script), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f'{script} {" ".join(args)} failed ({proc.returncode}):\n'
                             f'{proc.stdout[-4000:]}\n{proc.stderr[-6000:]}')
    return proc


def run_sweep(toolbox: str, checkpoint: str, label: str, config_dir: str, work_root: str, pattern: str,
              *options: str) -> str:
    """``tools/benchmarks/<toolbox>/run_sweep.sh`` (local launcher, seed 0) on the configs of ``config_dir``
    matching ``pattern``, as a user runs it; returns ``<work_root>/<label>``."""
    env = dict(os.environ, WORK_ROOT=work_root, PATTERN=pattern, SEEDS='0', PYTHONUNBUFFERED='1',
               PATH=osp.dirname(sys.executable) + os.pathsep + os.environ.get('PATH', ''))
    proc = subprocess.run(['bash', f'tools/benchmarks/{toolbox}/run_sweep.sh', checkpoint, label, config_dir,
                           *options], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f'run_sweep.sh failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}'
    return osp.join(work_root, label)


@pytest.fixture(scope='session')
def alexnet_checkpoint(tmp_path_factory) -> dict:
    """A random BN AlexNet (fc6/fc7 included, non-trivial BN statistics so loading them is checked too),
    saved as a MotionMask training checkpoint would be: keys under ``backbone.``.

    Returns ``dict(path=..., source=<its AlexNet state dict, bare keys>)``.
    """
    import torch

    from mmmotion.models import AlexNet
    torch.manual_seed(0)
    source = AlexNet(with_bn=True)
    source.init_weights()
    for module in source.modules():
        if isinstance(module, torch.nn.modules.batchnorm._BatchNorm):
            module.running_mean.uniform_(-1, 1)
            module.running_var.uniform_(0.5, 2)
    path = str(tmp_path_factory.mktemp('alexnet_ckpt') / 'motionmask_iter_10.pth')
    torch.save({'state_dict': {f'backbone.{k}': v for k, v in source.state_dict().items()}, 'meta': {}}, path)
    return dict(path=path, source=source.state_dict())
