"""MotionMask through tools/train.py (train, resume, panels), tools/test.py, the backbone export
into mmdet/mmseg/mmpretrain, and the throughput benchmark."""
import glob
import json
import os.path as osp

import pytest
import torch

from tool_runner import REPO_ROOT, run_tool

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

TINY = 'configs/motionmask/motionmask_alexnet-bn_1xb8-100it_tiny.py'
TOOLBOX_CONFIGS = {
    'mmpretrain': 'configs/benchmarks/classification/voc07/alexnet_voc07-multilabel.py',
    'mmdet': 'configs/benchmarks/mmdetection/voc0712/fast-rcnn_alexnet_voc0712.py',
    'mmseg': 'configs/benchmarks/mmsegmentation/voc12/fcn_alexnet_voc12.py',
}


def tiny_options(root: str) -> list:
    return [f'{loader}.dataset.data_root={root}'
            for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader')] + [
        'train_dataloader.batch_size=4', 'val_dataloader.batch_size=4',
        'train_dataloader.num_workers=0', 'train_dataloader.persistent_workers=False',
        'default_hooks.logger.interval=1', 'default_hooks.checkpoint.interval=1',
        'randomness.seed=0']


@pytest.fixture(scope='module')
def trained(toy_motionmask_root, tmp_path_factory):
    """2 iterations of the tiny config (AlexNet without BN, as the transfer configs use it), then a
    resume to 3; panels every iteration."""
    work_dir = str(tmp_path_factory.mktemp('motionmask_work'))
    options = tiny_options(toy_motionmask_root) + [
        'model.backbone.with_bn=False', 'train_cfg.val_interval=2', 'custom_hooks.1.interval=1']
    first = run_tool('tools/train.py', TINY, '--work-dir', work_dir,
                     '--cfg-options', 'train_cfg.max_iters=2', *options)
    resumed = run_tool('tools/train.py', TINY, '--work-dir', work_dir, '--resume',
                       '--cfg-options', 'train_cfg.max_iters=3', *options)
    return dict(work_dir=work_dir, log=first.stdout + first.stderr,
                resume_log=resumed.stdout + resumed.stderr, options=options)


def test_train_validates_writes_panels_and_resumes(trained):
    work_dir = trained['work_dir']
    assert 'mask/pseudo/mIoU' in trained['log'] and 'mask/true/mIoU' not in trained['log']
    assert sorted(osp.basename(p) for p in glob.glob(osp.join(work_dir, 'vis', '*.png'))) == [
        'iter_1.png', 'iter_2.png', 'iter_3.png']
    import cv2
    panel = cv2.imread(osp.join(work_dir, 'vis', 'iter_1.png'))
    assert panel.shape[1] == 3 * 227 + 8 and panel.shape[0] == 4 * 227 + 3 * 4
    assert 'resumed epoch: 0, iter: 2' in trained['resume_log']
    state = torch.load(osp.join(work_dir, 'iter_3.pth'), map_location='cpu', weights_only=True)
    assert state['meta']['iter'] == 3
    assert len(state['message_hub']['log_scalars']['train/loss']['log_history']) == 3


def test_test_tool_reports_iou_against_true_masks(trained, toy_motionmask_root, tmp_path):
    out = str(tmp_path / 'metrics.json')
    run_tool('tools/test.py', TINY, osp.join(trained['work_dir'], 'iter_3.pth'), '--work-dir',
             str(tmp_path), '--out', out, '--cfg-options',
             f'test_dataloader.dataset.data_root={toy_motionmask_root}', 'model.backbone.with_bn=False',
             "test_dataloader.dataset.data_prefix.gt_mask_path=gt_masks")
    metrics = json.load(open(out))
    for key in ('mask/pseudo/mIoU', 'mask/true/mIoU', 'mask/true/centred_box_mIoU',
                'mask/true/all_fg_mIoU'):
        assert 0 <= metrics[key] <= 1, key


