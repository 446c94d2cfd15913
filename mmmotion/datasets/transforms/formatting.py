"""Packing a MotionMask sample into the model's inputs and data sample."""
from typing import Sequence

import numpy as np
import torch
from mmcv.transforms import BaseTransform
from mmengine.structures import BaseDataElement, PixelData

from mmmotion.registry import TRANSFORMS


def views_of(inputs) -> list:
    """The backbone inputs of one packed sample (or batch): its views, when a pretext packs several (a list),
    or its one image."""
    return list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]


@TRANSFORMS.register_module()
class PackMotionMaskInputs(BaseTransform):
    """``inputs``: the crop as a CHW uint8 tensor; ``data_samples``: a ``BaseDataElement`` with
    ``gt_mask`` (PixelData, 1 x s x s trimap), ``gt_true_mask`` when the data has true masks, and the
    ``meta_keys`` present in the results as metainfo.
    """

    def __init__(self, meta_keys: Sequence[str] = (
            'sample_idx', 'img_path', 'video_id', 'ori_shape', 'img_shape', 'crop_bbox',
            'object_bbox_in_crop', 'object_found', 'flip', 'ignore_index')) -> None:
        self.meta_keys = tuple(meta_keys)

    def transform(self, results: dict) -> dict:
        img = results['img']
        if img.ndim == 2:
            img = img[..., None]
        inputs = torch.from_numpy(np.ascontiguousarray(img.transpose(2, 0, 1)))
        sample = BaseDataElement()
        if 'gt_mask' in results:
            sample.gt_mask = PixelData(data=torch.from_numpy(results['gt_mask'][None].astype(np.int64)))
        if 'gt_true_mask' in results:
            sample.gt_true_mask = PixelData(
                data=torch.from_numpy(results['gt_true_mask'][None].astype(np.int64)))
        sample.set_metainfo({k: results[k] for k in self.meta_keys if k in results})
        return dict(inputs=inputs, data_samples=sample)

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(meta_keys={self.meta_keys})'
