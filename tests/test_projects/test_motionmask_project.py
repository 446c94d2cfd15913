"""The projects/ example: MotionMask with mmpretrain's ResNet-50, inheriting mmmotion's config (relative _base_)."""
import os.path as osp

import pytest
import torch

from tool_runner import run_tool

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

PROJECT_CONFIG = 'projects/motionmask_resnet/configs/motionmask_resnet50_1xb4-20it_tiny.py'


def test_resnet50_project_trains_two_iterations(toy_motionmask_root, tmp_path):
    work_dir = str(tmp_path / 'work')
    options = [f'{loader}.dataset.data_root={toy_motionmask_root}'
               for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader')]
    proc = run_tool('tools/train.py', PROJECT_CONFIG, '--work-dir', work_dir, '--cfg-options',
                    'train_cfg.max_iters=2', 'train_cfg.val_interval=2', 'train_dataloader.batch_size=2',
                    'default_hooks.checkpoint.interval=2', 'randomness.seed=0', *options)
    log = proc.stdout + proc.stderr
    assert 'Iter(train) [2/2]' in log and 'mask/pseudo/mIoU' in log
    state = torch.load(osp.join(work_dir, 'iter_2.pth'), map_location='cpu', weights_only=True)['state_dict']
    # mmpretrain's ResNet-50 as the backbone, mmmotion's map head on top
    assert 'backbone.layer4.2.conv3.weight' in state and 'head.reduce.0.weight' in state
    assert tuple(state['head.fc_mask.weight'].shape) == (56 * 56, 256 * 7 * 7)
