"""Dense optical flow between two small grey frames (uNLC step 5), from OpenCV (and Ce Liu's, through pyflow)."""
import os
import sys
import threading
from contextlib import contextmanager
from typing import Iterator, Optional

import cv2
import numpy as np

from mmmotion.registry import OPTICAL_FLOWS
from .stage import function_stage


def farneback_flow(source: np.ndarray,
                   target: np.ndarray,
                   pyr_scale: float = 0.5,
                   levels: int = 4,
                   winsize: int = 10,
                   iterations: int = 10,
                   poly_n: int = 5,
                   poly_sigma: float = 1.1) -> np.ndarray:
    """Farneback flow from ``source`` to ``target``, both (h, w) uint8; returns (h, w, 2) (dx, dy).

    The defaults are those the reference tried with OpenCV (window 10, 4 levels, 10 iterations).
    """
    return cv2.calcOpticalFlowFarneback(source, target, None, pyr_scale, levels, winsize,
                                        iterations, poly_n, poly_sigma,
                                        cv2.OPTFLOW_FARNEBACK_GAUSSIAN)


FarnebackFlow = function_stage(OPTICAL_FLOWS, 'FarnebackFlow', farneback_flow, n_inputs=2)


@OPTICAL_FLOWS.register_module()
class DISFlow:
    """OpenCV's DIS flow (Kroeger et al. 2016): ``(source, target) (h, w) uint8 -> (h, w, 2)``.

    ``preset`` is one of 'ultrafast', 'fast', 'medium'. On 100x100 frames 'medium' is about as
    fast as Farneback and sharper at motion boundaries. The other arguments override the preset's
    settings when given: ``finest_scale`` (the pyramid level the patch search stops at; 0 = full
    resolution, 'medium' stops at 1, half resolution, which on uNLC's 160 px frames leaves 80 px),
    ``patch_size``, ``patch_stride`` and ``variational_iterations`` (the variational refinement's
    fixed-point iterations on every level).
    """
    PRESETS = dict(
        ultrafast=cv2.DISOPTICAL_FLOW_PRESET_ULTRAFAST,
        fast=cv2.DISOPTICAL_FLOW_PRESET_FAST,
        medium=cv2.DISOPTICAL_FLOW_PRESET_MEDIUM)
    SETTERS = dict(finest_scale='setFinestScale', patch_size='setPatchSize', patch_stride='setPatchStride',
                   variational_iterations='setVariationalRefinementIterations')

    def __init__(self, preset: str = 'medium', finest_scale: Optional[int] = None, patch_size: Optional[int] = None,
                 patch_stride: Optional[int] = None, variational_iterations: Optional[int] = None):
        if preset not in self.PRESETS:
            raise ValueError(f'unknown DIS preset {preset!r}; one of {sorted(self.PRESETS)}')
        self.preset = preset
        self.overrides = {key: value for key, value in
                          dict(finest_scale=finest_scale, patch_size=patch_size, patch_stride=patch_stride,
                               variational_iterations=variational_iterations).items() if value is not None}
        # one OpenCV object per thread (uNLC's threads share the stage), created lazily: they do not pickle
        self._local = threading.local()

    def __call__(self, source: np.ndarray, target: np.ndarray) -> np.ndarray:
        if getattr(self._local, 'dis', None) is None:
            dis = cv2.DISOpticalFlow_create(self.PRESETS[self.preset])
            for key, value in self.overrides.items():
                getattr(dis, self.SETTERS[key])(int(value))
            self._local.dis = dis
        return self._local.dis.calc(source, target, None)

    def __getstate__(self) -> dict:
        return dict(preset=self.preset, **self.overrides)

    def __setstate__(self, state: dict) -> None:
        self.__init__(**state)


