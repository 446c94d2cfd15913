"""A label-free quality score for every segmented frame, for choosing which frames become pseudo-ground truth.

A mask that is right tends to be stable in time (the object moves a little between frames; a
mask that jumps between the object, the road and a wall does not), to be clearly separated in the
soft energy (high inside, low just outside, rather than a threshold cut through a plateau), and to
stay off the frame border (the ground plane under a forward-moving camera, a parallax wall next to
the lens). Each term is in [0, 1]; the score is their product. Pure functions on arrays, no I/O.
"""
from typing import Dict

import cv2
import numpy as np

from .frame_selection import border_band


def temporal_consistency(binary: np.ndarray, radius: int = 2) -> np.ndarray:
    """Mean IoU of every frame's mask with the masks of the frames within ``radius``.

    Args:
        binary: (n, h, w) bool masks of one shot, in frame order.
        radius: how many frames on each side to compare with.

    Returns:
        (n,) float32 in [0, 1]; 0 for a single frame or an empty mask.
    """
    binary = np.asarray(binary, bool)
    n = len(binary)
    flat = binary.reshape(n, -1)
    area = flat.sum(1).astype(np.float64)
    scores = np.zeros(n, np.float32)
    for i in range(n):
        ious = []
        for j in range(max(0, i - radius), min(n, i + radius + 1)):
            if j == i:
                continue
            inter = np.count_nonzero(flat[i] & flat[j])
            union = area[i] + area[j] - inter
            ious.append(inter / union if union > 0 else 0.0)
        scores[i] = np.mean(ious) if ious else 0.0
    return scores


def energy_separation(soft: np.ndarray, binary: np.ndarray, ring: float = 0.05) -> np.ndarray:
    """Mean soft energy inside the mask minus its mean in a ring just outside, clipped to [0, 1].

    Args:
        soft: (n, h, w) float soft masks in [0, 1].
        binary: (n, h, w) bool masks.
        ring: width of the ring as a fraction of the frame's shorter side.

    Returns:
        (n,) float32; 0 for an empty or full mask.
    """
    soft = np.asarray(soft, np.float32)
    binary = np.asarray(binary, bool)
    h, w = binary.shape[1:]
    reach = max(1, int(round(ring * min(h, w))))
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * reach + 1, 2 * reach + 1))
    scores = np.zeros(len(binary), np.float32)
    for i, (s, b) in enumerate(zip(soft, binary)):
        outside = (cv2.dilate(b.astype(np.uint8), kernel) > 0) & ~b
        if b.any() and outside.any():
            scores[i] = np.clip(s[b].mean() - s[outside].mean(), 0, 1)
    return scores


def border_share(binary: np.ndarray, border: float = 0.05) -> np.ndarray:
    """Share of every mask's pixels that lie in the frame rules' border band (:func:`.frame_selection.border_band`).
    (n, h, w) bool -> (n,) float32; 0 for an empty mask."""
    binary = np.asarray(binary, bool)
    n, h, w = binary.shape
    band = border_band(h, w, border)
    area = binary.reshape(n, -1).sum(1)
    in_band = binary[:, band].sum(1)
    return (in_band / np.maximum(area, 1)).astype(np.float32)


def frame_quality(soft: np.ndarray,
                  binary: np.ndarray,
                  radius: int = 2,
                  ring: float = 0.05,
                  border: float = 0.05) -> Dict[str, np.ndarray]:
    """The quality score of every frame of a shot and its terms.

    Args:
        soft: (n, h, w) float soft masks in [0, 1].
        binary: (n, h, w) bool masks.
        radius: see :func:`temporal_consistency`.
        ring: see :func:`energy_separation`.
        border: see :func:`border_share`.

    Returns:
        dict of (n,) float32 arrays: ``consistency``, ``separation``, ``off_border`` (1 - border
        share) and ``score``, their product.
    """
    consistency = temporal_consistency(binary, radius)
    separation = energy_separation(soft, binary, ring)
    off_border = 1 - border_share(binary, border)
    return dict(consistency=consistency, separation=separation, off_border=off_border,
                score=(consistency * separation * off_border).astype(np.float32))
