"""Session fixtures shared by tests in every folder: generated toy VOC data, an AlexNet checkpoint, a small
MotionMask dataset in the generator's layout, and checks of toolbox metrics."""
import json
import os
import os.path as osp

import cv2
import numpy as np
import pytest


def pytest_configure(config):
    """Each pytest-xdist worker gets its share of the cores, as the generator's pool gives its workers
    (mmmotion.utils.pool): two workers' torch, OpenCV and OpenMP threads would otherwise fight over 2 cores.
    The processes tests start inherit the share; a thread count set in the environment is kept."""
    workers = int(os.environ.get('PYTEST_XDIST_WORKER_COUNT', '0') or 0)
    if workers > 1 and 'OMP_NUM_THREADS' not in os.environ:
        from mmmotion.utils.pool import limit_threads, thread_env, threads_per_worker
        share = threads_per_worker(workers)
        os.environ.update(thread_env(share))
        limit_threads(share)


def pytest_runtest_setup(item):
    """A test marked ``real_data('davis16_dev', ...)`` runs only where those sets are (tests/real_data.py):
    checked before any of its fixtures is built, module- and session-scoped ones included."""
    marker = item.get_closest_marker('real_data')
    if marker is not None:
        from real_data import require
        for name in marker.args:
            require(name)


@pytest.fixture(autouse=True)
def isolated_default_scope():
    """A test that runs a toolbox in-process (a Runner, a registry build) leaves that toolbox's scope as
    mmengine's default for the rest of the process; no test may depend on which tests ran before it, so
    the scopes a test creates are dropped after it."""
    from mmengine.registry import DefaultScope
    before = set(DefaultScope._instance_dict)
    yield
    for name in list(DefaultScope._instance_dict):
        if name not in before:
            del DefaultScope._instance_dict[name]


@pytest.fixture(scope='session')
def toy_voc_root(tmp_path_factory) -> str:
    """A generated toy VOC2007 (boxes, segmentation, splits) with proposals for train/val/test."""
    from mmmotion.testing.toy_voc import make_toy_voc, read_voc_boxes
    from mmmotion.proposals import save_proposals
    from mmmotion.testing import jittered_box_proposals
    root = str(tmp_path_factory.mktemp('toy_voc'))
    year_root = make_toy_voc(root, splits={'train': 8, 'val': 4, 'test': 6}, seed=0)
    for split in ('train', 'val', 'trainval', 'test'):
        with open(osp.join(year_root, 'ImageSets', 'Main', f'{split}.txt')) as f:
            ids = f.read().split()
        proposals = {
            f'JPEGImages/{image_id}.jpg': jittered_box_proposals(
                read_voc_boxes(year_root, image_id), (192, 256), num=64, seed=index)
            for index, image_id in enumerate(ids)}
        save_proposals(proposals, osp.join(year_root, 'proposals', f'{split}.pkl'))
    return root


@pytest.fixture(scope='session')
def alexnet_checkpoint(tmp_path_factory) -> dict:
    """A random BN AlexNet (fc6/fc7 included, non-trivial BN statistics so loading them is checked too),
    saved as a MotionMask training checkpoint would be: keys under ``backbone.``.

    Returns ``dict(path=..., source=<its AlexNet state dict, bare keys>)``.
    """
    import torch

    from mmmotion.models import AlexNet
    torch.manual_seed(0)
    source = AlexNet(with_bn=True)
    source.init_weights()
    for module in source.modules():
        if isinstance(module, torch.nn.modules.batchnorm._BatchNorm):
            module.running_mean.uniform_(-1, 1)
            module.running_var.uniform_(0.5, 2)
    path = str(tmp_path_factory.mktemp('alexnet_ckpt') / 'motionmask_iter_10.pth')
    torch.save({'state_dict': {f'backbone.{k}': v for k, v in source.state_dict().items()}, 'meta': {}}, path)
    return dict(path=path, source=source.state_dict())


# ---------------------------------------------------------------- what an evaluator must report on the toy data


