"""Study 1 (noisy masks): the degradations on exact masks, the study's variants as options on one config, and
the whole shared runner (pretrain -> export -> transfer -> rows -> figure -> section) at a tiny size."""
import copy
import csv
import os
import os.path as osp
import re

import cv2
import numpy as np
import pytest

from mmmotion.datasets.transforms import MaskDegradation
from mmmotion.datasets.transforms.degradation import add_blobs, drop_blobs, truncate_objects
from mmmotion.experiments import noisy_masks
from mmmotion.experiments.study import main
from mmmotion.utils import package_path


def disc(radius: float, size: int = 101, centre=(50, 50)) -> np.ndarray:
    """The pixels whose centres lie within ``radius`` of ``centre``, as a float mask."""
    ys, xs = np.mgrid[:size, :size]
    return ((ys - centre[0]) ** 2 + (xs - centre[1]) ** 2 <= radius ** 2).astype(np.float32)


def components(mask: np.ndarray) -> int:
    return cv2.connectedComponents((mask >= 0.5).astype(np.uint8), connectivity=8)[0] - 1


@pytest.mark.parametrize('k', [1, 3, 8])
def test_dilation_and_erosion_move_a_discs_radius_by_k(k):
    radius = 20
    dilated = MaskDegradation('dilate', pixels=k)(dict(soft_mask=disc(radius)))['soft_mask'] >= 0.5
    eroded = MaskDegradation('erode', pixels=k)(dict(soft_mask=disc(radius)))['soft_mask'] >= 0.5
    # a digital disc of radius r + k (r - k), up to the pixels on its rim
    assert (disc(radius + k - 1) <= dilated).all() and (dilated <= disc(radius + k + 1)).all()
    assert (disc(radius - k - 1) <= eroded).all() and (eroded <= disc(radius - k + 1)).all()
    for mask, r in ((dilated, radius + k), (eroded, radius - k)):
        assert mask[50].sum() == mask[:, 50].sum() == 2 * r + 1  # the diameter through the centre
        assert abs(mask.sum() - np.pi * r ** 2) < 2 * np.pi * r  # the area, within one rim of pixels


@pytest.mark.parametrize('fraction', [0.1, 0.25, 0.5])
def test_truncation_removes_exactly_that_part_of_the_extent(fraction):
    mask = disc(20)
    np.random.seed(1)
    out = MaskDegradation('truncate', fraction=fraction)(dict(soft_mask=mask))['soft_mask'] >= 0.5
    ys, xs = np.nonzero(out)
    height, width = ys.max() + 1 - ys.min(), xs.max() + 1 - xs.min()
    cut = int(round(fraction * 41))
    # one side lost exactly round(p * extent) rows or columns; the other direction kept its extent
    assert sorted([41 - height, 41 - width]) == [0, cut]
    assert out.sum() < mask.sum()
    for side in ('top', 'bottom', 'left', 'right'):
        one = truncate_objects(mask, fraction, np.random.default_rng(0), side=side) >= 0.5
        rows, cols = np.nonzero(one)
        assert (rows.max() + 1 - rows.min()) * (cols.max() + 1 - cols.min()) == 41 * (41 - cut)


def three_discs() -> np.ndarray:
    mask = np.zeros((120, 160), np.float32)
    for centre in ((30, 30), (30, 120), (90, 70)):
        cv2.circle(mask, centre[::-1], 12, 1.0, -1)
    return cv2.GaussianBlur(mask, (0, 0), 1.0)  # soft borders, as uNLC masks have


