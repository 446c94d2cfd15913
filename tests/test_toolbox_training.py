"""tools/train.py and tools/test.py on configs that inherit from mmdet, mmseg and mmpretrain."""
import glob
import os.path as osp

import pytest
import torch

from tool_runner import run_tool

TOY_CONFIGS = {
    'mmpretrain': 'configs/benchmarks/classification/voc07_toy/alexnet_voc07-multilabel_toy.py',
    'mmdet': 'configs/benchmarks/mmdetection/toy/fast-rcnn_alexnet_toy.py',
    'mmseg': 'configs/benchmarks/mmsegmentation/toy/fcn_alexnet_toy.py',
}


def data_root_options(toolbox: str, toy_voc_root: str) -> list:
    root = toy_voc_root + '/' if toolbox == 'mmdet' else osp.join(toy_voc_root, 'VOC2007')
    return [f'{loader}.dataset.data_root={root}'
            for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader')]


@pytest.mark.parametrize('toolbox', sorted(TOY_CONFIGS))
def test_train_two_iters_then_resume_and_test(toolbox, toy_voc_root, tmp_path):
    work_dir = str(tmp_path / 'work')
    options = data_root_options(toolbox, toy_voc_root) + [
        'train_cfg.val_interval=2', 'default_hooks.checkpoint.interval=1', 'default_hooks.logger.interval=1',
        'randomness.seed=0']
    run_tool('tools/train.py', TOY_CONFIGS[toolbox], '--work-dir', work_dir,
             '--cfg-options', 'train_cfg.max_iters=2', *options)
    checkpoint = osp.join(work_dir, 'iter_2.pth')
    assert osp.isfile(checkpoint)
    # What mmmotion saves is plain data: it loads with weights-only unpickling.
    state = torch.load(checkpoint, map_location='cpu', weights_only=True)
    assert state['meta']['iter'] == 2
    assert any(key.startswith('backbone.conv1.') for key in state['state_dict'])

    proc = run_tool('tools/train.py', TOY_CONFIGS[toolbox], '--work-dir', work_dir, '--resume',
                    '--cfg-options', 'train_cfg.max_iters=3', *options)
    log = proc.stdout + proc.stderr
    assert 'resumed epoch: 0, iter: 2' in log
    assert osp.isfile(osp.join(work_dir, 'iter_3.pth'))
    resumed = torch.load(osp.join(work_dir, 'iter_3.pth'), map_location='cpu', weights_only=True)
    assert resumed['meta']['iter'] == 3
    # the loss history continued from the checkpoint instead of starting over
    assert len(resumed['message_hub']['log_scalars']['train/loss']['log_history']) == 3

    out = str(tmp_path / 'metrics.json')
    run_tool('tools/test.py', TOY_CONFIGS[toolbox], checkpoint, '--work-dir', work_dir, '--out', out,
             '--cfg-options', *data_root_options(toolbox, toy_voc_root))
    import json
    metrics = json.load(open(out))
    assert metrics, 'the evaluator reported no metric'


def test_plain_mmengine_checkpoint_fails_weights_only_but_ours_loads(tmp_path):
    """The reason WeightsOnlyCheckpointHook exists: mmengine's message hub needs getattr to unpickle."""
    from mmengine.logging import HistoryBuffer, MessageHub
    from mmmotion.engine.hooks.weights_only_checkpoint_hook import (WeightsOnlyCheckpointHook,
                                                                     from_plain_data)
    hub = MessageHub.get_instance('weights-only-test')
    hub.update_scalar('train/loss', 1.5)
    hub.update_scalar('train/loss', 0.5)
    checkpoint = {'meta': {'iter': 2}, 'message_hub': hub.state_dict()}
    plain_path = str(tmp_path / 'plain.pth')
    torch.save(checkpoint, plain_path)
    with pytest.raises(Exception, match='getattr|HistoryBuffer|weights_only'):
        torch.load(plain_path, weights_only=True)

    WeightsOnlyCheckpointHook().before_save_checkpoint(None, checkpoint)
    ours_path = str(tmp_path / 'ours.pth')
    torch.save(checkpoint, ours_path)
    loaded = torch.load(ours_path, weights_only=True)
    WeightsOnlyCheckpointHook().after_load_checkpoint(None, loaded)
    buffer = loaded['message_hub']['log_scalars']['train/loss']
    assert isinstance(buffer, HistoryBuffer)
    assert buffer.mean() == pytest.approx(1.0)
    assert from_plain_data({'a': [1, 2]}) == {'a': [1, 2]}


def test_roi_pool_has_no_cpu_kernel_but_roi_align_does():
    """Why the CPU configs use RoIAlign: mmcv's RoIPool only runs on a GPU."""
    from mmcv.ops import RoIAlign, RoIPool
    features = torch.rand(1, 8, 32, 32)
    rois = torch.tensor([[0, 2.0, 2.0, 20.0, 24.0]])
    assert RoIAlign(6, spatial_scale=1.0, sampling_ratio=2)(features, rois).shape == (1, 8, 6, 6)
    with pytest.raises((RuntimeError, NotImplementedError)):
        RoIPool(6, spatial_scale=1.0)(features, rois)


def test_train_names_a_missing_resume_checkpoint(tmp_path):
    proc = run_tool('tools/train.py', TOY_CONFIGS['mmpretrain'], '--work-dir', str(tmp_path),
                    '--resume', str(tmp_path / 'nope.pth'), check=False)
    assert proc.returncode != 0
    assert 'nope.pth' in proc.stderr
