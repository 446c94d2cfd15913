"""Atomic file writes and the on-disk layout of a pseudo-ground-truth dataset.

Every file is written to a temporary name in its final folder and then ``os.replace``-d, so a run
killed at any moment leaves either the complete file or none, never a partial one.

Layout of ``DATASET_DIR``::

    images/<video_id>/<shot>_<frame>.jpg    frames (RGB, JPEG)
    masks/<video_id>/<shot>_<frame>.png     soft masks, uint8 0-255
    records/<video_id>.json                 one finished video (written last, marks it done)
    shards/shard-<i>-of-<n>.json            one finished shard
    annotations/unlc_coco.json              COCO file (built by the merge step)
    manifest.jsonl, manifest.json           per-video statistics and the dataset summary
    meta.json                               settings the dataset was generated with
"""
import contextlib
import json
import os
import os.path as osp
import tempfile
from typing import IO, Any, Iterator

import cv2
import numpy as np

IMAGES_DIR = 'images'
MASKS_DIR = 'masks'
RECORDS_DIR = 'records'
SHARDS_DIR = 'shards'
COCO_FILE = osp.join('annotations', 'unlc_coco.json')
MANIFEST_JSONL = 'manifest.jsonl'
MANIFEST_JSON = 'manifest.json'
META_FILE = 'meta.json'
TMP_MARK = '.tmp-'


@contextlib.contextmanager
def atomic_writer(path: str, mode: str = 'wb') -> Iterator[IO]:
    """A file to write ``path`` through: a temporary file in the same folder, ``os.replace``-d
    onto ``path`` when the block ends without an exception (and deleted otherwise)."""
    folder = osp.dirname(path) or '.'
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f'.{osp.basename(path)}{TMP_MARK}', dir=folder)
    try:
        with os.fdopen(fd, mode, **({} if 'b' in mode else dict(encoding='utf-8'))) as f:
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


def dumps_json(obj: Any, indent: Any = None) -> str:
    """Deterministic JSON text (sorted keys, fixed separators)."""
    seps = (',', ': ') if indent is not None else (',', ':')
    return json.dumps(obj, sort_keys=True, indent=indent, separators=seps, ensure_ascii=False)


def atomic_write_json(path: str, obj: Any, indent: Any = None) -> None:
    """Write ``obj`` as deterministic JSON, atomically."""
    atomic_write_bytes(path, (dumps_json(obj, indent) + '\n').encode('utf-8'))


def read_json(path: str) -> Any:
    with open(path, encoding='utf-8') as f:
        return json.load(f)


def write_jpeg(path: str, rgb: np.ndarray, quality: int = 95) -> None:
    """Encode an RGB uint8 image as JPEG and write it atomically."""
    ok, buf = cv2.imencode('.jpg', cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR),
                           [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:
        raise OSError(f'JPEG encoding failed for {path}')
    atomic_write_bytes(path, buf.tobytes())


def write_png(path: str, gray: np.ndarray) -> None:
    """Encode a 2-D uint8 image as PNG and write it atomically."""
    ok, buf = cv2.imencode('.png', gray)
    if not ok:
        raise OSError(f'PNG encoding failed for {path}')
    atomic_write_bytes(path, buf.tobytes())


def soft_to_uint8(soft: np.ndarray) -> np.ndarray:
    """Soft mask in [0, 1] to uint8 0-255 (rounded; out-of-range values clipped)."""
    return np.round(np.clip(np.nan_to_num(soft, nan=0.0), 0.0, 1.0) * 255).astype(np.uint8)


def record_path(out_dir: str, video_id: str) -> str:
    return osp.join(out_dir, RECORDS_DIR, f'{video_id}.json')


def shard_path(out_dir: str, shard_id: int, num_shards: int) -> str:
    return osp.join(out_dir, SHARDS_DIR, f'shard-{shard_id}-of-{num_shards}.json')


def remove_stale_tmp(folder: str) -> None:
    """Delete temporary files left in ``folder`` by killed writers (call only when none runs)."""
    if not osp.isdir(folder):
        return
    for name in os.listdir(folder):
        if name.startswith('.') and TMP_MARK in name:
            os.unlink(osp.join(folder, name))
