"""Where does a mask lie? Checks of masks against one tracked target's box per frame (VOT layout).

A tracking box is weak ground truth for a motion mask: only the tracked target is annotated, so a
mask on another moving object is not wrong by definition. It still tells the failure that matters
for pseudo-ground truth on wild footage, a mask on the road or a wall instead of the moving object.
"""
import os
import os.path as osp
from typing import Dict, Optional

import numpy as np

GROUNDTRUTH_FILE = 'groundtruth.txt'


def read_vot_boxes(path: str, num_frames: Optional[int] = None) -> np.ndarray:
    """Axis-aligned boxes from a VOT ``groundtruth.txt``.

    Each line is ``x,y,w,h`` or the 4 corners ``x1,y1,...,x4,y4`` of a possibly rotated box; a line
    of NaNs or zeros (target absent) gives a NaN box.

    Args:
        path: the ``groundtruth.txt`` file.
        num_frames: the number of frames it must cover, if known.

    Returns:
        (n, 4) float64 boxes ``x0, y0, x1, y1`` in pixels.

    Raises:
        FileNotFoundError: the file is missing (named).
        ValueError: a malformed line, or fewer boxes than ``num_frames`` (the file is named).
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path}: missing; a VOT-style sequence needs one box per frame in '
                                f'{GROUNDTRUTH_FILE}')
    boxes = []
    with open(path) as f:
        for line_no, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                values = [float(v) for v in line.replace('\t', ',').split(',')]
            except ValueError:
                raise ValueError(f'{path}:{line_no}: not comma-separated numbers: {line.strip()!r}')
            if len(values) == 4:
                x, y, w, h = values
                values = [x, y, x + w, y, x + w, y + h, x, y + h]
            if len(values) != 8:
                raise ValueError(f'{path}:{line_no}: expected 4 or 8 values, got {len(values)}')
            xs, ys = np.array(values[0::2]), np.array(values[1::2])
            if not np.isfinite(values).all() or not np.any(values):
                boxes.append([np.nan] * 4)
            else:
                boxes.append([xs.min(), ys.min(), xs.max(), ys.max()])
    boxes = np.array(boxes, np.float64).reshape(-1, 4)
    if num_frames is not None and len(boxes) < num_frames:
        raise ValueError(f'{path}: {len(boxes)} boxes for {num_frames} frames; it needs one box per frame')
    return boxes


def vot_sequences(root: str) -> Dict[str, str]:
    """``{name: frame folder}`` of the sequences of a VOT-layout root (``<seq>/color/*.jpg`` and
    ``<seq>/groundtruth.txt``; a sequence whose frames lie directly in ``<seq>/`` works too)."""
    found = {}
    for name in sorted(os.listdir(root)):
        seq = osp.join(root, name)
        if not osp.isdir(seq):
            continue
        found[name] = osp.join(seq, 'color') if osp.isdir(osp.join(seq, 'color')) else seq
    return found


def mask_box_scores(mask: np.ndarray, box: np.ndarray, min_inside: float = 0.5,
                    min_box_iou: float = 0.3) -> Dict[str, float]:
    """How well a mask lies on a target's box.

    Args:
        mask: (h, w) bool.
        box: (4,) ``x0, y0, x1, y1`` in the mask's pixels; NaN when the target is absent.
        min_inside, min_box_iou: the thresholds of a hit.

    Returns:
        dict: ``inside`` (share of the mask's pixels inside the box), ``box_iou`` (IoU of the mask's
        bounding box with the box) and ``hit`` (1.0 when both reach their thresholds); NaN for an
        absent target, 0 for an empty mask.
    """
    if not np.all(np.isfinite(box)):
        return dict(inside=np.nan, box_iou=np.nan, hit=np.nan)
    ys, xs = np.nonzero(mask)
    if len(xs) == 0:
        return dict(inside=0.0, box_iou=0.0, hit=0.0)
    x0, y0, x1, y1 = box
    inside = float(np.mean((xs + 0.5 >= x0) & (xs + 0.5 <= x1) & (ys + 0.5 >= y0) & (ys + 0.5 <= y1)))
    mx0, my0, mx1, my1 = xs.min(), ys.min(), xs.max() + 1, ys.max() + 1
    iw = max(0.0, min(x1, mx1) - max(x0, mx0))
    ih = max(0.0, min(y1, my1) - max(y0, my0))
    inter = iw * ih
    union = (x1 - x0) * (y1 - y0) + (mx1 - mx0) * (my1 - my0) - inter
    box_iou = float(inter / union) if union > 0 else 0.0
    return dict(inside=inside, box_iou=box_iou,
                hit=float(inside >= min_inside and box_iou >= min_box_iou))
