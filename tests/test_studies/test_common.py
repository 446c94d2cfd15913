"""What the studies share: launch commands, options reaching the right keys, keyed work dirs. (The shared runner
end to end: test_noisy_masks.py; the full-scale configs running 2 iterations: test_supervised_masks.py.)"""
import os.path as osp

import pytest

from mmmotion.studies import common
from mmmotion.utils import package_path, run_options

TOY_DET = package_path('configs', 'benchmarks/mmdetection/toy/fast-rcnn_alexnet-c5_toy.py')
TOY_LOWSHOT = package_path('configs', 'studies/lowshot/fast-rcnn_alexnet-c5_toy-lowshot.py')


def test_dist_and_slurm_commands_carry_the_run_and_its_options():
    options = {'randomness.seed': 1, 'model.backbone.init_cfg.checkpoint': '/ckpt/a.pth'}
    dist = common.Launch('dist', gpus=4).command('cfg.py', 'wd/run', 'mm', options, resume=False)
    assert dist[:4] == ['bash', package_path('tools', 'dist_train.sh'), 'cfg.py', '4']
    assert dist[4:] == ['--work-dir', 'wd/run', '--label', 'mm', '--cfg-options', 'randomness.seed=1',
                        'model.backbone.init_cfg.checkpoint=/ckpt/a.pth']
    slurm = common.Launch('slurm', gpus=8, partition='gpu').command('cfg.py', 'wd/run', 'mm', options, resume=True)
    assert slurm[:7] == ['env', 'GPUS=8', 'bash', package_path('tools', 'slurm_train.sh'), 'gpu', 'mm-run', 'cfg.py']
    assert slurm[7:11] == ['wd/run', '--label', 'mm', '--resume']
    with pytest.raises(ValueError, match='partition'):
        common.Launch('slurm')
    with pytest.raises(ValueError, match='launcher'):
        common.Launch('ssh')
    with pytest.raises(ValueError, match='dotted key'):
        common.cli_options({'train_dataloader.dataset.video_subset': dict(fraction=0.5)})


def test_options_reach_the_innermost_dataset_and_every_checkpoint_module(tmp_path):
    assert run_options.data_root_options(TOY_DET, 'data/x') == {
        f'{loader}.dataset.data_root': 'data/x/' for loader in run_options.LOADERS}
    inner = 'train_dataloader.dataset.dataset.data_root'
    assert run_options.data_root_options(TOY_LOWSHOT, 'data/x/')[inner] == 'data/x/'
    assert common.init_options(common.DET_INIT_MODULES, None) == {}
    assert common.init_options(common.DET_INIT_MODULES, 'b.pth') == {
        'model.backbone.init_cfg.type': 'Pretrained', 'model.backbone.init_cfg.checkpoint': 'b.pth',
        'model.roi_head.bbox_head.init_cfg.type': 'Pretrained', 'model.roi_head.bbox_head.init_cfg.checkpoint': 'b.pth'}
    # the keyed work dir is tools/train.py's (--work-root): the same run lands in the same folder
    _, record, work_dir = common.prepared_run(TOY_DET, {'randomness.seed': 3}, 'random', str(tmp_path))
    assert work_dir.startswith(osp.join(str(tmp_path), 'toy-voc-det', 'random', 'fast-rcnn_alexnet-c5_toy', 'seed3-'))
    assert common.prepared_run(TOY_DET, {'randomness.seed': 3}, 'random', str(tmp_path))[2] == work_dir
    assert common.prepared_run(TOY_DET, {'randomness.seed': 4}, 'random', str(tmp_path))[2] != work_dir


def test_transfer_plans_pick_the_benchmark_config_of_each_frozen_setting(toy_voc_root):
    from mmengine.config import Config

    from mmmotion.engine.runs import config_identity
    from mmmotion.studies import noisy_masks
    parser = noisy_masks.parser('')
    for argv, benchmark in ((['--scale', 'full', '--frozen', 'all', 'c3', 'c5'], 'voc07-det'),
                            (['--transfer-root', toy_voc_root, '--frozen', 'all', 'c5', '--transfer-iters', '7'],
                             'toy-voc-det')):
        plan = common.transfer_plan(parser.parse_args(argv))
        for frozen, config in plan.configs.items():
            identity = config_identity(Config.fromfile(config).to_dict())
            assert (identity['benchmark'], identity['frozen']) == (benchmark, frozen)
        assert plan.seeds == (0, 1, 2) and plan.init_modules == common.DET_INIT_MODULES
    assert plan.options == {'train_cfg.max_iters': 7, 'train_cfg.val_interval': 7}
    assert plan.data_root.rstrip('/') == toy_voc_root.rstrip('/')
    # the discriminative miniature: its segmentation configs, the backbone alone takes the checkpoint, and the
    # data root is the VOC2007 folder mmseg's dataset reads
    plan = common.transfer_plan(parser.parse_args(['--transfer-root', toy_voc_root, '--toy-task', 'photo-seg',
                                                   '--frozen', 'all', 'c5']))
    for frozen, config in plan.configs.items():
        identity = config_identity(Config.fromfile(config).to_dict())
        assert (identity['benchmark'], identity['frozen']) == ('toy-photo-seg', frozen)
    assert plan.init_modules == ('model.backbone', ) and plan.data_root == osp.join(toy_voc_root, 'VOC2007')
