"""tools/benchmarks/toy_transfer.py and compare_checkpoints.py end to end at a tiny size: doc sections are written
from the runs' records, a second invocation reuses the finished pretraining and runs, and the comparison loads a
checkpoint of another AlexNet layout into the toy configs."""
import csv
import os.path as osp
import re

import cv2
import pytest
import torch
import torchvision
from mmengine.config import Config

from mmmotion.models.backbones import AlexNet
from mmmotion.utils.fileio import read_json
from tool_runner import run_tool

TINY = ['--seeds', '0', '--pretrain-iters', '2', '--pretrain-clips', '2', '--toy-images', '6', '2', '4',
        '--cfg-options', 'train_cfg.max_iters=2', 'train_cfg.val_interval=2']


def read_rows(path):
    with open(path, newline='') as f:
        return {r['checkpoint']: r for r in csv.DictReader(f)}


@pytest.fixture(scope='module')
def toy_run(tmp_path_factory):
    """One toy transfer (MotionMask pretrained 2 iterations, random and MotionMask on toy VOC07 >c5)."""
    tmp = tmp_path_factory.mktemp('toy')
    out, doc, rows_csv = str(tmp / 'toy'), str(tmp / 'benchmarks.md'), str(tmp / 'rows.csv')
    args = ['--out-dir', out, '--plan', 'voc07:c5', *TINY, '--csv', rows_csv, '--doc', doc]
    first = run_tool('tools/benchmarks/toy_transfer.py', *args)
    return dict(tmp=tmp, out=out, doc=doc, csv=rows_csv, args=args, first=first, text=open(doc).read())


@pytest.mark.slow
@pytest.mark.e2e
def test_toy_transfer_doc_comes_from_the_run_records(toy_run):
    text, out = toy_run['text'], toy_run['out']
    assert '(8 trainval / 4 test images' in text
    assert 'uNLC masks of 2 synthetic clips of 10 frames' in text and '2 iterations of the tiny MotionMask' in text
    assert 'Fine-tuning: 2 runs (0 reused from an earlier invocation), seeds 0' in text
    assert re.search(r'load average [\d.]+ at start and [\d.]+ at end', text)
    rows = read_rows(toy_run['csv'])
    assert sorted(rows) == ['motionmask', 'random']
    assert {r['benchmark'] for r in rows.values()} == {'toy-voc07-cls'}
    assert rows['random']['checkpoint_sha256'] == '' and len(rows['motionmask']['checkpoint_sha256']) == 64
    commits = re.search(r"starts and ends; commit (.+?)\.(?:\s|$)", text)  # runs of one invocation: one or more
    assert commits and rows['random']['commit'] in commits.group(1).split(', ')
    for label, row in rows.items():
        assert osp.relpath(row['work_dir'], out).split(osp.sep)[:3] == ['runs', 'toy-voc07-cls', label]
        assert f'voc07 c5   {label:12s} seed 0: mAP' in toy_run['first'].stdout
    # again: nothing is trained, and the text says so
    second = run_tool('tools/benchmarks/toy_transfer.py', *toy_run['args'])
    assert second.stdout.count('reusing') == 2
    text = open(toy_run['doc']).read()
    assert 'Reused from an earlier pretraining' in text and '2 runs (2 reused from an earlier invocation)' in text


@pytest.mark.slow
@pytest.mark.e2e
def test_comparison_reuses_runs_and_matches_each_checkpoint_layout(toy_run):
    """compare_checkpoints.py over the same out dir: the MotionMask pretraining and both runs are reused, an
    LRN AlexNet checkpoint is fine-tuned in the BN toy config with its own layout, and the table, CSV, figure
    and section name all three checkpoints."""
    tmp = toy_run['tmp']
    lrn = str(tmp / 'lrn.pth')
    torch.save(AlexNet(with_bn=False).state_dict(), lrn)
    doc, rows_csv, figure = str(tmp / 'cmp.md'), str(tmp / 'cmp.csv'), str(tmp / 'figures' / 'sweep.png')
    result = run_tool('tools/benchmarks/compare_checkpoints.py', '--out-dir', toy_run['out'], '--pretrain',
                      'motionmask', '--plan', 'voc07:c5', *TINY, '--checkpoint', f'lrn={lrn}', '--csv', rows_csv,
                      '--figure', figure, '--doc', doc)
    assert result.stdout.count('reusing') == 2, result.stdout[-2000:]
    rows = read_rows(rows_csv)
    assert sorted(rows) == ['lrn', 'motionmask', 'random']
    assert rows['motionmask']['value'] == read_rows(toy_run['csv'])['motionmask']['value']
    dumped = Config.fromfile(next(p for p in map(str, (tmp / 'toy' / 'runs').glob('toy-voc07-cls/lrn/*/*/*.py'))))
    assert dumped.model.backbone.with_bn is False and dumped.model.backbone.init_cfg.checkpoint == lrn
    image = cv2.imread(figure)
    assert image is not None and image.shape[0] > 100 and image.shape[1] > 100
    text = open(doc).read()
    for label in rows:
        assert re.search(rf'\| {label} \| [\d.]+ \(1\) \|', text)
    assert f'lrn = `{lrn}`' in text and 'reused from a pretraining' in text
    assert 'motionmask: 2 iterations (8 samples x 1 view) of' in text
    assert '![score against frozen depth](figures/sweep.png)' in text


