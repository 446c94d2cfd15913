"""What the studies share: options reaching the right keys, transfer plans. (The shared runner
end to end: test_noisy_masks.py; the full-scale configs running 2 iterations: test_supervised_masks.py.)"""
import os.path as osp


from mmmotion.engine.runs import INIT_MODULES, init_options
from mmmotion.experiments import study as common
from mmmotion.utils import package_path, run_options

TOY_DET = package_path('configs', 'benchmarks/mmdetection/toy/fast-rcnn_alexnet-c5_toy.py')
TOY_LOWSHOT = package_path('configs', 'studies/lowshot/fast-rcnn_alexnet-c5_toy-lowshot.py')


def test_options_reach_the_innermost_dataset_and_every_checkpoint_module():
    assert run_options.data_root_options(TOY_DET, 'data/x') == {
        f'{loader}.dataset.data_root': 'data/x/' for loader in run_options.LOADERS}
    inner = 'train_dataloader.dataset.dataset.data_root'
    assert run_options.data_root_options(TOY_LOWSHOT, 'data/x/')[inner] == 'data/x/'
    assert init_options(INIT_MODULES['det'], None) == {}
    assert init_options(INIT_MODULES['det'], 'b.pth') == {
        'model.backbone.init_cfg.type': 'Pretrained', 'model.backbone.init_cfg.checkpoint': 'b.pth',
        'model.roi_head.bbox_head.init_cfg.type': 'Pretrained', 'model.roi_head.bbox_head.init_cfg.checkpoint': 'b.pth'}


def test_transfer_plans_pick_the_benchmark_config_of_each_frozen_setting(toy_voc_root):
    from mmengine.config import Config

    from mmmotion.engine.runs import config_identity
    from mmmotion.experiments import noisy_masks
    parser = noisy_masks.parser('')
    for argv, benchmark in ((['--scale', 'full', '--frozen', 'all', 'c3', 'c5'], 'voc07-det'),
                            (['--transfer-root', toy_voc_root, '--frozen', 'all', 'c5', '--transfer-iters', '7'],
                             'toy-voc-det')):
        plan = common.transfer_plan(parser.parse_args(argv))
        for frozen, config in plan.configs.items():
            identity = config_identity(Config.fromfile(config).to_dict())
            assert (identity['benchmark'], identity['frozen']) == (benchmark, frozen)
        assert plan.seeds == (0, 1, 2) and plan.init_modules == INIT_MODULES['det']
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
