"""MotionMaskDataset and CocoSupervisedMaskDataset: loading, splits, subsets, errors, pipelines."""
import json
import os.path as osp

import numpy as np
import pytest

from mmmotion.datasets import CocoSupervisedMaskDataset, MotionMaskDataset

TRAIN_PIPELINE = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadSoftMask'),
    dict(type='SampleObject'),
    dict(type='JitteredObjectCrop', crop_size=227, mask_size=56),
    dict(type='MaskRandomFlip', prob=0.5),
    dict(type='GenerateTrimap'),
    dict(type='PackMotionMaskInputs'),
]


def test_reads_the_generator_layout(toy_motionmask_root):
    ds = MotionMaskDataset(data_root=toy_motionmask_root, pipeline=TRAIN_PIPELINE)
    assert len(ds) == 16
    info = ds.get_data_info(0)
    assert info['img_path'].endswith('images/video00/000_000000.jpg')
    assert info['mask_path'].endswith('masks/video00/000_000000.png')
    out = ds[0]
    assert tuple(out['inputs'].shape) == (3, 227, 227)
    gt = out['data_samples'].gt_mask.data
    assert tuple(gt.shape) == (1, 56, 56)
    values = set(gt.unique().tolist())
    assert values <= {0, 1, 255} and {0, 1} <= values


def test_video_split_is_disjoint_and_complete(toy_motionmask_root):
    kwargs = dict(data_root=toy_motionmask_root, val_fraction=0.25, split_seed=3)
    train = MotionMaskDataset(split='train', **kwargs)
    val = MotionMaskDataset(split='val', **kwargs)
    videos = lambda ds: {ds.get_data_info(i)['video_id'] for i in range(len(ds))}  # noqa: E731
    assert len(videos(val)) == 1 and len(videos(train)) == 3
    assert not videos(train) & videos(val)
    assert len(train) + len(val) == 16
    with pytest.raises(ValueError, match='split'):
        MotionMaskDataset(data_root=toy_motionmask_root, split='test')


@pytest.mark.parametrize('kwargs, size', [(dict(subset_ratio=0.5), 8), (dict(subset_ratio=0.25), 4),
                                          (dict(subset_num=5), 5), (dict(subset_num=100), 16),
                                          (dict(indices=3), 3)])
def test_subset_sizes(toy_motionmask_root, kwargs, size):
    assert len(MotionMaskDataset(data_root=toy_motionmask_root, **kwargs)) == size


def test_subsets_are_seeded(toy_motionmask_root):
    paths = lambda ds: [ds.get_data_info(i)['img_path'] for i in range(len(ds))]  # noqa: E731
    a = MotionMaskDataset(data_root=toy_motionmask_root, subset_ratio=0.5, subset_seed=1)
    b = MotionMaskDataset(data_root=toy_motionmask_root, subset_ratio=0.5, subset_seed=1)
    c = MotionMaskDataset(data_root=toy_motionmask_root, subset_ratio=0.5, subset_seed=2)
    assert paths(a) == paths(b) and paths(a) != paths(c)
    with pytest.raises(ValueError, match='subset_ratio'):
        MotionMaskDataset(data_root=toy_motionmask_root, subset_ratio=1.5)


def test_lazy_init_and_errors(toy_motionmask_root, tmp_path):
    lazy = MotionMaskDataset(data_root=str(tmp_path / 'nowhere'), lazy_init=True)
    assert not lazy._fully_initialized
    with pytest.raises(FileNotFoundError, match='unlc_coco.json'):
        lazy.full_init()
    bad = tmp_path / 'bad'
    (bad / 'annotations').mkdir(parents=True)
    (bad / 'annotations' / 'unlc_coco.json').write_text('{"images": 3, "annotations": []}')
    with pytest.raises(ValueError, match='images'):
        MotionMaskDataset(data_root=str(bad))
    (bad / 'annotations' / 'unlc_coco.json').write_text('{"images": [{"id": 1}], "annotations": []}')
    with pytest.raises(ValueError, match=r'images\[0\] has no `file_name`'):
        MotionMaskDataset(data_root=str(bad))
    (bad / 'annotations' / 'unlc_coco.json').write_text('{not json')
    with pytest.raises(ValueError, match='not valid JSON'):
        MotionMaskDataset(data_root=str(bad))


def test_true_masks_and_rle_fallback(toy_motionmask_root, tmp_path):
    ds = MotionMaskDataset(data_root=toy_motionmask_root,
                           data_prefix=dict(img_path='images', mask_path='masks', gt_mask_path='gt_masks'),
                           pipeline=TRAIN_PIPELINE)
    sample = ds[0]['data_samples']
    true, trimap = sample.gt_true_mask.data[0], sample.gt_mask.data[0]
    assert ((true == 1) == (trimap == 1))[trimap != 255].float().mean() > 0.95
    # without mask_file, the RLE of the annotation is the mask
    coco = json.load(open(osp.join(toy_motionmask_root, 'annotations', 'unlc_coco.json')))
    for image in coco['images']:
        image.pop('mask_file')
    ann = tmp_path / 'rle.json'
    ann.write_text(json.dumps(coco))
    rle_ds = MotionMaskDataset(data_root=toy_motionmask_root, ann_file=str(ann), pipeline=TRAIN_PIPELINE)
    assert 'instances' in rle_ds.get_data_info(0)
    assert set(rle_ds[0]['data_samples'].gt_mask.data.unique().tolist()) <= {0, 1, 255}


