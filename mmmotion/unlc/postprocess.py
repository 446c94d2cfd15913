"""Energy-map clean-up and mask refinement (uNLC steps 6 and 7)."""
from typing import Optional

import cv2
import numpy as np
from scipy import ndimage

from mmmotion.registry import MASK_REFINERS


def damp_low_energy_blobs(energy: np.ndarray,
                          blob_threshold: float = 0.7,
                          min_mean_energy: float = 0.6,
                          damped_value: Optional[float] = None) -> np.ndarray:
    """Set blobs whose mean energy is low to ``damped_value`` (default ``blob_threshold / 4``).

    Blobs are 4-connected components of ``energy > blob_threshold``. With the reference's values
    (0.7 and 0.6) a blob's mean is always above 0.7, so the step changes nothing; it acts only when
    ``blob_threshold < min_mean_energy``. It is kept configurable rather than "fixed" so that the
    defaults reproduce the reference.

    Args:
        energy: (h, w) float energy map.
        blob_threshold: level whose super-level set defines the blobs.
        min_mean_energy: blobs with a lower mean energy are damped.
        damped_value: value given to damped blobs.

    Returns:
        (h, w) float32, a copy.
    """
    damped_value = blob_threshold / 4 if damped_value is None else damped_value
    energy = energy.astype(np.float32, copy=True)
    blobs, n_blobs = ndimage.label(energy > blob_threshold)
    if n_blobs == 0:
        return energy
    sums = np.bincount(blobs.ravel(), energy.ravel(), minlength=n_blobs + 1)
    sizes = np.bincount(blobs.ravel(), minlength=n_blobs + 1)
    weak = sums < min_mean_energy * sizes
    weak[0] = False
    energy[weak[blobs]] = damped_value
    return energy


def remove_small_blobs(mask: np.ndarray, relative_size: float = 0.6) -> np.ndarray:
    """Keep the 4-connected components of a binary mask at least ``relative_size`` times as large
    as the largest.

    Args:
        mask: (h, w) bool.
        relative_size: fraction of the largest component's area.

    Returns:
        (h, w) bool.
    """
    blobs, n_blobs = ndimage.label(mask)
    if n_blobs <= 1:
        return mask.astype(bool, copy=True)
    sizes = np.bincount(blobs.ravel(), minlength=n_blobs + 1)
    sizes[0] = 0
    keep = sizes >= relative_size * sizes.max()
    keep[0] = False
    return keep[blobs]


@MASK_REFINERS.register_module(name='none')
@MASK_REFINERS.register_module()
class NoRefiner:
    """Identity refiner: ``(frame, soft (h, w), binary (h, w)) -> binary``."""

    def __call__(self, frame: np.ndarray, soft: np.ndarray, binary: np.ndarray) -> np.ndarray:
        return binary


@MASK_REFINERS.register_module()
class DenseCRFRefiner:
    """Fully-connected CRF (Kraehenbuehl & Koltun 2011) with ``pydensecrf2`` (imported lazily).

    The unary is a trimap of the soft mask, as in the reference's CRF step: foreground with
    probability ``confidence`` where the energy is above ``pos_threshold``, background with that
    probability below ``neg_threshold``, undecided (0.5) in between, so the CRF decides the band
    between the two from colour and position alone. Pairwise terms are the usual Gaussian
    smoothness kernel and bilateral appearance kernel. Blobs under ``min_blob_size`` pixels are
    removed afterwards. ``(frame (h, w, 3) uint8, soft (h, w) float in [0, 1], binary (h, w) bool)
    -> (h, w) bool``.
    """

    def __init__(self,
                 iterations: int = 5,
                 confidence: float = 0.7,
                 pos_threshold: float = 0.7,
                 neg_threshold: float = 0.4,
                 gaussian_sxy: float = 3,
                 gaussian_weight: float = 3,
                 bilateral_sxy: float = 60,
                 bilateral_srgb: float = 10,
                 bilateral_weight: float = 5,
                 min_blob_size: int = 25):
        self.iterations = iterations
        self.confidence = confidence
        self.thresholds = (neg_threshold, pos_threshold)
        self.gaussian = (gaussian_sxy, gaussian_weight)
        self.bilateral = (bilateral_sxy, bilateral_srgb, bilateral_weight)
        self.min_blob_size = min_blob_size

    def __call__(self, frame: np.ndarray, soft: np.ndarray, binary: np.ndarray) -> np.ndarray:
        import pydensecrf.densecrf as dcrf
        from pydensecrf.utils import unary_from_softmax
        h, w = soft.shape
        fg = np.full((h, w), 0.5, np.float32)
        fg[(soft > self.thresholds[1]) & binary] = self.confidence
        fg[soft < self.thresholds[0]] = 1 - self.confidence
        crf = dcrf.DenseCRF2D(w, h, 2)
        crf.setUnaryEnergy(np.ascontiguousarray(unary_from_softmax(np.stack([1 - fg, fg]))))
        crf.addPairwiseGaussian(sxy=self.gaussian[0], compat=self.gaussian[1])
        crf.addPairwiseBilateral(
            sxy=self.bilateral[0],
            srgb=self.bilateral[1],
            rgbim=np.ascontiguousarray(frame),
            compat=self.bilateral[2])
        q = np.array(crf.inference(self.iterations)).reshape(2, h, w)
        mask = q[1] > q[0]
        if self.min_blob_size > 0:
            count, blobs, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), 8)
            small = stats[:, cv2.CC_STAT_AREA] < self.min_blob_size
            small[0] = False
            mask &= ~small[blobs]
        return mask


