"""Object-centred training crops: pick one object of the mask, crop a jittered box around it."""
from typing import Sequence, Tuple

import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from mmmotion.registry import TRANSFORMS


def mask_components(mask: np.ndarray, min_area: int = 1) -> np.ndarray:
    """Boxes (x1, y1, x2, y2; end exclusive) and areas of the 8-connected components of a binary
    mask with at least ``min_area`` pixels, as an (n, 5) float32 array."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
    rows = []
    for x, y, w, h, area in stats[1:count]:
        if area >= min_area:
            rows.append([x, y, x + w, y + h, area])
    return np.asarray(rows, np.float32).reshape(-1, 5)


def _rng(results: dict, seeded: bool, seed: int) -> np.random.Generator:
    """A per-sample generator when ``seeded`` (reproducible evaluation crops), else the global one."""
    if seeded:
        return np.random.default_rng([seed, int(results.get('sample_idx', 0))])
    return np.random.default_rng(np.random.randint(0, 2**31 - 1))


@TRANSFORMS.register_module()
class SampleObject(BaseTransform):
    """Choose one object of the sample as ``object_bbox`` (x1, y1, x2, y2, end exclusive).

    Candidates are ``object_bboxes`` when the loader gave instance boxes (COCO), else the connected
    components of ``soft_mask >= threshold`` with at least ``min_area`` pixels. A sample without any
    object gets the whole image as its box (the crop then shows the whole frame) and
    ``object_found=False``.

    Args:
        threshold: binarisation threshold of the soft mask.
        min_area: smallest component kept, in pixels.
        weighting: 'uniform' or 'area' (bigger objects are picked more often).
        seeded: draw from a generator seeded by ``sample_idx`` (for evaluation).
        seed: base seed when ``seeded``.
    """

    def __init__(self, threshold: float = 0.5, min_area: int = 16, weighting: str = 'uniform',
                 seeded: bool = False, seed: int = 0) -> None:
        if weighting not in ('uniform', 'area'):
            raise ValueError(f"weighting must be 'uniform' or 'area', got {weighting!r}")
        self.threshold = threshold
        self.min_area = min_area
        self.weighting = weighting
        self.seeded = seeded
        self.seed = seed

    def transform(self, results: dict) -> dict:
        soft = results['soft_mask']
        if results.get('object_bboxes') is not None and len(results['object_bboxes']):
            boxes = np.asarray(results['object_bboxes'], np.float32)
            areas = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
        else:
            comps = mask_components(soft >= self.threshold, self.min_area)
            boxes, areas = comps[:, :4], comps[:, 4]
        if len(boxes) == 0:
            height, width = soft.shape[:2]
            results['object_bbox'] = np.array([0, 0, width, height], np.float32)
            results['object_found'] = False
            return results
        rng = _rng(results, self.seeded, self.seed)
        probs = None if self.weighting == 'uniform' else areas / areas.sum()
        results['object_bbox'] = boxes[int(rng.choice(len(boxes), p=probs))].astype(np.float32)
        results['object_found'] = True
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(threshold={self.threshold}, min_area={self.min_area}, '
                f'weighting={self.weighting!r}, seeded={self.seeded})')


@TRANSFORMS.register_module()
class FrameAsObject(BaseTransform):
    """Make the whole image the sample's ``object_bbox`` (x1, y1, x2, y2), so that
    ``JitteredObjectCrop`` crops a jittered letterbox of the whole frame. ``object_found`` says whether
    the soft mask has any pixel at or above ``threshold``."""

    def __init__(self, threshold: float = 0.5) -> None:
        self.threshold = threshold

    def transform(self, results: dict) -> dict:
        height, width = results['soft_mask'].shape[:2]
        results['object_bbox'] = np.array([0, 0, width, height], np.float32)
        results['object_found'] = bool((results['soft_mask'] >= self.threshold).any())
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(threshold={self.threshold})'


@TRANSFORMS.register_module()
class JitteredObjectCrop(BaseTransform):
    """Crop a square around ``object_bbox``, jittered in position and scale, and resize it: the
    image to ``crop_size`` (227 in the paper) and the soft mask to ``mask_size`` (56).

    The crop's side is ``s * max(box w, box h)`` with ``s ~ U(scale_range)``; its centre is the box
    centre moved by ``(u * box w, v * box h)`` with ``u, v ~ U(-shift_range, shift_range)``. With
    ``scale_range[0] >= 1 + 2 * shift_range`` the whole box always lies inside the crop. Parts of the
    crop outside the image are filled with ``pad_val`` and marked invalid in ``valid_mask`` (the
    trimap ignores them).

    Adds ``crop_bbox`` (x1, y1, x2, y2 in the image), ``object_bbox_in_crop`` (in crop pixels),
    ``valid_mask`` (mask_size^2 float), and resizes ``gt_true_mask`` like the soft mask.

    Args:
        crop_size: output image side.
        mask_size: output mask side.
        scale_range: (min, max) of the crop side relative to the box's longer side.
        shift_range: max centre shift as a fraction of the box size.
        pad_val: BGR fill of out-of-image parts.
        seeded / seed: reproducible per-sample jitter (seeded by ``sample_idx``), for evaluation.
    """

    def __init__(self, crop_size: int = 227, mask_size: int = 56,
                 scale_range: Tuple[float, float] = (1.2, 1.8), shift_range: float = 0.1,
                 pad_val: Sequence[float] = (104, 117, 124), seeded: bool = False,
                 seed: int = 0) -> None:
        if not 0 < scale_range[0] <= scale_range[1]:
            raise ValueError(f'scale_range must be 0 < min <= max, got {scale_range}')
        if shift_range < 0:
            raise ValueError(f'shift_range must be >= 0, got {shift_range}')
        self.crop_size = crop_size
        self.mask_size = mask_size
        self.scale_range = tuple(scale_range)
        self.shift_range = shift_range
        self.pad_val = tuple(float(v) for v in pad_val)
        self.seeded = seeded
        self.seed = seed

    def crop_box(self, box: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """The jittered square (x1, y1, x2, y2) for an object box."""
        x1, y1, x2, y2 = (float(v) for v in box)
        w, h = max(x2 - x1, 1.0), max(y2 - y1, 1.0)
        side = max(w, h) * rng.uniform(*self.scale_range)
        cx = (x1 + x2) / 2 + rng.uniform(-self.shift_range, self.shift_range) * w
        cy = (y1 + y2) / 2 + rng.uniform(-self.shift_range, self.shift_range) * h
        return np.array([cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2], np.float32)

    @staticmethod
    def _warp(array: np.ndarray, crop: np.ndarray, size: int, interp: int,
              border) -> np.ndarray:
        scale = size / float(crop[2] - crop[0])
        # pixel centres: output (u + 0.5) = (x + 0.5 - x0) * scale
        matrix = np.array([[scale, 0, (0.5 - crop[0]) * scale - 0.5],
                           [0, scale, (0.5 - crop[1]) * scale - 0.5]], np.float64)
        return cv2.warpAffine(array, matrix, (size, size), flags=interp,
                              borderMode=cv2.BORDER_CONSTANT, borderValue=border)

    def transform(self, results: dict) -> dict:
        if 'object_bbox' not in results:
            raise KeyError('JitteredObjectCrop needs `object_bbox`: put SampleObject before it')
        rng = _rng(results, self.seeded, self.seed + 1)
        crop = self.crop_box(results['object_bbox'], rng)
        img = results['img']
        results['ori_shape'] = img.shape[:2]
        results['img'] = self._warp(img, crop, self.crop_size, cv2.INTER_LINEAR, self.pad_val)
        results['img_shape'] = results['img'].shape[:2]
        masks = [results['soft_mask'].astype(np.float32), np.ones(img.shape[:2], np.float32)]
        if 'gt_true_mask' in results:
            masks.append(results['gt_true_mask'].astype(np.float32))
        # masks: warp at crop resolution, then area-average down (no aliasing at object edges)
        stack = self._warp(np.stack(masks, -1), crop, self.crop_size, cv2.INTER_LINEAR, 0)
        stack = cv2.resize(stack, (self.mask_size, self.mask_size), interpolation=cv2.INTER_AREA)
        stack = stack.reshape(self.mask_size, self.mask_size, -1)
        results['soft_mask'] = np.ascontiguousarray(stack[..., 0])
        results['valid_mask'] = np.ascontiguousarray(stack[..., 1])
        if 'gt_true_mask' in results:
            results['gt_true_mask'] = (stack[..., 2] >= 0.5).astype(np.uint8)
        scale = self.crop_size / float(crop[2] - crop[0])
        box = np.asarray(results['object_bbox'], np.float32)
        results['object_bbox_in_crop'] = (box - crop[[0, 1, 0, 1]]) * scale
        results['crop_bbox'] = crop
        results['flip'] = False
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(crop_size={self.crop_size}, mask_size={self.mask_size}, '
                f'scale_range={self.scale_range}, shift_range={self.shift_range}, seeded={self.seeded})')
