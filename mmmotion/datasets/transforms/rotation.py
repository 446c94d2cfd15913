"""RotNet's views (Gidaris et al., ICLR 2018): one image rotated by multiples of 90 degrees."""
from typing import Sequence

import numpy as np
from mmcv.transforms import BaseTransform

from mmmotion.registry import TRANSFORMS


@TRANSFORMS.register_module()
class RotateViews(BaseTransform):
    """Replace ``img`` (H x W x C, square) by a list of its rotations, ``rotations[i] * 90`` degrees
    counter-clockwise each (``np.rot90``: the top row becomes the left column), and add
    ``rotation_labels``: the ``rotations`` as an int64 array (the class of each view, 0..3).

    Args:
        rotations: quarter turns of the views, distinct, each in 0..3; default all four.
    """

    def __init__(self, rotations: Sequence[int] = (0, 1, 2, 3)) -> None:
        rotations = tuple(int(k) for k in rotations)
        if not rotations or len(set(rotations)) != len(rotations) or not set(rotations) <= {0, 1, 2, 3}:
            raise ValueError(f'rotations must be distinct quarter turns in 0..3, got {rotations}')
        self.rotations = rotations

    def transform(self, results: dict) -> dict:
        img = results['img']
        if img.shape[0] != img.shape[1]:
            raise ValueError(f'RotateViews needs a square image (rotations must stack), got {img.shape[:2]} '
                             f'for {results.get("img_path", "the image")}; crop it square first')
        results['img'] = [np.ascontiguousarray(np.rot90(img, k)) for k in self.rotations]
        results['rotation_labels'] = np.array(self.rotations, np.int64)
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(rotations={self.rotations})'
