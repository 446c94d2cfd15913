"""Assembling the dataset files from the per-video records: COCO annotations and manifests.

The merge reads only ``records/``, in sorted video-id order, and numbers images and annotations in
that order, so its output depends on the set of records alone: not on shards, workers, the order in
which videos finished or whether the run was resumed.
"""
import os
import os.path as osp
from collections import Counter
from typing import Any, Dict, Iterable, List, Optional

from . import storage

CATEGORY = dict(id=1, name='moving_object', supercategory='object')


class MergeError(RuntimeError):
    """Records are missing for videos that the merge expects."""


def build_coco(records: Iterable[Dict[str, Any]]) -> Dict[str, Any]:
    """A COCO-style dict: one image and one RLE annotation (category ``moving_object``) per kept
    frame. ``file_name`` is relative to ``images/``, ``mask_file`` to ``masks/``."""
    images, annotations = [], []
    for rec in sorted(records, key=lambda r: r['video_id']):
        for im in rec.get('images', []):
            image_id = len(images) + 1
            images.append(dict(id=image_id, file_name=im['file_name'], mask_file=im['mask_file'],
                               height=im['height'], width=im['width'], video_id=rec['video_id'],
                               shot=im['shot'], frame_index=im['frame_index']))
            annotations.append(dict(id=image_id, image_id=image_id, category_id=CATEGORY['id'],
                                    segmentation=im['segmentation'], area=im['area'],
                                    bbox=im['bbox'], iscrowd=0))
    info = dict(description='mmmotion uNLC pseudo ground truth of moving objects '
                '(Pathak et al., CVPR 2017)', version='1.0')
    return dict(info=info, licenses=[], categories=[dict(CATEGORY)], images=images,
                annotations=annotations)


def manifest_line(rec: Dict[str, Any]) -> Dict[str, Any]:
    """A record without its RLE masks: per-video, per-shot and per-frame statistics and reasons."""
    line = {k: v for k, v in rec.items() if k != 'images'}
    line['kept_images'] = [im['file_name'] for im in rec.get('images', [])]
    return line


def summarise(records: Iterable[Dict[str, Any]]) -> Dict[str, Any]:
    """Dataset totals: videos by status and reason, shots and frames kept and rejected by rule
    (frames that pass the rules but exceed a shot's ``max_frames`` count as ``not_selected``)."""
    videos, video_reasons = Counter(), Counter()
    shot_rej, frame_rej = Counter(), Counter()
    shots_kept = frames_kept = frames_seg = frames_unselected = 0
    rejected: List[Dict[str, Any]] = []
    for rec in sorted(records, key=lambda r: r['video_id']):
        videos[rec['status']] += 1
        if rec['status'] != 'ok':
            video_reasons[rec['reason'].split(':')[0]] += 1
            rejected.append(dict(video_id=rec['video_id'], source=rec['source'],
                                 status=rec['status'], reason=rec['reason']))
        st = rec['stats']
        shots_kept += st['shots_kept']
        frames_kept += len(rec.get('images', []))
        frames_seg += st['frames_segmented']
        frames_unselected += st['frames_not_selected']
        shot_rej.update(st['shot_rejections'])
        frame_rej.update(st['frame_rejections'])
    return dict(videos=dict(total=sum(videos.values()), ok=videos['ok'],
                            rejected=videos['rejected'], failed=videos['failed'],
                            reasons=dict(video_reasons)),
                shots=dict(kept=shots_kept, rejected=sum(shot_rej.values()),
                           reasons=dict(shot_rej)),
                frames=dict(segmented=frames_seg, kept=frames_kept,
                            not_selected=frames_unselected, rejected=sum(frame_rej.values()),
                            reasons=dict(frame_rej)),
                rejected_videos=rejected)


def load_records(out_dir: str, video_ids: Optional[Iterable[str]] = None) -> List[Dict[str, Any]]:
    """The records of ``video_ids`` (all records when ``None``); raises :class:`MergeError`
    naming the videos that have none."""
    folder = osp.join(out_dir, storage.RECORDS_DIR)
    if video_ids is None:
        names = sorted(n for n in os.listdir(folder) if n.endswith('.json')
                       and not n.startswith('.')) if osp.isdir(folder) else []
        video_ids = [n[:-len('.json')] for n in names]
    records, missing = [], []
    for vid in video_ids:
        path = storage.record_path(out_dir, vid)
        if osp.exists(path):
            records.append(storage.read_json(path))
        else:
            missing.append(vid)
    if missing:
        more = f' and {len(missing) - 10} more' if len(missing) > 10 else ''
        raise MergeError(f'{len(missing)} video(s) have no record yet (unfinished shards?): '
                         f'{", ".join(missing[:10])}{more}')
    return records


def merge_dataset(out_dir: str, video_ids: Optional[Iterable[str]] = None) -> Dict[str, Any]:
    """Write ``annotations/unlc_coco.json``, ``manifest.jsonl`` and ``manifest.json`` from the
    records (of ``video_ids``, or all); returns the dataset summary."""
    records = sorted(load_records(out_dir, video_ids), key=lambda r: r['video_id'])
    coco = build_coco(records)
    storage.atomic_write_json(osp.join(out_dir, storage.COCO_FILE), coco)
    lines = ''.join(storage.dumps_json(manifest_line(r)) + '\n' for r in records)
    storage.atomic_write_bytes(osp.join(out_dir, storage.MANIFEST_JSONL), lines.encode('utf-8'))
    summary = summarise(records)
    storage.atomic_write_json(osp.join(out_dir, storage.MANIFEST_JSON), summary, indent=1)
    for folder in (out_dir, osp.join(out_dir, 'annotations'), osp.join(out_dir, storage.RECORDS_DIR)):
        storage.remove_stale_tmp(folder)
    return summary
