"""What the studies share: launch commands, options, keyed and reused runs, and the full-scale configs running
2 iterations."""
import os
import os.path as osp

import pytest

from mmmotion.evaluation.run_record import read_record
from mmmotion.studies import common, data_size, lowshot, noisy_masks, supervised_masks
from mmmotion.utils import package_path

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
    assert common.data_root_options(TOY_DET, 'data/x') == {
        f'{loader}.dataset.data_root': 'data/x/' for loader in common.LOADERS}
    assert common.data_root_options(TOY_LOWSHOT, 'data/x/')['train_dataloader.dataset.dataset.data_root'] == 'data/x/'
    assert common.init_options(common.DET_INIT_MODULES, None) == {}
    assert common.init_options(common.DET_INIT_MODULES, 'b.pth') == {
        'model.backbone.init_cfg.type': 'Pretrained', 'model.backbone.init_cfg.checkpoint': 'b.pth',
        'model.roi_head.bbox_head.init_cfg.type': 'Pretrained', 'model.roi_head.bbox_head.init_cfg.checkpoint': 'b.pth'}
    # the keyed work dir is tools/train.py's (--work-root): the same run lands in the same folder
    _, record, work_dir = common.prepared_run(TOY_DET, {'randomness.seed': 3}, 'random', str(tmp_path))
    assert work_dir.startswith(osp.join(str(tmp_path), 'toy-voc-det', 'random', 'fast-rcnn_alexnet-c5_toy', 'seed3-'))
    assert common.prepared_run(TOY_DET, {'randomness.seed': 3}, 'random', str(tmp_path))[2] == work_dir
    assert common.prepared_run(TOY_DET, {'randomness.seed': 4}, 'random', str(tmp_path))[2] != work_dir


@pytest.mark.slow
def test_full_scale_configs_run_two_iterations(tmp_path, toy_motionmask_root, toy_voc_root):
    """The paper-sized study configs (batch and workers cut to CPU size) and the miniature low-shot config train
    2 iterations through the studies' runner, each in its keyed work dir with a finished record."""
    coco128 = os.environ.get('MMMOTION_COCO128', osp.join(osp.dirname(package_path('configs')), '..', '..',
                                                          'shared', 'data', 'coco128'))
    small = {'train_dataloader.batch_size': 2, 'train_dataloader.num_workers': 0,
             'train_dataloader.persistent_workers': False, 'train_cfg.max_iters': 2, 'train_cfg.val_interval': 100,
             'randomness.seed': 0}
    noisy = package_path('configs', noisy_masks.CONFIGS['full'])
    size = package_path('configs', data_size.CONFIGS['full'])
    coco = package_path('configs', supervised_masks.COCO_CONFIGS['full2017'])
    annotations = tmp_path / 'coco' / 'annotations'
    annotations.mkdir(parents=True)
    os.symlink(osp.abspath(osp.join(coco128, 'instances_train2017.json')), annotations / 'instances_train2017.json')
    os.symlink(osp.abspath(osp.join(coco128, 'train2017')), tmp_path / 'coco' / 'train2017')
    runs = [
        (noisy, {**small, **noisy_masks.degradation_options(noisy, 'blob_add', 2, 24),
                 'train_dataloader.dataset.data_root': toy_motionmask_root}),
        (size, {**small, **data_size.subset_options(size, 0.5, 0),
                'train_dataloader.dataset.data_root': toy_motionmask_root}),
        (coco, {**small, 'train_dataloader.dataset.data_root': str(tmp_path / 'coco')}),
        (TOY_LOWSHOT, {**small, **common.data_root_options(TOY_LOWSHOT, toy_voc_root),
                       f'{lowshot.kshot_key(TOY_LOWSHOT)}.shots': 1}),
    ]
    for config, options in runs:
        work_dir = common.train_run(config, options, 'check', str(tmp_path / 'runs'), common.Launch())
        record = read_record(work_dir)
        assert record['finished'] and record['max_iters'] == 2, config
        assert osp.basename(osp.dirname(work_dir)) == osp.splitext(osp.basename(config))[0]
