"""How well proposals cover ground-truth boxes (recall at an IoU threshold)."""
import os.path as osp
from typing import Dict, Mapping, Optional, Sequence

import numpy as np

from .io import proposal_key, read_voc_boxes


def voc_gt_boxes(image_paths: Sequence[str]) -> Optional[Dict[str, np.ndarray]]:
    """Ground-truth boxes ``{proposal key: (k, 4)}`` from ``<year>/Annotations/<id>.xml`` next to
    ``<year>/JPEGImages``; None when any image has no annotation file."""
    gt = {}
    for path in image_paths:
        year_root = osp.dirname(osp.dirname(osp.abspath(path)))
        image_id = osp.splitext(osp.basename(path))[0]
        if not osp.isfile(osp.join(year_root, 'Annotations', f'{image_id}.xml')):
            return None
        gt[proposal_key(path)] = read_voc_boxes(year_root, image_id)
    return gt


def proposal_recall(proposals: Mapping[str, Mapping[str, np.ndarray]], gt_boxes: Mapping[str, np.ndarray],
                    iou_thr: float = 0.5, top_k: Optional[int] = None) -> float:
    """Fraction of ground-truth boxes (over all images of ``gt_boxes``) that some proposal (of the first
    ``top_k``) overlaps with IoU >= ``iou_thr``; nan when there are no ground-truth boxes."""
    from mmdet.evaluation.functional import bbox_overlaps
    found = total = 0
    for key, gt in gt_boxes.items():
        gt = np.asarray(gt, np.float32).reshape(-1, 4)
        total += len(gt)
        entry = proposals.get(key)
        if entry is None or not len(gt):
            continue
        boxes = np.asarray(entry['bboxes'], np.float32).reshape(-1, 4)[:top_k]
        if len(boxes):
            # Inclusive pixel coordinates, as VOC: widths are x2 - x1 + 1.
            ious = bbox_overlaps(gt, boxes, use_legacy_coordinate=True)
            found += int((ious.max(axis=1) >= iou_thr).sum())
    return found / total if total else float('nan')
