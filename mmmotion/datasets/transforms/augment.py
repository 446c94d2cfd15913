"""Augmentations of a MotionMask crop: horizontal flip and photometric jitter."""
from typing import Sequence, Tuple

import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from mmmotion.registry import TRANSFORMS

MASK_KEYS = ('soft_mask', 'valid_mask', 'gt_mask', 'gt_true_mask')


@TRANSFORMS.register_module()
class MaskRandomFlip(BaseTransform):
    """Flip the crop and all of its masks left-right with probability ``prob``; keeps
    ``object_bbox_in_crop`` in step and records ``flip``.

    Args:
        prob: flip probability.
        mask_keys: the mask entries flipped with the image (missing ones are skipped).
    """

    def __init__(self, prob: float = 0.5, mask_keys: Sequence[str] = MASK_KEYS) -> None:
        if not 0 <= prob <= 1:
            raise ValueError(f'prob must be in [0, 1], got {prob}')
        self.prob = prob
        self.mask_keys = tuple(mask_keys)

    def transform(self, results: dict) -> dict:
        flip = bool(np.random.rand() < self.prob)
        results['flip'] = flip
        results['flip_direction'] = 'horizontal' if flip else None
        if not flip:
            return results
        results['img'] = np.ascontiguousarray(results['img'][:, ::-1])
        for key in self.mask_keys:
            if key in results:
                results[key] = np.ascontiguousarray(results[key][:, ::-1])
        if 'object_bbox_in_crop' in results:
            width = results['img'].shape[1]
            x1, y1, x2, y2 = results['object_bbox_in_crop']
            results['object_bbox_in_crop'] = np.array([width - x2, y1, width - x1, y2], np.float32)
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(prob={self.prob})'


@TRANSFORMS.register_module()
class PhotometricJitter(BaseTransform):
    """Random brightness, contrast and saturation of a BGR uint8 image (each applied with ``prob``).

    Args:
        brightness: max additive change, as a fraction of 255.
        contrast: (min, max) multiplicative contrast factor around the mean.
        saturation: (min, max) factor of the distance to the grey image.
        prob: chance of each of the three changes.
    """

    def __init__(self, brightness: float = 0.125, contrast: Tuple[float, float] = (0.7, 1.3),
                 saturation: Tuple[float, float] = (0.7, 1.3), prob: float = 0.5) -> None:
        self.brightness = brightness
        self.contrast = tuple(contrast)
        self.saturation = tuple(saturation)
        self.prob = prob

    def transform(self, results: dict) -> dict:
        img = results['img'].astype(np.float32)
        if np.random.rand() < self.prob:
            img += np.random.uniform(-self.brightness, self.brightness) * 255
        if np.random.rand() < self.prob:
            mean = img.mean()
            img = (img - mean) * np.random.uniform(*self.contrast) + mean
        if np.random.rand() < self.prob:
            grey = cv2.cvtColor(np.clip(img, 0, 255).astype(np.uint8), cv2.COLOR_BGR2GRAY)
            grey = grey.astype(np.float32)[..., None]
            img = grey + (img - grey) * np.random.uniform(*self.saturation)
        results['img'] = np.clip(img, 0, 255).astype(np.uint8)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(brightness={self.brightness}, contrast={self.contrast}, '
                f'saturation={self.saturation}, prob={self.prob})')
