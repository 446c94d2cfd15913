"""Reading videos and frame folders as RGB uint8 frames, lazily and with clear errors.

A *video* is either a file OpenCV can decode (``cv2.VideoCapture``) or a directory of images read in
name order (``cv2.imread``), as in DAVIS. Every frame comes out as an ``(h, w, 3)`` uint8 RGB array;
grayscale or alpha inputs are converted. Anything that cannot give frames raises
:class:`VideoReadError` naming the path and the reason, so that a dataset run can log it and go on.
"""
import os
import os.path as osp
from dataclasses import dataclass
from typing import Iterator, Optional, Sequence, Union

import cv2
import numpy as np

from mmmotion.utils.fileio import (IMAGE_EXTENSIONS, VIDEO_EXTENSIONS, is_frame_dir,  # noqa: F401
                                   list_frame_files, resize_longest_side)

PathLike = Union[str, os.PathLike]

# frame folders, extensions and resizing live in mmmotion.utils.fileio; these names stay importable from here
resize_max_side = resize_longest_side


class VideoReadError(RuntimeError):
    """A video (file or frame folder) that cannot be read; ``path`` and ``reason`` say which and why."""

    def __init__(self, path: PathLike, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f'{self.path}: {reason}')

    def __reduce__(self):
        # Keep the two-argument constructor picklable (process pools, Ray).
        return (VideoReadError, (self.path, self.reason))


@dataclass(frozen=True)
class VideoInfo:
    """What the container says about a video; ``num_frames`` may be approximate for files."""

    fps: float
    num_frames: int
    height: int
    width: int


def to_rgb(frame: np.ndarray, bgr: bool = True) -> np.ndarray:
    """Convert an OpenCV image (gray, BGR or BGRA; uint8 or 16-bit) to ``(h, w, 3)`` uint8 RGB."""
    if frame.dtype != np.uint8:
        if frame.dtype == np.uint16:
            frame = (frame >> 8).astype(np.uint8)
        else:
            frame = np.clip(frame, 0, 255).astype(np.uint8)
    if frame.ndim == 2 or (frame.ndim == 3 and frame.shape[2] == 1):
        return cv2.cvtColor(frame.reshape(frame.shape[:2]), cv2.COLOR_GRAY2RGB)
    if frame.ndim != 3 or frame.shape[2] not in (3, 4):
        raise ValueError(f'unsupported image shape {frame.shape}')
    if frame.shape[2] == 4:
        return cv2.cvtColor(frame, cv2.COLOR_BGRA2RGB if bgr else cv2.COLOR_RGBA2RGB)
    return cv2.cvtColor(frame, cv2.COLOR_BGR2RGB) if bgr else np.ascontiguousarray(frame)


def _what_it_is(path: str) -> str:
    """A guess, from its first bytes, at why a file is no video OpenCV can open."""
    try:
        with open(path, 'rb') as f:
            head = f.read(4096)
    except OSError as e:
        return f'unreadable: {e.strerror}'
    if head[4:8] == b'ftyp':
        return 'an MP4/MOV container without a readable index: truncated, still being written, or corrupt'
    for magic, kind in ((b'\xff\xd8\xff', 'JPEG'), (b'\x89PNG', 'PNG'), (b'GIF8', 'GIF'), (b'BM', 'BMP')):
        if head.startswith(magic):
            return f'a {kind} image, not a video'
    if all(32 <= b < 127 or b in b'\t\n\r' for b in head):
        return 'a text file, not a video'
    return 'not a video, corrupt or an unsupported codec'


def _open_capture(path: str) -> cv2.VideoCapture:
    if not osp.exists(path):
        raise VideoReadError(path, 'no such file or directory')
    if osp.getsize(path) == 0:
        raise VideoReadError(path, 'empty file')
    cap = cv2.VideoCapture(path)
    if not cap.isOpened():
        cap.release()
        raise VideoReadError(path, f'cannot open as a video ({_what_it_is(path)})')
    return cap