def test_photo_style_comparison_with_a_supervised_reference(toy_run):
    """The discriminative miniature's path: a supervised reference pretrained on its own photo-style images,
    random init and it fine-tuned on the photo-style toy VOC, the section under its own heading with the
    differences to random init."""
    tmp = toy_run['tmp']
    doc, rows_csv = str(tmp / 'photo.md'), str(tmp / 'photo.csv')
    result = run_tool('tools/benchmarks/compare_checkpoints.py', '--out-dir', toy_run['out'], '--pretrain',
                      'supervised', '--supervised-task', 'photo-seg', '--supervised-iters', '2', '--supervised-images',
                      '8', '--plan', 'photo-seg:c5',
                      *TINY, '--seeds', '0', '1', '--csv', rows_csv, '--figure', str(tmp / 'photo.png'),
                      '--doc', doc)
    with open(rows_csv, newline='') as f:
        found = list(csv.DictReader(f))
    assert sorted((r['checkpoint'], r['seed']) for r in found) == [
        ('random', '0'), ('random', '1'), ('supervised', '0'), ('supervised', '1')], result.stdout[-2000:]
    assert {r['benchmark'] for r in found} == {'toy-photo-seg'}
    record = read_json(next(iter((tmp / 'toy' / 'supervised').glob('*/pretraining.json'))))
    assert record['n_images'] == 8 and record['iters'] == 2 and record['task'] == 'photo-seg'
    assert 'mIoU' in record['metrics'] and f'held-out mIoU {record["metrics"]["mIoU"]:.3f}' in open(doc).read()
    # the reference trains on images of its own, none of them a transfer image
    assert osp.isdir(osp.join(toy_run['out'], 'toy_voc-photo_8-0-40-seed4242'))
    text = open(doc).read()
    assert '\n## Checkpoint comparison (toy, photo style)\n' in text
    assert 'photo-style toy VOC (8 trainval / 4 test images)' in text
    assert 'supervised: 2 iterations (8 samples x 1 view)' in text and '8 labelled toy images of its own' in text
    assert re.search(r'supervised − random: >c5 [+-][\d.]+ \((clear|within the spread)\)', text)


def test_layout_options_load_a_torchvision_checkpoint_into_the_toy_segmentation_config(tmp_path):
    """A converted torchvision AlexNet (64/192/... widths, no BN) in the BN CaffeNet-layout toy FCN config: the
    options set the backbone's layout and the skip head's input widths, and the model then loads every weight
    and runs."""
    from mmseg.registry import MODELS
    from mmseg.utils import register_all_modules

    from mmmotion.model_conversion.torchvision_alexnet import convert_torchvision_alexnet
    from mmmotion.experiments.toy_transfer import layout_options, toy_config
    source, converted = str(tmp_path / 'tv.pth'), str(tmp_path / 'alexnet_tv.pth')
    torch.save(torchvision.models.alexnet().state_dict(), source)
    convert_torchvision_alexnet(source, converted)
    config = toy_config('seg', 'c3')
    options = layout_options('seg', converted, config)
    assert options == ['model.backbone.with_bn=False', 'model.backbone.arch=torchvision',
                       'model.decode_head.in_channels=(192,256)']
    cfg = Config.fromfile(config)
    cfg.merge_from_dict({'model.backbone.with_bn': False, 'model.backbone.arch': 'torchvision',
                         'model.decode_head.in_channels': (192, 256),
                         'model.backbone.init_cfg': dict(type='Pretrained', checkpoint=converted)})
    register_all_modules()
    model = MODELS.build(cfg.model)
    model.init_weights()
    expected = torch.load(converted)['state_dict']
    for key, value in model.backbone.state_dict().items():
        assert torch.equal(value, expected[key]), key
    logits = model(torch.rand(1, 3, 64, 64), mode='tensor')
    assert logits.shape[1] == 4
    assert layout_options('seg', None, config) == []