def coarse_to_fine_flow(source: np.ndarray,
                        target: np.ndarray,
                        ratio: float = 0.75,
                        min_width: int = 20,
                        outer_iterations: int = 7,
                        sor_iterations: int = 30,
                        alpha: float = 20.0,
                        delta: float = 5.0,
                        gamma: float = 10.0) -> np.ndarray:
    """Coarse-to-fine variational flow (Brox et al. 2004), the method of Ce Liu's code that the
    reference ran, from OpenCV contrib's ``VariationalRefinement`` on every pyramid level.

    Args:
        source, target: (h, w) uint8 grey frames.
        ratio: downsampling ratio between pyramid levels (Ce Liu: 0.75).
        min_width: the coarsest level's shorter side is at least this (Ce Liu: 20).
        outer_iterations: fixed-point iterations per level (Ce Liu: 7 outer, 1 inner).
        sor_iterations: SOR iterations per fixed-point iteration (Ce Liu: 30).
        alpha, delta, gamma: smoothness, colour- and gradient-constancy weights on OpenCV's
            0-255 scale (OpenCV's defaults; Ce Liu's alpha 0.012 is on another scale).

    Returns:
        (h, w, 2) float32 (dx, dy).
    """
    pyramid = [(source, target)]
    while min(pyramid[-1][0].shape) * ratio >= min_width:
        h, w = pyramid[-1][0].shape
        size = (max(1, round(w * ratio)), max(1, round(h * ratio)))
        pyramid.append(tuple(cv2.resize(f, size, interpolation=cv2.INTER_AREA)
                             for f in pyramid[-1]))
    refiner = cv2.VariationalRefinement_create()
    refiner.setAlpha(alpha)
    refiner.setDelta(delta)
    refiner.setGamma(gamma)
    refiner.setFixedPointIterations(outer_iterations)
    refiner.setSorIterations(sor_iterations)
    flow = np.zeros(pyramid[-1][0].shape + (2, ), np.float32)
    for level_source, level_target in reversed(pyramid):
        h, w = level_source.shape
        if flow.shape[:2] != (h, w):
            scale = np.array([w / flow.shape[1], h / flow.shape[0]], np.float32)
            flow = cv2.resize(flow, (w, h), interpolation=cv2.INTER_LINEAR) * scale
        refiner.calc(level_source, level_target, flow)
    return flow


CoarseToFineFlow = function_stage(OPTICAL_FLOWS, 'CoarseToFineFlow', coarse_to_fine_flow, n_inputs=2)


@OPTICAL_FLOWS.register_module()
class PyflowFlow:
    """Ce Liu's coarse-to-fine flow (Liu 2009; Brox et al. 2004) through ``pyflow``, the Python wrapper the
    reference calls (pathak22/pyflow; built separately, e.g. by ``../shared/refunlc/setup.sh``, and found on the
    Python path; mmmotion does not ship it). ``(source, target)`` (h, w, 3) RGB or (h, w) grey uint8 ->
    (h, w, 2) float32 (dx, dy). The defaults are the reference's: alpha 0.012, ratio 0.75, min width 20, 7 outer,
    1 inner and 30 SOR iterations, on frames scaled to [0, 1]. The reference gives it RGB frames
    (``motion.colour=True``); the other flows take grey ones.
    """

    _lock = threading.Lock()  # one call at a time: its C++ code prints to the process's stdout, silenced per call

    def __init__(self, alpha: float = 0.012, ratio: float = 0.75, min_width: int = 20, outer_iterations: int = 7,
                 inner_iterations: int = 1, sor_iterations: int = 30, quiet: bool = True):
        try:
            import pyflow  # noqa: F401
        except ImportError as error:
            raise ImportError('PyflowFlow needs the pyflow module (pathak22/pyflow, Ce Liu\'s flow), e.g. '
                              'PYTHONPATH=/tmp/refunlc/pyflow after bash ../shared/refunlc/setup.sh /tmp/refunlc; '
                              'configs/unlc/reference_opencv.py runs the reference without it') from error
        self.settings = (alpha, ratio, min_width, outer_iterations, inner_iterations, sor_iterations)
        self.quiet = quiet

    def __call__(self, source: np.ndarray, target: np.ndarray) -> np.ndarray:
        import pyflow
        source, target = (np.ascontiguousarray(f.reshape(f.shape[:2] + (-1, )), dtype=np.float64) / 255.0
                          for f in (source, target))
        colour_type = 0 if source.shape[2] == 3 else 1  # pyflow: 0 RGB, 1 grey
        with self._lock, (_silenced_stdout() if self.quiet else _nothing()):
            u, v, _ = pyflow.coarse2fine_flow(source, target, *self.settings, colour_type)
        return np.stack([u, v], -1).astype(np.float32)

    def __repr__(self) -> str:
        return f'PyflowFlow{self.settings}'


@contextmanager
def _silenced_stdout() -> Iterator[None]:
    """Send what C and C++ code write to file descriptor 1 to /dev/null while the block runs."""
    import ctypes
    sys.stdout.flush()
    saved, devnull = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    try:
        yield
    finally:
        ctypes.CDLL(None).fflush(None)  # what C's stdio still buffers goes to /dev/null too
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


@contextmanager
def _nothing() -> Iterator[None]:
    yield
