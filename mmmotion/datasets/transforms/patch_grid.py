"""Context Prediction's patch pairs (Doersch, Gupta, Efros, ICCV 2015): a 3 x 3 grid of patches
separated by gaps, each patch jittered; the centre patch and one of its 8 neighbours, whose position
is the class."""
import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from mmmotion.registry import TRANSFORMS

# The 8 neighbours of the centre cell (row, column) in raster order; the index is the class.
NEIGHBOUR_CELLS = ((0, 0), (0, 1), (0, 2), (1, 0), (1, 2), (2, 0), (2, 1), (2, 2))
CENTRE_CELL = (1, 1)


@TRANSFORMS.register_module()
class PatchGridPair(BaseTransform):
    """Replace ``img`` by ``[centre patch, neighbour patch]`` and add ``position_label`` (0..7, the
    neighbour's index in :data:`NEIGHBOUR_CELLS`) and ``patch_boxes`` (2 x 4, x1 y1 x2 y2 of the two
    patches in the image as sampled: after the upscaling below).

    The grid spans ``3 * patch_size + 2 * gap`` pixels; cell ``(r, c)`` nominally starts at
    ``origin + (r, c) * (patch_size + gap)`` and each patch is shifted by an independent uniform
    integer in ``[-jitter, jitter]`` per axis, so two patches never come closer than ``gap - 2 * jitter``.
    The origin is uniform over the positions that keep every jittered patch inside the image; an image
    smaller than the grid plus its jitter margin is first upscaled (bilinear) until it fits.

    Args:
        patch_size: side of a patch in image pixels (the paper: 96, on images of 150K-450K pixels).
        gap: pixels between neighbouring cells (the paper: 48, half a patch).
        jitter: largest shift of a patch per axis (the paper: up to 7).
        out_size: side of the returned patches (resized bilinearly when it differs from ``patch_size``;
            227 feeds AlexNet up to fc7).
    """

    def __init__(self, patch_size: int = 96, gap: int = 48, jitter: int = 7, out_size: int = 227) -> None:
        for name, value, low in (('patch_size', patch_size, 1), ('gap', gap, 0), ('jitter', jitter, 0),
                                 ('out_size', out_size, 1)):
            if int(value) != value or value < low:
                raise ValueError(f'{name} must be an integer >= {low}, got {value}')
        if 2 * jitter > gap:
            raise ValueError(f'jitter {jitter} > gap / 2 ({gap} / 2): jittered patches could touch or overlap')
        self.patch_size, self.gap, self.jitter, self.out_size = int(patch_size), int(gap), int(jitter), int(out_size)

    @property
    def extent(self) -> int:
        """Pixels the grid needs per axis, jitter margins included."""
        return 3 * self.patch_size + 2 * self.gap + 2 * self.jitter

    def _patch(self, img: np.ndarray, origin: np.ndarray, cell) -> tuple:
        step = self.patch_size + self.gap
        y, x = origin + np.array(cell) * step + np.random.randint(-self.jitter, self.jitter + 1, 2)
        patch = img[y:y + self.patch_size, x:x + self.patch_size]
        if self.out_size != self.patch_size:
            patch = cv2.resize(patch, (self.out_size, self.out_size), interpolation=cv2.INTER_LINEAR)
        return np.ascontiguousarray(patch), [x, y, x + self.patch_size, y + self.patch_size]

    def transform(self, results: dict) -> dict:
        img = results['img']
        height, width = img.shape[:2]
        scale = max(1.0, self.extent / height, self.extent / width)
        if scale > 1:
            size = (max(self.extent, int(np.ceil(width * scale))), max(self.extent, int(np.ceil(height * scale))))
            img = cv2.resize(img, size, interpolation=cv2.INTER_LINEAR)
        # top-left of cell (0, 0) without jitter: every jittered patch stays inside the image
        grid = self.extent - 2 * self.jitter
        origin = np.array([np.random.randint(self.jitter, img.shape[0] - grid - self.jitter + 1),
                           np.random.randint(self.jitter, img.shape[1] - grid - self.jitter + 1)])
        label = np.random.randint(len(NEIGHBOUR_CELLS))
        centre, centre_box = self._patch(img, origin, CENTRE_CELL)
        neighbour, neighbour_box = self._patch(img, origin, NEIGHBOUR_CELLS[label])
        results['img'] = [centre, neighbour]
        results['img_shape'] = (self.out_size, self.out_size)
        results['position_label'] = label
        results['patch_boxes'] = np.array([centre_box, neighbour_box], np.int64)
        results['grid_scale'] = scale
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(patch_size={self.patch_size}, gap={self.gap}, '
                f'jitter={self.jitter}, out_size={self.out_size})')
