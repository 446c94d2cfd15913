"""The on-disk layout of a pseudo-ground-truth dataset, written through :mod:`mmmotion.utils.fileio`'s
atomic writes (a run killed at any moment leaves complete files or none, never a partial one).

Layout of ``DATASET_DIR``::

    images/<video_id>/<shot>_<frame>.jpg    frames (RGB, JPEG)
    masks/<video_id>/<shot>_<frame>.png     soft masks, uint8 0-255
    records/<video_id>.json                 one finished video (written last, marks it done)
    shards/shard-<i>-of-<n>.json            one finished shard
    annotations/unlc_coco.json              COCO file (built by the merge step)
    manifest.jsonl, manifest.json           per-video statistics and the dataset summary
    meta.json                               settings the dataset was generated with
"""
import os
import os.path as osp

import cv2
import numpy as np

from mmmotion.utils.fileio import (TMP_MARK, atomic_write_bytes, atomic_write_json, atomic_writer,  # noqa: F401
                                   dumps_json, read_json)

IMAGES_DIR = 'images'
MASKS_DIR = 'masks'
RECORDS_DIR = 'records'
SHARDS_DIR = 'shards'
COCO_FILE = osp.join('annotations', 'unlc_coco.json')
MANIFEST_JSONL = 'manifest.jsonl'
MANIFEST_JSON = 'manifest.json'
META_FILE = 'meta.json'


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
