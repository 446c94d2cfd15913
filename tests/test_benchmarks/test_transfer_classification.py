"""Transfer to classification: VOC07 multi-label and Stanford 40 benchmarks, frozen settings, Stanford 40 data."""
import glob
import json
import os
import os.path as osp
import shutil
from typing import Dict, List

import numpy as np
import pytest
import torch

from tool_runner import REPO_ROOT, run_sweep, run_tool, run_watched

CONFIG_ROOT = osp.join(REPO_ROOT, 'configs', 'benchmarks', 'classification')
VOC_TOY = 'configs/benchmarks/classification/voc07_toy/alexnet-c5_voc07-multilabel_toy.py'
S40_TOY = 'configs/benchmarks/classification/stanford40_toy/alexnet-fc6-8_stanford40_toy.py'
CONV_STAGES = ('conv1', 'conv2', 'conv3', 'conv4', 'conv5')


def stage_of(key: str) -> str:
    """``backbone.conv3.bn.weight`` -> ``conv3``; ``head.fc.weight`` -> ``head``."""
    parts = key.split('.')
    return parts[1] if parts[0] == 'backbone' else parts[0]


def stage_equal(a: Dict[str, torch.Tensor], b: Dict[str, torch.Tensor], stage: str) -> bool:
    keys = [key for key in a if stage_of(key) == stage]
    assert keys, f'no weights of {stage}'
    return all(torch.equal(a[key], b[key]) for key in keys)


@pytest.fixture(scope='session')
def random_checkpoint(tmp_path_factory) -> str:
    """A random BN AlexNet saved as a training checkpoint (keys under ``backbone.``), BN statistics random too."""
    from mmmotion.models.backbones.alexnet import AlexNet
    torch.manual_seed(123)
    net = AlexNet(with_bn=True)  # PyTorch's default init, not AlexNet.init_weights(): unlike any training init
    state = net.state_dict()
    for key, value in state.items():  # BN affine weights and statistics away from their 1/0 defaults
        if key.endswith(('bn.weight', 'running_var')):
            value.uniform_(0.5, 2.0)
        elif key.endswith(('bn.bias', 'running_mean')):
            value.normal_()
    path = str(tmp_path_factory.mktemp('ckpt') / 'random_alexnet_bn.pth')
    torch.save({'state_dict': {f'backbone.{key}': value for key, value in state.items()}}, path)
    return path


@pytest.fixture(scope='session')
def toy_stanford40_root(tmp_path_factory) -> str:
    from mmmotion.testing.toy_stanford40 import make_toy_stanford40
    return make_toy_stanford40(str(tmp_path_factory.mktemp('toy_stanford40')), train_per_action=4,
                               test_per_action=2, seed=0)


