"""Region descriptors of superpixels (uNLC step 3), computed for all regions of a frame at once.

A descriptor is ``[HOG of a patch at the region's box centre, RGB histograms, Lab histograms,
normalised (y, x) of the box centre]``. Everything is vectorised over regions: histograms are
``np.bincount`` over ``label * bins + bin``, and the HOG of every patch is read off per-orientation
gradient-magnitude images summed over cells with one box filter, so no Python loop runs per region.
"""
from typing import Tuple

import cv2
import numpy as np
from scipy import ndimage

from mmmotion.registry import REGION_DESCRIPTORS
from .stage import function_stage


def region_box_centres(labels: np.ndarray) -> np.ndarray:
    """Centres of the regions' bounding boxes.

    Args:
        labels: (h, w) int labels, consecutive from 0.

    Returns:
        (n_regions, 2) float32 (y, x) pixel coordinates.
    """
    n = int(labels.max()) + 1
    # one pass in C over the frame (a sort of its labels took 10x longer)
    boxes = np.array([(s[0].start, s[0].stop - 1, s[1].start, s[1].stop - 1)
                      for s in ndimage.find_objects(labels + 1, max_label=n)], np.int64).reshape(n, 4)
    centres = np.empty((n, 2), np.float32)
    centres[:, 0] = (boxes[:, 0] + boxes[:, 1]) / 2
    centres[:, 1] = (boxes[:, 2] + boxes[:, 3]) / 2
    return centres


