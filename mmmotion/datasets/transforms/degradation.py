"""Mask degradations of the paper's robustness study (section 4.2), applied on the fly."""
from typing import Optional

import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from mmmotion.registry import TRANSFORMS
from .object_crop import mask_components

_SIDES = ('top', 'bottom', 'left', 'right')


def dilate_or_erode(mask: np.ndarray, pixels: int, erode: bool = False) -> np.ndarray:
    """Grow (or shrink) a soft mask by ``pixels`` px with a disk-shaped structuring element."""
    if pixels <= 0:
        return mask.copy()
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * pixels + 1, 2 * pixels + 1))
    op = cv2.erode if erode else cv2.dilate
    return op(mask, kernel, borderType=cv2.BORDER_CONSTANT, borderValue=0)


def truncate_objects(mask: np.ndarray, fraction: float, rng: np.random.Generator,
                     threshold: float = 0.5, side: Optional[str] = None) -> np.ndarray:
    """Cut ``fraction`` of each object's extent off one side (random per object unless ``side``):
    inside the object's box, the band of that width along that side becomes background."""
    out = mask.copy()
    for x1, y1, x2, y2, _ in mask_components(mask >= threshold).astype(int):
        which = side or _SIDES[int(rng.integers(4))]
        if which in ('top', 'bottom'):
            cut = int(round(fraction * (y2 - y1)))
            rows = slice(y1, y1 + cut) if which == 'top' else slice(y2 - cut, y2)
            out[rows, x1:x2] = 0
        else:
            cut = int(round(fraction * (x2 - x1)))
            cols = slice(x1, x1 + cut) if which == 'left' else slice(x2 - cut, x2)
            out[y1:y2, cols] = 0
    return out


@TRANSFORMS.register_module()
class MaskDegradation(BaseTransform):
    """Degrade ``soft_mask`` as in the paper's study of noisy pseudo ground truth.

    Args:
        mode: 'dilate' or 'erode' (by ``pixels`` px), or 'truncate' (remove ``fraction`` of each
            object's extent from a random side).
        pixels: structuring-element radius for dilate/erode.
        fraction: truncated part of the object's extent, in [0, 1].
        threshold: what counts as object when finding objects to truncate.
        prob: chance to degrade a sample.
    """

    def __init__(self, mode: str, pixels: int = 0, fraction: float = 0.0, threshold: float = 0.5,
                 prob: float = 1.0) -> None:
        if mode not in ('dilate', 'erode', 'truncate'):
            raise ValueError(f"mode must be 'dilate', 'erode' or 'truncate', got {mode!r}")
        if not 0 <= fraction <= 1:
            raise ValueError(f'fraction must be in [0, 1], got {fraction}')
        if pixels < 0:
            raise ValueError(f'pixels must be >= 0, got {pixels}')
        self.mode = mode
        self.pixels = int(pixels)
        self.fraction = fraction
        self.threshold = threshold
        self.prob = prob

    def transform(self, results: dict) -> dict:
        if np.random.rand() >= self.prob:
            return results
        mask = results['soft_mask'].astype(np.float32)
        if self.mode == 'truncate':
            rng = np.random.default_rng(np.random.randint(0, 2**31 - 1))
            mask = truncate_objects(mask, self.fraction, rng, self.threshold)
        else:
            mask = dilate_or_erode(mask, self.pixels, erode=self.mode == 'erode')
        results['soft_mask'] = mask
        results.pop('object_bboxes', None)  # instance boxes no longer match the degraded mask
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(mode={self.mode!r}, pixels={self.pixels}, '
                f'fraction={self.fraction}, prob={self.prob})')
