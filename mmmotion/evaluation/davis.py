"""DAVIS 2016 measures: region similarity J (IoU) and boundary F-measure, per frame.

Definitions follow Perazzi et al. (CVPR 2016): J is the intersection over union of the masks (1 when
both are empty); F is the F-measure of boundary precision and recall, a boundary pixel counting
as matched when the other boundary lies within a tolerance of 0.8% of the image diagonal
(at least one pixel). Boundaries are one-pixel-wide contours computed with scikit-image/SciPy.
"""
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence

import cv2
import numpy as np
from scipy import ndimage
from skimage.segmentation import find_boundaries


def region_similarity(pred: np.ndarray, gt: np.ndarray) -> float:
    """J: IoU of two (h, w) binary masks; 1.0 when both are empty."""
    pred, gt = pred.astype(bool), gt.astype(bool)
    union = np.logical_or(pred, gt).sum()
    return 1.0 if union == 0 else float(np.logical_and(pred, gt).sum() / union)


def mask_boundary(mask: np.ndarray) -> np.ndarray:
    """Inner one-pixel boundary of a (h, w) binary mask, (h, w) bool; the image border counts as
    background, so a mask touching it has a boundary there."""
    padded = np.pad(mask.astype(bool), 1)
    return find_boundaries(padded, mode='inner')[1:-1, 1:-1]


def boundary_f_measure(pred: np.ndarray, gt: np.ndarray, tolerance: float = 0.008) -> float:
    """F: boundary F-measure of two (h, w) binary masks.

    Args:
        pred, gt: (h, w) masks.
        tolerance: match distance as a fraction of the image diagonal (DAVIS: 0.008), or pixels
            if >= 1.

    Returns:
        F in [0, 1]; 1.0 when both boundaries are empty, 0.0 when only one is.
    """
    h, w = gt.shape
    radius = tolerance if tolerance >= 1 else max(1.0, tolerance * np.hypot(h, w))
    pred_boundary, gt_boundary = mask_boundary(pred), mask_boundary(gt)
    n_pred, n_gt = pred_boundary.sum(), gt_boundary.sum()
    if n_pred == 0 and n_gt == 0:
        return 1.0
    if n_pred == 0 or n_gt == 0:
        return 0.0
    # distance of every pixel to the nearest boundary pixel of the other mask
    dist_to_gt = ndimage.distance_transform_edt(~gt_boundary)
    dist_to_pred = ndimage.distance_transform_edt(~pred_boundary)
    precision = (dist_to_gt[pred_boundary] <= radius).mean()
    recall = (dist_to_pred[gt_boundary] <= radius).mean()
    if precision + recall == 0:
        return 0.0
    return float(2 * precision * recall / (precision + recall))


def decay(scores: np.ndarray, n_bins: int = 4) -> float:
    """DAVIS decay: the mean score of the first quarter of the frames minus that of the last
    quarter (bins as in the DAVIS 2016 benchmark); 0 for fewer than ``n_bins`` frames."""
    scores = np.asarray(scores, float)
    if len(scores) < n_bins:
        return 0.0
    edges = np.round(np.linspace(1, len(scores), n_bins + 1) + 1e-10).astype(int) - 1
    bins = [scores[edges[i]:edges[i + 1] + 1] for i in range(n_bins)]
    return float(np.mean(bins[0]) - np.mean(bins[-1]))


def evaluate_sequence(preds: Sequence[np.ndarray],
                      gts: Sequence[np.ndarray],
                      recall_threshold: float = 0.5) -> Dict[str, object]:
    """J and F of a sequence, per frame and summarised as DAVIS does.

    Args:
        preds, gts: equally long sequences of (h, w) binary masks.
        recall_threshold: J (or F) above which a frame counts for the recall.

    Returns:
        ``dict(J=(n,) array, F=(n,) array, J_mean, J_recall, J_decay, F_mean, F_recall,
        F_decay)``.
    """
    if len(preds) != len(gts):
        raise ValueError(f'{len(preds)} predicted masks for {len(gts)} ground-truth masks')
    j = np.array([region_similarity(p, g) for p, g in zip(preds, gts)])
    f = np.array([boundary_f_measure(p, g) for p, g in zip(preds, gts)])
    return dict(
        J=j,
        F=f,
        J_mean=float(j.mean()),
        J_recall=float((j > recall_threshold).mean()),
        J_decay=decay(j),
        F_mean=float(f.mean()),
        F_recall=float((f > recall_threshold).mean()),
        F_decay=decay(f))


def read_mask(path: str) -> np.ndarray:
    """A mask image as (h, w) bool (any non-zero pixel is foreground); raises FileNotFoundError."""
    mask = cv2.imread(path, cv2.IMREAD_GRAYSCALE)
    if mask is None:
        raise FileNotFoundError(f'cannot read mask {path}')
    return mask > 0


def annotation_stems(gt_dir: str) -> List[str]:
    """Sorted file stems of a sequence's ground-truth masks (``<stem>.png``)."""
    return sorted(osp.splitext(f)[0] for f in os.listdir(gt_dir) if f.endswith('.png'))


def davis_sequences(davis_root: str, resolution: str = '480p') -> List[str]:
    """Sequence names of a DAVIS-layout root (folders of ``Annotations/<resolution>``), sorted."""
    ann_root = osp.join(davis_root, 'Annotations', resolution)
    if not osp.isdir(ann_root):
        raise FileNotFoundError(f'no DAVIS annotations folder {ann_root}')
    return sorted(d for d in os.listdir(ann_root) if osp.isdir(osp.join(ann_root, d)))


def evaluate_davis(davis_root: str,
                   pred_dir: str,
                   sequences: Optional[Sequence[str]] = None,
                   resolution: str = '480p',
                   max_frames: Optional[int] = None) -> Dict[str, object]:
    """J and F of predicted masks against a DAVIS 2016-layout ground truth.

    Predictions are ``pred_dir/<sequence>/<stem>.png`` for every annotated
    ``Annotations/<resolution>/<sequence>/<stem>.png`` (non-zero = foreground; resized with
    nearest neighbour if their size differs). ``max_frames`` evaluates only the first frames of
    each sequence (a short-clip protocol).

    Returns:
        ``dict(sequences={name: evaluate_sequence(...)}, J_mean, J_recall, J_decay, F_mean,
        F_recall, F_decay)``,
        the overall values being means over sequences (as the DAVIS benchmark reports them).
    """
    names = list(sequences) if sequences else davis_sequences(davis_root, resolution)
    results = {}
    for name in names:
        gt_dir = osp.join(davis_root, 'Annotations', resolution, name)
        stems = annotation_stems(gt_dir)[:max_frames]
        gts, preds = [], []
        for stem in stems:
            gt = read_mask(osp.join(gt_dir, stem + '.png'))
            pred = read_mask(osp.join(pred_dir, name, stem + '.png'))
            if pred.shape != gt.shape:
                pred = cv2.resize(
                    pred.astype(np.uint8), gt.shape[::-1],
                    interpolation=cv2.INTER_NEAREST).astype(bool)
            gts.append(gt)
            preds.append(pred)
        results[name] = evaluate_sequence(preds, gts)
    keys = ('J_mean', 'J_recall', 'J_decay', 'F_mean', 'F_recall', 'F_decay')
    overall = {
        k: float(np.mean([r[k] for r in results.values()])) if results else float('nan')
        for k in keys
    }
    return dict(sequences=results, **overall)
