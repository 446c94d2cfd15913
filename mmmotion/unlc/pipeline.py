"""The uNLC pipeline for one shot: frames in, soft and binary foreground masks out."""
import inspect
import time
import tracemalloc
from contextlib import contextmanager
from typing import Callable, Dict, Iterator, Optional, Tuple, Union

import cv2
import numpy as np
from scipy import sparse
from skimage.filters import apply_hysteresis_threshold, threshold_otsu

from mmmotion.registry import (MASK_REFINERS, NN_SEARCHERS, OPTICAL_FLOWS, REGION_DESCRIPTORS,
                               SALIENCY, SHOT_APPEARANCE, SUPERPIXELS)
from mmmotion.utils.fileio import pil_resize, resize_longest_side  # noqa: F401 (importable from here too)
from mmmotion.utils.threads import resolve_threads, thread_map
from .graph import knn_transition_matrix
from .motion_saliency import motion_saliency, to_frame_saliency
from .overlays import screen_fixed_mask
from .propagation import propagate_energy
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


class _RecordingFlow:
    """A flow function that also keeps each flow it computes between two of ``frames`` (views of that
    (n, h, w) array, as :func:`motion_saliency` passes them) in ``flows[(i, k)]``, for the stages after
    voting."""

    def __init__(self, flow_fn: Callable[[np.ndarray, np.ndarray], np.ndarray], frames: np.ndarray,
                 flows: Dict[Tuple[int, int], np.ndarray]):
        self.flow_fn, self.frames, self.flows = flow_fn, frames, flows

    def _index(self, view: np.ndarray) -> Optional[int]:
        offset = view.__array_interface__['data'][0] - self.frames.__array_interface__['data'][0]
        index, rest = divmod(offset, self.frames.strides[0])
        return index if rest == 0 and 0 <= index < len(self.frames) and view.shape == self.frames.shape[1:] else None

    def __call__(self, source: np.ndarray, target: np.ndarray) -> np.ndarray:
        flow = self.flow_fn(source, target)
        i, k = self._index(source), self._index(target)
        if i is not None and k is not None:
            self.flows[(i, k)] = flow
        return flow


def _build(registry, cfg: Union[ConfigDict, object]):
    """Build ``cfg`` from ``registry`` if it is a config dict; pass built objects through."""
    return registry.build(dict(cfg)) if isinstance(cfg, dict) else cfg


def _merge_stage(default, given):
    """A stage's settings: ``given`` updates the ``default`` dict unless it names another ``type`` (or camera
    ``model``), which replaces it; None keeps a top-level default (inside a group None is a value)."""
    if given is None:
        return default
    if isinstance(default, dict) and isinstance(given, dict):
        kind = next((k for k in ('type', 'model') if k in given), None)
        if kind is None or given[kind] == default.get(kind):
            return {**default, **given}
    return given


def _keyword_defaults(func: Callable, n_inputs: int) -> Dict[str, object]:
    """``func``'s keyword parameters after its first ``n_inputs`` and their defaults."""
    return {p.name: p.default for p in list(inspect.signature(func).parameters.values())[n_inputs:]
            if p.default is not inspect.Parameter.empty}


def stage_settings(cfg: Union[ConfigDict, object], stage: object) -> object:
    """The settings a built ``stage`` runs with: its config dict ``cfg`` with every default filled in (a function
    stage's keywords, a class's constructor defaults); a stage given already built is described by its repr."""
    if not isinstance(cfg, dict):
        return repr(stage)
    if isinstance(getattr(stage, 'kwargs', None), dict):  # a function stage (stage.function_stage)
        params = dict(stage.kwargs)
    else:
        params = {p.name: p.default for p in inspect.signature(type(stage)).parameters.values()
                  if p.default is not inspect.Parameter.empty}
        params.update({k: v for k, v in cfg.items() if k != 'type'})
    return {'type': cfg['type'], **params} if 'type' in cfg else params


