"""Segmentation transfer: FCNSkipHead, the VOC configs' frozen settings, checkpoint loading, training through
tools/train.py, tools/test.py and the sweep script on the toy VOC."""
import glob
import json
import os.path as osp

import pytest
import torch
from mmengine.config import Config

from tool_runner import REPO_ROOT, run_sweep, run_tool

SEG_DIR = 'configs/benchmarks/mmsegmentation'
TOY_DIR = f'{SEG_DIR}/toy'
TOY_ALL = f'{TOY_DIR}/fcn_alexnet_toy.py'
STAGES = ('conv1', 'conv2', 'conv3', 'conv4', 'conv5')


def seg_models():
    """mmseg's model registry (default scope mmseg, as tools/train.py sets it), mmmotion's modules registered."""
    import mmseg.models  # noqa: F401
    from mmengine.registry import init_default_scope
    from mmseg.registry import MODELS

    import mmmotion.models  # noqa: F401
    init_default_scope('mmseg')
    return MODELS


def stage_state(state: dict, stage: str) -> dict:
    """The trainable weights and BN statistics of one backbone stage of a segmentor state dict."""
    prefix = f'backbone.{stage}.'
    return {k[len(prefix):]: v for k, v in state.items()
            if k.startswith(prefix) and not k.endswith('num_batches_tracked')}


