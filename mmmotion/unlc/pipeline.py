"""The uNLC pipeline for one shot: frames in, soft and binary foreground masks out."""
import time
import tracemalloc
from contextlib import contextmanager
from typing import Callable, Dict, Iterator, Optional, Tuple, Union

import cv2
import numpy as np
from scipy import sparse
from skimage.filters import threshold_otsu

from mmmotion.registry import (MASK_REFINERS, NN_SEARCHERS, OPTICAL_FLOWS, REGION_DESCRIPTORS,
                               SALIENCY, SUPERPIXELS)
from mmmotion.utils.fileio import resize_longest_side  # noqa: F401 (importable from here too)
from .graph import knn_transition_matrix
from .motion_saliency import motion_saliency, to_frame_saliency
from .postprocess import damp_low_energy_blobs, remove_small_blobs
from .voting import consensus_voting, frame_offsets_of, project_to_pixels, region_means

ConfigDict = Dict[str, object]


def as_rgb_frames(frames: np.ndarray) -> np.ndarray:
    """Bring frames to (n, h, w, 3) uint8 RGB.

    Args:
        frames: (n, h, w) or (n, h, w, 1) grey, (n, h, w, 3) RGB or (n, h, w, 4) RGBA; uint8, or
            float in [0, 1].

    Returns:
        (n, h, w, 3) uint8, C-contiguous.
    """
    frames = np.asarray(frames)
    if frames.ndim == 3:
        frames = frames[..., None]
    if frames.ndim != 4 or frames.shape[-1] not in (1, 3, 4):
        raise ValueError(f'expected frames of shape (n, h, w[, 1|3|4]), got {frames.shape}')
    if frames.dtype != np.uint8:
        if np.issubdtype(frames.dtype, np.floating) and frames.size and frames.max() <= 1.0:
            frames = frames * 255.0
        frames = np.clip(np.round(frames), 0, 255).astype(np.uint8)
    if frames.shape[-1] == 1:
        frames = np.repeat(frames, 3, axis=-1)
    return np.ascontiguousarray(frames[..., :3])


def flow_frame_size(shape: Tuple[int, int], flow_size: int,
                    keep_aspect: bool = False) -> Tuple[int, int]:
    """(width, height) of the frames the flow runs on for frames of ``shape`` (h, w): a
    ``flow_size`` square (the reference's, which ignores the aspect ratio), or with
    ``keep_aspect`` the frame's aspect ratio with the longer side ``flow_size``."""
    if not keep_aspect:
        return flow_size, flow_size
    h, w = shape
    scale = flow_size / max(h, w)
    return max(8, round(w * scale)), max(8, round(h * scale))


def _build(registry, cfg: Union[ConfigDict, object]):
    """Build ``cfg`` from ``registry`` if it is a config dict; pass built objects through."""
    return registry.build(dict(cfg)) if isinstance(cfg, dict) else cfg


