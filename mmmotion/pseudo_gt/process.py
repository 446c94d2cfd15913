"""Turning one video into dataset files and its per-video record.

``process_video`` streams the video twice: once to find its shots (nothing but the detector's state
in memory), once to gather the frames uNLC segments, one shot at a time (at most ``max_shot_len``
frames in memory). It writes the kept frames and soft masks, then, last and atomically, the record
that marks the video done. Whatever goes wrong with the input ends as a record with a reason.
"""
import logging
import os.path as osp
import shutil
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

import numpy as np
from pycocotools import mask as mask_utils

from mmmotion.utils.video_io import VideoReadError, iter_frames
from mmmotion.utils.fileio import resize_longest_side
from . import storage
from .frame_selection import NOT_SELECTED, FrameSelectionConfig, select_frames
from .inputs import VideoEntry
from .quality import frame_quality
from .shots import SHOT_TOO_SHORT, sample_shot

logger = logging.getLogger('mmmotion.generate_dataset')

Segmenter = Callable[[np.ndarray], Tuple[np.ndarray, np.ndarray]]

# Video-level statuses and reasons.
OK, REJECTED, FAILED = 'ok', 'rejected', 'failed'
READ_ERROR = 'read_error'
RESOLUTION_TOO_SMALL = 'resolution_too_small'
TOO_FEW_FRAMES = 'too_few_frames'
NO_SHOT_KEPT = 'no_shot_kept'
SEGMENTATION_ERROR = 'segmentation_error'
ERROR = 'error'


@dataclass
class GeneratorConfig:
    """Settings of the generator proper (uNLC's own settings live in its config).

    Attributes:
        image_max_side: frames are downscaled to this longest side before segmentation; the dataset's
            images and masks have that size (uNLC's own ``max_side`` is its processing size).
        min_side: videos whose shorter side is below this are rejected (too small to segment).
        min_shot_len: shots with fewer frames are skipped.
        max_shot_len: longer shots are evenly sub-sampled to this many frames.
        shot_detector: config of a ``SHOT_DETECTORS`` module.
        frame_selection: thresholds of :class:`FrameSelectionConfig`.
        jpeg_quality: quality of the written frames.
    """

    image_max_side: int = 650
    min_side: int = 32
    min_shot_len: int = 10
    max_shot_len: int = 110
    shot_detector: Dict[str, Any] = field(
        default_factory=lambda: dict(type='PySceneDetectShots', detector='adaptive'))
    frame_selection: Dict[str, Any] = field(default_factory=dict)
    jpeg_quality: int = 95

    # keys of configs written before the rename, and their names now
    MOVED_KEYS = dict(max_side='image_max_side')

    @classmethod
    def from_dict(cls, cfg: Dict[str, Any]) -> 'GeneratorConfig':
        """Build from a config's ``generator`` dict; an old or unknown key is an error naming it."""
        moved = sorted(set(cfg) & set(cls.MOVED_KEYS))
        if moved:
            raise TypeError('generator: ' + ', '.join(f'{k} is now {cls.MOVED_KEYS[k]}' for k in moved))
        unknown = sorted(set(cfg) - set(cls.__dataclass_fields__))
        if unknown:
            raise TypeError(f'generator: unknown key(s) {unknown}; it takes {sorted(cls.__dataclass_fields__)}')
        return cls(**cfg)

    def to_dict(self) -> Dict[str, Any]:
        return dict(
            image_max_side=self.image_max_side,
            min_side=self.min_side,
            min_shot_len=self.min_shot_len,
            max_shot_len=self.max_shot_len,
            shot_detector=dict(self.shot_detector),
            frame_selection=vars(FrameSelectionConfig(**self.frame_selection)),
            jpeg_quality=self.jpeg_quality)


class _Rejected(Exception):
    """A video that is readable but unusable; ``reason`` is recorded."""

    def __init__(self, reason: str, detail: str = ''):
        super().__init__(f'{reason}: {detail}' if detail else reason)
        self.reason, self.detail = reason, detail


def build_shot_detector(cfg: Dict[str, Any]):
    """A ``SHOT_DETECTORS`` module from its config."""
    import mmmotion.pseudo_gt.shots  # noqa: F401  (registers the detectors)
    from mmmotion.registry import SHOT_DETECTORS
    return SHOT_DETECTORS.build(dict(cfg))


def _frames(entry: VideoEntry, cfg: GeneratorConfig, info: Dict[str, Any]) -> Iterator[np.ndarray]:
    """The video's frames at processing size; checks the resolution on the first frame."""
    for i, frame in enumerate(iter_frames(entry.path)):
        if i == 0:
            h, w = frame.shape[:2]
            info.update(height=h, width=w)
            if min(h, w) < cfg.min_side:
                raise _Rejected(RESOLUTION_TOO_SMALL, f'{w}x{h} < min_side {cfg.min_side}')
        frame = resize_longest_side(frame, cfg.image_max_side)
        if i == 0:
            info.update(proc_height=frame.shape[0], proc_width=frame.shape[1])
        yield frame


