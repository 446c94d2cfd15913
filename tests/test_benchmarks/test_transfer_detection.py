"""Detection transfer: Fast R-CNN with the AlexNet, the frozen-stage sweep script, low-shot data, the collector."""
import csv
import json
import os
import os.path as osp
import re
import sys

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import DefaultScope

from tool_runner import REPO_ROOT, run_sweep, run_tool, run_watched

TOY_DIR = 'configs/benchmarks/mmdetection/toy'
STAGES = ('conv1', 'conv2', 'conv3', 'conv4', 'conv5')


def stage_weights(state: dict, stage: str) -> dict:
    """Weights of one AlexNet stage from a detector state dict (conv stages in the backbone, fc in the head)."""
    prefix = f'roi_head.bbox_head.{stage}.' if stage.startswith('fc') else f'backbone.{stage}.'
    return {k[len(prefix):]: v for k, v in state.items() if k.startswith(prefix)}


@pytest.fixture(scope='module')
def det_data(tmp_path_factory, alexnet_checkpoint):
    """A toy VOC whose proposals come from the selective-search tool, and a BN AlexNet checkpoint
    in the MotionMask training-checkpoint layout (``backbone.`` keys, fc6/fc7 included)."""
    from mmmotion.testing.toy_voc import make_toy_voc
    root = str(tmp_path_factory.mktemp('det_voc'))
    year_root = make_toy_voc(root, splits={'train': 4, 'val': 2, 'test': 3}, seed=3)
    run_tool('tools/proposals/selective_search.py', year_root, '--splits', 'trainval', 'test',
             '--workers', '2', '--max-proposals', '200')
    return dict(root=root, checkpoint=alexnet_checkpoint['path'], source=alexnet_checkpoint['source'])