def patch_hog(gray: np.ndarray,
              centres: np.ndarray,
              patch_size: int = 15,
              cells: int = 3,
              orientations: int = 6,
              block_norm: str = 'L1') -> np.ndarray:
    """HOG of square patches, one per centre, as one block of ``cells x cells`` cells.

    Gradients are centred differences, orientations unsigned with hard binning (as
    ``skimage.feature.hog``). Patches are shifted inwards to lie inside the frame where it is big
    enough, and zero-padded otherwise.

    Args:
        gray: (h, w) float32 grey image in [0, 1].
        centres: (n, 2) (y, x) patch centres.
        patch_size: side of the patch in pixels.
        cells: cells per patch side.
        orientations: number of orientation bins over [0, 180) degrees.
        block_norm: 'L1' (scikit-image's default until 0.15, which the reference ran under; a row
            sums to 1, so HOG distances sit on the scale the graph's ``sigma2`` was set for) or
            'L2-Hys' (today's default; distances about 20x larger, which starves the graph).

    Returns:
        (n, cells * cells * orientations) float32.
    """
    if block_norm not in BLOCK_NORMS:
        raise ValueError(f'unknown HOG block_norm {block_norm!r}; one of {sorted(BLOCK_NORMS)}')
    h, w = gray.shape
    cell = max(patch_size // cells, 1)
    gy = np.zeros_like(gray)
    gx = np.zeros_like(gray)
    gy[1:-1] = gray[2:] - gray[:-2]
    gx[:, 1:-1] = gray[:, 2:] - gray[:, :-2]
    magnitude = np.hypot(gx, gy)
    angle = np.rad2deg(np.arctan2(gy, gx)) % 180.0
    bins = np.minimum((angle * (orientations / 180.0)).astype(np.int32), orientations - 1)
    # per-orientation magnitude, summed over a cell centred at every pixel
    cell_sums = np.empty((orientations, h, w), np.float32)
    for o in range(orientations):
        cell_sums[o] = cv2.boxFilter(
            np.where(bins == o, magnitude, 0).astype(np.float32),
            -1, (cell, cell),
            normalize=False,
            borderType=cv2.BORDER_CONSTANT)
    half = (patch_size - 1) / 2
    cy = np.clip(np.round(centres[:, 0]), half, max(h - 1 - half, half)).astype(np.int64)
    cx = np.clip(np.round(centres[:, 1]), half, max(w - 1 - half, half)).astype(np.int64)
    offsets = (np.arange(cells) - (cells - 1) / 2) * cell
    oy, ox = np.meshgrid(offsets, offsets, indexing='ij')
    ys = np.round(cy[:, None] + oy.ravel()[None]).astype(np.int64)  # (n, cells*cells)
    xs = np.round(cx[:, None] + ox.ravel()[None]).astype(np.int64)
    inside = (ys >= 0) & (ys < h) & (xs >= 0) & (xs < w)
    feats = cell_sums[:, np.clip(ys, 0, h - 1), np.clip(xs, 0, w - 1)]  # (orient, n, cells*cells)
    feats = feats * inside[None]
    feats = feats.transpose(1, 2, 0).reshape(len(centres), -1)
    return BLOCK_NORMS[block_norm](feats)


def l1_norm(feats: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    """Row-wise L1 normalisation, as scikit-image's ``block_norm='L1'``. (n, d) -> (n, d)."""
    return (feats / (np.abs(feats).sum(1, keepdims=True) + eps)).astype(np.float32)


def l2_hys(feats: np.ndarray, clip: float = 0.2, eps: float = 1e-5) -> np.ndarray:
    """Row-wise L2-Hys normalisation (L2, clip, L2) as in Dalal & Triggs. (n, d) -> (n, d)."""
    feats = feats / np.sqrt((feats**2).sum(1, keepdims=True) + eps**2)
    feats = np.minimum(feats, clip)
    return (feats / np.sqrt((feats**2).sum(1, keepdims=True) + eps**2)).astype(np.float32)


BLOCK_NORMS = {'L1': l1_norm, 'L2-Hys': l2_hys}


def region_colour_histograms(frame: np.ndarray, labels: np.ndarray, bins: int = 20) -> np.ndarray:
    """Per-region histograms of R, G, B, L, a, b; each channel's histogram sums to 1.

    Args:
        frame: (h, w, 3) uint8 RGB.
        labels: (h, w) int labels, consecutive from 0.
        bins: bins per channel.

    Returns:
        (n_regions, 6 * bins) float32.
    """
    n = int(labels.max()) + 1
    lab = cv2.cvtColor(frame.astype(np.float32) / 255.0, cv2.COLOR_RGB2Lab)
    channel_bins = np.empty((6, ) + labels.shape, np.int64)
    channel_bins[:3] = np.moveaxis(frame, -1, 0).astype(np.int64) * bins // 256
    channel_bins[3] = lab[..., 0] * (bins / 100.0)
    channel_bins[4:] = np.moveaxis((lab[..., 1:] + 128.0) * (bins / 256.0), -1, 0)
    np.clip(channel_bins, 0, bins - 1, out=channel_bins)
    flat_labels = labels.ravel().astype(np.int64) * bins
    counts = np.bincount(labels.ravel(), minlength=n).astype(np.float32)
    hists = np.empty((n, 6 * bins), np.float32)
    for c in range(6):
        hist = np.bincount(flat_labels + channel_bins[c].ravel(), minlength=n * bins)
        hists[:, c * bins:(c + 1) * bins] = hist.reshape(n, bins) / np.maximum(counts, 1)[:, None]
    return hists


def reference_patch_origins(labels: np.ndarray, patch_size: int = 15) -> Tuple[np.ndarray, np.ndarray]:
    """Where the reference (videoseg's ``compute_descriptor``) puts each region's patch.

    The unclipped corner is ``trunc((min + max - patch_size) / 2)`` of the region's bounding box on each
    axis (the position feature); the patch read is that square moved inside the frame: to 0 where the
    corner is at or before the top / left edge, to ``side - 1 - patch_size`` where the patch reaches the
    last row / column (the reference's slice stops one short of it).

    Args:
        labels: (h, w) int labels, consecutive from 0.
        patch_size: side of the patch.

    Returns:
        corners (n, 2) int64 unclipped (y, x) and origins (n, 2) int64 of the patches read; a frame
        not larger than the patch gets origin 0 (the patch is zero-padded).
    """
    n = int(labels.max()) + 1
    boxes = np.array([(s[0].start, s[0].stop - 1, s[1].start, s[1].stop - 1)
                      for s in ndimage.find_objects(labels + 1, max_label=n)], np.int64).reshape(n, 4)
    corners = np.trunc((boxes[:, [0, 2]] + boxes[:, [1, 3]] - patch_size) / 2).astype(np.int64)
    origins = corners.copy()
    for axis, side in enumerate(labels.shape):
        last = side - 1 - patch_size
        if last <= 0:
            origins[:, axis] = 0
            continue
        origins[:, axis] = np.where(corners[:, axis] <= 0, 0,
                                    np.where(corners[:, axis] + patch_size >= side - 1, last, corners[:, axis]))
    return corners, origins


def gather_patches(image: np.ndarray, origins: np.ndarray, patch_size: int) -> np.ndarray:
    """Square patches of an (h, w[, c]) image at (y, x) ``origins``, zero outside the image:
    (n, patch_size, patch_size[, c])."""
    h, w = image.shape[:2]
    steps = np.arange(patch_size)
    ys = origins[:, 0, None] + steps
    xs = origins[:, 1, None] + steps
    patches = image[np.clip(ys, 0, h - 1)[:, :, None], np.clip(xs, 0, w - 1)[:, None, :]]
    inside = ((ys >= 0) & (ys < h))[:, :, None] & ((xs >= 0) & (xs < w))[:, None, :]
    return patches * (inside if image.ndim == 2 else inside[..., None])


def patches_hog(patches: np.ndarray, cells: int = 3, orientations: int = 6, block_norm: str = 'L1') -> np.ndarray:
    """HOG of each (patch_size, patch_size) grey patch alone, as ``skimage.feature.hog`` computes it on the
    patch: centred differences inside the patch (zero on its outer rows and columns), unsigned
    orientations in hard bins, ``patch_size // cells`` pixel cells averaged, one block normalised.
    (n, p, p) float in [0, 1] -> (n, cells * cells * orientations) float32."""
    if block_norm not in BLOCK_NORMS:
        raise ValueError(f'unknown HOG block_norm {block_norm!r}; one of {sorted(BLOCK_NORMS)}')
    patches = patches.astype(np.float64)
    n, p = patches.shape[:2]
    cell = max(p // cells, 1)
    gy = np.zeros_like(patches)
    gx = np.zeros_like(patches)
    gy[:, 1:-1] = patches[:, 2:] - patches[:, :-2]
    gx[:, :, 1:-1] = patches[:, :, 2:] - patches[:, :, :-2]
    magnitude = np.hypot(gx, gy)
    angle = np.rad2deg(np.arctan2(gy, gx)) % 180.0
    bins = np.minimum((angle // (180.0 / orientations)).astype(np.int64), orientations - 1)
    used = cell * cells
    rows = np.arange(used) // cell
    index = ((rows[:, None] * cells + rows[None, :]) * orientations)[None] + bins[:, :used, :used]
    index = index + (np.arange(n) * cells * cells * orientations)[:, None, None]
    feats = np.bincount(index.ravel(), magnitude[:, :used, :used].ravel(),
                        minlength=n * cells * cells * orientations).reshape(n, -1) / (cell * cell)
    return BLOCK_NORMS[block_norm](feats)


def patches_histograms(values: np.ndarray, bins: int, low: float, high: float) -> np.ndarray:
    """Histogram of each row of ``values`` (n, m) as ``np.histogram(row, bins, (low, high))`` counts it
    (values outside the range dropped, the last bin closed), normalised to sum 1 (all-zero rows stay
    zero). -> (n, bins) float32."""
    edges = np.linspace(low, high, bins + 1)
    index = np.searchsorted(edges, values, side='right') - 1
    index[values == high] = bins - 1
    valid = (values >= low) & (values <= high)
    rows = np.broadcast_to(np.arange(len(values))[:, None], values.shape)
    counts = np.bincount((rows * bins + index)[valid], minlength=len(values) * bins).reshape(len(values), bins)
    totals = counts.sum(1, keepdims=True)
    return (counts / np.where(totals < 1e-4, 1, totals)).astype(np.float32)


def reference_patch_descriptors(frame: np.ndarray, labels: np.ndarray, patch_size: int = 15, hog_cells: int = 3,
                                hog_orientations: int = 6, hog_block_norm: str = 'L1',
                                colour_bins: int = 20) -> np.ndarray:
    """Every part of the descriptor from the reference's patch (:func:`reference_patch_origins`), as
    videoseg computes it: HOG of the patch alone on scikit-image's grey (:func:`patches_hog`), the patch's
    RGB histograms on [0, 255] and scikit-image Lab histograms (L on [0, 100], a and b on [-128, 127]),
    and the unclipped corner over (h, w) as the position. (h, w, 3) uint8 and (h, w) labels ->
    (n_regions, hog_cells**2 * hog_orientations + 6 * colour_bins + 2) float32."""
    from skimage.color import rgb2gray, rgb2lab
    h, w = labels.shape
    corners, origins = reference_patch_origins(labels, patch_size)
    rgb = frame.astype(np.float64) / 255.0
    hog = patches_hog(gather_patches(rgb2gray(rgb), origins, patch_size), hog_cells, hog_orientations,
                      hog_block_norm)
    colour = np.concatenate([gather_patches(frame.astype(np.float64), origins, patch_size),
                             gather_patches(rgb2lab(rgb), origins, patch_size)], -1).reshape(len(origins), -1, 6)
    ranges = [(0, 255)] * 3 + [(0, 100), (-128, 127), (-128, 127)]
    hists = [patches_histograms(colour[:, :, c], colour_bins, *ranges[c]) for c in range(6)]
    position = corners / np.array([max(h, 1), max(w, 1)], np.float64)
    return np.concatenate([hog] + hists + [position.astype(np.float32)], axis=1).astype(np.float32)


def region_descriptors(frame: np.ndarray,
                       labels: np.ndarray,
                       patch_size: int = 15,
                       hog_cells: int = 3,
                       hog_orientations: int = 6,
                       hog_block_norm: str = 'L1',
                       colour_bins: int = 20,
                       hog_weight: float = 1.0,
                       colour_weight: float = 1.0,
                       position_weight: float = 1.0,
                       support: str = 'region') -> np.ndarray:
    """uNLC region descriptors of one frame.

    Args:
        frame: (h, w, 3) uint8 RGB.
        labels: (h, w) int superpixel labels, consecutive from 0.
        patch_size, hog_cells, hog_orientations, hog_block_norm: HOG patch around each region's
            box centre (see :func:`patch_hog`).
        colour_bins: bins per colour channel (RGB and Lab).
        hog_weight, colour_weight, position_weight: scale of each part (1 = the reference's).
        support: 'region' (mmmotion's): HOG of the patch at the box centre read off the frame's gradients,
            colour histograms over the whole superpixel, the box centre as position; 'patch' (the
            reference's, :func:`reference_patch_descriptors`): every part from the 15x15 patch alone.

    Returns:
        (n_regions, hog_cells**2 * hog_orientations + 6 * colour_bins + 2) float32.
    """
    if support == 'patch':
        feats = reference_patch_descriptors(frame, labels, patch_size, hog_cells, hog_orientations, hog_block_norm,
                                            colour_bins)
        n_hog = hog_cells**2 * hog_orientations
        return np.concatenate([hog_weight * feats[:, :n_hog], colour_weight * feats[:, n_hog:-2],
                               position_weight * feats[:, -2:]], axis=1)
    if support != 'region':
        raise ValueError(f"support must be 'region' or 'patch', got {support!r}")
    h, w = labels.shape
    centres = region_box_centres(labels)
    gray = cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY).astype(np.float32) / 255.0
    hog = patch_hog(gray, centres, patch_size, hog_cells, hog_orientations, hog_block_norm)
    colour = region_colour_histograms(frame, labels, colour_bins)
    position = centres / np.array([max(h, 1), max(w, 1)], np.float32)
    return np.concatenate([hog_weight * hog, colour_weight * colour, position_weight * position],
                          axis=1)


HOGColourDescriptor = function_stage(REGION_DESCRIPTORS, 'HOGColourDescriptor', region_descriptors, n_inputs=2)
