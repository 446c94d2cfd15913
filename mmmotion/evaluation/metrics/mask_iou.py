"""Mask IoU of MotionMask predictions, with the trivial baselines next to it."""
from typing import Dict, List, Optional, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric

from mmmotion.registry import METRICS


def mask_iou(pred: np.ndarray, target: np.ndarray, valid: Optional[np.ndarray] = None) -> float:
    """IoU of two binary masks over the ``valid`` locations; 1.0 when both are empty there."""
    pred, target = pred.astype(bool), target.astype(bool)
    if valid is not None:
        pred, target = pred & valid, target & valid
    union = np.logical_or(pred, target).sum()
    return 1.0 if union == 0 else float(np.logical_and(pred, target).sum() / union)


def centred_box(size: int, fraction: float) -> np.ndarray:
    """A size x size binary mask with a centred square of side ``fraction * size``."""
    mask = np.zeros((size, size), bool)
    half = fraction * size / 2
    lo, hi = int(round(size / 2 - half)), int(round(size / 2 + half))
    mask[lo:hi, lo:hi] = True
    return mask


@METRICS.register_module()
class MaskIoU(BaseMetric):
    """Mean per-image IoU of the thresholded ``pred_mask`` against the pseudo-mask trimap
    (``gt_mask``; ignored locations excluded) and, where the data has it, against the true mask
    (``gt_true_mask``).

    With ``baselines=True`` it also scores, on the same samples, the masks a model that learned
    nothing could output: all foreground, all background, and the best of a few centred boxes (the
    crops are object-centred, so that one is a strong baseline).

    Args:
        threshold: probability above which a location is foreground.
        baselines: also report the trivial baselines.
        box_fractions: sides of the centred boxes tried, as fractions of the mask side.
        ignore_index: trimap value of ignored locations.
    """

    default_prefix = 'mask'

    def __init__(self, threshold: float = 0.5, baselines: bool = True,
                 box_fractions: Sequence[float] = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9),
                 ignore_index: int = 255, collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.threshold = threshold
        self.baselines = baselines
        self.box_fractions = tuple(box_fractions)
        self.ignore_index = ignore_index

    def _scores(self, pred: np.ndarray, target: np.ndarray, valid: np.ndarray) -> Dict[str, float]:
        scores = {'IoU': mask_iou(pred, target, valid)}
        if self.baselines:
            size = target.shape[-1]
            scores['all_fg'] = mask_iou(np.ones_like(target, bool), target, valid)
            scores['all_bg'] = mask_iou(np.zeros_like(target, bool), target, valid)
            for frac in self.box_fractions:
                scores[f'box{frac:g}'] = mask_iou(centred_box(size, frac), target, valid)
        return scores

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            pred = sample['pred_mask']['data'][0].float().cpu().numpy() >= self.threshold
            result = {}
            if 'gt_mask' in sample:
                trimap = sample['gt_mask']['data'][0].cpu().numpy()
                valid = trimap != self.ignore_index
                result['pseudo'] = self._scores(pred, trimap == 1, valid)
            if 'gt_true_mask' in sample:
                true = sample['gt_true_mask']['data'][0].cpu().numpy().astype(bool)
                result['true'] = self._scores(pred, true, np.ones_like(true))
            self.results.append(result)

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        metrics = {}
        for kind in ('pseudo', 'true'):
            rows = [r[kind] for r in results if kind in r]
            if not rows:
                continue
            means = {k: float(np.mean([row[k] for row in rows])) for k in rows[0]}
            metrics[f'{kind}/mIoU'] = means.pop('IoU')
            if self.baselines:
                boxes = {k: v for k, v in means.items() if k.startswith('box')}
                best = max(boxes, key=boxes.get)
                metrics[f'{kind}/all_fg_mIoU'] = means['all_fg']
                metrics[f'{kind}/all_bg_mIoU'] = means['all_bg']
                metrics[f'{kind}/centred_box_mIoU'] = boxes[best]
                metrics[f'{kind}/centred_box_fraction'] = float(best[3:])
        return metrics