@pytest.fixture(scope='module')
def sweep_c3(det_data, tmp_path_factory):
    """The sweep script (local launcher) running the toy >c3 config for 2 iterations from the checkpoint."""
    work_root = str(tmp_path_factory.mktemp('bench'))
    options = [f'{loader}.dataset.data_root={det_data["root"]}/'
               for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader')]
    options += ['train_cfg.max_iters=2', 'default_hooks.checkpoint.interval=2']
    runs = run_sweep('mmdetection', det_data['checkpoint'], 'motionmask', TOY_DIR, work_root,
                     'fast-rcnn_alexnet-c3_toy', *options)
    work_dir = runs['fast-rcnn_alexnet-c3_toy']
    return dict(work_root=work_root, work_dir=work_dir)


@pytest.mark.slow
@pytest.mark.e2e
def test_checkpoint_initialises_conv1_to_fc7(det_data):
    """conv1-conv5 go to the backbone and fc6/fc7 to the RoI head, weights and BN statistics alike."""
    import mmdet.models  # noqa: F401
    from mmdet.registry import MODELS
    cfg = Config.fromfile(osp.join(REPO_ROOT, TOY_DIR, 'fast-rcnn_alexnet_toy.py'))
    for module in (cfg.model.backbone, cfg.model.roi_head.bbox_head):
        module.init_cfg = dict(type='Pretrained', checkpoint=det_data['checkpoint'])
    with DefaultScope.overwrite_default_scope('mmdet'):
        model = MODELS.build(cfg.model)
    model.init_weights()
    state = model.state_dict()
    for stage in STAGES + ('fc6', 'fc7'):
        weights = stage_weights(state, stage)
        assert weights, stage
        for key, value in weights.items():
            assert torch.equal(value, det_data['source'][f'{stage}.{key}']), f'{stage}.{key}'
    # the backbone holds no fc layers of its own: nothing of the checkpoint is left unused or duplicated
    assert not any(k.startswith(('backbone.fc6', 'backbone.fc7')) for k in state)


@pytest.mark.slow
@pytest.mark.e2e
def test_checkpoint_of_the_wrong_alexnet_is_named(det_data, tmp_path):
    import mmdet.models  # noqa: F401

    from mmmotion.models import AlexNet, AlexNetBBoxHead
    lrn = str(tmp_path / 'lrn.pth')
    torch.save({'state_dict': AlexNet(with_bn=False).state_dict()}, lrn)
    with DefaultScope.overwrite_default_scope('mmdet'):
        head = AlexNetBBoxHead(num_classes=3, with_bn=True, init_cfg=dict(type='Pretrained', checkpoint=lrn))
    with pytest.raises(KeyError, match='lrn.pth'):
        head.init_weights()


@pytest.mark.slow
@pytest.mark.e2e
def test_sweep_trains_and_freezes_exactly_conv1_to_conv3(sweep_c3, det_data):
    checkpoint = osp.join(sweep_c3['work_dir'], 'iter_2.pth')
    assert osp.isfile(checkpoint)
    state = torch.load(checkpoint, map_location='cpu', weights_only=True)['state_dict']
    for stage in STAGES + ('fc6', 'fc7'):
        weights = stage_weights(state, stage)
        same = all(torch.equal(v, det_data['source'][f'{stage}.{k}']) for k, v in weights.items()
                   if not k.endswith('num_batches_tracked'))
        # >c3: conv1-conv3 (and their BN statistics) untouched, everything after them trained
        assert same == (stage in ('conv1', 'conv2', 'conv3')), stage


@pytest.mark.slow
@pytest.mark.e2e
def test_trained_detector_exports_as_a_whole_alexnet(sweep_c3, tmp_path):
    """A fine-tuned Fast R-CNN (the det supervised reference's path) exports conv1-conv5 from its backbone and
    fc6/fc7 from its RoI head into one AlexNet checkpoint; without --fc-prefix only the conv stages come."""
    checkpoint = osp.join(sweep_c3['work_dir'], 'iter_2.pth')
    state = torch.load(checkpoint, map_location='cpu', weights_only=True)['state_dict']
    whole, conv = str(tmp_path / 'whole.pth'), str(tmp_path / 'conv.pth')
    proc = run_tool('tools/model_converters/extract_backbone_weights.py', checkpoint, whole,
                    '--fc-prefix', 'roi_head.bbox_head.')
    assert 'fully_conv=False' in proc.stdout and '0 missing keys, 0 unexpected keys' in proc.stdout, proc.stdout
    exported = torch.load(whole, map_location='cpu', weights_only=True)['state_dict']
    for stage in STAGES + ('fc6', 'fc7'):
        weights = stage_weights(state, stage)
        assert weights and all(torch.equal(exported[f'{stage}.{k}'], v) for k, v in weights.items()), stage
    assert not any(k.startswith(('fc_cls', 'fc_reg')) for k in exported)  # the predictors stay behind
    run_tool('tools/model_converters/extract_backbone_weights.py', checkpoint, conv)
    assert not any(k.startswith('fc') for k in torch.load(conv, weights_only=True)['state_dict'])


@pytest.mark.slow
@pytest.mark.e2e
def test_collector_reads_the_sweep(sweep_c3, det_data):
    from mmmotion.engine.runs import file_sha256, read_record
    from mmmotion.experiments.report import CSV_FIELDS, last_validation
    out_csv = osp.join(sweep_c3['work_root'], 'results.csv')
    proc = run_tool('tools/benchmarks/collect_results.py', sweep_c3['work_root'], '--csv', out_csv)
    assert '**toy-voc-det — mAP**' in proc.stdout and '| motionmask |' in proc.stdout and '>c3' in proc.stdout
    record = read_record(sweep_c3['work_dir'])
    assert (record['benchmark'], record['task'], record['label'], record['frozen'], record['seed']) == (
        'toy-voc-det', 'det', 'motionmask', 'c3', 0)
    assert record['finished'] and record['wall_time_s'] > 0 and record['versions']['mmdet'] == '3.3.0'
    assert record['checkpoints']['model.backbone']['sha256'] == file_sha256(det_data['checkpoint'])
    with open(out_csv, newline='') as f:
        rows = list(csv.DictReader(f))
    assert tuple(rows[0]) == CSV_FIELDS and len(rows) == 1
    row = rows[0]
    assert (row['benchmark'], row['task'], row['checkpoint'], row['frozen'], row['seed'], row['metric']) == (
        'toy-voc-det', 'det', 'motionmask', 'c3', '0', 'mAP')
    assert row['config_hash'] == record['config_hash'] and row['commit'] == record['commit'] != ''
    # the value is the run's last validation, in percent
    logged = last_validation(sweep_c3['work_dir'], ['pascal_voc/mAP'])['pascal_voc/mAP']
    assert float(row['value']) == round(logged * 100, 2)


def fake_run(work_dir: str, config: str, seed: int, metrics: dict, options: dict = None,
             label: str = None) -> None:
    """A work dir as mmengine leaves it: the dumped config and a validation in vis_data/scalars.json;
    with ``label``, also the run record tools/train.py writes."""
    from mmmotion.engine.runs import make_record, write_record
    cfg = Config.fromfile(osp.join(REPO_ROOT, config))
    cfg.merge_from_dict(dict(options or {}, **{'randomness.seed': seed}))
    os.makedirs(osp.join(work_dir, '20260101_000000', 'vis_data'))
    cfg.dump(osp.join(work_dir, osp.basename(config)))
    if label:
        write_record(work_dir, make_record(cfg, config, label))
    with open(osp.join(work_dir, '20260101_000000', 'vis_data', 'scalars.json'), 'w') as f:
        f.write(json.dumps({'loss': 1.0, 'iter': 10}) + '\n')
        f.write(json.dumps(dict(metrics, step=10)) + '\n')
        f.write('{"cut off by a kill')


def table_rows(text: str, title: str) -> dict:
    """label -> table line of the table whose title starts with ``title``."""
    block = text.split(title, 1)[1].split('\n\n**', 1)[0]
    return {line.split(' | ')[0][2:]: line for line in block.splitlines()
            if line.startswith('| ') and not line.startswith('| checkpoint |')}


@pytest.mark.slow
@pytest.mark.e2e
def test_collector_table_from_work_dirs_without_records(tmp_path):
    """Runs from before run records (old layout <label>/<config>/seed<k>): read from their dumped configs."""
    root = str(tmp_path / 'bench')
    det_all, det_c5 = f'{TOY_DIR}/fast-rcnn_alexnet_toy.py', f'{TOY_DIR}/fast-rcnn_alexnet-c5_toy.py'
    for label, base in (('random', 0.2), ('motionmask', 0.5)):
        for config, bonus in ((det_all, 0.1), (det_c5, 0.0)):
            for seed in (0, 1):
                name = osp.splitext(osp.basename(config))[0]
                fake_run(osp.join(root, label, name, f'seed{seed}'), config, seed,
                         {'pascal_voc/mAP': base + bonus + 0.02 * seed, 'pascal_voc/AP50': 0.0})
    os.makedirs(osp.join(root, 'random', 'unfinished_run', 'seed0'))  # no config yet: skipped
    out_csv = str(tmp_path / 'rows.csv')
    proc = run_tool('tools/benchmarks/collect_results.py', root, '--csv', out_csv)
    assert '| checkpoint | All | >c5 |' in proc.stdout
    # rows: random first, then the others; cells: mean ± std (n) over seeds, in percent
    rows = table_rows(proc.stdout, '**toy-voc-det — mAP**')
    assert list(rows) == ['random', 'motionmask']
    assert rows['random'] == '| random | 31.0 ± 1.4 (2) | 21.0 ± 1.4 (2) |'
    assert rows['motionmask'] == '| motionmask | 61.0 ± 1.4 (2) | 51.0 ± 1.4 (2) |'
    with open(out_csv, newline='') as f:
        csv_rows = list(csv.DictReader(f))
    assert len(csv_rows) == 8
    assert {(r['checkpoint'], r['frozen'], r['seed'], r['value']) for r in csv_rows} >= {('motionmask', 'all', '0',
                                                                                          '60.0')}
    summary = run_tool('tools/benchmarks/collect_results.py', '--from-csv', out_csv).stdout
    assert rows['random'] in summary


@pytest.mark.slow
@pytest.mark.e2e
def test_collector_keeps_two_benchmarks_apart(tmp_path):
    """VOC07 and VOC12 sweeps in one work root: two tables, never one mean over both."""
    root = str(tmp_path / 'bench')
    for config, base in (('configs/benchmarks/mmdetection/voc07/fast-rcnn_alexnet-c5_voc07.py', 0.5),
                         ('configs/benchmarks/mmdetection/voc12/fast-rcnn_alexnet-c5_voc12.py', 0.3)):
        for seed in (0, 1):
            name = osp.splitext(osp.basename(config))[0]
            fake_run(osp.join(root, name, f'seed{seed}'), config, seed, {'pascal_voc/mAP': base + 0.01 * seed},
                     label='motionmask')
    stdout = run_tool('tools/benchmarks/collect_results.py', root).stdout
    assert table_rows(stdout, '**voc07-det — mAP**')['motionmask'] == '| motionmask | 50.5 ± 0.7 (2) |'
    assert table_rows(stdout, '**voc12-det — mAP**')['motionmask'] == '| motionmask | 30.5 ± 0.7 (2) |'
    only = run_tool('tools/benchmarks/collect_results.py', root, '--benchmarks', 'voc12-det').stdout
    assert 'voc07-det' not in only and '30.5 ± 0.7 (2)' in only


@pytest.mark.slow
@pytest.mark.e2e
def test_collector_keeps_shots_apart_and_averages_subset_seeds(tmp_path):
    root = str(tmp_path / 'bench')
    config = 'configs/benchmarks/mmdetection/voc07_lowshot/fast-rcnn_alexnet-c5_voc07-lowshot.py'
    key = 'train_dataloader.dataset.dataset'
    for shots, base in ((1, 0.1), (10, 0.4)):
        for subset in (0, 1, 2):
            fake_run(osp.join(root, f'k{shots}', f'subset{subset}'), config, 0,
                     {'pascal_voc/mAP': base + 0.01 * subset},
                     options={f'{key}.shots': shots, f'{key}.seed': subset}, label='motionmask')
    stdout = run_tool('tools/benchmarks/collect_results.py', root).stdout
    one = table_rows(stdout, '**voc07-lowshot-det — mAP**, k = 1 images per class')
    ten = table_rows(stdout, '**voc07-lowshot-det — mAP**, k = 10 images per class')
    assert one['motionmask'] == '| motionmask | 11.0 ± 1.0 (3) |'
    assert ten['motionmask'] == '| motionmask | 41.0 ± 1.0 (3) |'


@pytest.mark.slow
@pytest.mark.e2e
def test_collector_refuses_to_average_different_configs(tmp_path):
    root = str(tmp_path / 'bench')
    config = f'{TOY_DIR}/fast-rcnn_alexnet-c5_toy.py'
    fake_run(osp.join(root, 'a'), config, 0, {'pascal_voc/mAP': 0.5}, label='motionmask')
    fake_run(osp.join(root, 'b'), config, 1, {'pascal_voc/mAP': 0.6}, label='motionmask',
             options={'optim_wrapper.optimizer.lr': 0.1})
    proc = run_tool('tools/benchmarks/collect_results.py', root, check=False)
    assert proc.returncode != 0 and 'different configs' in proc.stderr
    assert osp.join(root, 'a') in proc.stderr and osp.join(root, 'b') in proc.stderr


@pytest.mark.slow
@pytest.mark.e2e
def test_collector_reads_a_csv_from_before_benchmarks_with_a_warning(tmp_path):
    old = tmp_path / 'old.csv'
    old.write_text('task,checkpoint,frozen,seed,metric,value\ndet,motionmask,all,0,mAP,70.0\n'
                   'det,motionmask,all,1,mAP,72.0\n')
    proc = run_tool('tools/benchmarks/collect_results.py', '--from-csv', str(old))
    assert 'before results carried their benchmark' in proc.stderr and 'collect_results.py WORK_ROOT' in proc.stderr
    assert table_rows(proc.stdout, '**det (unrecorded benchmark) — mAP**')['motionmask'] == (
        '| motionmask | 71.0 ± 1.4 (2) |')


@pytest.mark.e2e
def test_collector_names_an_empty_root(tmp_path):
    proc = run_tool('tools/benchmarks/collect_results.py', str(tmp_path), check=False)
    assert proc.returncode != 0 and 'no finished run' in proc.stderr


@pytest.mark.slow
@pytest.mark.e2e
def test_sweep_sweeps_shots_and_subset_seeds_into_separate_work_dirs(tmp_path):
    """SHOTS x SUBSET_SEEDS runs of a low-shot config, each in its own keyed work dir (dry run)."""
    env = dict(os.environ, DRY_RUN='1', SHOTS='1 5', SUBSET_SEEDS='0 1', SEEDS='3', PATTERN='*-c5_*',
               WORK_ROOT=str(tmp_path), PATH=osp.dirname(sys.executable) + os.pathsep + os.environ.get('PATH', ''))
    proc = run_watched(['bash', 'tools/benchmarks/sweep.sh', 'local', 'configs/benchmarks/mmdetection/voc07_lowshot',
                        'none', 'random'], env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    dirs = re.findall(r'^=== .* -> (\S+)$', proc.stdout, re.M)
    keys = sorted(osp.basename(d).rsplit('-', 1)[0] for d in dirs)
    assert keys == sorted(f'seed3-k{k}-subset{t}' for k in (1, 5) for t in (0, 1))
    assert {osp.relpath(osp.dirname(d), str(tmp_path)) for d in dirs} == {
        osp.join('voc07-lowshot-det', 'random', 'fast-rcnn_alexnet-c5_voc07-lowshot')}
    assert 'train_dataloader.dataset.dataset.shots=5 train_dataloader.dataset.dataset.seed=1' in proc.stdout
    assert not any(osp.exists(d) for d in dirs)  # a dry run trains nothing


@pytest.mark.slow
@pytest.mark.e2e
def test_low_shot_subset_is_seeded_and_covers_every_class(det_data):
    from mmdet.utils import register_all_modules

    from mmmotion.datasets.k_shot_dataset import KShotDataset
    register_all_modules(init_default_scope=False)
    cfg = Config.fromfile(osp.join(REPO_ROOT, TOY_DIR, 'fast-rcnn_alexnet_toy.py'))
    inner = dict(cfg.train_dataloader.dataset, data_root=det_data['root'] + '/')
    with DefaultScope.overwrite_default_scope('mmdet'):
        full = KShotDataset(inner, shots=100)
        subsets = [KShotDataset(inner, shots=1, seed=seed) for seed in (0, 0, 1, 2, 3)]
    assert len(full) == 6  # every trainval image is needed for 100 shots
    counts = {}
    for index in range(len(subsets[0])):
        for cat in set(subsets[0].get_cat_ids(index)):
            counts[cat] = counts.get(cat, 0) + 1
    present = {c for i in range(len(full)) for c in full.get_cat_ids(i)}
    assert set(counts) == present and min(counts.values()) >= 1
    assert subsets[0].indices == subsets[1].indices  # same seed, same images
    assert len({tuple(s.indices) for s in subsets}) > 1  # other seeds, other images
    item = subsets[0][0]
    assert 'proposals' in item['data_samples'] and item['inputs'].shape[0] == 3
