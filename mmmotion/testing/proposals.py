"""Proposals around known boxes: a cheap stand-in for selective search on generated data."""
from typing import Dict, Iterable

import numpy as np


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
