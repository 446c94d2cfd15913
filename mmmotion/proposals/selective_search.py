"""Selective search region proposals (Uijlings et al.) through OpenCV contrib's ``cv2.ximgproc``.

The function here is pure: an image array in, boxes out. Reading images, caching, parallelism and
writing mmdet proposal files live in :mod:`mmmotion.proposals`.
"""
import ctypes
import functools
from typing import Optional

import cv2
import numpy as np

#: ``mode`` name -> the OpenCV method that configures the strategies.
SELECTIVE_SEARCH_MODES = {
    'fast': 'switchToSelectiveSearchFast',  # as in R-CNN / Fast R-CNN ("fast" mode of the paper)
    'quality': 'switchToSelectiveSearchQuality',  # more strategies, ~3x the boxes and the time
    'single': 'switchToSingleStrategy',  # one colour space and one k: quick, for tests and previews
}


@functools.lru_cache(maxsize=1)
def _c_srand():
    """The C library's ``srand`` (OpenCV ranks selective-search regions with C ``rand()``), or None."""
    for name in (None, 'c', 'libc.so.6', 'msvcrt'):
        try:
            return ctypes.CDLL(name).srand
        except (OSError, AttributeError, TypeError):
            continue
    return None


def _as_bgr(image: np.ndarray) -> np.ndarray:
    image = np.asarray(image)
    if image.dtype != np.uint8:
        raise TypeError(f'selective_search expects a uint8 image, got dtype {image.dtype}')
    if image.ndim == 2 or (image.ndim == 3 and image.shape[2] == 1):
        return cv2.cvtColor(np.ascontiguousarray(image.reshape(image.shape[:2])), cv2.COLOR_GRAY2BGR)
    if image.ndim == 3 and image.shape[2] == 4:
        return cv2.cvtColor(np.ascontiguousarray(image), cv2.COLOR_BGRA2BGR)
    if image.ndim == 3 and image.shape[2] == 3:
        return np.ascontiguousarray(image)
    raise ValueError(f'selective_search expects an (h, w), (h, w, 3) or (h, w, 4) image, got {image.shape}')


def selective_search(image: np.ndarray, mode: str = 'fast', max_proposals: Optional[int] = 2000,
                     min_size: int = 10, resize_to: Optional[int] = 500, seed: Optional[int] = 0) -> np.ndarray:
    """Selective-search boxes of one image, best ranked first.

    Args:
        image: uint8 image, BGR as ``cv2.imread`` returns it (grayscale and BGRA are accepted too).
        mode: ``'fast'`` (the setting R-CNN and Fast R-CNN used), ``'quality'`` or ``'single'``.
        max_proposals: keep at most this many boxes (the best ranked); None keeps all.
        min_size: drop boxes narrower or shorter than this many pixels (of the input image).
        resize_to: if the longer side of the image exceeds this, search a copy downscaled to it
            (faster; boxes are mapped back). None searches at full size.
        seed: OpenCV ranks regions with randomness drawn from C ``rand()``; seeding it makes the
            output reproducible (it does reseed the process-wide C generator). None leaves it alone.

    Returns:
        (n, 4) float32 boxes x1, y1, x2, y2 in the input image's pixel coordinates (0-based,
        inclusive, integer-valued, like mmdet's VOC ground truth), without exact duplicates.
    """
    if mode not in SELECTIVE_SEARCH_MODES:
        raise ValueError(f'unknown selective search mode {mode!r}; choose from {sorted(SELECTIVE_SEARCH_MODES)}')
    if max_proposals is not None and max_proposals < 1:
        raise ValueError(f'max_proposals must be positive or None, got {max_proposals}')
    if resize_to is not None and resize_to < 16:
        raise ValueError(f'resize_to must be at least 16 pixels or None, got {resize_to}')
    if not hasattr(cv2, 'ximgproc'):
        raise ImportError('cv2.ximgproc is missing: install opencv-contrib-python(-headless) instead of '
                          'opencv-python(-headless)')
    image = _as_bgr(image)
    height, width = image.shape[:2]
    if height == 0 or width == 0:
        return np.zeros((0, 4), np.float32)
    search_image = image
    if resize_to is not None and max(height, width) > resize_to:
        scale = resize_to / max(height, width)
        size = (max(1, int(round(width * scale))), max(1, int(round(height * scale))))
        search_image = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    scale_x = search_image.shape[1] / width
    scale_y = search_image.shape[0] / height

    if seed is not None and _c_srand() is not None:
        _c_srand()(ctypes.c_uint(seed))
    search = cv2.ximgproc.segmentation.createSelectiveSearchSegmentation()
    search.setBaseImage(search_image)
    getattr(search, SELECTIVE_SEARCH_MODES[mode])()
    rects = np.asarray(search.process(), np.float64).reshape(-1, 4)  # x, y, w, h; ranked

    boxes = np.stack([rects[:, 0] / scale_x, rects[:, 1] / scale_y,
                      (rects[:, 0] + rects[:, 2]) / scale_x - 1, (rects[:, 1] + rects[:, 3]) / scale_y - 1], 1)
    boxes = np.round(boxes)
    boxes[:, 0::2] = boxes[:, 0::2].clip(0, width - 1)
    boxes[:, 1::2] = boxes[:, 1::2].clip(0, height - 1)
    keep = (boxes[:, 2] - boxes[:, 0] + 1 >= min_size) & (boxes[:, 3] - boxes[:, 1] + 1 >= min_size)
    boxes = boxes[keep]
    if len(boxes):
        _, first = np.unique(boxes, axis=0, return_index=True)
        boxes = boxes[np.sort(first)]
    if max_proposals is not None:
        boxes = boxes[:max_proposals]
    return boxes.astype(np.float32).reshape(-1, 4)