class UNLC:
    """Unsupervised non-local consensus voting (Pathak et al. 2017, after Faktor & Irani 2014).

    Every stage is a registered module built from a config dict, so a config can swap the
    superpixels, descriptor, NN search, flow, appearance saliency and refiner. The defaults are
    those of ``configs/unlc/default.py``: the reference's graph and voting with the fixes and
    label-free additions measured on real video in docs/unlc.md (L1 HOG, a coarse-to-fine flow at
    160 px keeping the aspect ratio, a camera-model test for the dominant motion, voting with
    restart, a GrabCut colour model); ``configs/unlc/reference.py`` restores the reference's
    stages. ``timings`` holds the seconds each stage took in the last call and
    ``peak_memory`` its peak traced bytes when ``tracemalloc`` was tracing.

    Call: ``(n, h, w, 3) uint8 RGB frames of one shot -> (soft (n, h, w) float32 in [0, 1],
    binary (n, h, w) bool)``, both at the input resolution.
    """

    def __init__(self,
                 max_side: int = 650,
                 superpixels: ConfigDict = dict(type='OpenCVSLICSuperpixels', n_segments=400,
                                                sigma=5.0),
                 descriptor: ConfigDict = dict(type='HOGColourDescriptor'),
                 nn_searcher: ConfigDict = dict(type='FaissSearcher'),
                 flow: ConfigDict = dict(type='CoarseToFineFlow'),
                 saliency: ConfigDict = dict(type='ManifoldRankingSaliency'),
                 refiner: ConfigDict = dict(type='GrabCutRefiner'),
                 flow_size: int = 160,
                 flow_keep_aspect: bool = True,
                 flow_max_offset: int = 3,
                 static_threshold: float = 1.0,
                 direction_fraction: float = 0.75,
                 direction_bins: int = 20,
                 saliency_box_size: int = 5,
                 static_saliency_power: float = 1.0,
                 camera_model: Optional[ConfigDict] = dict(model='homography'),
                 border_fraction: float = 0.125,
                 min_dominant_fraction: float = 0.5,
                 temporal_radius: int = 15,
                 neighbours_per_frame: int = 2,
                 sigma2: float = 0.1,
                 n_iters: int = 50,
                 n_rounds: int = 5,
                 restart: float = 0.1,
                 blob_threshold: float = 0.7,
                 min_blob_energy: float = 0.6,
                 damped_value: Optional[float] = None,
                 relative_blob_size: float = 0.6,
                 threshold: Union[float, str] = 0.7):
        self.max_side = max_side
        self.superpixels = _build(SUPERPIXELS, superpixels)
        self.descriptor = _build(REGION_DESCRIPTORS, descriptor)
        self.nn_searcher = _build(NN_SEARCHERS, nn_searcher)
        self.flow = _build(OPTICAL_FLOWS, flow)
        self.saliency = _build(SALIENCY, saliency)
        self.refiner = _build(MASK_REFINERS, refiner)
        self.flow_size = flow_size
        self.flow_keep_aspect = flow_keep_aspect
        self.motion_kwargs = dict(
            max_offset=flow_max_offset,
            static_threshold=static_threshold,
            direction_fraction=direction_fraction,
            n_bins=direction_bins,
            box_size=saliency_box_size,
            static_power=static_saliency_power,
            camera_model=None if camera_model is None else dict(camera_model))
        self.border_fraction = border_fraction
        self.min_dominant_fraction = min_dominant_fraction
        self.graph_kwargs = dict(
            temporal_radius=temporal_radius,
            neighbours_per_frame=neighbours_per_frame,
            sigma2=sigma2)
        self.n_iters = n_iters
        self.n_rounds = n_rounds
        self.restart = restart
        self.blob_kwargs = dict(
            blob_threshold=blob_threshold,
            min_mean_energy=min_blob_energy,
            damped_value=damped_value)
        self.relative_blob_size = relative_blob_size
        self.threshold = threshold
        self.last_threshold = threshold
        self.timings: Dict[str, float] = {}
        self.peak_memory: Dict[str, int] = {}
        self.used_motion = False  # whether the last call's evidence came from motion

    @classmethod
    def from_config(cls, cfg: Union[ConfigDict, object]) -> 'UNLC':
        """Build from a config dict (``type`` key, if any, is ignored)."""
        kwargs = {k: v for k, v in dict(cfg).items() if k != 'type'}
        return cls(**kwargs)

    @contextmanager
    def _timed(self, stage: str) -> Iterator[None]:
        """Add the stage's seconds to ``timings`` and, while ``tracemalloc`` traces, its peak
        traced memory (bytes above the memory held when it started) to ``peak_memory``."""
        tracing = tracemalloc.is_tracing()
        if tracing:
            held = tracemalloc.get_traced_memory()[0]
            tracemalloc.reset_peak()
        start = time.perf_counter()
        yield
        self.timings[stage] = self.timings.get(stage, 0.0) + time.perf_counter() - start
        if tracing:
            peak = tracemalloc.get_traced_memory()[1] - held
            self.peak_memory[stage] = max(self.peak_memory.get(stage, 0), peak)

    def initial_saliency(self, frames: np.ndarray, labels: np.ndarray) -> np.ndarray:
        """Motion saliency of the shot, or appearance saliency when too few frames have a dominant
        motion. (n, h, w, 3) uint8 and (n, h, w) labels -> (n, h, w) float32 in [0, 1]."""
        n, h, w = labels.shape
        with self._timed('flow_saliency'):
            size = flow_frame_size(frames.shape[1:3], self.flow_size, self.flow_keep_aspect)
            small = np.stack([
                cv2.resize(cv2.cvtColor(f, cv2.COLOR_RGB2GRAY), size, interpolation=cv2.INTER_AREA)
                for f in frames
            ])
            saliency, dominant = motion_saliency(small, self.flow, **self.motion_kwargs)
        self.used_motion = n > 1 and dominant.mean() >= self.min_dominant_fraction
        if not self.used_motion:
            with self._timed('appearance_saliency'):
                saliency = np.stack([self.saliency(f, l) for f, l in zip(frames, labels)])
        return to_frame_saliency(saliency, (h, w), self.border_fraction)

    def region_graph(self, frames: np.ndarray
                     ) -> Tuple[np.ndarray, np.ndarray, sparse.csr_matrix]:
        """Superpixels, descriptors and the k-NN transition matrix of a shot.
        (n, h, w, 3) uint8 -> (labels (n, h, w), offsets (n + 1,), transition (r, r) CSR)."""
        with self._timed('superpixels'):
            labels = np.stack([self.superpixels(f) for f in frames])
            offsets = frame_offsets_of(labels)
        with self._timed('descriptors'):
            descriptors = np.concatenate([self.descriptor(f, l)
                                          for f, l in zip(frames, labels)]).astype(np.float32)
        with self._timed('graph'):
            transition = knn_transition_matrix(descriptors, offsets, self.nn_searcher,
                                               **self.graph_kwargs)
        return labels, offsets, transition

    def consensus(self,
                  transition: sparse.csr_matrix,
                  saliency: np.ndarray,
                  labels: np.ndarray,
                  offsets: np.ndarray,
                  on_round: Optional[Callable[[np.ndarray], None]] = None) -> np.ndarray:
        """Consensus voting from the initial saliency, in rounds with in-vote blob damping.
        ``on_round`` sees each round's (n, h, w) energy before damping (for diagnostics).
        Returns the final (n, h, w) energy."""
        with self._timed('voting'):
            votes = prior = region_means(saliency, labels, offsets)
            iters_per_round = max(1, self.n_iters // max(1, self.n_rounds))
            for _ in range(max(1, self.n_rounds)):
                votes = consensus_voting(transition, votes, offsets, iters_per_round,
                                         self.restart, prior)
                energy = project_to_pixels(votes, labels, offsets)
                if on_round is not None:
                    on_round(energy)
                energy = np.stack([damp_low_energy_blobs(e, **self.blob_kwargs) for e in energy])
                votes = region_means(energy, labels, offsets)
            return project_to_pixels(votes, labels, offsets)

    def __call__(self, frames: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        self.timings, self.peak_memory = {}, {}
        frames = as_rgb_frames(frames)
        if len(frames) == 0:
            raise ValueError('uNLC needs at least one frame')
        n, out_h, out_w = frames.shape[:3]
        with self._timed('resize'):
            frames = resize_longest_side(frames, self.max_side)
        labels, offsets, transition = self.region_graph(frames)
        saliency = self.initial_saliency(frames, labels)
        energy = self.consensus(transition, saliency, labels, offsets)
        with self._timed('postprocess'):
            soft, binary = self.finalise(frames, energy)
        with self._timed('resize'):
            if (out_h, out_w) != soft.shape[1:]:
                soft = np.stack(
                    [cv2.resize(s, (out_w, out_h), interpolation=cv2.INTER_LINEAR) for s in soft])
                binary = np.stack([
                    cv2.resize(b.astype(np.uint8), (out_w, out_h), interpolation=cv2.INTER_NEAREST)
                    for b in binary
                ]).astype(bool)
        return np.clip(soft, 0, 1).astype(np.float32), binary

    def finalise(self, frames: np.ndarray, energy: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """Drop blobs smaller than ``relative_blob_size`` of the frame's largest (their energy is
        set just below the threshold, as in the reference), threshold and refine. ``threshold``
        'otsu' picks one threshold per shot from its energy histogram (Otsu 1979) instead of a
        fixed level; ``last_threshold`` holds the level used.
        (n, h, w, 3) uint8 and (n, h, w) energy -> (soft (n, h, w), binary (n, h, w) bool)."""
        soft = energy.astype(np.float32, copy=True)
        binary = np.empty(soft.shape, bool)
        level = self.threshold
        if level == 'otsu':
            level = float(threshold_otsu(soft)) if soft.size and soft.min() < soft.max() else 1.0
        elif isinstance(level, str):
            raise ValueError(f"threshold must be a number or 'otsu', got {level!r}")
        self.last_threshold = level
        for i, frame in enumerate(frames):
            above = soft[i] > level
            kept = remove_small_blobs(above, self.relative_blob_size)
            soft[i][above & ~kept] = level - 1e-3
            binary[i] = self.refiner(frame, soft[i], kept)
        return soft, binary
