"""Study 4 (low-shot): the sweep over k x subset seeds x checkpoints at All and >c5, and the spread over subset
seeds in its figure and text."""
import csv

import cv2
import pytest
from mmengine.config import Config

from mmmotion.engine.runs import config_identity
from mmmotion.experiments import lowshot
from mmmotion.experiments.study import main


def test_the_sweep_sets_k_and_the_subset_seed_of_each_configs_kshot_dataset(toy_voc_root):
    args = lowshot.parser('').parse_args(['--transfer-root', toy_voc_root, '--shots', '1', '5',
                                          '--subset-seeds', '0', '2'])
    plan = lowshot.lowshot_plan(args)
    assert list(plan.configs) == ['all', 'c5'] and plan.seeds == (0, )
    assert plan.grid == {'train_dataloader.dataset.shots': (1, 5), 'train_dataloader.dataset.seed': (0, 2)}
    for frozen, config in plan.configs.items():
        cfg = Config.fromfile(config)
        cfg.merge_from_dict({'train_dataloader.dataset.shots': 5, 'train_dataloader.dataset.seed': 2})
        identity = config_identity(cfg.to_dict())
        assert (identity['benchmark'], identity['frozen'], identity['shots'], identity['subset_seed']) == (
            'toy-voc-lowshot-det', frozen, 5, 2)
    full = lowshot.parser('').parse_args(['--scale', 'full'])
    assert lowshot.kshot_key(lowshot.lowshot_plan(full).configs['c5']) == 'train_dataloader.dataset.dataset'
    assert lowshot.build(full).pretrainings == []  # full scale: the checkpoints are given


def rows_of(label, frozen, values):
    """values: {k: {subset seed: [value per fine-tuning seed]}}"""
    return [dict(benchmark='toy-voc-lowshot-det', metric='mAP', frozen=frozen, checkpoint=label, shots=str(k),
                 subset_seed=str(subset), seed=str(seed), value=value)
            for k, subsets in values.items() for subset, found in subsets.items() for seed, value in enumerate(found)]


def test_spread_is_over_subset_seeds_of_the_means_over_fine_tuning_seeds(tmp_path):
    rows = (rows_of('motionmask', 'c5', {1: {0: [10.0, 12.0], 1: [20.0, 22.0]}, 10: {0: [50.0, 50.0], 1: [54.0, 54.0]}})
            + rows_of('random', 'c5', {1: {0: [5.0], 1: [7.0]}, 10: {0: [30.0], 1: [30.0]}}))
    panels = lowshot.series(rows)
    expected = {'random': {1: [5.0, 7.0], 10: [30.0, 30.0]}, 'motionmask': {1: [11.0, 21.0], 10: [50.0, 54.0]}}
    assert panels == {'toy-voc-lowshot-det mAP, >c5': expected}
    text = lowshot.describe(rows, [])
    assert '- toy-voc-lowshot-det mAP, >c5, motionmask: k=1 16.0 ± 7.1, k=10 52.0 ± 2.8' in text
    lowshot.plot(rows, [], str(tmp_path / 'lowshot.png'))
    assert cv2.imread(str(tmp_path / 'lowshot.png')) is not None


@pytest.mark.slow
def test_one_low_shot_run_gives_a_row_with_its_k_and_subset_seed(tmp_path, toy_voc_root):
    """The study's command at its smallest: random init only, k=1, one subset seed, >c5, 2 iterations."""
    args = ['--out-dir', str(tmp_path / 'out'), '--transfer-root', toy_voc_root, '--no-pretrain', '--frozen', 'c5',
            '--shots', '1', '--subset-seeds', '4', '--transfer-iters', '2', '--csv', str(tmp_path / 'rows.csv'),
            '--figure', str(tmp_path / 'lowshot.png'), '--doc', str(tmp_path / 'benchmarks.md')]
    result = main(lowshot.build, lowshot.parser(''), args, tool='tools/studies/lowshot.py')
    with open(tmp_path / 'rows.csv', newline='') as f:
        rows = list(csv.DictReader(f))
    assert [(r['benchmark'], r['checkpoint'], r['frozen'], r['shots'], r['subset_seed'], r['seed']) for r in rows] == [
        ('toy-voc-lowshot-det', 'random', 'c5', '1', '4', '0')]
    assert result['pretrained'] == [] and cv2.imread(str(tmp_path / 'lowshot.png')) is not None
    text = open(tmp_path / 'benchmarks.md').read()
    assert '**toy-voc-lowshot-det — mAP**, k = 1 images per class' in text
    assert f'- toy-voc-lowshot-det mAP, >c5, random: k=1 {float(rows[0]["value"]):.1f} ± 0.0' in text