def data_options(root: str) -> list:
    return [f'{loader}.dataset.data_root={osp.join(root, "VOC2007")}'
            for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader')]


@pytest.fixture(scope='module')
def checkpoint(alexnet_checkpoint) -> dict:
    """A random BN AlexNet (fc6/fc7 included) saved as a training checkpoint: keys under ``backbone.``."""
    assert any(k.startswith('fc6.') for k in alexnet_checkpoint['source'])
    return alexnet_checkpoint


@pytest.fixture(scope='module')
def trained_all(toy_voc_root, checkpoint, tmp_path_factory) -> dict:
    """Setting All: 2 iterations of the toy config from the checkpoint with tools/train.py, validating at the end."""
    work_dir = str(tmp_path_factory.mktemp('seg_all'))
    run_tool('tools/train.py', TOY_ALL, '--work-dir', work_dir, '--cfg-options', *data_options(toy_voc_root),
             'train_cfg.max_iters=2', 'train_cfg.val_interval=2', 'default_hooks.checkpoint.interval=2',
             'randomness.seed=0', 'model.backbone.init_cfg.type=Pretrained',
             f'model.backbone.init_cfg.checkpoint={checkpoint["path"]}')
    return dict(work_dir=work_dir, checkpoint=osp.join(work_dir, 'iter_2.pth'))


@pytest.fixture(scope='module')
def sweep_c5(toy_voc_root, checkpoint, tmp_path_factory) -> dict:
    """Setting >c5 through tools/benchmarks/mmsegmentation/run_sweep.sh (local launcher), 2 iterations."""
    work_root = str(tmp_path_factory.mktemp('seg_bench'))
    options = data_options(toy_voc_root) + [
        'train_cfg.max_iters=2', 'train_cfg.val_interval=2', 'default_hooks.checkpoint.interval=2']
    runs = run_sweep('mmsegmentation', checkpoint['path'], 'motionmask', TOY_DIR, work_root, 'fcn_alexnet-c5_toy',
                     *options)
    work_dir = runs['fcn_alexnet-c5_toy']
    return dict(work_root=work_root, work_dir=work_dir)


# ---------------------------------------------------------------- the head


def toy_head_inputs(size: tuple) -> list:
    from mmmotion.models import AlexNet
    backbone = AlexNet(with_bn=True, fully_conv=True, out_indices=(1, 4)).eval()
    with torch.no_grad():
        return list(backbone(torch.rand(2, 3, *size)))


@pytest.mark.parametrize('fusion', ['sum', 'concat'])
def test_head_output_is_at_the_finest_stage_for_odd_sizes(fusion):
    head = seg_models().build(dict(type='mmmotion.FCNSkipHead', in_channels=(256, 256), in_index=(0, 1),
                                   channels=32, num_classes=5, fusion=fusion, norm_cfg=dict(type='BN'))).eval()
    for size in ((97, 131), (33, 17), (192, 256)):
        inputs = toy_head_inputs(size)
        assert inputs[0].shape[2:] == (-(-size[0] // 8), -(-size[1] // 8))  # conv2: stride 8, ceil
        with torch.no_grad():
            logits = head(inputs)
        assert logits.shape == (2, 5, *inputs[0].shape[2:]), size


def test_segmentor_predicts_at_the_input_size_for_odd_sizes():
    cfg = Config.fromfile(osp.join(REPO_ROOT, TOY_ALL))
    model = seg_models().build(cfg.model)
    model.init_weights()
    model.eval()
    from mmseg.structures import SegDataSample
    for size in ((97, 131), (61, 200)):
        sample = SegDataSample(metainfo=dict(img_shape=size, ori_shape=size, pad_shape=size))
        with torch.no_grad():
            # mode='tensor' is the raw head output (stride 8); predict resizes to the image
            raw = model(torch.rand(1, 3, *size), [sample], mode='tensor')
            pred = model.predict(torch.rand(1, 3, *size), [sample])[0]
        assert raw.shape == (1, 4, -(-size[0] // 8), -(-size[1] // 8))
        assert pred.seg_logits.data.shape == (4, *size) and pred.pred_sem_seg.data.shape == (1, *size)


def test_head_linear_mode_is_a_sum_of_per_stage_scores():
    """norm_cfg=None, act_cfg=None, no dropout: FCN's sum of linear scores, so the head is linear in its inputs."""
    head = seg_models().build(dict(type='mmmotion.FCNSkipHead', in_channels=(8, 4), in_index=(0, 1), channels=6,
                                   num_classes=3, norm_cfg=None, act_cfg=None, dropout_ratio=0))
    fine, coarse = torch.rand(1, 8, 10, 12), torch.rand(1, 4, 5, 6)
    zero_fine, zero_coarse = torch.zeros_like(fine), torch.zeros_like(coarse)
    with torch.no_grad():
        both, only_fine, only_coarse, none = (head([fine, coarse]), head([fine, zero_coarse]),
                                              head([zero_fine, coarse]), head([zero_fine, zero_coarse]))
    torch.testing.assert_close(both, only_fine + only_coarse - none)


@pytest.mark.parametrize('kwargs, error, match', [
    (dict(fusion='max'), ValueError, "fusion 'max'"),
    (dict(kernel_size=2), ValueError, 'kernel_size must be odd'),
    (dict(input_transform='resize_concat'), ValueError, "'resize_concat'"),
    (dict(in_channels=(256, )), ValueError, r'in_channels \[256\] and in_index \[0, 1\]'),
    (dict(in_channels=256), TypeError, 'in_channels=256'),
])
def test_head_rejects_bad_arguments_by_name(kwargs, error, match):
    cfg = dict(type='mmmotion.FCNSkipHead', in_channels=(256, 256), in_index=(0, 1), channels=8, num_classes=3)
    with pytest.raises(error, match=match):
        seg_models().build(dict(cfg, **kwargs))


def test_head_names_the_input_that_does_not_fit():
    head = seg_models().build(dict(type='mmmotion.FCNSkipHead', in_channels=(256, 384), in_index=(0, 1),
                                   channels=8, num_classes=3))
    inputs = toy_head_inputs((64, 64))
    with pytest.raises(ValueError, match='in_index=1 has 256 channels, but in_channels says 384'):
        head(inputs)
    head.in_index = [0, 2]
    with pytest.raises(IndexError, match='in_index 2 is out of range: the backbone gave 2 outputs'):
        head(inputs)


# ---------------------------------------------------------------- the configs


@pytest.mark.parametrize('folder, dataset_root, val_root', [
    ('voc12', 'data/VOCdevkit/VOC2012', 'data/VOCdevkit/VOC2012'),
    ('voc12aug', 'data/VOCdevkit/VOC2012', 'data/VOCdevkit/VOC2012'),
    ('voc12aug-voc11val', 'data/VOCdevkit/VOC2012', 'data/VOCdevkit/VOC2011'),
    ('toy', 'data/toy_voc/VOC2007', 'data/toy_voc/VOC2007'),
])
def test_each_folder_holds_one_benchmark_in_six_frozen_settings(folder, dataset_root, val_root):
    paths = sorted(glob.glob(osp.join(REPO_ROOT, SEG_DIR, folder, '*.py')))
    frozen = {}
    for path in paths:
        cfg = Config.fromfile(path)
        frozen[osp.basename(path)] = cfg.model.backbone.frozen_stages
        assert cfg.model.type == 'EncoderDecoder' and cfg.model.decode_head.type == 'mmmotion.FCNSkipHead'
        assert cfg.model.backbone.fully_conv and cfg.val_evaluator.iou_metrics == ['mIoU']
        train = cfg.train_dataloader.dataset
        roots = [d.data_root for d in train.datasets] if train.type == 'ConcatDataset' else [train.data_root]
        assert set(roots) == {dataset_root}, path
        assert cfg.val_dataloader.dataset.data_root == cfg.test_dataloader.dataset.data_root == val_root, path
        assert cfg.train_cfg.val_interval == cfg.train_cfg.max_iters or folder != 'toy'
    assert frozen == {f'fcn_alexnet_{folder}.py': -1,
                      **{f'fcn_alexnet-c{k}_{folder}.py': k for k in range(1, 6)}}


def test_toy_config_is_the_small_benchmark():
    cfg = Config.fromfile(osp.join(REPO_ROOT, TOY_ALL))
    assert cfg.model.backbone.with_bn
    assert cfg.model.data_preprocessor.bgr_to_rgb and cfg.model.data_preprocessor.mean == [123.675, 116.28, 103.53]
    assert cfg.train_dataloader.dataset.ann_file.endswith('trainval.txt')
    assert cfg.test_dataloader.dataset.ann_file.endswith('test.txt')
    assert cfg.train_cfg.type == 'IterBasedTrainLoop' and cfg.train_cfg.max_iters <= 200


# ---------------------------------------------------------------- checkpoint and training


def test_checkpoint_loads_into_the_seg_backbone(checkpoint):
    """conv1-conv5 and their BN statistics come from the checkpoint; its fc6/fc7 are ignored."""
    cfg = Config.fromfile(osp.join(REPO_ROOT, TOY_ALL))
    cfg.model.backbone.init_cfg = dict(type='Pretrained', checkpoint=checkpoint['path'])
    model = seg_models().build(cfg.model)
    model.init_weights()
    state = model.backbone.state_dict()
    assert not any(k.startswith(('fc6', 'fc7')) for k in state)
    missing = [k for k in state if k not in checkpoint['source']]
    assert not missing
    for key, value in state.items():
        assert torch.equal(value, checkpoint['source'][key]), key


@pytest.mark.slow
@pytest.mark.e2e
def test_all_trains_every_layer_and_test_tool_reports_miou(trained_all, checkpoint, toy_voc_root, toy_voc_test_truth,
                                                           check_seg_metrics, tmp_path):
    state = torch.load(trained_all['checkpoint'], map_location='cpu', weights_only=True)['state_dict']
    for stage in STAGES:
        weights = stage_state(state, stage)
        assert not torch.equal(weights['conv.weight'], checkpoint['source'][f'{stage}.conv.weight']), stage
        assert not torch.equal(weights['bn.running_mean'], checkpoint['source'][f'{stage}.bn.running_mean']), stage

    out = str(tmp_path / 'metrics.json')
    proc = run_tool('tools/test.py', TOY_ALL, trained_all['checkpoint'], '--work-dir', str(tmp_path), '--out', out,
                    '--cfg-options', *data_options(toy_voc_root))
    with open(out) as f:
        metrics = json.load(f)
    # aAcc, mIoU, mAcc (percent) agree with the per-class table and the test split's pixels per class
    check_seg_metrics(metrics, proc.stdout + proc.stderr, toy_voc_test_truth['pixels'])
    # The last record of scalars.json, what the results collector reads, is the validation after iteration 2:
    # iter_2.pth on the same split (val_dataloader = test_dataloader), so the same values.
    [scalars] = glob.glob(osp.join(trained_all['work_dir'], '*', 'vis_data', 'scalars.json'))
    with open(scalars) as f:
        last = json.loads(f.read().splitlines()[-1])
    assert last['step'] == 2 and {key: last.get(key) for key in metrics} == pytest.approx(metrics, abs=1e-6)


@pytest.mark.slow
@pytest.mark.e2e
def test_sweep_c5_keeps_every_conv_layer_and_trains_the_head(sweep_c5, checkpoint):
    state = torch.load(osp.join(sweep_c5['work_dir'], 'iter_2.pth'), map_location='cpu',
                       weights_only=True)['state_dict']
    for stage in STAGES:
        weights = stage_state(state, stage)
        assert weights, stage
        for key, value in weights.items():  # weights and BN statistics (frozen BN stays in eval mode)
            assert torch.equal(value, checkpoint['source'][f'{stage}.{key}']), f'{stage}.{key}'
    # the head did train: conv_seg's bias starts at 0 and the branch BN statistics at 0 / 1
    assert state['decode_head.conv_seg.bias'].abs().sum() > 0
    assert state['decode_head.branches.0.bn.running_mean'].abs().sum() > 0
    dumped = Config.fromfile(osp.join(sweep_c5['work_dir'], 'fcn_alexnet-c5_toy.py'))
    assert dumped.model.backbone.frozen_stages == 5 and dumped.model.type == 'EncoderDecoder'
