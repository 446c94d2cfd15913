"""Splitting videos into shots, and choosing which frames of a shot uNLC segments.

uNLC assumes one continuous shot: a cut breaks the motion and appearance links of its graph. The
detectors are registered in ``SHOT_DETECTORS``; the default wraps PySceneDetect's detectors
(``scenedetect``), fed frame by frame so that a long video never has to be in memory. Install it
without its dependencies (``pip install --no-deps scenedetect==0.7.2``): its wheel asks for
``opencv-python``, but it only needs ``cv2``, which mmmotion's ``opencv-contrib-python-headless``
provides; its other needs (click, platformdirs, tqdm, numpy) come with mmmotion's requirements.
"""
from typing import Iterable, List, Optional, Tuple

import cv2
import numpy as np

from mmmotion.registry import SHOT_DETECTORS
from .frame_selection import evenly_spaced

Shot = Tuple[int, int]  # [start, end) frame indices

SHOT_TOO_SHORT = 'shot_too_short'


def _frames_to_shots(cuts: Iterable[int], num_frames: int) -> List[Shot]:
    """Turn cut positions (first frame of each new shot) into ``[start, end)`` ranges."""
    bounds = [0] + sorted(c for c in set(int(c) for c in cuts) if 0 < c < num_frames) + [num_frames]
    return [(a, b) for a, b in zip(bounds[:-1], bounds[1:]) if b > a]


@SHOT_DETECTORS.register_module()
class PySceneDetectShots:
    """Shot boundaries from PySceneDetect's ``ContentDetector`` or ``AdaptiveDetector``.

    Args:
        detector: ``'adaptive'`` (rolling-average content change; robust to fast camera motion,
            which is common in user videos) or ``'content'`` (fixed threshold on HSV change).
        threshold: ``adaptive_threshold`` of the adaptive detector or ``threshold`` of the content
            detector; ``None`` keeps PySceneDetect's default.
        min_scene_len: minimum frames between two cuts (PySceneDetect's own name; the generator's
            ``min_shot_len`` is another knob: the shortest shot it keeps).
        detect_side: frames are downscaled to this longest side before detection (speed only).
        fps: frame rate given to PySceneDetect's timecodes (only frame counts matter here).
        **kwargs: passed on to the PySceneDetect detector.
    """

    def __init__(self,
                 detector: str = 'adaptive',
                 threshold: Optional[float] = None,
                 min_scene_len: int = 10,
                 detect_side: Optional[int] = 256,
                 fps: float = 25.0,
                 **kwargs):
        if detector not in ('adaptive', 'content'):
            raise ValueError(f"detector must be 'adaptive' or 'content', got {detector!r}")
        if 'min_shot_len' in kwargs:
            raise TypeError('PySceneDetectShots: min_shot_len is now min_scene_len')
        self._import()  # fail at build time, not on every video
        self.detector = detector
        self.threshold = threshold
        self.min_scene_len = min_scene_len
        self.detect_side = detect_side
        self.fps = fps
        self.kwargs = kwargs

    @staticmethod
    def _import():
        try:
            import scenedetect
        except ImportError as e:  # pragma: no cover - depends on the environment
            raise ImportError('PySceneDetectShots needs PySceneDetect: '
                              'pip install --no-deps scenedetect==0.7.2') from e
        return scenedetect

    def _build(self):
        scenedetect = self._import()
        kwargs = dict(min_scene_len=self.min_scene_len, **self.kwargs)
        if self.detector == 'adaptive':
            if self.threshold is not None:
                kwargs['adaptive_threshold'] = self.threshold
            return scenedetect, scenedetect.AdaptiveDetector(**kwargs)
        if self.threshold is not None:
            kwargs['threshold'] = self.threshold
        return scenedetect, scenedetect.ContentDetector(**kwargs)

    def __call__(self, frames: Iterable[np.ndarray]) -> List[Shot]:
        """Split a stream of RGB frames into ``[start, end)`` shots covering all of them."""
        scenedetect, det = self._build()
        cuts: List[int] = []
        n = 0
        for frame in frames:
            if self.detect_side:
                h, w = frame.shape[:2]
                s = self.detect_side / max(h, w)
                if s < 1:
                    frame = cv2.resize(
                        frame, (max(1, round(w * s)), max(1, round(h * s))),
                        interpolation=cv2.INTER_AREA)
            bgr = cv2.cvtColor(np.ascontiguousarray(frame), cv2.COLOR_RGB2BGR)
            tc = scenedetect.FrameTimecode(n, fps=self.fps)
            cuts.extend(c.frame_num for c in det.process_frame(tc, bgr))
            n += 1
        if n:
            cuts.extend(
                c.frame_num
                for c in det.post_process(scenedetect.FrameTimecode(n - 1, fps=self.fps)))
        return _frames_to_shots(cuts, n)


@SHOT_DETECTORS.register_module()
class SingleShot:
    """The whole video is one shot (for clips that are already cut, such as DAVIS sequences)."""

    def __call__(self, frames: Iterable[np.ndarray]) -> List[Shot]:
        n = sum(1 for _ in frames)
        return [(0, n)] if n else []


def sample_shot(shot: Shot, min_len: int = 10, max_len: int = 110) -> Optional[List[int]]:
    """Frame indices uNLC segments for a shot: ``None`` when shorter than ``min_len`` frames,
    all frames when it has at most ``max_len``, else ``max_len`` evenly spaced ones."""
    start, end = shot
    n = end - start
    if n < min_len:
        return None
    return [start + i for i in evenly_spaced(n, max_len)]
