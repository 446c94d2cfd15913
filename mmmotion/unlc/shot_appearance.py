"""A colour model over the whole shot that grows the voted energy over the object (after voting).

Motion evidence and voting often light up only the most-moving part of an object (a dancer's
skirt, a rider's torso). The object's other parts share its colours across the shot even in frames
where they barely move, so a foreground / background colour model pooled over every frame of the
shot, fitted on the confident energy, tells which nearby regions belong to the object. The model is
a pair of joint RGB histograms (a non-parametric colour likelihood, as in GrabCut's first step); the
posterior is averaged over each superpixel and only spreads within a band around the confident
foreground, so a far background region of the object's colour is not pulled in.
"""
import cv2
import numpy as np

from mmmotion.registry import SHOT_APPEARANCE
from .stage import function_stage
from .voting import project_to_pixels, region_means


def colour_bins(frames: np.ndarray, bins: int = 16) -> np.ndarray:
    """Joint RGB bin of every pixel: (..., 3) uint8 -> (...) int64 in ``[0, bins**3)``."""
    q = (frames.astype(np.int64) * bins) >> 8
    return (q[..., 0] * bins + q[..., 1]) * bins + q[..., 2]


def shot_colour_posterior(frames: np.ndarray,
                          energy: np.ndarray,
                          fg_level: float = 0.7,
                          bg_level: float = 0.2,
                          bins: int = 16,
                          smoothing: float = 1.0) -> np.ndarray:
    """P(foreground | colour) from histograms pooled over the shot.

    Args:
        frames: (n, h, w, 3) uint8 RGB.
        energy: (n, h, w) float voted energy, each frame's maximum 1.
        fg_level: pixels above this energy train the foreground histogram.
        bg_level: pixels below this energy train the background histogram.
        bins: bins per channel of the joint histogram.
        smoothing: pseudo-count added to every bin.

    Returns:
        (n, h, w) float32 posterior in [0, 1], equal priors; 0.5 everywhere when either side has no
        pixels.
    """
    codes = colour_bins(frames, bins)
    fg, bg = energy > fg_level, energy < bg_level
    if not fg.any() or not bg.any():
        return np.full(energy.shape, 0.5, np.float32)
    size = bins**3
    p_fg = np.bincount(codes[fg], minlength=size) + smoothing
    p_bg = np.bincount(codes[bg], minlength=size) + smoothing
    p_fg, p_bg = p_fg / p_fg.sum(), p_bg / p_bg.sum()
    posterior = (p_fg / (p_fg + p_bg)).astype(np.float32)
    return posterior[codes]


def grow_with_shot_colours(frames: np.ndarray,
                           energy: np.ndarray,
                           labels: np.ndarray,
                           offsets: np.ndarray,
                           weight: float = 0.5,
                           band: float = 0.1,
                           fg_level: float = 0.7,
                           bg_level: float = 0.2,
                           bins: int = 16) -> np.ndarray:
    """Blend the voted energy with the shot's colour posterior near the confident foreground.

    Args:
        frames: (n, h, w, 3) uint8 RGB.
        energy: (n, h, w) float voted energy, each frame's maximum 1.
        labels: (n, h, w) int per-frame superpixel labels.
        offsets: (n + 1,) frame offsets of the regions (:func:`~.voting.frame_offsets_of`).
        weight: weight of the colour evidence; 0 returns the energy unchanged.
        band: reach of the colour evidence around the pixels above ``fg_level``, as a fraction
            of the frame's shorter side (a dilation); a superpixel the band touches is reached whole.
        fg_level, bg_level, bins: see :func:`shot_colour_posterior`.

    Returns:
        (n, h, w) float32 energy, each frame's maximum 1 unless the frame is all zero.
    """
    energy = energy.astype(np.float32)
    if weight <= 0:
        return energy.copy()
    posterior = shot_colour_posterior(frames, energy, fg_level, bg_level, bins)
    posterior = project_to_pixels(region_means(posterior, labels, offsets), labels, offsets)
    h, w = energy.shape[1:]
    reach = max(1, int(band * min(h, w)))
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * reach + 1, 2 * reach + 1))
    near = np.stack([cv2.dilate((e > fg_level).astype(np.uint8), kernel) for e in energy]).astype(np.float32)
    near = project_to_pixels(region_means(near, labels, offsets), labels, offsets) > 0  # whole superpixels
    out = np.where(near, (1 - weight) * energy + weight * posterior, (1 - weight) * energy)
    peaks = out.reshape(len(out), -1).max(1)
    return (out / np.where(peaks > 0, peaks, 1)[:, None, None]).astype(np.float32)


def no_shot_appearance(frames: np.ndarray, energy: np.ndarray, labels: np.ndarray,
                       offsets: np.ndarray) -> np.ndarray:
    """The voted energy as it is (the reference has no shot-level colour model); not copied, the
    post-processing that follows copies it."""
    return energy.astype(np.float32, copy=False)


ShotColourGrowth = function_stage(SHOT_APPEARANCE, 'ShotColourGrowth', grow_with_shot_colours, n_inputs=4)
NoShotAppearance = function_stage(SHOT_APPEARANCE, 'NoShotAppearance', no_shot_appearance, n_inputs=4)
