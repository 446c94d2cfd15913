"""File helpers every part of mmmotion uses: atomic writes, deterministic JSON, frame folders, resizing.

A file is written to a unique temporary name in its final folder, flushed to disk and then
``os.replace``-d onto its name, so a run killed at any moment leaves the complete file or the old
one, never a partial one.
"""
import contextlib
import json
import os
import os.path as osp
import tempfile
from typing import Any, IO, Iterator, List, Optional, Tuple, Union

import cv2
import numpy as np

TMP_MARK = '.tmp-'
IMAGE_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.bmp', '.tif', '.tiff', '.webp', '.ppm', '.pgm')
VIDEO_EXTENSIONS = ('.mp4', '.avi', '.mov', '.mkv', '.webm', '.m4v', '.mpg', '.mpeg', '.wmv', '.flv', '.3gp',
                    '.ogv')


@contextlib.contextmanager
def atomic_writer(path: str, mode: str = 'wb') -> Iterator[IO]:
    """A file to write ``path`` through: a temporary file in the same folder, ``os.replace``-d
    onto ``path`` when the block ends without an exception (and deleted otherwise)."""
    folder = osp.dirname(path) or '.'
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f'.{osp.basename(path)}{TMP_MARK}', dir=folder)
    try:
        with os.fdopen(fd, mode, **({} if 'b' in mode else dict(encoding='utf-8', newline=''))) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if osp.exists(tmp):
            os.unlink(tmp)
        raise


def atomic_write_bytes(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_writer`)."""
    with atomic_writer(path) as f:
        f.write(data)


def atomic_write_text(path: str, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    atomic_write_bytes(path, text.encode('utf-8'))


def dumps_json(obj: Any, indent: Any = None) -> str:
    """Deterministic JSON text (sorted keys, fixed separators)."""
    seps = (',', ': ') if indent is not None else (',', ':')
    return json.dumps(obj, sort_keys=True, indent=indent, separators=seps, ensure_ascii=False)


def atomic_write_json(path: str, obj: Any, indent: Any = None) -> None:
    """Write ``obj`` as deterministic JSON, atomically."""
    atomic_write_text(path, dumps_json(obj, indent) + '\n')


def read_json(path: str) -> Any:
    with open(path, encoding='utf-8') as f:
        return json.load(f)


def list_frame_files(frame_dir: Union[str, os.PathLike]) -> List[str]:
    """Image files of a frame folder, sorted by name."""
    names = sorted(n for n in os.listdir(frame_dir) if n.lower().endswith(IMAGE_EXTENSIONS))
    return [osp.join(frame_dir, n) for n in names]


def is_frame_dir(path: Union[str, os.PathLike]) -> bool:
    """Whether ``path`` is a folder of frames: a directory holding at least one image file."""
    return osp.isdir(path) and any(n.lower().endswith(IMAGE_EXTENSIONS) for n in os.listdir(path))


def resize_longest_side(images: np.ndarray, max_side: Optional[int], resample: str = 'area') -> np.ndarray:
    """Shrink an image (h, w[, c]) or a stack of them (n, h, w, c) so that the longer side is at most
    ``max_side``; never enlarges, and ``None`` / 0 leaves it as is (the same object).

    ``resample`` 'area' (OpenCV's area interpolation, sides rounded) or 'pil' (the reference's
    ``scipy.misc.imresize(image, fraction)``: Pillow's bilinear filter, sides truncated; uint8 only)."""
    stacked = images.ndim == 4
    h, w = images.shape[1:3] if stacked else images.shape[:2]
    if not max_side or max_side >= max(h, w):
        return images
    scale = max_side / max(h, w)
    if resample == 'pil':
        size = (max(1, int(w * scale)), max(1, int(h * scale)))
        return np.stack([pil_resize(i, size) for i in images]) if stacked else pil_resize(images, size)
    if resample != 'area':
        raise ValueError(f"resample must be 'area' or 'pil', got {resample!r}")
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    if not stacked:
        return cv2.resize(images, size, interpolation=cv2.INTER_AREA)
    return np.stack([cv2.resize(image, size, interpolation=cv2.INTER_AREA) for image in images])


def pil_resize(image: np.ndarray, size: Tuple[int, int]) -> np.ndarray:
    """Pillow's bilinear resize of an (h, w[, 3]) uint8 image to ``size`` (width, height): what
    ``scipy.misc.imresize`` did (and the reference ran)."""
    from PIL import Image
    return np.asarray(Image.fromarray(np.ascontiguousarray(image)).resize(tuple(size), Image.BILINEAR))