class UNLC:
    """Unsupervised non-local consensus voting (Pathak et al. 2017, after Faktor & Irani 2014).

    Every stage is a registered module built from a config dict, so a config can swap the
    superpixels, descriptor, NN search, flow, appearance saliency and refiner. The defaults are
    those of ``configs/unlc/default.py``: the reference's graph and voting with the fixes and
    label-free additions measured on real video in docs/unlc.md (L1 HOG, a coarse-to-fine flow at
    160 px keeping the aspect ratio, a camera-model test for the dominant motion, voting with
    restart, a GrabCut colour model); ``configs/unlc/reference.py`` restores the reference's
    stages. ``timings`` holds the seconds each stage took in the last call, ``cpu_timings`` the process's
    CPU seconds in it (all threads), and
    ``peak_memory`` its peak traced bytes when ``tracemalloc`` was tracing.

    Call: ``(n, h, w, 3) uint8 RGB frames of one shot -> (soft (n, h, w) float32 in [0, 1],
    binary (n, h, w) bool)``, both at the input resolution.
    """

    # the stages timed in ``timings`` / ``cpu_timings``, in the order they run
    STAGES = ('resize', 'superpixels', 'descriptors', 'graph', 'flow_saliency', 'appearance_saliency', 'voting',
              'propagation', 'appearance', 'postprocess')
    # mmmotion's choices, one place for each; every key not named here keeps the default of the function
    # it goes to (motion_saliency, knn_transition_matrix, consensus_voting, damp_low_energy_blobs, ...).
    DEFAULTS: Dict[str, ConfigDict] = dict(
        max_side=650,
        resample='area',  # how frames shrink (to max_side, for the flow): 'area' (OpenCV) or 'pil' (Pillow bilinear)
        threads='auto',  # threads for the per-frame stages: 'auto' = the process's budget (utils/threads.py)
        superpixels=dict(type='OpenCVSLICSuperpixels', n_segments=400, sigma=5.0),
        descriptor=dict(type='HOGColourDescriptor'),
        graph=dict(nn_searcher=dict(type='FaissSearcher')),
        motion=dict(flow=dict(type='CoarseToFineFlow'), size=160, keep_aspect=True, min_dominant_fraction=0.5,
                    camera_model=dict(model='homography'), overlays=dict()),
        saliency=dict(type='ManifoldRankingSaliency'),
        voting=dict(n_iters=50, n_rounds=5, restart=0.1),
        appearance=dict(type='NoShotAppearance'),
        # off: it lowers the generator's quality score (docs/unlc.md, "Motion cues from the literature")
        propagation=dict(gaps=()),
        postprocess=dict(refiner=dict(type='GrabCutRefiner'), threshold=0.7, low_threshold=0.55,
                         max_growth=2.0),
    )
    # the keys each group takes beyond the keywords of the functions it goes to (GROUP_FUNCTIONS)
    GROUP_KEYS = dict(
        graph=('nn_searcher', ),
        motion=('flow', 'size', 'keep_aspect', 'min_dominant_fraction', 'overlays', 'fallback_minus_max', 'colour'),
        voting=('n_iters', 'n_rounds', 'restart'),
        propagation=(),
        postprocess=('refiner', 'threshold', 'low_threshold', 'max_growth'),
    )
    # group -> [(function, number of array inputs before its keywords)]; their defaults fill the group
    GROUP_FUNCTIONS = dict(
        graph=[(knn_transition_matrix, 3)],
        motion=[(motion_saliency, 3), (to_frame_saliency, 2)],
        voting=[],
        propagation=[(propagate_energy, 2)],
        postprocess=[(damp_low_energy_blobs, 1), (remove_small_blobs, 1)],
    )
    # flat keys of configs written before the groups, and where they went
    MOVED_KEYS = dict(
        nn_searcher='graph.nn_searcher', temporal_radius='graph.temporal_radius',
        neighbours_per_frame='graph.neighbours_per_frame', sigma2='graph.sigma2', flow='motion.flow',
        flow_size='motion.size', flow_keep_aspect='motion.keep_aspect', flow_max_offset='motion.max_offset',
        static_threshold='motion.static_threshold', direction_fraction='motion.direction_fraction',
        direction_bins='motion.n_bins', saliency_box_size='motion.box_size',
        static_saliency_power='motion.static_power', camera_model='motion.camera_model',
        border_fraction='motion.border_fraction', min_dominant_fraction='motion.min_dominant_fraction',
        n_iters='voting.n_iters', n_rounds='voting.n_rounds', restart='voting.restart',
        refiner='postprocess.refiner', blob_threshold='postprocess.blob_threshold',
        min_blob_energy='postprocess.min_mean_energy', damped_value='postprocess.damped_value',
        relative_blob_size='postprocess.relative_size', threshold='postprocess.threshold')

    def __init__(self,
                 max_side: Optional[int] = None,
                 threads: Union[None, int, str] = None,
                 resample: Optional[str] = None,
                 superpixels: Optional[ConfigDict] = None,
                 descriptor: Optional[ConfigDict] = None,
                 graph: Optional[ConfigDict] = None,
                 motion: Optional[ConfigDict] = None,
                 saliency: Optional[ConfigDict] = None,
                 voting: Optional[ConfigDict] = None,
                 appearance: Optional[ConfigDict] = None,
                 propagation: Optional[ConfigDict] = None,
                 postprocess: Optional[ConfigDict] = None,
                 **moved):
        """Each argument left out takes :attr:`DEFAULTS`; a stage dict (``superpixels``, ``descriptor``,
        ``saliency``, ``appearance`` and the stages inside the groups) replaces its default, a group dict (``graph``,
        ``motion``, ``voting``, ``propagation``, ``postprocess``) updates it key by key."""
        if moved:
            where = ', '.join(f'{k} -> {self.MOVED_KEYS[k]}' if k in self.MOVED_KEYS else f'{k} (unknown)'
                              for k in sorted(moved))
            raise TypeError(f'UNLC takes its settings in groups now; move the flat key(s): {where} '
                            '(see configs/unlc/default.py)')
        defaults = self.DEFAULTS
        self.max_side = defaults['max_side'] if max_side is None else max_side
        self.resample = defaults['resample'] if resample is None else resample
        if self.resample not in ('area', 'pil'):
            raise ValueError(f"resample must be 'area' or 'pil', got {self.resample!r}")
        self.threads = defaults['threads'] if threads is None else threads
        resolve_threads(self.threads)  # a bad value fails here, not in the first call
        stages = dict(superpixels=(SUPERPIXELS, superpixels), descriptor=(REGION_DESCRIPTORS, descriptor),
                      saliency=(SALIENCY, saliency), appearance=(SHOT_APPEARANCE, appearance))
        settings = {name: _merge_stage(defaults[name], given) for name, (_, given) in stages.items()}
        for name, (registry, _) in stages.items():
            setattr(self, name, _build(registry, settings[name]))
        graph = self._group('graph', graph)
        motion = self._group('motion', motion)
        voting = self._group('voting', voting)
        post = self._group('postprocess', postprocess)
        self.propagation_kwargs = self._group('propagation', propagation)
        if motion.get('overlays') is not None:  # screen_fixed_mask's own defaults, filled in
            motion['overlays'] = {**_keyword_defaults(screen_fixed_mask, 1), **motion['overlays']}
        settings.update(graph=dict(graph), motion=dict(motion), voting=dict(voting),
                        propagation=dict(self.propagation_kwargs), postprocess=dict(post))
        self.nn_searcher = _build(NN_SEARCHERS, graph.pop('nn_searcher'))
        self.graph_kwargs = graph
        self.flow = _build(OPTICAL_FLOWS, motion.pop('flow'))
        self.flow_size = motion.pop('size')
        self.flow_keep_aspect = motion.pop('keep_aspect')
        self.min_dominant_fraction = motion.pop('min_dominant_fraction')
        self.overlays = motion.pop('overlays', None)
        # the reference subtracts the shot's maximum from its appearance maps: every map <= 0, (almost) no mask
        self.fallback_minus_max = bool(motion.pop('fallback_minus_max', False))
        self.flow_colour = bool(motion.pop('colour', False))  # the flow gets RGB frames (the reference's), not grey
        self.frame_saliency_kwargs = dict(border_fraction=motion.pop('border_fraction'))
        self.motion_kwargs = motion
        self.n_iters, self.n_rounds = voting.pop('n_iters'), voting.pop('n_rounds')
        self.voting_kwargs = voting
        self.refiner = _build(MASK_REFINERS, post.pop('refiner'))
        self.threshold = post.pop('threshold')
        self.low_threshold = post.pop('low_threshold')
        self.max_growth = post.pop('max_growth')
        self.small_blob_kwargs = dict(relative_size=post.pop('relative_size'))
        self.blob_kwargs = post
        self.last_threshold = self.threshold
        for name in stages:
            settings[name] = stage_settings(settings[name], getattr(self, name))
        for group, key, stage in (('graph', 'nn_searcher', self.nn_searcher), ('motion', 'flow', self.flow),
                                  ('postprocess', 'refiner', self.refiner)):
            settings[group][key] = stage_settings(settings[group][key], stage)
        # every setting in effect, defaults merged in (what print_config shows): stages, then groups
        self.settings: Dict[str, object] = dict(max_side=self.max_side, threads=self.threads, **settings)
        self.timings: Dict[str, float] = {}
        self.cpu_timings: Dict[str, float] = {}
        self.peak_memory: Dict[str, int] = {}
        self.used_motion = False  # whether the last call's evidence came from motion
        self.last_overlay: Optional[np.ndarray] = None  # the last call's screen-fixed pixels (flow size)
        self._flows: Dict[Tuple[int, int], np.ndarray] = {}  # the last call's flows, (i, k) -> (hs, ws, 2)

    def _group(self, name: str, given: Optional[ConfigDict]) -> Dict[str, object]:
        """Every setting of a group: its functions' defaults, updated with :attr:`DEFAULTS` and then with
        ``given``. A key the group does not take is an error naming the keys it does."""
        group = {}
        for func, n_inputs in self.GROUP_FUNCTIONS[name]:
            group.update(_keyword_defaults(func, n_inputs))
        accepted = set(group) | set(self.GROUP_KEYS[name])
        unknown = sorted(set(given or {}) - accepted)
        if unknown:
            raise TypeError(f'UNLC {name}: unknown key(s) {unknown}; it takes {sorted(accepted)}')
        group.update(self.DEFAULTS[name])
        for key, value in dict(given or {}).items():
            group[key] = _merge_stage(group[key], value) if key in group and value is not None else value
        return group

    @property
    def n_threads(self) -> int:
        """Threads the per-frame stages use now: ``threads``, with 'auto' read from the process's budget at
        each use (so a UNLC built in a parent and sent to a pool worker follows the worker's budget)."""
        return resolve_threads(self.threads)

    @classmethod
    def from_config(cls, cfg: Union[ConfigDict, object]) -> 'UNLC':
        """Build from a config dict (``type`` key, if any, is ignored)."""
        kwargs = {k: v for k, v in dict(cfg).items() if k != 'type'}
        return cls(**kwargs)

    @contextmanager
    def _timed(self, stage: str) -> Iterator[None]:
        """Add the stage's seconds to ``timings`` (CPU seconds to ``cpu_timings``) and, while ``tracemalloc``
        traces, its peak traced memory (bytes above the memory held when it started) to ``peak_memory``."""
        tracing = tracemalloc.is_tracing()
        if tracing:
            held = tracemalloc.get_traced_memory()[0]
            tracemalloc.reset_peak()
        start, cpu_start = time.perf_counter(), time.process_time()
        yield
        self.timings[stage] = self.timings.get(stage, 0.0) + time.perf_counter() - start
        self.cpu_timings[stage] = self.cpu_timings.get(stage, 0.0) + time.process_time() - cpu_start
        if tracing:
            peak = tracemalloc.get_traced_memory()[1] - held
            self.peak_memory[stage] = max(self.peak_memory.get(stage, 0), peak)

    def initial_saliency(self, frames: np.ndarray, labels: np.ndarray) -> np.ndarray:
        """Motion saliency of the shot, or appearance saliency when too few frames have a dominant
        motion. (n, h, w, 3) uint8 and (n, h, w) labels -> (n, h, w) float32 in [0, 1] (in [-1, 0] for the
        appearance fallback with ``motion.fallback_minus_max``, the reference's: its masks come out (almost)
        empty, docs/departures.md)."""
        n, h, w = labels.shape
        with self._timed('flow_saliency'):
            small = self.flow_frames(frames)
            self._flows = {}
            saliency, dominant = motion_saliency(small, _RecordingFlow(self.flow, small, self._flows), self.n_threads,
                                                 **self.motion_kwargs)
            self.last_overlay = None
            if self.overlays is not None:
                grey = small if small.ndim == 3 else np.stack([cv2.cvtColor(f, cv2.COLOR_RGB2GRAY) for f in small])
                self.last_overlay = screen_fixed_mask(grey, **self.overlays)
                saliency[:, self.last_overlay] = 0
        self.used_motion = n > 1 and dominant.mean() >= self.min_dominant_fraction
        if not self.used_motion:
            with self._timed('appearance_saliency'):
                saliency = np.stack([self.saliency(f, l) for f, l in zip(frames, labels)])
                if self.fallback_minus_max:  # the reference's 'correction' of its maps, over the whole shot
                    saliency = saliency - saliency.max()
        return to_frame_saliency(saliency, (h, w), **self.frame_saliency_kwargs)

    def flow_frames(self, frames: np.ndarray) -> np.ndarray:
        """The small frames the flow runs on: (n, h, w, 3) uint8 -> (n, hs, ws) uint8 grey, or (n, hs, ws, 3)
        RGB with ``motion.colour``; shrunk with OpenCV's area filter, or with Pillow's bilinear one for
        ``resample='pil'`` (the reference's ``imresize(frame, (100, 100))``)."""
        size = flow_frame_size(frames.shape[1:3], self.flow_size, self.flow_keep_aspect)
        if self.resample == 'pil':
            small = [pil_resize(f, size) for f in frames]
            if not self.flow_colour:
                small = [cv2.cvtColor(f, cv2.COLOR_RGB2GRAY) for f in small]
        else:
            source = frames if self.flow_colour else [cv2.cvtColor(f, cv2.COLOR_RGB2GRAY) for f in frames]
            small = [cv2.resize(f, size, interpolation=cv2.INTER_AREA) for f in source]
        return np.stack(small)

    def upsample_mask(self, mask: np.ndarray, size: Tuple[int, int]) -> np.ndarray:
        """A binary mask brought to ``size`` (width, height) by the nearest pixel: OpenCV's, or Pillow's for
        ``resample='pil'`` (the reference's, which samples pixel centres). (h, w) bool -> bool."""
        mask = mask.astype(np.uint8)
        if self.resample == 'pil':
            from PIL import Image
            return np.asarray(Image.fromarray(mask).resize(tuple(size), Image.NEAREST)) > 0
        return cv2.resize(mask, tuple(size), interpolation=cv2.INTER_NEAREST) > 0

    def resize(self, frames: np.ndarray) -> np.ndarray:
        """Frames shrunk to ``max_side`` with ``resample`` (the same array when they fit)."""
        return resize_longest_side(frames, self.max_side, self.resample)

    def overlay_mask(self, shape: Tuple[int, int]) -> Optional[np.ndarray]:
        """The last call's screen-fixed pixels at ``shape`` (h, w), bool; None when not detected."""
        if self.last_overlay is None:
            return None
        return cv2.resize(self.last_overlay.astype(np.uint8), shape[::-1], interpolation=cv2.INTER_NEAREST) > 0

    def region_graph(self, frames: np.ndarray
                     ) -> Tuple[np.ndarray, np.ndarray, sparse.csr_matrix]:
        """Superpixels, descriptors and the k-NN transition matrix of a shot.
        (n, h, w, 3) uint8 -> (labels (n, h, w), offsets (n + 1,), transition (r, r) CSR)."""
        with self._timed('superpixels'):
            labels = np.stack(thread_map(self.superpixels, frames, self.n_threads))
            offsets = frame_offsets_of(labels)
        with self._timed('descriptors'):
            descriptors = np.concatenate(thread_map(lambda i: self.descriptor(frames[i], labels[i]),
                                                    range(len(frames)), self.n_threads)).astype(np.float32)
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
            # damping that cannot damp (every blob's mean is above blob_threshold > min_mean_energy) leaves
            # the votes as they are: the rounds then run on regions alone, without the trip through pixels
            blobs = self.blob_kwargs
            damping = on_round is not None or blobs['blob_threshold'] <= blobs['min_mean_energy']
            for _ in range(max(1, self.n_rounds)):
                votes = consensus_voting(transition, votes, offsets, iters_per_round, prior=prior,
                                         **self.voting_kwargs)
                if not damping:
                    continue
                energy = project_to_pixels(votes, labels, offsets)
                if on_round is not None:
                    on_round(energy)
                energy = np.stack([damp_low_energy_blobs(e, **self.blob_kwargs) for e in energy])
                votes = region_means(energy, labels, offsets)
            return project_to_pixels(votes, labels, offsets)

    def __call__(self, frames: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        self.timings, self.cpu_timings, self.peak_memory = {}, {}, {}
        frames = as_rgb_frames(frames)
        if len(frames) == 0:
            raise ValueError('uNLC needs at least one frame')
        n, out_h, out_w = frames.shape[:3]
        with self._timed('resize'):
            frames = self.resize(frames)
        labels, offsets, transition = self.region_graph(frames)
        saliency = self.initial_saliency(frames, labels)
        energy = self.consensus(transition, saliency, labels, offsets)
        if self.propagation_kwargs['gaps']:
            with self._timed('propagation'):
                energy = propagate_energy(energy, self._flows, **self.propagation_kwargs)
        overlay = self.overlay_mask(energy.shape[1:])
        if overlay is not None:
            energy[:, overlay] = 0
        with self._timed('appearance'):
            energy = self.appearance(frames, energy, labels, offsets)
        with self._timed('postprocess'):
            soft, binary = self.finalise(frames, energy)
        with self._timed('resize'):
            if (out_h, out_w) != soft.shape[1:]:
                small, soft = soft, np.empty((n, out_h, out_w), np.float32)
                for s, out in zip(small, soft):  # straight into the output: no stack, no second copy
                    cv2.resize(s, (out_w, out_h), dst=out, interpolation=cv2.INTER_LINEAR)
                binary = np.stack([self.upsample_mask(b, (out_w, out_h)) for b in binary])
            return np.clip(soft, 0, 1, out=soft), binary

    def finalise(self, frames: np.ndarray, energy: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """Drop blobs smaller than ``relative_blob_size`` of the frame's largest (their energy is
        set just below the threshold, as in the reference), threshold and refine. ``threshold``
        'otsu' picks one threshold per shot from its energy histogram (Otsu 1979) instead of a
        fixed level; ``last_threshold`` holds the level used. With ``low_threshold`` the mask grows from
        the pixels above the threshold into the connected pixels above ``low_threshold`` (hysteresis,
        as in Canny's edges): an object's less-moving parts join its most-moving one, isolated
        background above the low level does not; with ``max_growth`` a frame whose mask would grow to
        more than that many times its area above the threshold keeps the thresholded mask (the low
        level then reaches into the background).
        (n, h, w, 3) uint8 and (n, h, w) energy -> (soft (n, h, w), binary (n, h, w) bool)."""
        soft = energy.astype(np.float32, copy=True)
        binary = np.empty(soft.shape, bool)
        level = self.threshold
        if level == 'otsu':
            level = float(threshold_otsu(soft)) if soft.size and soft.min() < soft.max() else 1.0
        elif isinstance(level, str):
            raise ValueError(f"threshold must be a number or 'otsu', got {level!r}")
        self.last_threshold = level

        def frame_mask(i: int) -> None:  # writes frame i's rows of soft and binary
            above = soft[i] > level
            if self.low_threshold is not None:
                grown = apply_hysteresis_threshold(soft[i], min(self.low_threshold, level), level)
                # growing past max_growth times the thresholded mask is a leak into the background
                if self.max_growth is None or grown.sum() <= self.max_growth * above.sum():
                    above = grown
            kept = remove_small_blobs(above, **self.small_blob_kwargs)
            soft[i][above & ~kept] = level - 1e-3
            binary[i] = self.refiner(frames[i], soft[i], kept)

        thread_map(frame_mask, range(len(frames)), self.n_threads)
        return soft, binary