def _check_masks(soft: np.ndarray, binary: np.ndarray, shape: Tuple[int, ...]) -> None:
    if tuple(np.shape(soft)) != shape or tuple(np.shape(binary)) != shape:
        raise ValueError(f'segmenter returned masks of shape {np.shape(soft)} and '
                         f'{np.shape(binary)} for frames of shape {shape}')


def _encode_rle(binary: np.ndarray) -> Tuple[Dict[str, Any], int, List[float]]:
    rle = mask_utils.encode(np.asfortranarray(binary.astype(np.uint8)))
    area = int(mask_utils.area(rle))
    bbox = [float(v) for v in mask_utils.toBbox(rle)]
    rle['counts'] = rle['counts'].decode('ascii')
    return rle, area, bbox


def _segment_shot(shot_idx: int, frame_ids: List[int], frames: np.ndarray, entry: VideoEntry,
                  out_dir: str, cfg: GeneratorConfig, fs_cfg: FrameSelectionConfig,
                  segmenter: Segmenter, shot_rec: Dict[str, Any]) -> List[Dict[str, Any]]:
    """Segment one shot, apply the frame rules, write kept frames; returns their image entries."""
    try:
        soft, binary = segmenter(frames)
        soft, binary = np.asarray(soft, dtype=np.float32), np.asarray(binary).astype(bool)
        _check_masks(soft, binary, frames.shape[:3])
    except Exception as e:  # a failing shot must not take the video or the run down
        shot_rec.update(status=FAILED, reason=f'{SEGMENTATION_ERROR}: {type(e).__name__}: {e}')
        logger.warning('%s (%s): shot %d: %s', entry.video_id, entry.source, shot_idx,
                       shot_rec['reason'])
        return []
    quality = frame_quality(soft, binary)
    sel = select_frames(binary, fs_cfg, quality['score'])
    shot_rec['frames'] = [
        dict(
            frame=int(fid),
            fg=round(float(sel.fg_fraction[i]), 6),
            border_fg=round(float(sel.border_fg_fraction[i]), 6),
            quality={k: round(float(v[i]), 6) for k, v in quality.items()},
            kept=sel.reasons[i] is None,
            reason=sel.reasons[i]) for i, fid in enumerate(frame_ids)
    ]
    if sel.shot_reason is not None:
        shot_rec.update(status=REJECTED, reason=sel.shot_reason)
        return []
    shot_rec.update(status=OK, reason=None)
    images = []
    h, w = frames.shape[1:3]
    for i in sel.kept:
        name = f'{shot_idx:03d}_{frame_ids[i]:06d}'
        rel_img = f'{entry.video_id}/{name}.jpg'
        rel_mask = f'{entry.video_id}/{name}.png'
        storage.write_jpeg(
            osp.join(out_dir, storage.IMAGES_DIR, rel_img), frames[i], cfg.jpeg_quality)
        storage.write_png(
            osp.join(out_dir, storage.MASKS_DIR, rel_mask), storage.soft_to_uint8(soft[i]))
        rle, area, bbox = _encode_rle(binary[i])
        images.append(
            dict(
                file_name=rel_img,
                mask_file=rel_mask,
                height=h,
                width=w,
                shot=shot_idx,
                frame_index=int(frame_ids[i]),
                segmentation=rle,
                area=area,
                bbox=bbox))
    return images


def _summarise(record: Dict[str, Any]) -> Dict[str, Any]:
    frames, shots = Counter(), Counter()
    n_seg = n_unselected = shots_kept = 0
    for s in record['shots']:
        if s['status'] == OK:
            shots_kept += 1
        else:
            shots[(s['reason'] or 'not_processed').split(':')[0]] += 1
        for f in s.get('frames', []):
            n_seg += 1
            if f['kept']:
                continue
            if f['reason'] == NOT_SELECTED:
                n_unselected += 1
            else:
                frames[f['reason']] += 1
    # Kept = in the dataset: none for a video rejected or failed after some of its shots passed.
    return dict(
        frames_segmented=n_seg,
        frames_kept=len(record['images']),
        frames_not_selected=n_unselected,
        frame_rejections=dict(frames),
        shots_kept=shots_kept,
        shot_rejections=dict(shots))


def _detect_shots(entry: VideoEntry, cfg: GeneratorConfig, record: Dict[str, Any],
                  info: Dict[str, Any]) -> List[Tuple[int, int]]:
    """First read of the video: its shots; sets ``num_frames`` (and the video's info) in ``record``."""
    detector = build_shot_detector(cfg.shot_detector)
    counter = [0]

    def counted():
        for f in _frames(entry, cfg, info):
            counter[0] += 1
            yield f

    shots = detector(counted())
    n = record['num_frames'] = counter[0]
    record.update(info)
    if n < cfg.min_shot_len:
        raise _Rejected(TOO_FEW_FRAMES, f'{n} frame(s) < min_shot_len {cfg.min_shot_len}')
    return shots


