"""A run's identity (mmmotion.engine.runs): what changes the keyed work dir and what does not."""
import os.path as osp

import pytest
import torch
from mmengine.config import Config

from tool_runner import REPO_ROOT
from mmmotion.engine.runs import (benchmark_of, config_hash, keyed_work_dir, make_record, read_record,
                                  same_identity, write_record)

DET_C5 = 'configs/benchmarks/mmdetection/voc07/fast-rcnn_alexnet-c5_voc07.py'
LOWSHOT = 'configs/benchmarks/mmdetection/voc07_lowshot/fast-rcnn_alexnet_voc07-lowshot.py'
PRETRAIN = 'configs/motionmask/motionmask_alexnet-bn_1xb8-100it_tiny.py'


def load(config: str, **options) -> Config:
    cfg = Config.fromfile(osp.join(REPO_ROOT, config))
    cfg.merge_from_dict(options)
    return cfg


@pytest.fixture
def checkpoint(tmp_path):
    path = str(tmp_path / 'backbone.pth')
    torch.save({'conv1.weight': torch.zeros(1)}, path)
    return path


def pretrained(checkpoint: str) -> dict:
    return {'model.backbone.init_cfg': dict(type='Pretrained', checkpoint=checkpoint)}


def test_config_hash_ignores_where_and_how_a_run_is_launched():
    base = config_hash(load(DET_C5).to_dict())
    moved = load(DET_C5, **{'work_dir': '/elsewhere', 'launcher': 'slurm', 'randomness.seed': 7})
    assert config_hash(moved.to_dict()) == base
    assert config_hash(load(DET_C5, **{'optim_wrapper.optimizer.lr': 0.01}).to_dict()) != base


def test_work_dir_key_follows_every_part_of_the_identity(tmp_path, checkpoint):
    root = str(tmp_path / 'runs')
    record = make_record(load(DET_C5, **pretrained(checkpoint)), DET_C5, 'motionmask')
    work_dir = keyed_work_dir(root, record)
    assert osp.relpath(work_dir, root).split(osp.sep)[:3] == ['voc07-det', 'motionmask', 'fast-rcnn_alexnet-c5_voc07']
    assert osp.basename(work_dir).startswith('unseeded-')  # mmdet's runtime sets no seed
    # the same run again, from another work dir: same folder
    again = make_record(load(DET_C5, work_dir='/x', **pretrained(checkpoint)), DET_C5, 'motionmask')
    assert keyed_work_dir(root, again) == work_dir and same_identity(record, again)
    # any change of label, seed, config or checkpoint bytes: another folder
    variants = [
        make_record(load(DET_C5, **pretrained(checkpoint)), DET_C5, 'random'),
        make_record(load(DET_C5, **{'randomness.seed': 1}, **pretrained(checkpoint)), DET_C5, 'motionmask'),
        make_record(load(DET_C5, **{'optim_wrapper.optimizer.lr': 0.01}, **pretrained(checkpoint)), DET_C5,
                    'motionmask'),
    ]
    torch.save({'conv1.weight': torch.ones(1)}, checkpoint)  # same path, other weights
    variants.append(make_record(load(DET_C5, **pretrained(checkpoint)), DET_C5, 'motionmask'))
    dirs = {keyed_work_dir(root, v) for v in variants}
    assert len(dirs) == len(variants) and work_dir not in dirs
    assert not any(same_identity(record, v) for v in variants)


def test_low_shot_runs_are_keyed_by_shots_and_subset_seed(tmp_path):
    key = 'train_dataloader.dataset.dataset'
    records = [make_record(load(LOWSHOT, **{f'{key}.shots': k, f'{key}.seed': s}), LOWSHOT, 'random')
               for k, s in ((1, 0), (1, 1), (10, 0))]
    assert [(r['shots'], r['subset_seed']) for r in records] == [(1, 0), (1, 1), (10, 0)]
    assert [osp.basename(keyed_work_dir('r', r)).rsplit('-', 1)[0] for r in records] == [
        'unseeded-k1-subset0', 'unseeded-k1-subset1', 'unseeded-k10-subset0']
    # the subset seed is part of the identity, not of the config hash: subsets are averaged in one cell
    assert records[0]['config_hash'] == records[1]['config_hash'] != records[2]['config_hash']


def test_record_of_a_config_without_benchmark_name_and_of_pretraining(tmp_path):
    cfg = load(DET_C5).to_dict()
    cfg.pop('benchmark')
    assert benchmark_of(cfg) == ('det:data/VOCdevkit/VOC2007/ImageSets/Main/trainval.txt'
                                 '->data/VOCdevkit/VOC2007/ImageSets/Main/test.txt')
    record = make_record(load(PRETRAIN), PRETRAIN)
    assert record['task'] is None and record['benchmark'] == 'MotionMask' and record['label'] == 'random'
    assert record['max_iters'] == 100 and record['commit']
    write_record(str(tmp_path), record)
    assert read_record(str(tmp_path)) == record