def test_coco_supervised_masks_discard_classes_and_ignore_crowds(tmp_path):
    import cv2
    (tmp_path / 'train2017').mkdir()
    (tmp_path / 'annotations').mkdir()
    cv2.imwrite(str(tmp_path / 'train2017' / '1.jpg'), np.full((100, 120, 3), 90, np.uint8))
    cv2.imwrite(str(tmp_path / 'train2017' / '2.jpg'), np.full((100, 120, 3), 90, np.uint8))
    square = lambda x, y, s: [[x, y, x + s, y, x + s, y + s, x, y + s]]  # noqa: E731
    coco = dict(
        images=[dict(id=1, file_name='1.jpg', height=100, width=120),
                dict(id=2, file_name='2.jpg', height=100, width=120)],
        annotations=[
            dict(id=1, image_id=1, category_id=3, segmentation=square(10, 10, 40), area=1600,
                 bbox=[10, 10, 40, 40], iscrowd=0),
            dict(id=2, image_id=1, category_id=7, segmentation=square(60, 50, 35), area=1225,
                 bbox=[60, 50, 35, 35], iscrowd=0),
            dict(id=3, image_id=1, category_id=1,
                 segmentation=dict(counts=[0, 100 * 5], size=[100, 120]), area=500,
                 bbox=[0, 0, 5, 100], iscrowd=1),
            dict(id=4, image_id=2, category_id=3, segmentation=square(0, 0, 10), area=100,
                 bbox=[0, 0, 10, 10], iscrowd=0),  # too small: image 2 is skipped
        ],
        categories=[dict(id=i, name=f'c{i}') for i in (1, 3, 7)])
    (tmp_path / 'annotations' / 'instances_train2017.json').write_text(json.dumps(coco))
    pipeline = [dict(type='LoadImageFromFile'), dict(type='LoadSoftMask'), dict(type='SampleObject')]
    ds = CocoSupervisedMaskDataset(data_root=str(tmp_path), pipeline=pipeline, min_area=32 * 32)
    assert len(ds) == 1
    out = ds[0]
    soft = out['soft_mask']
    assert soft[30, 30] == 1 and soft[60, 70] == 1 and soft[50, 2] == 0.5 and soft[90, 110] == 0
    np.testing.assert_allclose(out['object_bboxes'], [[10, 10, 51, 51], [60, 50, 96, 86]], atol=1)
    assert tuple(out['object_bbox']) in {tuple(b) for b in out['object_bboxes']}
    from mmmotion.datasets.transforms import soft_to_trimap
    assert soft_to_trimap(soft)[50, 2] == 255  # crowd: ignored
    with pytest.raises(FileNotFoundError, match='instances_val2017.json'):
        CocoSupervisedMaskDataset(data_root=str(tmp_path), ann_file='annotations/instances_val2017.json')


def test_supervised_masks_config_builds_its_pipeline_on_a_coco_layout(tmp_path):
    """The "Supervised Masks" config's dataset and pipeline, on a two-object COCO file."""
    import cv2
    from mmengine.config import Config
    from mmmotion.registry import DATASETS
    from tool_runner import REPO_ROOT
    (tmp_path / 'train2017').mkdir()
    (tmp_path / 'annotations').mkdir()
    cv2.imwrite(str(tmp_path / 'train2017' / '1.jpg'), np.full((120, 160, 3), 90, np.uint8))
    square = lambda x, y, s: [[x, y, x + s, y, x + s, y + s, x, y + s]]  # noqa: E731
    coco = dict(images=[dict(id=1, file_name='1.jpg', height=120, width=160)],
                annotations=[dict(id=1, image_id=1, category_id=5, segmentation=square(20, 20, 50),
                                  area=2500, bbox=[20, 20, 50, 50], iscrowd=0)],
                categories=[dict(id=5, name='dog')])
    (tmp_path / 'annotations' / 'instances_train2017.json').write_text(json.dumps(coco))
    cfg = Config.fromfile(osp.join(
        REPO_ROOT, 'configs/motionmask/motionmask_alexnet_8xb32-80k_coco-supervised-masks.py'))
    dataset = DATASETS.build(dict(cfg.train_dataloader.dataset, data_root=str(tmp_path)))
    out = dataset[0]
    assert tuple(out['inputs'].shape) == (3, 227, 227)
    trimap = out['data_samples'].gt_mask.data[0]
    assert (trimap == 1).float().mean() > 0.2 and (trimap == 0).any()


def test_pipeline_builds_while_another_library_scope_is_the_default(toy_motionmask_root):
    """An mmseg (or mmdet) build earlier in the process leaves its scope as the default; mmmotion's
    transforms must still be found."""
    from mmengine.registry import DefaultScope
    with DefaultScope.overwrite_default_scope('mmseg'):
        ds = MotionMaskDataset(data_root=toy_motionmask_root, pipeline=TRAIN_PIPELINE)
    assert tuple(ds[0]['inputs'].shape) == (3, 227, 227)
