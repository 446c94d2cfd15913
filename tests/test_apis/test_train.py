"""mmmotion.apis.train: the one way to run a training (launch commands, the identity-keyed work dir shared with
tools/train.py, the reuse rule)."""
import os.path as osp

import pytest
from tool_runner import run_tool

from mmmotion.apis import train as training
from mmmotion.engine.runs import read_record
from mmmotion.utils import package_path
from mmmotion.utils.run_options import data_root_options

TOY_DET = package_path('configs', 'benchmarks/mmdetection/toy/fast-rcnn_alexnet-c5_toy.py')
TINY = package_path('configs', 'motionmask/motionmask_alexnet-bn_1xb8-100it_tiny.py')


def test_dist_and_slurm_commands_carry_the_run_and_its_options():
    options = {'randomness.seed': 1, 'model.backbone.init_cfg.checkpoint': '/ckpt/a.pth'}
    dist = training.Launch('dist', gpus=4).command('cfg.py', 'wd/run', 'mm', options, resume=False)
    assert dist[:4] == ['bash', package_path('tools', 'dist_train.sh'), 'cfg.py', '4']
    assert dist[4:] == ['--work-dir', 'wd/run', '--label', 'mm', '--cfg-options', 'randomness.seed=1',
                        'model.backbone.init_cfg.checkpoint=/ckpt/a.pth']
    slurm = training.Launch('slurm', gpus=8, partition='gpu').command('cfg.py', 'wd/run', 'mm', options, resume=True)
    assert slurm[:7] == ['env', 'GPUS=8', 'bash', package_path('tools', 'slurm_train.sh'), 'gpu', 'mm-run', 'cfg.py']
    assert slurm[7:11] == ['wd/run', '--label', 'mm', '--resume']
    with pytest.raises(ValueError, match='partition'):
        training.Launch('slurm')
    with pytest.raises(ValueError, match='launcher'):
        training.Launch('ssh')
    with pytest.raises(ValueError, match='dotted key'):
        training.cli_options({'train_dataloader.dataset.video_subset': dict(fraction=0.5)})


def test_the_keyed_work_dir_is_the_one_tools_train_py_computes(tmp_path):
    """Options parsed here as the command line parses them give tools/train.py's --work-root folder."""
    words = ['randomness.seed=3', 'param_scheduler.1.milestones=[150]', 'train_cfg.max_iters=200']
    _, record, work_dir = training.prepared_run(TOY_DET, training.parse_cfg_options(words), 'random',
                                                str(tmp_path))
    assert work_dir.startswith(osp.join(str(tmp_path), 'toy-voc-det', 'random', 'fast-rcnn_alexnet-c5_toy', 'seed3-'))
    printed = run_tool('tools/train.py', TOY_DET, '--work-root', str(tmp_path), '--label', 'random',
                       '--print-work-dir', '--cfg-options', *words)
    assert printed.stdout.strip().splitlines()[-1] == work_dir
    assert training.prepared_run(TOY_DET, {'randomness.seed': 4}, 'random', str(tmp_path))[2] != work_dir
    with pytest.raises(ValueError, match='not both'):
        training.prepared_run(TOY_DET, {}, 'random', str(tmp_path), work_dir=str(tmp_path / 'x'))


def test_a_finished_run_of_the_same_identity_is_reused_and_another_replaces_it(toy_motionmask_root, tmp_path):
    options = {**data_root_options(TINY, toy_motionmask_root), 'train_cfg.max_iters': 1, 'train_cfg.val_interval': 1,
               'train_dataloader.batch_size': 2, 'train_dataloader.num_workers': 0,
               'train_dataloader.persistent_workers': False, 'val_dataloader.num_workers': 0,
               'val_dataloader.persistent_workers': False, 'randomness.seed': 0}
    work_dir, logged = str(tmp_path / 'run'), []
    assert training.train_run(TINY, options, 'mm', work_dir=work_dir, validate=True, log=logged.append) == work_dir
    first = read_record(work_dir)
    assert first['finished'] and first['train_samples'] > 0 and 'mask/pseudo/mIoU' in first['final_metrics']
    assert training.latest_checkpoint(work_dir).endswith('iter_1.pth')
    training.train_run(TINY, options, 'mm', work_dir=work_dir, validate=True, log=logged.append)
    assert logged[-1] == f'reusing {work_dir}' and read_record(work_dir)['started'] == first['started']
    training.train_run(TINY, {**options, 'randomness.seed': 1}, 'mm', work_dir=work_dir, log=logged.append)
    assert any('another identity' in line for line in logged) and read_record(work_dir)['seed'] == 1
    assert training.prune_checkpoints(work_dir) == [osp.join(work_dir, 'iter_1.pth')]
    assert not osp.exists(osp.join(work_dir, 'last_checkpoint'))
