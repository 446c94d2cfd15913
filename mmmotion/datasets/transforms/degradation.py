"""Mask degradations of the paper's robustness study (section 4.2), applied on the fly."""
from typing import Optional

import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from mmmotion.registry import TRANSFORMS
from .object_crop import mask_components

_SIDES = ('top', 'bottom', 'left', 'right')


def dilate_or_erode(mask: np.ndarray, pixels: int, erode: bool = False) -> np.ndarray:
    """Grow (or shrink) a soft mask by ``pixels`` px with a disk-shaped structuring element: the pixels within
    Euclidean distance ``pixels`` (OpenCV's ellipse element is not symmetric under transposition, so it would
    shrink a disc by more across than along)."""
    if pixels <= 0:
        return mask.copy()
    ys, xs = np.mgrid[-pixels:pixels + 1, -pixels:pixels + 1]
    kernel = (ys ** 2 + xs ** 2 <= pixels ** 2).astype(np.uint8)
    op = cv2.erode if erode else cv2.dilate
    return op(mask, kernel, borderType=cv2.BORDER_CONSTANT, borderValue=0)


def truncate_objects(mask: np.ndarray, fraction: float, rng: np.random.Generator,
                     threshold: float = 0.5, side: Optional[str] = None) -> np.ndarray:
    """Cut ``fraction`` of each object's extent off one side (random per object unless ``side``):
    inside the object's box, the band of that width along that side becomes background."""
    out = mask.copy()
    for x1, y1, x2, y2, _ in mask_components(mask >= threshold).astype(int):
        which = side or _SIDES[int(rng.integers(4))]
        if which in ('top', 'bottom'):
            cut = int(round(fraction * (y2 - y1)))
            rows = slice(y1, y1 + cut) if which == 'top' else slice(y2 - cut, y2)
            out[rows, x1:x2] = 0
        else:
            cut = int(round(fraction * (x2 - x1)))
            cols = slice(x1, x1 + cut) if which == 'left' else slice(x2 - cut, x2)
            out[y1:y2, cols] = 0
    return out


def drop_blobs(mask: np.ndarray, count: int, rng: np.random.Generator, threshold: float = 0.5,
               fringe: int = 2) -> np.ndarray:
    """Remove ``count`` random objects (8-connected components of ``mask >= threshold``; all of them when
    there are fewer): a missed object. Each goes with its soft fringe up to ``fringe`` px around it, unless
    that belongs to another object."""
    objects, labels = cv2.connectedComponents((mask >= threshold).astype(np.uint8), connectivity=8)
    out = mask.copy()
    if count <= 0 or objects <= 1:
        return out
    chosen = rng.choice(np.arange(1, objects), size=min(count, objects - 1), replace=False)
    region = np.isin(labels, chosen).astype(np.uint8)
    region = dilate_or_erode(region, fringe) > 0
    out[region & ~((labels > 0) & ~np.isin(labels, chosen))] = 0
    return out


def add_blobs(mask: np.ndarray, count: int, radius: int, rng: np.random.Generator,
              threshold: float = 0.5) -> np.ndarray:
    """Paint ``count`` discs of ``radius`` px (value 1) at random places inside the image, each at least
    2 px away from every object and earlier disc, so each is a new 8-connected object: a false detection.
    Fewer are painted when the background has no room left for another."""
    out = mask.copy()
    height, width = mask.shape[:2]
    for _ in range(max(count, 0)):
        free = (out < threshold).astype(np.uint8)
        distance = cv2.distanceTransform(np.pad(free, 1), cv2.DIST_L2, cv2.DIST_MASK_PRECISE)[1:-1, 1:-1]
        inside = np.zeros_like(free, bool)
        inside[radius:height - radius, radius:width - radius] = True
        ys, xs = np.nonzero(inside & (distance > radius + 2))
        if not len(ys):
            break
        pick = int(rng.integers(len(ys)))
        cv2.circle(out, (int(xs[pick]), int(ys[pick])), int(radius), 1.0, thickness=-1)
    return out


@TRANSFORMS.register_module()
class MaskDegradation(BaseTransform):
    """Degrade ``soft_mask`` as in the paper's study of noisy pseudo ground truth.

    Args:
        mode: 'dilate' or 'erode' (by ``pixels`` px), 'truncate' (remove ``fraction`` of each
            object's extent from a random side), 'blob_drop' (remove ``blobs`` random objects) or
            'blob_add' (add ``blobs`` discs of ``blob_radius`` px in the background). Level 0 (``pixels``,
            ``fraction`` or ``blobs``) leaves the mask as it is.
        pixels: structuring-element radius for dilate/erode.
        fraction: truncated part of the object's extent, in [0, 1].
        blobs: objects dropped or discs added.
        blob_radius: radius of the added discs, in px.
        threshold: what counts as object when finding objects to truncate or drop.
        prob: chance to degrade a sample.
    """

    MODES = ('dilate', 'erode', 'truncate', 'blob_drop', 'blob_add')

    def __init__(self, mode: str, pixels: int = 0, fraction: float = 0.0, blobs: int = 0, blob_radius: int = 8,
                 threshold: float = 0.5, prob: float = 1.0) -> None:
        if mode not in self.MODES:
            raise ValueError(f'mode must be one of {self.MODES}, got {mode!r}')
        if not 0 <= fraction <= 1:
            raise ValueError(f'fraction must be in [0, 1], got {fraction}')
        for name, value in (('pixels', pixels), ('blobs', blobs), ('blob_radius', blob_radius)):
            if value < 0:
                raise ValueError(f'{name} must be >= 0, got {value}')
        self.mode = mode
        self.pixels = int(pixels)
        self.fraction = fraction
        self.blobs = int(blobs)
        self.blob_radius = int(blob_radius)
        self.threshold = threshold
        self.prob = prob

    def transform(self, results: dict) -> dict:
        if np.random.rand() >= self.prob:
            return results
        mask = results['soft_mask'].astype(np.float32)
        rng = np.random.default_rng(np.random.randint(0, 2**31 - 1))
        if self.mode == 'truncate':
            mask = truncate_objects(mask, self.fraction, rng, self.threshold)
        elif self.mode == 'blob_drop':
            mask = drop_blobs(mask, self.blobs, rng, self.threshold)
        elif self.mode == 'blob_add':
            mask = add_blobs(mask, self.blobs, self.blob_radius, rng, self.threshold)
        else:
            mask = dilate_or_erode(mask, self.pixels, erode=self.mode == 'erode')
        results['soft_mask'] = mask
        results.pop('object_bboxes', None)  # instance boxes no longer match the degraded mask
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(mode={self.mode!r}, pixels={self.pixels}, '
                f'fraction={self.fraction}, blobs={self.blobs}, blob_radius={self.blob_radius}, prob={self.prob})')
