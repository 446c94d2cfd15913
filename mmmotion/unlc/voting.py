"""Consensus voting on the region graph (uNLC step 6) and the region <-> pixel conversions."""
from typing import Optional

import numpy as np
from scipy import sparse


def frame_offsets_of(labels: np.ndarray) -> np.ndarray:
    """Start of every frame's regions in the shot's region list.

    Args:
        labels: (n, h, w) int per-frame labels, each frame consecutive from 0.

    Returns:
        (n + 1,) int64: frame ``i`` owns regions ``offsets[i]:offsets[i + 1]``.
    """
    counts = labels.reshape(len(labels), -1).max(1).astype(np.int64) + 1
    return np.concatenate([[0], np.cumsum(counts)])


def region_means(values: np.ndarray, labels: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Mean of a per-pixel map over every region of the shot.

    Args:
        values: (n, h, w) float maps.
        labels: (n, h, w) int per-frame labels.
        offsets: (n + 1,) from :func:`frame_offsets_of`.

    Returns:
        (n_regions,) float32.
    """
    global_labels = (labels + offsets[:-1, None, None]).ravel()
    sums = np.bincount(global_labels, values.ravel().astype(np.float64), minlength=offsets[-1])
    counts = np.bincount(global_labels, minlength=offsets[-1])
    return (sums / np.maximum(counts, 1)).astype(np.float32)


def project_to_pixels(votes: np.ndarray, labels: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Paint every region's vote on its pixels: (n_regions,) -> (n, h, w) float32."""
    return votes[labels + offsets[:-1, None, None]].astype(np.float32)


def normalise_per_frame(votes: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Divide every frame's votes by that frame's maximum (frames whose maximum is <= 0 are left
    as they are). (n_regions,) -> (n_regions,)."""
    peaks = np.maximum.reduceat(votes, offsets[:-1])
    peaks = np.where(peaks > 0, peaks, 1).astype(votes.dtype)
    return votes / np.repeat(peaks, np.diff(offsets))


def consensus_voting(transition: sparse.csr_matrix,
                     votes: np.ndarray,
                     offsets: np.ndarray,
                     n_iters: int,
                     restart: float = 0.0,
                     prior: Optional[np.ndarray] = None) -> np.ndarray:
    """Iterate ``votes <- T @ votes`` with per-frame max-normalisation.

    With ``restart`` > 0 each step is a random walk with restart,
    ``votes <- (1 - restart) T @ votes + restart * prior``: the motion evidence stays anchored
    instead of being washed out by 50 steps of diffusion on the appearance graph (the reference
    has no restart).

    Args:
        transition: (n_regions, n_regions) row-stochastic sparse matrix.
        votes: (n_regions,) initial votes, >= 0.
        offsets: (n + 1,) frame offsets of the regions.
        n_iters: number of iterations.
        restart: weight of the prior in each step, in [0, 1).
        prior: (n_regions,) votes restarted to, max-normalised per frame; default ``votes``.

    Returns:
        (n_regions,) float32 votes; every frame's maximum is 1 unless the frame has no votes.
    """
    votes = votes.astype(np.float32)
    if restart:
        prior = normalise_per_frame((votes if prior is None else prior).astype(np.float32), offsets)
    for _ in range(n_iters):
        step = transition @ votes
        if restart:
            step = (1 - restart) * step + restart * prior
        votes = normalise_per_frame(step, offsets)
    return votes