def _plan_shots(shots: List[Tuple[int, int]], cfg: GeneratorConfig,
                record: Dict[str, Any]) -> List[Tuple[int, List[int]]]:
    """(shot index, frame ids to segment) of every shot long enough; each shot gets its entry in
    ``record['shots']`` (too short ones already rejected)."""
    plan: List[Tuple[int, List[int]]] = []
    for k, (start, end) in enumerate(shots):
        ids = sample_shot((start, end), cfg.min_shot_len, cfg.max_shot_len)
        rec = dict(shot=k, start=int(start), end=int(end), status=None, reason=None)
        record['shots'].append(rec)
        if ids is None:
            rec.update(status=REJECTED, reason=SHOT_TOO_SHORT)
        else:
            rec['sampled'] = len(ids)
            plan.append((k, ids))
    return plan


def _segment_planned_shots(plan: List[Tuple[int, List[int]]], entry: VideoEntry, out_dir: str,
                           cfg: GeneratorConfig, fs_cfg: FrameSelectionConfig, segmenter: Segmenter,
                           record: Dict[str, Any]) -> List[Dict[str, Any]]:
    """Second read of the video: each planned shot is segmented as soon as its last frame is read
    (only one shot's frames are held); returns the kept images' entries."""
    wanted = {fid: k for k, ids in plan for fid in ids}
    last = {ids[-1]: k for k, ids in plan}
    buffers: Dict[int, List[np.ndarray]] = {k: [] for k, _ in plan}
    plan_ids = dict(plan)
    images: List[Dict[str, Any]] = []
    stop = max(last)
    for i, frame in enumerate(_frames(entry, cfg, {})):
        if i in wanted:
            buffers[wanted[i]].append(frame)
        if i in last:
            k = last[i]
            frames = np.stack(buffers.pop(k))
            if len(frames) != len(plan_ids[k]):
                raise VideoReadError(entry.path, 'frames changed between two reads')
            images += _segment_shot(k, plan_ids[k], frames, entry, out_dir, cfg, fs_cfg, segmenter,
                                    record['shots'][k])
        if i >= stop:
            break
    if buffers:
        raise VideoReadError(entry.path, 'video ended early on the second read')
    return images


def process_video(entry: VideoEntry, out_dir: str, cfg: GeneratorConfig,
                  segmenter: Segmenter) -> Dict[str, Any]:
    """Segment one video, write its kept frames and masks, then its record; returns the record.

    Never raises for a bad input: unreadable files, non-videos, too few frames, tiny resolutions
    and segmentation errors all end in a record with ``status`` ``'failed'`` or ``'rejected'``
    and a ``reason``. Leftovers of an earlier, killed attempt at the same video are removed first.
    """
    for sub in (storage.IMAGES_DIR, storage.MASKS_DIR):
        shutil.rmtree(osp.join(out_dir, sub, entry.video_id), ignore_errors=True)
    info: Dict[str, Any] = {}
    record: Dict[str, Any] = dict(
        video_id=entry.video_id,
        source=entry.source,
        status=OK,
        reason=None,
        num_frames=0,
        shots=[],
        images=[])
    fs_cfg = FrameSelectionConfig(**cfg.frame_selection)
    try:
        shots = _detect_shots(entry, cfg, record, info)
        plan = _plan_shots(shots, cfg, record)
        if plan:
            record['images'] += _segment_planned_shots(plan, entry, out_dir, cfg, fs_cfg, segmenter, record)
        if not record['images']:
            raise _Rejected(NO_SHOT_KEPT, f'{len(shots)} shot(s), none kept')
    except _Rejected as e:
        record.update(status=REJECTED, reason=f'{e.reason}: {e.detail}' if e.detail else e.reason)
    except VideoReadError as e:
        record.update(status=FAILED, reason=f'{READ_ERROR}: {e.reason}')
    except Exception as e:  # anything else: recorded, the run goes on
        logger.exception('%s (%s): unexpected error', entry.video_id, entry.source)
        record.update(status=FAILED, reason=f'{ERROR}: {type(e).__name__}: {e}')
    record.update(info)
    if record['status'] != OK:
        # Nothing of a rejected video belongs in the dataset.
        record['images'] = []
        for sub in (storage.IMAGES_DIR, storage.MASKS_DIR):
            shutil.rmtree(osp.join(out_dir, sub, entry.video_id), ignore_errors=True)
    record['stats'] = _summarise(record)
    storage.atomic_write_json(storage.record_path(out_dir, entry.video_id), record)
    return record


def load_record(out_dir: str, video_id: str) -> Optional[Dict[str, Any]]:
    """A finished video's record, or ``None`` if it has none (or an unreadable one)."""
    path = storage.record_path(out_dir, video_id)
    if not osp.exists(path):
        return None
    try:
        rec = storage.read_json(path)
    except (OSError, ValueError):
        return None
    return rec if rec.get('video_id') == video_id else None
