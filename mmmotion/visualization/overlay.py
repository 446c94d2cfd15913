"""Mask overlays: a coloured, translucent mask with its contour drawn on the frame."""
from typing import Optional, Sequence, Tuple

import cv2
import numpy as np

PRED_COLOUR = (255, 40, 40)  # a prediction: red
GT_COLOUR = (40, 220, 40)  # the ground truth: green
SECOND_COLOUR = (40, 120, 255)  # a second method (a teacher): blue


def overlay_mask(frame: np.ndarray,
                 mask: np.ndarray,
                 color: Tuple[int, int, int] = PRED_COLOUR,
                 alpha: float = 0.45,
                 contour_thickness: int = 2) -> np.ndarray:
    """Blend ``color`` into the masked pixels and outline the mask.

    Args:
        frame: (h, w, 3) uint8 RGB (or (h, w) grey).
        mask: (h, w) bool or 0/1 foreground.
        color: RGB colour of mask and contour.
        alpha: opacity of the mask colour.
        contour_thickness: contour width in pixels; 0 for none.

    Returns:
        (h, w, 3) uint8 RGB.
    """
    frame = np.asarray(frame)
    if frame.ndim == 2:
        frame = np.repeat(frame[..., None], 3, axis=-1)
    mask = np.asarray(mask).astype(bool)
    out = frame.astype(np.float32)
    out[mask] = (1 - alpha) * out[mask] + alpha * np.asarray(color, np.float32)
    out = np.clip(np.round(out), 0, 255).astype(np.uint8)
    if contour_thickness > 0 and mask.any():
        contours, _ = cv2.findContours(
            mask.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        cv2.drawContours(out, contours, -1, tuple(int(c) for c in color), contour_thickness)
    return out


def overlay_row(frame: np.ndarray, masks: Sequence[Tuple[np.ndarray, Tuple[int, int, int]]],
                width: Optional[int] = None) -> np.ndarray:
    """One figure row: the frame, then the frame with each ``(mask, colour)`` overlaid (a mask of another size
    is resized to the frame's, nearest neighbour), every panel ``width`` wide (default: the frame's).

    Args:
        frame: (h, w, 3) uint8 RGB.
        masks: (mask (h', w') bool or 0/1, RGB colour) pairs, one panel each.
        width: panel width in pixels; the height keeps the frame's aspect.

    Returns:
        (height, width * (1 + len(masks)), 3) uint8 RGB.
    """
    h, w = frame.shape[:2]
    panels = [frame]
    for mask, colour in masks:
        mask = np.asarray(mask).astype(np.uint8)
        if mask.shape != (h, w):
            mask = cv2.resize(mask, (w, h), interpolation=cv2.INTER_NEAREST)
        panels.append(overlay_mask(frame, mask, colour))
    width = width or w
    size = (width, max(1, round(h * width / w)))
    return np.hstack([cv2.resize(p, size, interpolation=cv2.INTER_AREA) for p in panels])


def overlay_soft_mask(frame: np.ndarray, soft: np.ndarray, alpha: float = 0.6) -> np.ndarray:
    """Blend a soft mask in [0, 1] as a 'jet' heat map over the frame: (h, w, 3) uint8 RGB."""
    heat = cv2.applyColorMap(np.clip(soft * 255, 0, 255).astype(np.uint8), cv2.COLORMAP_JET)
    heat = cv2.cvtColor(heat, cv2.COLOR_BGR2RGB).astype(np.float32)
    weight = alpha * np.clip(soft, 0, 1)[..., None]
    return np.clip(np.round((1 - weight) * frame + weight * heat), 0, 255).astype(np.uint8)