@MASK_REFINERS.register_module()
class GrabCutRefiner:
    """A per-frame colour model: OpenCV's GrabCut (Rother et al. 2004, GMMs + graph cut) started
    from the uNLC mask, which grows a mask that covers only the fastest-moving part of an object to
    the object's colours. ``(frame (h, w, 3) uint8, soft (h, w), binary (h, w) bool) -> (h, w)
    bool``.

    The trimap: the mask eroded by ``sure_erosion`` of its size is sure foreground, the mask
    probable foreground, a band of ``band`` of the frame's shorter side around it probable
    background, the rest sure background. Runs at most ``max_side`` pixels on the longer side. OpenCV's
    random generator (its GMMs start from k-means++) is seeded with ``seed`` for every frame, so a mask does
    not depend on the frames refined before it or on the thread that refines it. With ``context`` GrabCut
    runs only on the box around the band grown by ``context`` of the shorter side (faster; the background
    colour model then comes from the object's surroundings rather than from the whole frame).
    """

    def __init__(self, iterations: int = 3, sure_erosion: float = 0.25, band: float = 0.1,
                 max_side: int = 320, seed: int = 0, context: Optional[float] = None):
        self.iterations = iterations
        self.seed = seed
        self.context = context
        self.sure_erosion = sure_erosion
        self.band = band
        self.max_side = max_side

    def __call__(self, frame: np.ndarray, soft: np.ndarray, binary: np.ndarray) -> np.ndarray:
        h, w = binary.shape
        if not binary.any() or binary.all():
            return binary
        scale = min(1.0, self.max_side / max(h, w))
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
        small = cv2.resize(np.ascontiguousarray(frame), size, interpolation=cv2.INTER_AREA)
        mask = cv2.resize(binary.astype(np.uint8), size, interpolation=cv2.INTER_NEAREST)
        if not mask.any():
            return binary
        # erode by a fraction of the mask's equivalent radius
        radius = max(1, int(self.sure_erosion * np.sqrt(mask.sum() / np.pi)))
        sure = cv2.erode(mask, cv2.getStructuringElement(cv2.MORPH_ELLIPSE,
                                                         (2 * radius + 1, 2 * radius + 1)))
        reach = max(1, int(self.band * min(size)))
        near = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_ELLIPSE,
                                                          (2 * reach + 1, 2 * reach + 1)))
        trimap = np.full(mask.shape, cv2.GC_BGD, np.uint8)
        trimap[near > 0] = cv2.GC_PR_BGD
        trimap[mask > 0] = cv2.GC_PR_FGD
        trimap[sure > 0] = cv2.GC_FGD
        if not (trimap == cv2.GC_FGD).any():
            return binary
        box = (slice(None), slice(None))
        if self.context is not None:  # outside the box every pixel stays sure background
            margin = int(self.context * min(size))
            x, y, bw, bh = cv2.boundingRect(near)
            box = (slice(max(0, y - margin), y + bh + margin), slice(max(0, x - margin), x + bw + margin))
        bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
        cv2.setRNGSeed(self.seed)  # OpenCV's generator is per thread
        inner = np.ascontiguousarray(trimap[box])
        cv2.grabCut(cv2.cvtColor(np.ascontiguousarray(small[box]), cv2.COLOR_RGB2BGR), inner, None, bgd, fgd,
                    self.iterations, cv2.GC_INIT_WITH_MASK)
        trimap[box] = inner
        out = ((trimap == cv2.GC_FGD) | (trimap == cv2.GC_PR_FGD)).astype(np.uint8)
        return cv2.resize(out, (w, h), interpolation=cv2.INTER_NEAREST).astype(bool)
