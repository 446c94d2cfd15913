"""Loading the soft mask (and, where the data has it, the true mask) of a MotionMask sample."""
from typing import Optional

import mmcv
import numpy as np
from mmcv.transforms import BaseTransform

from mmmotion.registry import TRANSFORMS


def _decode_segmentation(segm, height: int, width: int) -> np.ndarray:
    """A COCO segmentation (polygons, RLE or uncompressed RLE) as an (h, w) uint8 0/1 mask."""
    from pycocotools import mask as mask_utils
    if isinstance(segm, list):
        rles = mask_utils.frPyObjects(segm, height, width)
        rle = mask_utils.merge(rles)
    elif isinstance(segm['counts'], list):
        rle = mask_utils.frPyObjects(segm, height, width)
    else:
        rle = segm
    return mask_utils.decode(rle)


@TRANSFORMS.register_module()
class LoadSoftMask(BaseTransform):
    """Load the sample's soft mask as ``soft_mask`` (h, w) float32 in [0, 1].

    Sources, in order: ``mask_path`` (a uint8 PNG, 255 = certain foreground, as uNLC writes), else
    ``instances`` (COCO segmentations: the union of non-crowd instances is 1, crowd regions get
    ``crowd_value``, which the default trimap ignores). Instance boxes become ``object_bboxes``
    (x1, y1, x2, y2), so :class:`SampleObject` can pick an instance rather than a connected component.
    ``gt_true_mask_path``, when present, is loaded as ``gt_true_mask`` (h, w) uint8 0/1.

    Args:
        crowd_value: soft value of crowd regions.
        true_mask_threshold: a true-mask pixel is foreground if its value is > this (0..255).
    """

    def __init__(self, crowd_value: float = 0.5, true_mask_threshold: int = 127) -> None:
        self.crowd_value = crowd_value
        self.true_mask_threshold = true_mask_threshold

    @staticmethod
    def _read_gray(path: str, what: str) -> np.ndarray:
        mask = mmcv.imread(path, flag='unchanged')
        if mask is None:
            raise FileNotFoundError(f'cannot read the {what} {path}')
        if mask.ndim == 3:
            mask = mask[..., 0]
        return mask

    def _check_shape(self, mask: np.ndarray, results: dict, path: str) -> None:
        if 'img' in results and mask.shape[:2] != results['img'].shape[:2]:
            raise ValueError(f'mask {path} is {mask.shape[:2]} but its image {results.get("img_path")} '
                             f'is {results["img"].shape[:2]}')

    def transform(self, results: dict) -> Optional[dict]:
        if results.get('mask_path'):
            raw = self._read_gray(results['mask_path'], 'soft mask')
            self._check_shape(raw, results, results['mask_path'])
            scale = 65535.0 if raw.dtype == np.uint16 else 255.0
            results['soft_mask'] = raw.astype(np.float32) / scale
        elif results.get('instances') is not None:
            height, width = results['img'].shape[:2] if 'img' in results else (
                results['height'], results['width'])
            soft = np.zeros((height, width), np.float32)
            boxes = []
            for inst in results['instances']:
                mask = _decode_segmentation(inst['mask'], height, width).astype(bool)
                if inst.get('ignore_flag', 0):
                    soft[mask & (soft < 1)] = self.crowd_value
                else:
                    soft[mask] = 1.0
                    ys, xs = np.nonzero(mask)
                    if len(xs):
                        boxes.append([xs.min(), ys.min(), xs.max() + 1, ys.max() + 1])
            results['soft_mask'] = soft
            results['object_bboxes'] = np.asarray(boxes, np.float32).reshape(-1, 4)
        else:
            raise KeyError(f'sample {results.get("img_path")} has neither `mask_path` nor `instances`')
        if results.get('gt_true_mask_path'):
            true = self._read_gray(results['gt_true_mask_path'], 'true mask')
            self._check_shape(true, results, results['gt_true_mask_path'])
            results['gt_true_mask'] = (true > self.true_mask_threshold).astype(np.uint8)
        return results
