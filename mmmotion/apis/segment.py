"""``segment_video``: uNLC on an array of frames, a video file or a folder of frames."""
import os
from typing import List, Optional, Sequence, Tuple, Union

import numpy as np
from mmengine.config import Config

from mmmotion.utils.video_io import read_frames
from mmmotion.unlc import UNLC
from mmmotion.utils.config import load_config

FramesOrPath = Union[np.ndarray, Sequence[np.ndarray], str, os.PathLike]
UNLCConfig = Union[None, str, os.PathLike, dict, Config, UNLC]


def build_unlc(cfg: UNLCConfig = None, options: Optional[dict] = None) -> UNLC:
    """A :class:`UNLC` from a config file path, a :class:`~mmengine.config.Config` or dict (either
    the whole config, with an ``unlc`` entry, or the ``unlc`` dict itself), or the defaults for
    None (those of ``configs/unlc/default.py``). ``options`` are ``--cfg-options`` keys of the
    ``unlc`` dict merged in, e.g. ``{'max_side': 600, 'motion.flow.type': 'FarnebackFlow'}``. A built
    :class:`UNLC` is returned as is."""
    if isinstance(cfg, UNLC):
        if options:
            raise ValueError('options cannot change an already built UNLC')
        return cfg
    cfg = load_config(cfg if cfg is not None else dict(unlc=dict(type='UNLC')))
    unlc_cfg = load_config(dict(unlc=cfg.get('unlc', cfg)), {f'unlc.{k}': v for k, v in (options or {}).items()})
    return UNLC.from_config(unlc_cfg['unlc'])


def load_frames(frames_or_path: FramesOrPath, max_frames: Optional[int] = None) -> np.ndarray:
    """Frames as an (n, h, w, C) array from an array, a list of (h, w[, C]) arrays, a video file or
    a directory of frames (sorted by name). Raises ``VideoReadError`` for unreadable paths."""
    if isinstance(frames_or_path, (str, os.PathLike)):
        return read_frames(frames_or_path, max_frames=max_frames)
    if isinstance(frames_or_path, np.ndarray):
        frames = frames_or_path
    else:
        frames_list: List[np.ndarray] = [np.asarray(f) for f in frames_or_path]
        if not frames_list:
            raise ValueError('no frames given')
        frames = np.stack(frames_list)
    return frames if max_frames is None else frames[:max_frames]


def segment_video(frames_or_path: FramesOrPath,
                  cfg: UNLCConfig = None,
                  max_frames: Optional[int] = None) -> Tuple[np.ndarray, np.ndarray]:
    """Segment the moving foreground of one shot with uNLC.

    Args:
        frames_or_path: (n, h, w, 3) uint8 RGB array (grey (n, h, w) and RGBA work too), a list of
            such frames, a video file or a directory of frames sorted by name.
        cfg: see :func:`build_unlc`; None for the defaults (``configs/unlc/default.py``).
        max_frames: use only the first ``max_frames`` frames.

    Returns:
        soft (n, h, w) float32 in [0, 1] and binary (n, h, w) bool foreground masks.
    """
    return build_unlc(cfg)(load_frames(frames_or_path, max_frames))


def segment_frame_folder(frame_dir: Union[str, os.PathLike], out_dir: Union[str, os.PathLike], cfg: UNLCConfig = None,
                         max_frames: Optional[int] = None) -> int:
    """uNLC on a folder of frames (one shot; the first ``max_frames``), each mask written as
    ``out_dir/<frame stem>.png`` (0/255): how DAVIS-layout sequences are segmented for scoring. Returns the
    number of frames; raises ``VideoReadError`` naming an unreadable folder or frame."""
    import cv2

    from mmmotion.utils.fileio import list_frame_files
    frames = read_frames(frame_dir, max_frames=max_frames)
    _, binary = segment_video(frames, cfg)
    os.makedirs(out_dir, exist_ok=True)
    for file, mask in zip(list_frame_files(frame_dir), binary):
        stem = os.path.splitext(os.path.basename(file))[0]
        cv2.imwrite(os.path.join(out_dir, stem + '.png'), mask.astype(np.uint8) * 255)
    return len(frames)