def test_extracted_backbone_loads_into_each_toolbox(trained, tmp_path):
    """Export with and without fc6/fc7, then load into the AlexNet of the mmpretrain, mmdet and mmseg
    transfer configs, as they are, through their own registries and ``init_cfg=Pretrained``."""
    import importlib
    from mmengine.config import Config
    import mmmotion.models  # noqa: F401
    checkpoint = osp.join(trained['work_dir'], 'iter_3.pth')
    trained_state = torch.load(checkpoint, map_location='cpu', weights_only=True)['state_dict']
    exports = {}
    for conv_only in (False, True):
        out = str(tmp_path / f'alexnet{"_conv" if conv_only else ""}.pth')
        proc = run_tool('tools/model_converters/extract_backbone_weights.py', checkpoint, out,
                        *(['--conv-only'] if conv_only else []))
        n_keys = 10 if conv_only else 14  # weight + bias of conv1..5 (and fc6, fc7)
        assert f"{n_keys} under 'backbone.'" in proc.stdout, proc.stdout
        assert '0 missing keys, 0 unexpected keys' in proc.stdout, proc.stdout
        assert len(torch.load(out, map_location='cpu', weights_only=True)['state_dict']) == n_keys
        exports[conv_only] = out
    for toolbox, config in sorted(TOOLBOX_CONFIGS.items()):
        importlib.import_module(f'{toolbox}.models')
        registry = importlib.import_module(f'{toolbox}.registry').MODELS
        backbone_cfg = Config.fromfile(osp.join(REPO_ROOT, config)).model.backbone
        # mmseg's AlexNet is fully convolutional: it takes the --conv-only export
        out = exports[bool(backbone_cfg.get('fully_conv', False))]
        backbone = registry.build(dict(backbone_cfg, init_cfg=dict(type='Pretrained', checkpoint=out)))
        backbone.init_weights()
        state = backbone.state_dict()
        exported = set(torch.load(out, map_location='cpu', weights_only=True)['state_dict'])
        # every weight the backbone has comes from the export (Fast R-CNN's fc6/fc7 sit in its RoI head)
        assert {k for k in state if not k.endswith('num_batches_tracked')} <= exported
        assert any(k.startswith('conv5.') for k in state)
        for key, value in state.items():
            torch.testing.assert_close(value, trained_state[f'backbone.{key}'], msg=f'{toolbox}: {key}')


def test_extract_fails_clearly_on_a_checkpoint_without_backbone(tmp_path):
    bad = str(tmp_path / 'bad.pth')
    torch.save(dict(state_dict={'head.fc.weight': torch.zeros(2)}), bad)
    proc = run_tool('tools/model_converters/extract_backbone_weights.py', bad, str(tmp_path / 'o.pth'),
                    check=False)
    assert proc.returncode != 0 and "no key starts with 'backbone.'" in proc.stderr


def test_benchmark_writes_its_section(toy_motionmask_root, tmp_path):
    doc = tmp_path / 'benchmarks.md'
    doc.write_text('# Benchmarks\n\n## uNLC\n\nother text\n\n## MotionMask\n\nold\n\n## Later\n\nkeep\n')
    run_tool('tools/analysis_tools/benchmark_motionmask.py', TINY, '--data-root', toy_motionmask_root,
             '--iters', '1', '--warmup', '1', '--batch-size', '2', '--num-workers', '0', '--out', str(doc))
    text = doc.read_text()
    assert '## uNLC\n\nother text' in text and '## Later\n\nkeep' in text and 'old' not in text
    assert text.count('## MotionMask') == 1
    import re
    ratio = float(re.search(r'\*\*ratio full / bare\*\* \| \*\*([0-9.]+)\*\*', text).group(1))
    assert ratio > 0
    # the conditions are measured, not assumed, and the command is the one that ran
    from mmmotion.engine.runs import code_version
    assert re.search(r'1-min load average [0-9.]+ at the start and [0-9.]+ at the end', text)
    assert f'commit {code_version()}' in text and 'shares the cores' not in text
    assert '--iters 1 --warmup 1 --batch-size 2 --num-workers 0' in text
