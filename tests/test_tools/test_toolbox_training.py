"""tools/train.py and tools/test.py on configs that inherit from mmdet, mmseg and mmpretrain."""
import glob
import itertools
import json
import os.path as osp
import re

import numpy as np
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


def check_voc_multilabel(metrics: dict, labels: np.ndarray, map_values: np.ndarray) -> None:
    """mmpretrain's VOC07 evaluators (VOCMultiLabelMetric macro and micro, VOCAveragePrecision) on N images with
    these (N, classes) labels: whatever the predictions, the values come from integer counts. Micro: recall =
    100 TP / G (G positive labels), precision = 100 TP / P (P predicted positives, TP <= P <= N * classes),
    f1 their harmonic mean. Macro: the class means of the same with per-class counts that sum to TP and P. The mAP
    is one that some ranking of these labels gives."""
    assert set(metrics) == {'multi-label/mAP', 'multi-label/precision', 'multi-label/recall',
                            'multi-label/f1-score', 'multi-label/precision_micro', 'multi-label/recall_micro',
                            'multi-label/f1-score_micro'}
    m = {key.split('/')[1]: value for key, value in metrics.items()}
    assert np.abs(map_values - m['mAP']).min() < 1e-4, f"mAP {m['mAP']} is no ranking's on these labels"

    def f1(precision, recall):
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    n, num_classes = labels.shape
    positives = labels.sum(0)
    tp = round(m['recall_micro'] * positives.sum() / 100)
    assert m['recall_micro'] == pytest.approx(100 * tp / positives.sum(), abs=1e-4)
    if tp:
        predicted = [round(100 * tp / m['precision_micro'])]
        assert tp <= predicted[0] <= n * num_classes
        assert m['precision_micro'] == pytest.approx(100 * tp / predicted[0], abs=1e-4)
    else:
        assert m['precision_micro'] == 0
        predicted = range(n * num_classes + 1)
    assert m['f1-score_micro'] == pytest.approx(f1(m['precision_micro'], m['recall_micro']), abs=1e-4)
    # per class: (true positives, predicted positives, precision, recall, f1)
    options = [[(t, p, 100 * t / max(p, 1), 100 * t / max(g, 1), f1(100 * t / max(p, 1), 100 * t / max(g, 1)))
                for t in range(g + 1) for p in range(t, n + 1)] for g in positives]
    macro = np.array([m['precision'], m['recall'], m['f1-score']])
    consistent = [combo for combo in itertools.product(*options)
                  if sum(c[0] for c in combo) == tp and sum(c[1] for c in combo) in predicted
                  and np.allclose(np.mean([c[2:] for c in combo], 0), macro, rtol=0, atol=1e-4)]
    assert consistent, f'no per-class counts give both the micro and the macro values: {metrics}'


def check_voc_detection(metrics: dict, log: str, boxes: np.ndarray) -> None:
    """mmdet's VOCMetric (mAP at IoU 0.5, 11-point AP, fractions not percent) on data with ``boxes`` (classes,) boxes
    per class, against the per-class table it logs: the gts column is the data's count, a class's recall is
    k / gts, its AP averages 11 precisions of which only those at recall levels 0, 0.1, ... <= the class's recall
    can be non-zero, and the mAP is the classes' mean, AP50 the mAP rounded to 3 decimals."""
    assert set(metrics) == {'pascal_voc/mAP', 'pascal_voc/AP50'}
    rows = re.findall(r'^\| (\w+)\s*\| (\d+)\s*\| (\d+)\s*\| ([\d.]+)\s*\| ([\d.]+)\s*\|$', log, re.MULTILINE)
    assert len(rows) == len(boxes), f'no per-class table of {len(boxes)} classes in the log:\n{log[-3000:]}'
    gts, dets = (np.array([int(row[k]) for row in rows]) for k in (1, 2))
    recall, ap = (np.array([float(row[k]) for row in rows]) for k in (3, 4))
    np.testing.assert_array_equal(gts, boxes)
    np.testing.assert_allclose(recall, np.round(recall * gts) / gts, atol=5e-4)  # k / gts, printed to 3 decimals
    assert (recall[dets == 0] == 0).all()
    assert (ap <= (np.floor(10 * recall + 1e-6) + 1) / 11 * (recall > 0) + 5e-4).all(), (recall, ap)
    assert metrics['pascal_voc/mAP'] == pytest.approx(ap.mean(), abs=5e-4)
    assert metrics['pascal_voc/AP50'] == round(metrics['pascal_voc/mAP'], 3)


def validation_at(work_dir: str, run: int) -> dict:
    """The metrics of the last validation in the ``run``-th (0: the first) run's vis_data/scalars.json."""
    scalars = sorted(glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json')))[run]
    with open(scalars) as f:
        records = [json.loads(line) for line in f if line.strip()]
    last = [record for record in records if 'loss' not in record][-1]
    return {key: value for key, value in last.items() if key not in ('data_time', 'time', 'step', 'iter', 'epoch')}


@pytest.mark.parametrize('toolbox', sorted(TOY_CONFIGS))
@pytest.mark.slow
@pytest.mark.e2e
def test_train_two_iters_then_resume_and_test(toolbox, toy_voc_root, toy_voc_test_truth, achievable_map_values,
                                              check_seg_metrics, tmp_path):
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
    proc = run_tool('tools/test.py', TOY_CONFIGS[toolbox], checkpoint, '--work-dir', str(tmp_path / 'test'),
                    '--out', out, '--cfg-options', *data_root_options(toolbox, toy_voc_root))
    with open(out) as f:
        metrics = json.load(f)
    if toolbox == 'mmpretrain':
        check_voc_multilabel(metrics, toy_voc_test_truth['labels'],
                             achievable_map_values(toy_voc_test_truth['labels']))
    elif toolbox == 'mmdet':
        check_voc_detection(metrics, proc.stdout + proc.stderr, toy_voc_test_truth['boxes'])
    else:
        check_seg_metrics(metrics, proc.stdout + proc.stderr, toy_voc_test_truth['pixels'])
    # iter_2.pth on the test split is what the first run validated after its 2nd iteration (val = test split)
    assert validation_at(work_dir, 0) == pytest.approx(metrics, abs=1e-6)


def test_plain_mmengine_checkpoint_fails_weights_only_but_ours_loads(tmp_path):
    """The reason WeightsOnlyCheckpointHook exists: mmengine's message hub needs getattr to unpickle."""
    from mmengine.logging import HistoryBuffer, MessageHub
    from mmmotion.engine.hooks.weights_only_checkpoint_hook import WeightsOnlyCheckpointHook, from_plain_data
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


@pytest.mark.e2e
def test_train_names_a_missing_resume_checkpoint(tmp_path):
    proc = run_tool('tools/train.py', TOY_CONFIGS['mmpretrain'], '--work-dir', str(tmp_path),
                    '--resume', str(tmp_path / 'nope.pth'), check=False)
    assert proc.returncode != 0
    assert 'nope.pth' in proc.stderr
