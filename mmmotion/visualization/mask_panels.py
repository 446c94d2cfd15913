"""Image | target | prediction panels of MotionMask samples."""
from typing import Sequence

import cv2
import numpy as np

IGNORE_GREY = 128


def trimap_to_image(trimap: np.ndarray, size: int, ignore_index: int = 255) -> np.ndarray:
    """A trimap as an RGB image: foreground white, background black, ignored grey."""
    grey = np.where(trimap == 1, 255, np.where(trimap == ignore_index, IGNORE_GREY, 0)).astype(np.uint8)
    grey = cv2.resize(grey, (size, size), interpolation=cv2.INTER_NEAREST)
    return np.repeat(grey[..., None], 3, -1)


def prob_to_image(prob: np.ndarray, size: int) -> np.ndarray:
    """Probabilities in [0, 1] as an RGB heat map (OpenCV's JET colour map)."""
    grey = (np.clip(prob, 0, 1) * 255).astype(np.uint8)
    grey = cv2.resize(grey, (size, size), interpolation=cv2.INTER_LINEAR)
    return cv2.applyColorMap(grey, cv2.COLORMAP_JET)[..., ::-1]


def mask_panels(images: Sequence[np.ndarray], targets: Sequence[np.ndarray],
                probs: Sequence[np.ndarray], ignore_index: int = 255,
                gap: int = 4) -> np.ndarray:
    """One row per sample: the RGB crop, its target trimap and the predicted probabilities, all
    at the crop's size. Returns an RGB uint8 image."""
    rows = []
    for img, target, prob in zip(images, targets, probs):
        size = img.shape[0]
        spacer = np.full((size, gap, 3), 255, np.uint8)
        rows.append(np.concatenate([img, spacer, trimap_to_image(target, size, ignore_index), spacer,
                                    prob_to_image(prob, size)], 1))
    if not rows:
        raise ValueError('mask_panels needs at least one sample')
    width = rows[0].shape[1]
    out = []
    for row in rows:
        out += [row, np.full((gap, width, 3), 255, np.uint8)]
    return np.concatenate(out[:-1], 0)
