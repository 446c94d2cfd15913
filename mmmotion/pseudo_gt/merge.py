"""Assembling the dataset files from the per-video records: COCO annotations and manifests.

The merge reads only ``records/``, in sorted video-id order, and numbers images and annotations in
that order, so its output depends on the set of records alone: not on shards, workers, the order in
which videos finished or whether the run was resumed. It streams: one record in memory at a time,
whatever the number of videos.
"""
import os
import os.path as osp
from collections import Counter
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional

from . import storage

CATEGORY = dict(id=1, name='moving_object', supercategory='object')
INFO = dict(
    description='mmmotion uNLC pseudo ground truth of moving objects '
    '(Pathak et al., CVPR 2017)',
    version='1.0')


class MergeError(RuntimeError):
    """Records are missing for videos that the merge expects."""


def _coco_items(records: Iterable[Dict[str, Any]]) -> Iterator[tuple]:
    """(image, annotation) pairs, numbered from 1 in record order; ``file_name`` is relative to
    ``images/``, ``mask_file`` to ``masks/``; one RLE annotation per kept frame."""
    image_id = 0
    for rec in records:
        for im in rec.get('images', []):
            image_id += 1
            yield (dict(
                id=image_id,
                file_name=im['file_name'],
                mask_file=im['mask_file'],
                height=im['height'],
                width=im['width'],
                video_id=rec['video_id'],
                shot=im['shot'],
                frame_index=im['frame_index']),
                   dict(
                       id=image_id,
                       image_id=image_id,
                       category_id=CATEGORY['id'],
                       segmentation=im['segmentation'],
                       area=im['area'],
                       bbox=im['bbox'],
                       iscrowd=0))


def build_coco(records: Iterable[Dict[str, Any]]) -> Dict[str, Any]:
    """The COCO-style dict of ``records`` (sorted by video id), category ``moving_object``."""
    items = list(_coco_items(sorted(records, key=lambda r: r['video_id'])))
    return dict(
        info=dict(INFO),
        licenses=[],
        categories=[dict(CATEGORY)],
        images=[im for im, _ in items],
        annotations=[ann for _, ann in items])


def write_coco(path: str, records: Callable[[], Iterable[Dict[str, Any]]]) -> int:
    """Stream the COCO file of the records (already sorted) to ``path`` atomically, with the same
    content as ``build_coco``; ``records()`` is called twice (annotations, then images). Returns
    the number of images."""
    n = 0
    with storage.atomic_writer(path, 'w') as f:
        # keys in sorted order, as storage.dumps_json writes dicts
        f.write('{"annotations":[')
        for i, (_, ann) in enumerate(_coco_items(records())):
            f.write((',' if i else '') + storage.dumps_json(ann))
        f.write('],"categories":' + storage.dumps_json([CATEGORY]) + ',"images":[')
        for n, (im, _) in enumerate(_coco_items(records()), 1):
            f.write((',' if n > 1 else '') + storage.dumps_json(im))
        f.write('],"info":' + storage.dumps_json(INFO) + ',"licenses":[]}\n')
    return n


def manifest_line(rec: Dict[str, Any]) -> Dict[str, Any]:
    """A record without its RLE masks: per-video, per-shot and per-frame statistics and reasons."""
    line = {k: v for k, v in rec.items() if k != 'images'}
    line['kept_images'] = [im['file_name'] for im in rec.get('images', [])]
    return line


def summarise(records: Iterable[Dict[str, Any]]) -> Dict[str, Any]:
    """Totals over records (full ones or ones without ``images``): videos by status and reason,
    shots and frames kept and rejected by rule (frames that pass the rules but exceed a shot's
    ``max_frames`` count as ``not_selected``)."""
    videos, video_reasons = Counter(), Counter()
    shot_rej, frame_rej = Counter(), Counter()
    shots_kept = frames_kept = frames_seg = frames_unselected = 0
    rejected: List[Dict[str, Any]] = []
    for rec in sorted(records, key=lambda r: r['video_id']):
        videos[rec['status']] += 1
        if rec['status'] != 'ok':
            video_reasons[rec['reason'].split(':')[0]] += 1
            rejected.append(
                dict(
                    video_id=rec['video_id'],
                    source=rec['source'],
                    status=rec['status'],
                    reason=rec['reason']))
        st = rec['stats']
        shots_kept += st['shots_kept']
        frames_kept += st['frames_kept']
        frames_seg += st['frames_segmented']
        frames_unselected += st['frames_not_selected']
        shot_rej.update(st['shot_rejections'])
        frame_rej.update(st['frame_rejections'])
    return dict(
        videos=dict(
            total=sum(videos.values()),
            ok=videos['ok'],
            rejected=videos['rejected'],
            failed=videos['failed'],
            reasons=dict(video_reasons)),
        shots=dict(kept=shots_kept, rejected=sum(shot_rej.values()), reasons=dict(shot_rej)),
        frames=dict(
            segmented=frames_seg,
            kept=frames_kept,
            not_selected=frames_unselected,
            rejected=sum(frame_rej.values()),
            reasons=dict(frame_rej)),
        rejected_videos=rejected)


def slim_record(rec: Dict[str, Any]) -> Dict[str, Any]:
    """What :func:`summarise` needs of a record (keeps a driver's memory small)."""
    return {k: rec[k] for k in ('video_id', 'source', 'status', 'reason', 'stats')}


def record_ids(out_dir: str) -> List[str]:
    """Ids of all videos that have a record, sorted."""
    folder = osp.join(out_dir, storage.RECORDS_DIR)
    if not osp.isdir(folder):
        return []
    return sorted(n[:-len('.json')] for n in os.listdir(folder)
                  if n.endswith('.json') and not n.startswith('.'))


def check_records(out_dir: str, video_ids: Iterable[str]) -> List[str]:
    """Sorted ``video_ids``; raises :class:`MergeError` naming those that have no record."""
    ids = sorted(set(video_ids))
    missing = [v for v in ids if not osp.exists(storage.record_path(out_dir, v))]
    if missing:
        more = f' and {len(missing) - 10} more' if len(missing) > 10 else ''
        raise MergeError(f'{len(missing)} video(s) have no record yet (unfinished shards?): '
                         f'{", ".join(missing[:10])}{more}')
    return ids


def merge_dataset(out_dir: str, video_ids: Optional[Iterable[str]] = None) -> Dict[str, Any]:
    """Write ``annotations/unlc_coco.json``, ``manifest.jsonl`` and ``manifest.json`` from the
    records of ``video_ids`` (all records when ``None``); returns the dataset summary.

    Raises:
        MergeError: a video of ``video_ids`` has no record yet.
    """
    ids = check_records(out_dir, record_ids(out_dir) if video_ids is None else video_ids)

    def records() -> Iterator[Dict[str, Any]]:
        for vid in ids:
            yield storage.read_json(storage.record_path(out_dir, vid))

    write_coco(osp.join(out_dir, storage.COCO_FILE), records)
    slim = []
    with storage.atomic_writer(osp.join(out_dir, storage.MANIFEST_JSONL), 'w') as f:
        for rec in records():
            f.write(storage.dumps_json(manifest_line(rec)) + '\n')
            slim.append(slim_record(rec))
    summary = summarise(slim)
    storage.atomic_write_json(osp.join(out_dir, storage.MANIFEST_JSON), summary, indent=1)
    for folder in (out_dir, osp.dirname(osp.join(out_dir, storage.COCO_FILE)),
                   osp.join(out_dir, storage.RECORDS_DIR)):
        storage.remove_stale_tmp(folder)
    return summary