@pytest.fixture(scope='session')
def toy_voc_test_truth(toy_voc_root) -> dict:
    """The toy VOC test split as its files give it, for checking what an evaluator reports on it:
    ``images`` (N), ``labels`` (N, classes) 0/1, whether an image has a box of the class; ``boxes`` (classes,)
    boxes per class; ``pixels`` (1 + classes,) pixels per class of the segmentation maps, background first.
    Classes in ``TOY_CLASSES`` order."""
    import xml.etree.ElementTree as ET

    import numpy as np
    from PIL import Image

    from mmmotion.testing.toy_voc import TOY_CLASSES
    year_root = osp.join(toy_voc_root, 'VOC2007')
    with open(osp.join(year_root, 'ImageSets', 'Main', 'test.txt')) as f:
        ids = f.read().split()
    labels = np.zeros((len(ids), len(TOY_CLASSES)), int)
    boxes = np.zeros(len(TOY_CLASSES), int)
    pixels = np.zeros(len(TOY_CLASSES) + 1, int)
    for row, image_id in enumerate(ids):
        for obj in ET.parse(osp.join(year_root, 'Annotations', f'{image_id}.xml')).findall('object'):
            assert obj.find('difficult').text == '0'
            label = TOY_CLASSES.index(obj.find('name').text)
            labels[row, label] = 1
            boxes[label] += 1
        seg = np.array(Image.open(osp.join(year_root, 'SegmentationClass', f'{image_id}.png')))
        pixels += np.bincount(seg.ravel(), minlength=len(pixels))
    return dict(images=len(ids), labels=labels, boxes=boxes, pixels=pixels)


def _achievable_map_values(labels):
    """Every mAP (percent) that mmpretrain's (VOC)AveragePrecision can report, whatever the scores, on samples with
    these (N, classes) 0/1 labels: a class's AP is (1/k) sum_i i / p_i for its k positives ranked at p_1 < ... < p_k
    (0 for a class without positives), and the mAP is their mean."""
    import itertools

    import numpy as np
    n = labels.shape[0]
    total = np.zeros(1)
    for k in labels.sum(0):
        if k == 0:
            aps = np.zeros(1)
        else:
            aps = np.array([sum((i + 1) / p for i, p in enumerate(ranks)) / k
                            for ranks in itertools.combinations(range(1, n + 1), int(k))])
        total = np.unique(np.add.outer(total, aps).ravel())
    return 100 * total / labels.shape[1]


@pytest.fixture(scope='session')
def achievable_map_values():
    """``f(labels) -> sorted array``: the mAPs (percent) an AveragePrecision metric can give on those labels."""
    return _achievable_map_values


def _check_seg_metrics(metrics: dict, log: str, pixels) -> None:
    """mmseg's IoUMetric (iou_metrics=['mIoU']) on data with ``pixels`` (classes,) pixels per class: the metrics
    match the per-class table it logs, as they must for any prediction. Every value is in percent, rounded to
    2 decimals (hence the 0.01 tolerances); with TP_c true positives of G_c pixels of class c, P_c predicted:
    Acc_c = TP_c / G_c, IoU_c = TP_c / (G_c + P_c - TP_c) <= Acc_c, aAcc = sum TP_c / sum G_c
    = sum_c G_c Acc_c / sum G_c, mIoU and mAcc the means of the classes' (nan where undefined)."""
    import re

    import numpy as np
    assert set(metrics) == {'aAcc', 'mIoU', 'mAcc'}
    rows = re.findall(r'^\|\s*(\S+)\s*\|\s*([\d.]+|nan)\s*\|\s*([\d.]+|nan)\s*\|$', log, re.MULTILINE)
    rows = [row for row in rows if row[0] != 'Class']
    assert len(rows) == len(pixels), f'no per-class table of {len(pixels)} classes in the log:\n{log[-3000:]}'
    iou, acc = (np.array([float(row[k]) for row in rows]) for k in (1, 2))
    for value in (*metrics.values(), *iou[~np.isnan(iou)], *acc[~np.isnan(acc)]):
        assert 0 <= value <= 100 and abs(value * 100 - round(value * 100)) < 1e-6, value
    assert (np.isnan(acc) == (pixels == 0)).all(), 'Acc is defined exactly for the classes in the ground truth'
    present = pixels > 0
    assert (iou[present] <= acc[present]).all(), (iou, acc)
    assert metrics['mIoU'] == pytest.approx(np.nanmean(iou), abs=0.0101)
    assert metrics['mAcc'] == pytest.approx(np.nanmean(acc), abs=0.0101)
    assert metrics['mIoU'] <= metrics['mAcc']
    assert metrics['aAcc'] == pytest.approx((pixels[present] * acc[present]).sum() / pixels.sum(), abs=0.0101)