def video_info(path: PathLike) -> VideoInfo:
    """Frame rate, frame count and size of a video file or frame folder, without decoding it all.

    For files the count comes from the container and may be off; iterate to count exactly.
    """
    path = str(path)
    if osp.isdir(path):  # a frame folder (an empty one is named as such below)
        files = list_frame_files(path)
        if not files:
            raise VideoReadError(path, 'no image files in frame directory')
        first = next(iter_frames(path, max_frames=1))
        return VideoInfo(
            fps=0.0, num_frames=len(files), height=first.shape[0], width=first.shape[1])
    cap = _open_capture(path)
    try:
        return VideoInfo(
            fps=float(cap.get(cv2.CAP_PROP_FPS) or 0.0),
            num_frames=max(0, int(cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0)),
            height=int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)),
            width=int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)))
    finally:
        cap.release()


def video_fps(path: PathLike) -> float:
    """Frame rate of a video file (0.0 when unknown, e.g. for frame folders)."""
    return video_info(path).fps


def count_frames(path: PathLike) -> int:
    """Exact number of decodable frames (decodes the whole video)."""
    return sum(1 for _ in iter_frames(path))


def _iter_dir(path: str, max_frames: Optional[int]) -> Iterator[np.ndarray]:
    files = list_frame_files(path)
    if not files:
        raise VideoReadError(path, 'no image files in frame directory')
    for i, file in enumerate(files):
        if max_frames is not None and i >= max_frames:
            return
        img = cv2.imread(file, cv2.IMREAD_UNCHANGED)
        if img is None:
            raise VideoReadError(path, f'cannot read frame image {osp.basename(file)}')
        yield to_rgb(img)


def _iter_file(path: str, max_frames: Optional[int]) -> Iterator[np.ndarray]:
    cap = _open_capture(path)
    try:
        n = 0
        while max_frames is None or n < max_frames:
            ok, frame = cap.read()
            if not ok or frame is None:
                break
            n += 1
            yield to_rgb(frame)
        if n == 0 and max_frames != 0:
            raise VideoReadError(path, 'no decodable frames')
    finally:
        cap.release()


def iter_frames(path: PathLike,
                max_frames: Optional[int] = None,
                max_side: Optional[int] = None) -> Iterator[np.ndarray]:
    """Yield the frames of a video file or frame folder one by one as ``(h, w, 3)`` uint8 RGB.

    Args:
        path: a video file or a directory of images (sorted by name).
        max_frames: stop after this many frames.
        max_side: downscale each frame so its longest side is at most this (keeps memory bounded
            for huge videos).

    Raises:
        VideoReadError: missing, empty, undecodable or frameless input, or frames of changing size.
    """
    path = str(path)
    frames = _iter_dir(path, max_frames) if osp.isdir(path) else _iter_file(path, max_frames)
    shape = None
    for i, frame in enumerate(frames):
        if shape is None:
            shape = frame.shape
        elif frame.shape != shape:
            raise VideoReadError(
                path, f'frame {i} has size {frame.shape[:2]}, '
                f'the first frame {shape[:2]}')
        yield resize_longest_side(frame, max_side)


def read_frames(path: PathLike,
                max_frames: Optional[int] = None,
                max_side: Optional[int] = None,
                indices: Optional[Sequence[int]] = None) -> np.ndarray:
    """Read a whole video (or the frames at sorted ``indices``) as an ``(n, h, w, 3)`` uint8 array.

    Raises:
        VideoReadError: as :func:`iter_frames`, or when no frame was read.
    """
    wanted = None if indices is None else set(int(i) for i in indices)
    stop = None if wanted is None else (max(wanted) + 1 if wanted else 0)
    if max_frames is not None:
        stop = max_frames if stop is None else min(stop, max_frames)
    frames = [
        f for i, f in enumerate(iter_frames(path, max_frames=stop, max_side=max_side))
        if wanted is None or i in wanted
    ]
    if not frames:
        raise VideoReadError(path, 'no frames read')
    return np.stack(frames)
