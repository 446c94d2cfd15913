"""Motion boundaries and inside-outside maps (Papazoglou & Ferrari, "Fast Object Segmentation in
Unconstrained Video", ICCV 2013), a motion cue that needs no camera model.

Where the flow changes abruptly an object's outline is likely; a point is inside an object when
rays cast from it cross that outline an odd number of times, so an object is filled out from its
boundary even where its own parts move little (a slowly moving torso between fast limbs).
"""
from typing import Tuple

import numpy as np


def motion_boundaries(flow: np.ndarray, magnitude_scale: float = 1.0, angle_scale: float = 1.0,
                      strong: float = 0.6) -> np.ndarray:
    """Soft motion-boundary strength of a flow field.

    ``b_m = 1 - exp(-magnitude_scale |grad flow|)`` (the flow gradient is in pixels per pixel, so
    it does not depend on the frame size); where ``b_m`` is not ``strong`` it is multiplied by
    ``b_a = 1 - exp(-angle_scale max_q dtheta^2)``, the largest squared direction change to a
    4-neighbour, which keeps the boundaries of objects that move in another direction and drops
    smooth changes of speed (a zoom, a rotation, depth).

    Args:
        flow: (h, w, 2) float (dx, dy) in pixels.
        magnitude_scale: ``lambda_m``.
        angle_scale: ``lambda_theta`` (radians^-2).
        strong: ``b_m`` above this is a boundary by magnitude alone.

    Returns:
        (h, w) float32 in [0, 1].
    """
    flow = flow.astype(np.float32)
    gradients = [np.gradient(flow[..., c], axis=a) for c in range(2) for a in range(2)]
    magnitude = np.sqrt(sum(g**2 for g in gradients))
    by_magnitude = 1 - np.exp(-magnitude_scale * magnitude)
    angle = np.arctan2(flow[..., 1], flow[..., 0])
    padded = np.pad(angle, 1, mode='edge')
    h, w = angle.shape
    change = np.zeros_like(angle)
    for dy, dx in ((0, 1), (2, 1), (1, 0), (1, 2)):
        difference = np.angle(np.exp(1j * (padded[dy:dy + h, dx:dx + w] - angle)))
        change = np.maximum(change, difference**2)
    by_angle = 1 - np.exp(-angle_scale * change)
    return np.where(by_magnitude > strong, by_magnitude, by_magnitude * by_angle).astype(np.float32)


def _crossings(boundary: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """Boundary runs crossed by the rays from every pixel towards smaller and larger row index:
    (h, w) bool -> two (h, w) int counts."""
    starts = boundary & ~np.pad(boundary, ((1, 0), (0, 0)))[:-1]
    before = np.cumsum(starts, 0) - starts
    after = starts.sum(0, keepdims=True) - np.cumsum(starts, 0)
    return before, after


def _sheared(image: np.ndarray, sign: int) -> np.ndarray:
    """Shift row ``y`` by ``sign * y`` (+ an offset) so that the diagonals (sign -1: x - y constant,
    +1: x + y constant) become columns. (h, w) -> (h, w + h - 1)."""
    h, w = image.shape
    out = np.zeros((h, w + h - 1), image.dtype)
    for y in range(h):
        start = y if sign > 0 else h - 1 - y
        out[y, start:start + w] = image[y]
    return out


def _unsheared(image: np.ndarray, sign: int, w: int) -> np.ndarray:
    h = image.shape[0]
    return np.stack([image[y, (y if sign > 0 else h - 1 - y):][:w] for y in range(h)])


def inside_outside(boundary: np.ndarray) -> np.ndarray:
    """Share of 8 rays (horizontal, vertical, diagonal; both ways) from each pixel that cross the
    boundary an odd number of times: about 1 inside a closed outline, 0 outside.

    Args:
        boundary: (h, w) bool motion boundaries.

    Returns:
        (h, w) float32 in [0, 1] (P&F call a pixel inside where it is above 0.5).
    """
    h, w = boundary.shape
    odd = np.zeros((h, w), np.float32)
    for counts in (_crossings(boundary), _crossings(boundary.T)):
        for c in counts:
            odd += (c % 2 == 1).reshape(odd.shape) if c.shape == odd.shape else (c.T % 2 == 1)
    for sign in (-1, 1):
        for c in _crossings(_sheared(boundary, sign)):
            odd += _unsheared(c % 2 == 1, sign, w)
    return odd / 8


def inside_map(flow: np.ndarray, magnitude_scale: float = 1.0, angle_scale: float = 1.0, strong: float = 0.6,
               level: float = 0.5) -> np.ndarray:
    """Inside-outside map of a flow field: :func:`inside_outside` of :func:`motion_boundaries` above
    ``level``. (h, w, 2) -> (h, w) float32 in [0, 1]."""
    return inside_outside(motion_boundaries(flow, magnitude_scale, angle_scale, strong) > level)
