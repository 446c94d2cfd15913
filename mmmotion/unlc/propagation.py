"""Soft energies carried along the flow to neighbouring frames (uNLC, after consensus voting).

A frame where the object slows down, blurs or is partly hidden has weak evidence of its own; its
neighbours usually see the object well. Each frame's energy becomes the mean of its own and its
neighbours' energies warped to it, each neighbour counted only at the pixels where the flow to it
is forward-backward consistent (Sundaram, Brox & Keutzer, ECCV 2010: a pixel is tracked when
``|f + b|^2 < 0.01 (|f|^2 + |b|^2) + 0.5``, with ``b`` the backward flow at the forward flow's end),
so occluded or badly matched pixels do not import a neighbour's energy.
"""
from typing import Dict, Sequence, Tuple

import cv2
import numpy as np


def warp(image: np.ndarray, flow: np.ndarray) -> np.ndarray:
    """Sample ``image`` at ``x + flow(x)`` (bilinear, border replicated). (h, w[, c]) and (h, w, 2)
    -> like ``image``, float32."""
    h, w = flow.shape[:2]
    xs, ys = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    return cv2.remap(image.astype(np.float32), xs + flow[..., 0], ys + flow[..., 1], cv2.INTER_LINEAR,
                     borderMode=cv2.BORDER_REPLICATE)


def consistent_flow(forward: np.ndarray, backward: np.ndarray, relative: float = 0.01,
                    absolute: float = 0.5) -> np.ndarray:
    """Where a forward flow is confirmed by the backward flow (Sundaram et al. 2010).

    Args:
        forward: (h, w, 2) flow from frame t to frame k.
        backward: (h, w, 2) flow from frame k to frame t.
        relative, absolute: the test ``|f + b|^2 < relative (|f|^2 + |b|^2) + absolute`` (pixels^2).

    Returns:
        (h, w) bool.
    """
    back = warp(backward, forward)
    error = np.sum((forward + back)**2, -1)
    return error < relative * (np.sum(forward**2, -1) + np.sum(back**2, -1)) + absolute


def propagate_energy(energy: np.ndarray, flows: Dict[Tuple[int, int], np.ndarray],
                     gaps: Sequence[int] = (1, 2, 3), relative: float = 0.01,
                     absolute: float = 0.5, fill_only: bool = True) -> np.ndarray:
    """Average every frame's energy with its neighbours' energies warped along consistent flow.

    Args:
        energy: (n, h, w) float soft foreground energy.
        flows: ``(t, k) -> (hs, ws, 2)`` flow from frame t to frame k at any smaller size (pixels of
            that size); a pair missing either direction is skipped.
        gaps: the neighbours ``t +- j`` used.
        relative, absolute: see :func:`consistent_flow` (at the flows' size).
        fill_only: keep a frame's own energy where it is higher than the average (neighbours only
            fill in where the frame lost the object, they never take evidence away); False averages
            (on the dev clips the plain average loses fast articulated motion: breakdance 0.48 -> 0.35).

    Returns:
        (n, h, w) float32: ``(E_t + sum_k c_tk E_k(x + f_tk)) / (1 + sum_k c_tk)``, ``c_tk`` the
        consistency of the flow from t to k upsampled to the frame (with ``fill_only`` its maximum
        with ``E_t``).
    """
    n, h, w = energy.shape
    out = np.empty((n, h, w), np.float32)
    for t in range(n):
        total = energy[t].astype(np.float32, copy=True)
        weight = np.ones((h, w), np.float32)
        for k in sorted({t + s * j for j in gaps for s in (-1, 1)} - {t}):
            if not 0 <= k < n or (t, k) not in flows or (k, t) not in flows:
                continue
            forward = flows[(t, k)]
            hs, ws = forward.shape[:2]
            valid = consistent_flow(forward, flows[(k, t)], relative, absolute).astype(np.float32)
            scale = np.array([w / ws, h / hs], np.float32)
            full = cv2.resize(forward, (w, h), interpolation=cv2.INTER_LINEAR) * scale
            valid = cv2.resize(valid, (w, h), interpolation=cv2.INTER_LINEAR)
            total += valid * warp(energy[k], full)
            weight += valid
        out[t] = np.maximum(total / weight, energy[t]) if fill_only else total / weight
    return out