@pytest.mark.parametrize('count, left', [(1, 2), (2, 1), (3, 0), (5, 0)])
def test_blob_drop_removes_that_many_objects_with_their_fringe(count, left):
    mask = three_discs()
    out = drop_blobs(mask, count, np.random.default_rng(count))
    assert components(out) == left
    kept = (out >= 0.5) & (mask >= 0.5)
    np.testing.assert_array_equal(out[kept], mask[kept])  # the objects left are untouched
    dropped = (mask >= 0.5) & (out < 0.5)
    near = cv2.dilate(dropped.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    assert (out[near] == 0).all()  # nothing of a dropped object's soft border is left next to it


@pytest.mark.parametrize('count', [1, 3])
def test_blob_add_adds_that_many_separate_discs(count):
    mask = three_discs()
    out = add_blobs(mask, count, radius=6, rng=np.random.default_rng(0))
    assert components(out) == 3 + count
    np.testing.assert_array_equal(out[mask >= 0.5], mask[mask >= 0.5])
    added = (out >= 0.5) & (mask < 0.5)
    area = (cv2.circle(np.zeros((20, 20), np.uint8), (10, 10), 6, 1, -1) > 0).sum()
    assert added.sum() == count * area
    # no room left: as many as fit, none over an object
    full = np.ones((40, 40), np.float32)
    full[15:25, 15:25] = 0
    assert components(add_blobs(full, 2, radius=6, rng=np.random.default_rng(0))) == 1


def test_level_zero_is_the_identity_and_bad_arguments_are_named():
    mask = three_discs()
    for mode in MaskDegradation.MODES:
        out = MaskDegradation(mode)(dict(soft_mask=mask.copy()))['soft_mask']
        np.testing.assert_array_equal(out, mask)
    out = MaskDegradation('blob_drop', blobs=1, prob=0.0)(dict(soft_mask=mask.copy()))['soft_mask']
    np.testing.assert_array_equal(out, mask)
    with pytest.raises(ValueError, match='blobs'):
        MaskDegradation('blob_add', blobs=-1)
    with pytest.raises(ValueError, match='mode'):
        MaskDegradation('blur')


def test_variants_are_options_on_one_config_that_build():
    from mmengine.config import Config

    from mmmotion.datasets.motion_mask_dataset import build_pipeline
    for scale in ('miniature', 'full'):
        config = package_path('configs', noisy_masks.CONFIGS[scale])
        found = noisy_masks.variants(config, noisy_masks.LEVELS[scale], noisy_masks.BLOB_RADIUS[scale], {})
        assert len(found) == 1 + sum(len(v) for v in noisy_masks.LEVELS[scale].values())
        assert {v.config for v in found} == {config} and len({v.label for v in found}) == len(found)
        loaded = Config.fromfile(config)
        for variant in found:
            cfg = copy.deepcopy(loaded)
            cfg.merge_from_dict(variant.options)
            step = build_pipeline(cfg.train_dataloader.dataset.pipeline)[2]
            assert isinstance(step, MaskDegradation)
            kind, level = variant.meta['kind'], variant.meta['level']
            if kind == 'clean':
                assert (step.mode, step.pixels) == ('dilate', 0)
                continue
            assert step.mode == noisy_masks.KINDS[kind]['mode']
            value = {'px': step.pixels, 'discs added': step.blobs}.get(noisy_masks.KINDS[kind]['unit'])
            assert value == level if value is not None else round(
                100 * (step.fraction if kind == 'truncate' else step.prob)) == level
    assert noisy_masks.parse_levels(['dilate=2,4.5']) == {'dilate': (2, 4.5)}
    with pytest.raises(ValueError, match='KIND'):
        noisy_masks.parse_levels(['blur=2'])


def test_every_kinds_line_starts_at_the_clean_masks_and_random_init_is_a_baseline(tmp_path):
    pretrained = [dict(label=label, meta=dict(kind=kind, level=level))
                  for label, kind, level in (('clean', 'clean', 0), ('dilate-8px', 'dilate', 8),
                                             ('dilate-3px', 'dilate', 3), ('blob_add-1', 'blob_add', 1))]
    values = {'clean': 60.0, 'dilate-3px': 58.0, 'dilate-8px': 50.0, 'blob_add-1': 59.0, 'random': 40.0}
    rows = [dict(benchmark='toy-voc-det', metric='mAP', frozen='c5', checkpoint=label, seed=str(seed),
                 value=value + seed) for label, value in values.items() for seed in (0, 1)]
    panels, baselines = noisy_masks.series(rows, pretrained)
    assert panels == {'toy-voc-det mAP, >c5': {'dilate (3, 8 px)': {0: [60.0, 61.0], 1: [58.0, 59.0], 2: [50.0, 51.0]},
                                               'blob_add (1 discs added)': {0: [60.0, 61.0], 1: [59.0, 60.0]}}}
    assert baselines == {'toy-voc-det mAP, >c5': {'random': [40.0, 41.0]}}
    text = noisy_masks.describe(rows, pretrained)
    assert '- toy-voc-det mAP, >c5, dilate (3, 8 px): 60.5 → 58.5 → 50.5' in text
    assert '- toy-voc-det mAP, >c5, random: 40.5' in text
    noisy_masks.plot(rows, pretrained, str(tmp_path / 'noisy.png'))
    assert cv2.imread(str(tmp_path / 'noisy.png')) is not None


@pytest.mark.slow
def test_the_study_runs_end_to_end_and_resumes(tmp_path, toy_motionmask_root, toy_voc_root):
    """The shared runner at a tiny size: one noise level (the clean pretraining left out), 2 iterations per stage,
    one seed, >c5 detection; then again, reusing everything."""
    out = tmp_path / 'out'
    args = ['--out-dir', str(out), '--data-root', toy_motionmask_root, '--transfer-root', toy_voc_root,
            '--pretrain-iters', '2', '--transfer-iters', '2', '--seeds', '0', '--kinds', 'blob_add',
            '--levels', 'blob_add=2', '--no-random', '--pretrain-options', 'train_dataloader.num_workers=0',
            'train_dataloader.persistent_workers=False', '--csv', str(tmp_path / 'rows.csv'),
            '--figure', str(tmp_path / 'figures' / 'noisy.png'), '--doc', str(tmp_path / 'benchmarks.md')]
    parser = noisy_masks.parser('')
    build = noisy_masks.build

    def without_clean(parsed):
        study = build(parsed)
        study.pretrainings = [p for p in study.pretrainings if p.label != 'clean']
        return study
    first = main(without_clean, parser, args, tool='tools/studies/noisy_masks.py')
    with open(tmp_path / 'rows.csv', newline='') as f:
        rows = list(csv.DictReader(f))
    assert [(r['benchmark'], r['checkpoint'], r['frozen'], r['seed'], r['metric']) for r in rows] == [
        ('toy-voc-det', 'blob_add-2', 'c5', '0', 'mAP')]
    pretraining, row = first['pretrained'][0], rows[0]
    assert osp.isfile(pretraining['backbone']) and pretraining['max_iters'] == 2 and pretraining['finished']
    assert row['checkpoint_sha256'] and osp.isdir(row['work_dir']) and 0 <= float(row['value']) <= 100
    assert 'mask/pseudo/mIoU' in pretraining['mask_metrics']
    # only the exported backbone is kept of the runs' checkpoints
    assert [n for n in os.listdir(pretraining['work_dir']) if n.endswith('.pth')] == ['backbone.pth']
    assert not [n for n in os.listdir(row['work_dir']) if n.endswith('.pth')]
    png = cv2.imread(str(tmp_path / 'figures' / 'noisy.png'))
    assert png is not None and png.shape[0] > 100
    text = open(tmp_path / 'benchmarks.md').read()
    assert text.startswith('# Benchmarks\n\n## Study: noisy masks\n')
    assert '![noisy_masks](figures/noisy.png)' in text
    assert 'Command: `python tools/studies/noisy_masks.py --out-dir' in text
    assert re.search(r'1-min load average [\d.]+ at the start and [\d.]+ at the end', text)
    assert 'Pretrainings (1 run (0 reused' in text and 'Fine-tuning (1 run (0 reused' in text
    assert '| blob_add-2 | blob_add | 2 | 2 |' in text
    assert f'blob_add (2 discs added): {float(row["value"]):.1f}' in text
    # again: every run is reused, and the section says so
    second = main(without_clean, parser, args, tool='tools/studies/noisy_masks.py')
    assert [r['value'] for r in second['rows']] == [r['value'] for r in first['rows']]
    text = open(tmp_path / 'benchmarks.md').read()
    assert 'Pretrainings (1 run (1 reused' in text and 'Fine-tuning (1 run (1 reused' in text
    # a rerun under its own heading sits beside the study's section instead of replacing it
    main(without_clean, parser, args + ['--section', '## Study: noisy masks (a rerun)'],
         tool='tools/studies/noisy_masks.py')
    text = open(tmp_path / 'benchmarks.md').read()
    assert text.count('\n## Study: noisy masks\n') == 1 and text.count('\n## Study: noisy masks (a rerun)\n') == 1
    with pytest.raises(ValueError, match='--section'):
        main(without_clean, parser, args + ['--section', 'no heading'], tool='tools/studies/noisy_masks.py')