def data_root_options(root: str) -> List[str]:
    return [f'{loader}.dataset.data_root={root}'
            for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader')]


TWO_ITERS = ['train_cfg.max_iters=2', 'train_cfg.val_interval=2', 'default_hooks.checkpoint.interval=2',
             'default_hooks.logger.interval=1']


def evaluate_checkpoint(config: str, data_root: str, work_dir: str) -> dict:
    """tools/test.py on the run's iter_2.pth; the metrics it writes with --out."""
    assert osp.isfile(osp.join(work_dir, 'iter_2.pth'))
    out = osp.join(work_dir, 'metrics.json')
    run_tool('tools/test.py', config, osp.join(work_dir, 'iter_2.pth'), '--work-dir', work_dir, '--out', out,
             '--cfg-options', *data_root_options(data_root))
    with open(out) as f:
        return json.load(f)


@pytest.fixture(scope='session')
def voc_run(toy_voc_root, random_checkpoint, tmp_path_factory) -> dict:
    """>c5 on the toy VOC07 through the sweep wrapper (which runs tools/train.py), then tools/test.py."""
    work_root = str(tmp_path_factory.mktemp('sweep'))
    data_root = osp.join(toy_voc_root, 'VOC2007')
    runs = run_sweep('classification', random_checkpoint, 'ckpt', osp.dirname(VOC_TOY), work_root, 'alexnet-c5_*',
                     *TWO_ITERS, *data_root_options(data_root))
    work_dir = runs['alexnet-c5_voc07-multilabel_toy']
    assert sorted(runs) == ['alexnet-c5_voc07-multilabel_toy']
    return dict(work_dir=work_dir, metrics=evaluate_checkpoint(VOC_TOY, data_root, work_dir))


@pytest.fixture(scope='session')
def s40_run(toy_stanford40_root, random_checkpoint, tmp_path_factory) -> dict:
    """fc6-8 on the toy Stanford 40 with tools/train.py, then tools/test.py."""
    work_dir = str(tmp_path_factory.mktemp('stanford40_fc6-8'))
    run_tool('tools/train.py', S40_TOY, '--work-dir', work_dir, '--cfg-options', *TWO_ITERS, 'randomness.seed=0',
             'model.backbone.init_cfg.type=Pretrained', f'model.backbone.init_cfg.checkpoint={random_checkpoint}',
             *data_root_options(toy_stanford40_root))
    return dict(work_dir=work_dir, metrics=evaluate_checkpoint(S40_TOY, toy_stanford40_root, work_dir))


@pytest.mark.parametrize('script, args, message', [
    ('run_sweep.sh', [], 'usage'),
    ('run_sweep.sh', ['/nonexistent/ckpt.pth', 'x'], 'checkpoint not found: /nonexistent/ckpt.pth'),
    ('dist_run_sweep.sh', ['none', 'x'], 'usage'),
    ('slurm_run_sweep.sh', ['p', 'none', 'x', 'no/such/folder'], 'config folder not found: no/such/folder'),
])
@pytest.mark.e2e
def test_sweep_wrappers_name_what_is_wrong(script, args, message):
    proc = run_watched(['bash', f'tools/benchmarks/classification/{script}', *args])
    assert proc.returncode == 2 and message in proc.stderr


def trained_state(run: dict) -> Dict[str, torch.Tensor]:
    return torch.load(osp.join(run['work_dir'], 'iter_2.pth'), map_location='cpu',
                      weights_only=True)['state_dict']


def last_validation(work_dir: str) -> dict:
    """The last validation record of the run's vis_data/scalars.json (what the results collector reads)."""
    [scalars] = glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json'))
    with open(scalars) as f:
        records = [json.loads(line) for line in f if line.strip()]
    return [record for record in records if 'loss' not in record][-1]


# ------------------------------------------------------------------ configs


@pytest.mark.parametrize('folder', ['voc07', 'voc07_toy', 'stanford40', 'stanford40_toy'])
def test_each_folder_holds_one_benchmark_in_seven_frozen_settings(folder):
    from mmengine.config import Config
    settings = {}
    for path in sorted(glob.glob(osp.join(CONFIG_ROOT, folder, '*.py'))):
        cfg = Config.fromfile(path)
        backbone = cfg.model.backbone
        assert backbone.type == 'mmmotion.AlexNet' and cfg.model.type == 'ImageClassifier'
        frozen = backbone.get('frozen_stages', -1)
        setting = 'fc6-8' if 'fc6' in backbone.get('reinit_stages', ()) else ('all' if frozen == -1 else f'c{frozen}')
        if setting == 'fc6-8':
            assert frozen == 5 and tuple(backbone.reinit_stages) == ('fc6', 'fc7')
        name = osp.basename(path)
        assert (f'alexnet-{setting}_' in name) if setting != 'all' else name.startswith('alexnet_'), name
        dataset = cfg.train_dataloader.dataset.type
        assert dataset == ('VOC' if folder.startswith('voc07') else 'mmmotion.Stanford40'), name
        assert backbone.get('with_bn', False) == folder.endswith('_toy'), name
        settings[setting] = name
    assert sorted(settings) == ['all', 'c1', 'c2', 'c3', 'c4', 'c5', 'fc6-8']


def test_pretrained_checkpoint_loads_into_the_classifier(random_checkpoint):
    """All: every backbone weight is the checkpoint's. fc6-8: conv1-conv5 are, fc6/fc7 keep a fresh init."""
    import mmmotion.models  # noqa: F401
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    from mmpretrain.registry import MODELS
    init_default_scope('mmpretrain')
    checkpoint = {key[len('backbone.'):]: value
                  for key, value in torch.load(random_checkpoint, weights_only=True)['state_dict'].items()}
    for name in ('alexnet_voc07-multilabel_toy.py', 'alexnet-fc6-8_voc07-multilabel_toy.py'):
        cfg = Config.fromfile(osp.join(CONFIG_ROOT, 'voc07_toy', name))
        cfg.model.backbone.init_cfg = dict(type='Pretrained', checkpoint=random_checkpoint)
        model = MODELS.build(cfg.model)
        model.init_weights()
        state = model.backbone.state_dict()
        assert set(state) == set(checkpoint), f'{name}: backbone keys differ from the checkpoint'
        loaded = {key: torch.equal(value, checkpoint[key]) for key, value in state.items()}
        for key, same in loaded.items():
            expect_loaded = key.split('.')[0] in CONV_STAGES or 'fc6-8' not in name
            if key.split('.')[-1] == 'num_batches_tracked':
                continue  # 0 in both
            assert same == expect_loaded, \
                f'{name}: {key} {"differs from" if expect_loaded else "equals"} the checkpoint'


# ------------------------------------------------------------------ training runs


def same_as_last_validation(metrics: dict, work_dir: str) -> bool:
    """tools/test.py on iter_2.pth reports what the run's validation after iteration 2 wrote to scalars.json (what the
    results collector reads): the same weights on the same split (val_dataloader = test_dataloader)."""
    validation = last_validation(work_dir)
    assert set(metrics) <= set(validation), validation
    return {key: validation[key] for key in metrics} == pytest.approx(metrics, abs=1e-6)


def stanford40_test_labels(root: str) -> np.ndarray:
    """(N, actions) one-hot labels of the test split, from the image names (``<action>_<NNN>.jpg``)."""
    with open(osp.join(root, 'ImageSplits', 'test.txt')) as f:
        actions = [name.rsplit('_', 1)[0] for name in f.read().split()]
    return np.array([[action == name for name in sorted(set(actions))] for action in actions], int)


@pytest.mark.slow
@pytest.mark.e2e
def test_voc07_toy_c5_trains_only_fc6_to_fc8_and_evaluates(voc_run, random_checkpoint, toy_voc_test_truth,
                                                           achievable_map_values):
    state = trained_state(voc_run)
    initial = torch.load(random_checkpoint, weights_only=True)['state_dict']
    for stage in CONV_STAGES:  # weights and BN statistics untouched
        assert stage_equal(state, initial, stage), f'>c5 changed {stage}'
    for stage in ('fc6', 'fc7'):
        assert not stage_equal(state, initial, stage), f'>c5 did not train {stage}'
    assert state['head.fc.weight'].shape == (3, 4096)
    metrics = voc_run['metrics']
    assert set(metrics) == {'multi-label/mAP', 'multi-label/precision', 'multi-label/recall', 'multi-label/f1-score',
                            'multi-label/precision_micro', 'multi-label/recall_micro', 'multi-label/f1-score_micro'}
    # an mAP (percent) that some ranking of the test split's labels gives
    map_values = achievable_map_values(toy_voc_test_truth['labels'])
    assert np.abs(map_values - metrics['multi-label/mAP']).min() < 1e-4, metrics
    assert same_as_last_validation(metrics, voc_run['work_dir'])


@pytest.mark.slow
@pytest.mark.e2e
def test_stanford40_toy_fc6_8_reinitialises_fc6_fc7_and_evaluates(s40_run, random_checkpoint,
                                                                  toy_stanford40_root, achievable_map_values):
    state = trained_state(s40_run)
    initial = torch.load(random_checkpoint, weights_only=True)['state_dict']
    for stage in CONV_STAGES:
        assert stage_equal(state, initial, stage), f'fc6-8 changed {stage}'
    for stage in ('fc6', 'fc7'):  # re-initialised, not the checkpoint's (and trained)
        keys = [key for key in state if stage_of(key) == stage and key.endswith('fc.weight')]
        assert keys and not any(torch.allclose(state[key], initial[key], atol=1e-3) for key in keys)
    assert state['head.fc.weight'].shape == (3, 4096)
    metrics = s40_run['metrics']
    assert set(metrics) == {'accuracy/top1', 'multi-label/mAP'}
    # top1 is k correct of the N test images; the mAP one that some ranking of their one-hot labels gives
    labels = stanford40_test_labels(toy_stanford40_root)
    correct = metrics['accuracy/top1'] * len(labels) / 100
    assert correct == pytest.approx(round(correct), abs=1e-4) and 0 <= round(correct) <= len(labels), metrics
    assert np.abs(achievable_map_values(labels) - metrics['multi-label/mAP']).min() < 1e-4, metrics
    assert same_as_last_validation(metrics, s40_run['work_dir'])


def test_average_precision_takes_single_label_ground_truth():
    """mmpretrain's AveragePrecision one-hot encodes gt_label: the Stanford 40 mAP needs no gt_score."""
    from mmpretrain.evaluation import AveragePrecision
    from mmpretrain.structures import DataSample
    scores = torch.tensor([[0.8, 0.1, 0.1], [0.2, 0.7, 0.1], [0.3, 0.3, 0.4], [0.5, 0.4, 0.1]])
    labels = [0, 1, 2, 1]
    samples = [DataSample().set_pred_score(s).set_gt_label(label).to_dict() for s, label in zip(scores, labels)]
    metric = AveragePrecision()
    metric.process(None, samples)
    # every class's positives are ranked first -> mAP 100; then class 1's second positive drops to 4th.
    assert metric.compute_metrics(metric.results)['mAP'] == pytest.approx(100.0)
    scores[3] = torch.tensor([0.5, 0.05, 0.2])
    samples = [DataSample().set_pred_score(s).set_gt_label(label).to_dict() for s, label in zip(scores, labels)]
    metric = AveragePrecision()
    metric.process(None, samples)
    # class 1 ranking: sample1 (0.7, +), sample2 (0.3, -), sample0 (0.1, -), sample3 (0.05, +): AP = (1 + 2/4) / 2
    assert metric.compute_metrics(metric.results)['mAP'] == pytest.approx(100 * (1 + 1 + 0.75) / 3)


# ------------------------------------------------------------------ the Stanford 40 dataset


def test_stanford40_reads_the_official_layout(toy_stanford40_root, tmp_path):
    from mmmotion.datasets import STANFORD40_ACTIONS, Stanford40
    assert len(set(STANFORD40_ACTIONS)) == 40 and list(STANFORD40_ACTIONS) == sorted(STANFORD40_ACTIONS)
    train = Stanford40(toy_stanford40_root, split='train', with_person_box=True)
    test = Stanford40(toy_stanford40_root, split='test')
    assert train.CLASSES == ('disk', 'square', 'triangle') and len(train) == 12 and len(test) == 6
    for info in train.load_data_list():
        action = osp.basename(info['img_path']).rsplit('_', 1)[0]
        assert train.CLASSES[info['gt_label']] == action
        assert info['person_bbox'].shape == (1, 4)
    assert sorted(test.get_gt_labels().tolist()) == [0, 0, 1, 1, 2, 2]
    # classes given by the config fix the label order; actions.txt need only be among them
    given = Stanford40(toy_stanford40_root, split='test', metainfo=dict(classes=('triangle', 'x', 'square', 'disk')))
    assert given.get_gt_labels().tolist() == [3, 3, 2, 2, 0, 0]
    # without train.txt, the per-action split files are read
    root = str(tmp_path / 'per_action')
    shutil.copytree(toy_stanford40_root, root)
    os.remove(osp.join(root, 'ImageSplits', 'train.txt'))
    assert len(Stanford40(root, split='train')) == 12


def _broken_copy(source: str, target: str) -> str:
    shutil.copytree(source, target)
    return target


@pytest.mark.parametrize('breakage, match', [
    ('actions_header', r'actions\.txt:1'),
    ('actions_line', r'actions\.txt:3'),
    ('split_missing', r'test\.txt'),
    ('image_missing', r'test\.txt:2: image .*disk_006\.jpg not found'),
    ('unknown_action', r'test\.txt:3: .*juggling.*not in .*actions\.txt'),
    ('bad_name', r'test\.txt:1: .*not named'),
])
def test_stanford40_rejects_a_malformed_copy_naming_the_file(toy_stanford40_root, tmp_path, breakage, match):
    from mmmotion.datasets import Stanford40
    root = _broken_copy(toy_stanford40_root, str(tmp_path / 'broken'))
    splits = osp.join(root, 'ImageSplits')
    if breakage == 'actions_header':
        with open(osp.join(splits, 'actions.txt'), 'w') as f:
            f.write('disk 6\nsquare 6\n')
    elif breakage == 'actions_line':
        with open(osp.join(splits, 'actions.txt'), 'w') as f:
            f.write('action_name\tnumber_of_images\ndisk\t6\nsquare six\n')
    elif breakage == 'split_missing':
        os.remove(osp.join(splits, 'test.txt'))
        os.remove(osp.join(splits, 'square_test.txt'))
    elif breakage == 'image_missing':
        os.remove(osp.join(root, 'JPEGImages', 'disk_006.jpg'))
    elif breakage == 'unknown_action':
        with open(osp.join(splits, 'test.txt'), 'w') as f:
            f.write('disk_005.jpg\ndisk_006.jpg\njuggling_001.jpg\n')
    elif breakage == 'bad_name':
        with open(osp.join(splits, 'test.txt'), 'w') as f:
            f.write('disk.jpg\n')
    with pytest.raises((ValueError, FileNotFoundError), match=match):
        Stanford40(root, split='test')
