"""Superpixel over-segmentation of one frame (uNLC step 2)."""
import numpy as np
from skimage.segmentation import relabel_sequential, slic

from mmmotion.registry import SUPERPIXELS


def slic_superpixels(frame: np.ndarray, n_segments: int = 400, sigma: float = 5.0,
                     compactness: float = 10.0) -> np.ndarray:
    """SLIC superpixels of an RGB frame.

    Args:
        frame: (h, w, 3) uint8 RGB.
        n_segments: approximate number of superpixels.
        sigma: width of the Gaussian pre-smoothing (the reference uses 5).
        compactness: SLIC's colour/space trade-off (scikit-image's default).

    Returns:
        (h, w) int32 labels, consecutive from 0 (no gaps, so they index per-region arrays directly).
    """
    labels = slic(frame, n_segments=n_segments, sigma=sigma, compactness=compactness,
                  start_label=0, channel_axis=-1)
    labels, _, _ = relabel_sequential(labels)
    return labels.astype(np.int32, copy=False)


@SUPERPIXELS.register_module()
class SLICSuperpixels:
    """Registered wrapper of :func:`slic_superpixels`: ``frame (h, w, 3) uint8 -> labels (h, w)``."""

    def __init__(self, n_segments: int = 400, sigma: float = 5.0, compactness: float = 10.0):
        self.n_segments = n_segments
        self.sigma = sigma
        self.compactness = compactness

    def __call__(self, frame: np.ndarray) -> np.ndarray:
        return slic_superpixels(frame, self.n_segments, self.sigma, self.compactness)
