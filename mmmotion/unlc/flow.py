"""Dense optical flow between two small grey frames (uNLC step 5), from OpenCV."""
import cv2
import numpy as np

from mmmotion.registry import OPTICAL_FLOWS


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


@OPTICAL_FLOWS.register_module()
class FarnebackFlow:
    """Registered wrapper of :func:`farneback_flow`: ``(source, target) -> (h, w, 2) float32``."""

    def __init__(self,
                 pyr_scale: float = 0.5,
                 levels: int = 4,
                 winsize: int = 10,
                 iterations: int = 10,
                 poly_n: int = 5,
                 poly_sigma: float = 1.1):
        self.kwargs = dict(
            pyr_scale=pyr_scale,
            levels=levels,
            winsize=winsize,
            iterations=iterations,
            poly_n=poly_n,
            poly_sigma=poly_sigma)

    def __call__(self, source: np.ndarray, target: np.ndarray) -> np.ndarray:
        return farneback_flow(source, target, **self.kwargs)


@OPTICAL_FLOWS.register_module()
class DISFlow:
    """OpenCV's DIS flow (Kroeger et al. 2016): ``(source, target) (h, w) uint8 -> (h, w, 2)``.

    ``preset`` is one of 'ultrafast', 'fast', 'medium'. On 100x100 frames 'medium' is about as
    fast as Farneback and sharper at motion boundaries.
    """
    PRESETS = dict(
        ultrafast=cv2.DISOPTICAL_FLOW_PRESET_ULTRAFAST,
        fast=cv2.DISOPTICAL_FLOW_PRESET_FAST,
        medium=cv2.DISOPTICAL_FLOW_PRESET_MEDIUM)

    def __init__(self, preset: str = 'medium'):
        if preset not in self.PRESETS:
            raise ValueError(f'unknown DIS preset {preset!r}; one of {sorted(self.PRESETS)}')
        self.preset = preset
        self._dis = None  # created lazily: OpenCV objects do not pickle (Ray, multiprocessing)

    def __call__(self, source: np.ndarray, target: np.ndarray) -> np.ndarray:
        if self._dis is None:
            self._dis = cv2.DISOpticalFlow_create(self.PRESETS[self.preset])
        return self._dis.calc(source, target, None)

    def __getstate__(self) -> dict:
        return dict(preset=self.preset, _dis=None)
