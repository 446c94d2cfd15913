"""Superpixel over-segmentation of one frame (uNLC step 2)."""
import cv2
import numpy as np
from skimage.segmentation import relabel_sequential, slic

from mmmotion.registry import SUPERPIXELS
from .stage import function_stage


def slic_superpixels(frame: np.ndarray,
                     n_segments: int = 400,
                     sigma: float = 5.0,
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
    labels = slic(
        frame,
        n_segments=n_segments,
        sigma=sigma,
        compactness=compactness,
        start_label=0,
        channel_axis=-1)
    labels, _, _ = relabel_sequential(labels)
    return labels.astype(np.int32, copy=False)


SLICSuperpixels = function_stage(SUPERPIXELS, 'SLICSuperpixels', slic_superpixels, n_inputs=1)


def opencv_slic_superpixels(frame: np.ndarray,
                            n_segments: int = 400,
                            sigma: float = 5.0,
                            ruler: float = 10.0,
                            iterations: int = 10) -> np.ndarray:
    """SLIC superpixels with OpenCV contrib's ``ximgproc`` (about twice as fast as scikit-image's).

    Args:
        frame: (h, w, 3) uint8 RGB.
        n_segments: approximate number of superpixels (sets the region size).
        sigma: Gaussian pre-smoothing, as for :func:`slic_superpixels`.
        ruler: compactness.
        iterations: SLIC iterations.

    Returns:
        (h, w) int32 labels, consecutive from 0.
    """
    h, w = frame.shape[:2]
    if sigma > 0:
        frame = cv2.GaussianBlur(frame, (0, 0), sigma)
    region_size = max(2, int(round(np.sqrt(h * w / max(n_segments, 1)))))
    slic_cv = cv2.ximgproc.createSuperpixelSLIC(
        cv2.cvtColor(frame, cv2.COLOR_RGB2Lab), cv2.ximgproc.SLIC, region_size, ruler)
    slic_cv.iterate(iterations)
    slic_cv.enforceLabelConnectivity(25)
    return consecutive_labels(slic_cv.getLabels())


def consecutive_labels(labels: np.ndarray) -> np.ndarray:
    """Labels renumbered 0, 1, ... in their order, as ``skimage.segmentation.relabel_sequential`` (from 0)
    does, by one count over the pixels instead of a sort. (h, w) non-negative int -> (h, w) int32."""
    present = np.bincount(labels.ravel()) > 0
    return (np.cumsum(present, dtype=np.int32) - 1)[labels]


OpenCVSLICSuperpixels = function_stage(SUPERPIXELS, 'OpenCVSLICSuperpixels', opencv_slic_superpixels, n_inputs=1)