@pytest.fixture(scope='session')
def check_seg_metrics():
    """``f(metrics, log, pixels)``: assert mmseg's mIoU metrics and logged table are consistent with the data."""
    return _check_seg_metrics


# ------------------------------------------------------------------ a MotionMask dataset


def _texture(rng: np.random.Generator, height: int, width: int, colour) -> np.ndarray:
    noise = rng.normal(0, 1, (height // 4 + 1, width // 4 + 1, 3)).astype(np.float32)
    noise = cv2.resize(noise, (width, height), interpolation=cv2.INTER_CUBIC)[:height, :width]
    return np.clip(np.asarray(colour, np.float32) + 40 * noise, 0, 255)


def write_toy_dataset(root: str, n_videos: int = 4, frames: int = 4, size=(96, 128),
                      seed: int = 0, with_true_masks: bool = True) -> str:
    """A dataset in the layout of ``tools/unlc/generate_dataset.py``: an ellipse object over a
    textured background per frame; soft masks have a blurred border (so the trimap has an ignored
    band), ``gt_masks/`` holds the exact masks. Returns ``root``."""
    from pycocotools import mask as mask_utils
    rng = np.random.default_rng(seed)
    height, width = size
    images, annotations = [], []
    for v in range(n_videos):
        video_id = f'video{v:02d}'
        bg_colour, fg_colour = rng.uniform(40, 215, 3), rng.uniform(40, 215, 3)
        for f in range(frames):
            cy, cx = rng.uniform(0.35, 0.65) * height, rng.uniform(0.35, 0.65) * width
            ay, ax = rng.uniform(0.15, 0.3) * height, rng.uniform(0.15, 0.3) * width
            true = np.zeros((height, width), np.uint8)
            cv2.ellipse(true, (int(cx), int(cy)), (int(ax), int(ay)), float(rng.uniform(0, 180)),
                        0, 360, 1, -1)
            img = np.where(true[..., None] > 0, _texture(rng, height, width, fg_colour),
                           _texture(rng, height, width, bg_colour)).astype(np.uint8)
            soft = cv2.GaussianBlur(true.astype(np.float32), (0, 0), 2.0)
            name = f'000_{f:06d}'
            for folder, ext, data in (('images', 'jpg', img), ('masks', 'png', (soft * 255).round()),
                                      ('gt_masks', 'png', true * 255)):
                if folder == 'gt_masks' and not with_true_masks:
                    continue
                path = osp.join(root, folder, video_id, f'{name}.{ext}')
                os.makedirs(osp.dirname(path), exist_ok=True)
                cv2.imwrite(path, data.astype(np.uint8))
            rle = mask_utils.encode(np.asfortranarray((soft >= 0.5).astype(np.uint8)))
            rle['counts'] = rle['counts'].decode('ascii')
            image_id = len(images) + 1
            images.append(dict(id=image_id, file_name=f'{video_id}/{name}.jpg',
                               mask_file=f'{video_id}/{name}.png', height=height, width=width,
                               video_id=video_id, shot=0, frame_index=f))
            annotations.append(dict(id=image_id, image_id=image_id, category_id=1, segmentation=rle,
                                    area=int(mask_utils.area(rle)), iscrowd=0,
                                    bbox=[float(b) for b in mask_utils.toBbox(rle)]))
    os.makedirs(osp.join(root, 'annotations'), exist_ok=True)
    with open(osp.join(root, 'annotations', 'unlc_coco.json'), 'w') as fp:
        json.dump(dict(images=images, annotations=annotations,
                       categories=[dict(id=1, name='moving_object')]), fp)
    return root


@pytest.fixture(scope='session')
def toy_motionmask_root(tmp_path_factory) -> str:
    """4 videos x 4 frames, 96x128, with true masks."""
    return write_toy_dataset(str(tmp_path_factory.mktemp('toy_motionmask')))
