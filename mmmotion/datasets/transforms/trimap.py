"""The training target: a trimap of the soft mask (foreground, background, ignored)."""
import numpy as np
from mmcv.transforms import BaseTransform

from mmmotion.registry import TRANSFORMS


def soft_to_trimap(soft: np.ndarray, pos_thr: float = 0.7, neg_thr: float = 0.4,
                   ignore_index: int = 255) -> np.ndarray:
    """1 where ``soft >= pos_thr``, 0 where ``soft <= neg_thr``, ``ignore_index`` in between."""
    trimap = np.full(soft.shape, ignore_index, np.uint8)
    trimap[soft >= pos_thr] = 1
    trimap[soft <= neg_thr] = 0
    return trimap


@TRANSFORMS.register_module()
class GenerateTrimap(BaseTransform):
    """``gt_mask`` (mask_size^2 uint8) from ``soft_mask``: 1 fg, 0 bg, ``ignore_index`` elsewhere,
    and ignored where the crop left the image (``valid_mask`` < 0.5).

    Args:
        pos_thr: soft values >= this are foreground (default 0.7).
        neg_thr: soft values <= this are background (default 0.4).

    The defaults are the reference uNLC's CRF thresholds (posTh 0.7, negTh 0.4 in ``pathak22/videoseg``),
    not values taken from the MotionMask paper (see ``docs/departures.md``).
        ignore_index: label of ignored locations.
    """

    def __init__(self, pos_thr: float = 0.7, neg_thr: float = 0.4, ignore_index: int = 255) -> None:
        if not 0 <= neg_thr < pos_thr <= 1:
            raise ValueError(f'need 0 <= neg_thr < pos_thr <= 1, got neg_thr={neg_thr}, pos_thr={pos_thr}')
        self.pos_thr = pos_thr
        self.neg_thr = neg_thr
        self.ignore_index = ignore_index

    def transform(self, results: dict) -> dict:
        trimap = soft_to_trimap(results['soft_mask'], self.pos_thr, self.neg_thr, self.ignore_index)
        if 'valid_mask' in results:
            trimap[results['valid_mask'] < 0.5] = self.ignore_index
        results['gt_mask'] = trimap
        results['ignore_index'] = self.ignore_index
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(pos_thr={self.pos_thr}, neg_thr={self.neg_thr})'
