"""Precomputed region proposals in the format mmdet's ``proposal_file`` expects.

mmdet looks proposals up by ``<image folder name>/<image file name>`` (e.g. ``JPEGImages/000001.jpg``)
and needs exactly one entry per image of the split.
"""
import os
import os.path as osp
import pickle
from typing import Dict, Iterable

import numpy as np


def proposal_key(image_path: str) -> str:
    """The key mmdet uses for an image: its folder name and file name."""
    return osp.join(osp.basename(osp.dirname(image_path)), osp.basename(image_path))


def rank_scores(num: int) -> np.ndarray:
    """Scores for ``num`` ranked proposals without scores of their own: 1, (n-1)/n, ..., 1/n.

    mmdet's ``LoadProposals(num_max_proposals=k)`` keeps the first k, so files list the best first.
    """
    return ((num - np.arange(num)) / max(num, 1)).astype(np.float32)


def check_boxes(boxes: np.ndarray, where: str) -> np.ndarray:
    """Return ``boxes`` as (n, 4) float32 x1y1x2y2, or raise ValueError naming ``where`` (file, image).

    Accepts an empty array of any shape with no elements; rejects wrong shapes, non-finite values
    and boxes with x2 < x1 or y2 < y1.
    """
    boxes = np.asarray(boxes)
    if boxes.size == 0:
        return np.zeros((0, 4), np.float32)
    if boxes.ndim != 2 or boxes.shape[1] != 4:
        raise ValueError(f'{where}: boxes must be (n, 4), got {boxes.shape}')
    if not np.issubdtype(boxes.dtype, np.number):
        raise ValueError(f'{where}: boxes must be numbers, got dtype {boxes.dtype}')
    boxes = boxes.astype(np.float32)
    if not np.isfinite(boxes).all():
        raise ValueError(f'{where}: boxes contain NaN or infinite values')
    bad = np.nonzero((boxes[:, 2] < boxes[:, 0]) | (boxes[:, 3] < boxes[:, 1]))[0]
    if len(bad):
        raise ValueError(f'{where}: {len(bad)} boxes have x2 < x1 or y2 < y1 (first: row {bad[0]}, '
                         f'{boxes[bad[0]].tolist()}); expected x1, y1, x2, y2')
    return boxes


def save_proposals(proposals: Dict[str, Dict[str, np.ndarray]], path: str) -> None:
    """Write ``{key: dict(bboxes=(n, 4) float32 x1y1x2y2, scores=(n,) float32)}`` atomically."""
    for key, item in proposals.items():
        boxes = np.asarray(item['bboxes'])
        if boxes.ndim != 2 or boxes.shape[1] != 4:
            raise ValueError(f'proposals for {key}: bboxes must be (n, 4), got {boxes.shape}')
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    tmp = f'{path}.partial'
    with open(tmp, 'wb') as f:
        pickle.dump(proposals, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


def jittered_box_proposals(gt_boxes: np.ndarray, image_size: Iterable[int], num: int = 100,
                           seed: int = 0) -> Dict[str, np.ndarray]:
    """Proposals around known boxes plus random boxes: a cheap stand-in for selective search on
    generated data where the objects are known (tests and the toy benchmark only).

    Args:
        gt_boxes: (k, 4) boxes x1, y1, x2, y2.
        image_size: (height, width).
        num: number of proposals to return.
    """
    height, width = image_size
    rng = np.random.default_rng(seed)
    boxes = []
    for box in np.asarray(gt_boxes, np.float32).reshape(-1, 4):
        w, h = box[2] - box[0], box[3] - box[1]
        jitter = rng.normal(0, 0.15, size=(num // 2 // max(len(gt_boxes), 1), 4)) * [w, h, w, h]
        boxes.append(box + jitter)
    n_random = num - sum(len(b) for b in boxes)
    corners = rng.random((n_random, 2)) * [width, height]
    sizes = (0.1 + 0.6 * rng.random((n_random, 2))) * [width, height]
    boxes.append(np.concatenate([corners, corners + sizes], axis=1))
    boxes = np.concatenate(boxes).astype(np.float32)
    boxes[:, 0::2] = boxes[:, 0::2].clip(0, width - 1)
    boxes[:, 1::2] = boxes[:, 1::2].clip(0, height - 1)
    boxes[:, 2:] = np.maximum(boxes[:, 2:], boxes[:, :2] + 4).clip(max=[width - 1, height - 1])
    return dict(bboxes=boxes, scores=np.ones(len(boxes), np.float32))
